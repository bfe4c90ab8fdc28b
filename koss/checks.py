"""Deployment checks of the content: no site goes live with the legal pages' placeholders.

They run with `manage.py check --deploy`, read the database, and stay silent where it cannot be
read yet (before the first `migrate`).
"""

from django.core.checks import Warning, register
from django.db import DatabaseError
from django.utils.translation import gettext as _

LEGAL_PAGES = ["impressum", "datenschutz", "kontakt", "barrierefreiheit"]


@register("koss", deploy=True)
def check_legal_pages(app_configs=None, **kwargs):
    from .models import Page

    try:
        pages = {page.slug: page for page in Page.objects.filter(slug__in=LEGAL_PAGES)}
    except DatabaseError:
        return []
    warnings = []
    for slug in LEGAL_PAGES:
        page = pages.get(slug)
        if page is None:
            warnings.append(
                Warning(
                    _("Die Seite „%(slug)s“ fehlt.") % {"slug": slug},
                    hint=_("Legen Sie sie mit „manage.py migrate“ an."),
                    id="koss.W001",
                )
            )
            continue
        admin_path = _("Verwaltung › Seiten › %(title)s") % {"title": page.title}
        if page.has_placeholders:
            warnings.append(
                Warning(
                    _("Die Seite „%(title)s“ (%(url)s) enthält noch Platzhaltertext.")
                    % {"title": page.title, "url": page.get_absolute_url()},
                    hint=_(
                        "Ersetzen Sie die Sätze, die die Redaktion ausfüllen soll, unter "
                        "%(admin)s, bevor die Website öffentlich erreichbar ist."
                    )
                    % {"admin": admin_path},
                    obj=page,
                    id="koss.W002",
                )
            )
        for part in page.missing_parts():
            warnings.append(
                Warning(
                    _("Auf der Seite „%(title)s“ (%(url)s) fehlt %(part)s.")
                    % {"title": page.title, "url": page.get_absolute_url(), "part": part},
                    hint=_("Ergänzen Sie die Angabe unter %(admin)s.") % {"admin": admin_path},
                    obj=page,
                    id="koss.W003",
                )
            )
    return warnings
