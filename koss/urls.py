from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog

from . import accounts, views
from .core.cache import public_page
from .dashboard import with_staff_dashboard
from .sitemaps import SITEMAPS

admin.site.site_header = _("KOSS-Portal – Verwaltung")
admin.site.site_title = _("KOSS-Portal")
admin.site.index_title = _("Redaktion")
# The admin's own login form is replaced by allauth's, with its rate limits and second factor.
admin.site.login = secure_admin_login(admin.site.login)
# The lists need the width at 1280 px; the start page and the breadcrumbs lead everywhere.
admin.site.enable_nav_sidebar = False
# The admin's JavaScript catalogue includes the rich-text editor's (its dialogs and menu).
admin.site.i18n_javascript = JavaScriptCatalog.as_view(
    packages=["django.contrib.admin", "django_prose_editor"]
)
# The start page shows the Redaktion what waits for them (templates/admin/index.html).
admin.site.index = with_staff_dashboard(admin.site.index)

# The section in Leichte Sprache: a start page and four pages, edited as Page.
easy_read_urls = [
    path("", views.easy_read, {"slug": "leichte-sprache"}, name="index"),
    path("koss/", views.easy_read, {"slug": "leichte-sprache-koss"}, name="koss"),
    path("beirat/", views.easy_read, {"slug": "leichte-sprache-beirat"}, name="board"),
    path("diese-seite/", views.easy_read, {"slug": "leichte-sprache-webseite"}, name="site"),
    path("kontakt/", views.easy_read, {"slug": "leichte-sprache-kontakt"}, name="contact"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("partner/", include("partners.urls")),
    path("aktuelles/", include("news.urls")),
    path("beirat/", include("advisory_board.urls")),
    path("oparl/v1.1/", include("advisory_board.oparl.urls")),
    path("suche/", views.search, name="search"),
    path("ueber-uns/", views.page, {"slug": "ueber-uns"}, name="about"),
    path("kontakt/", views.page, {"slug": "kontakt"}, name="contact"),
    path("impressum/", views.page, {"slug": "impressum"}, name="imprint"),
    path("datenschutz/", views.page, {"slug": "datenschutz"}, name="privacy"),
    path("barrierefreiheit/", views.page, {"slug": "barrierefreiheit"}, name="accessibility"),
    path("leichte-sprache/", include((easy_read_urls, "easy_read"))),
    path("glossar/", views.glossary, name="glossary"),
    # Addresses are managed by the Redaktion; members see theirs and cannot add any.
    path("konto/email/", accounts.email_addresses, name="account_email"),
    path("konto/", include("allauth.urls")),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("sitemap.xml", public_page(sitemap, query=["p"]), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("health/", views.health, name="health"),
    path("verwaltung/", admin.site.urls),
]
