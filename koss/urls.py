from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from . import views
from .sitemaps import SITEMAPS

admin.site.site_header = _("KOSS-Portal – Verwaltung")
admin.site.site_title = _("KOSS-Portal")
admin.site.index_title = _("Redaktion")
# The admin's own login form is replaced by allauth's, with its rate limits and second factor.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("partner/", include("partners.urls")),
    path("aktuelles/", include("news.urls")),
    path("beirat/", include("advisory_board.urls")),
    path("konto/", include("allauth.urls")),
    path("ueber-uns/", TemplateView.as_view(template_name="pages/about.html"), name="about"),
    path("kontakt/", TemplateView.as_view(template_name="pages/contact.html"), name="contact"),
    path("impressum/", TemplateView.as_view(template_name="pages/imprint.html"), name="imprint"),
    path("datenschutz/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
    path(
        "barrierefreiheit/",
        TemplateView.as_view(template_name="pages/accessibility.html"),
        name="accessibility",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("health/", views.health, name="health"),
    path("verwaltung/", admin.site.urls),
]
