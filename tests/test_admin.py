"""Smoke test over every ModelAdmin: changelist, search, add form, change form."""

import re
from html import unescape

import pytest
from django.contrib import admin
from django.urls import reverse

from news.models import Article

from .factories import make_partner, make_topic

pytestmark = pytest.mark.django_db

MODEL_ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.fixture
def content():
    parent = make_partner("Dachverband")
    make_partner("Kreisliga", parent=parent, topics=[make_topic()])


@pytest.mark.parametrize(
    ("model", "model_admin"), MODEL_ADMINS, ids=[m._meta.label for m, _ in MODEL_ADMINS]
)
def test_model_admin_pages_render(staff_client, staff_user, rf, content, model, model_admin):
    info = (model._meta.app_label, model._meta.model_name)
    request = rf.get("/verwaltung/")
    request.user = staff_user
    changelist = reverse("admin:{}_{}_changelist".format(*info))
    assert staff_client.get(changelist).status_code == 200
    if model_admin.search_fields:
        assert staff_client.get(changelist, {"q": "verband"}).status_code == 200
    add = staff_client.get(reverse("admin:{}_{}_add".format(*info)))
    # Records such as the download log are written by the site, never added by hand.
    assert add.status_code == (200 if model_admin.has_add_permission(request) else 403)
    instance = model._default_manager.first()
    if instance is not None:
        change = reverse("admin:{}_{}_change".format(*info), args=[instance.pk])
        assert staff_client.get(change).status_code == 200


def test_admin_is_closed_to_visitors_and_members(non_staff_client):
    response = non_staff_client.get(reverse("admin:partners_partner_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_parent_autocomplete_finds_partners(staff_client, content):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Dach",
            "app_label": "partners",
            "model_name": "partner",
            "field_name": "parent",
        },
    )
    assert [result["text"] for result in response.json()["results"]] == ["Dachverband"]


MISREAD = [
    "Herunterladen zum Ansehen auswählen",
    "Auf der Website ansehen",
]
# A filter's heading is Django's "Nach %s" with its title: a noun, never an adjective or phrase.
LOWERCASE_FILTER_TITLE = re.compile(r"<summary>\s*Nach\s+([a-zäöüß][\w-]*)")


@pytest.mark.parametrize(
    ("model", "model_admin"), MODEL_ADMINS, ids=[m._meta.label for m, _ in MODEL_ADMINS]
)
def test_admin_labels_read_as_german(staff_client, staff_user, rf, content, model, model_admin):
    info = (model._meta.app_label, model._meta.model_name)
    request = rf.get("/verwaltung/")
    request.user = staff_user
    pages = [reverse("admin:{}_{}_changelist".format(*info))]
    if model_admin.has_add_permission(request):
        pages.append(reverse("admin:{}_{}_add".format(*info)))
    for url in pages:
        text = unescape(staff_client.get(url).content.decode())
        for phrase in MISREAD:
            assert phrase not in text, (url, phrase)
        assert LOWERCASE_FILTER_TITLE.findall(text) == [], url
    if model is Article:
        assert "„Auf der Website anzeigen“" in text


def test_admin_login_offers_the_reset_once_and_the_box_beside_its_label(client, db):
    response = client.get(reverse("admin:login"), follow=True)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("Passwort vergessen?") == 1
    # The box first, its words beside it, inside one label.
    assert re.search(
        r'<label class="choice" for="id_remember">\s*<input type="checkbox" name="remember"[^>]*>'
        r"\s*Angemeldet bleiben\s*</label>",
        content,
    ), content[content.find("remember") - 300 : content.find("remember") + 300]


def test_rich_text_menu_needs_no_glyph_the_system_fonts_lack(staff_client, db):
    """The editor's drop-down marker "⏷" showed as an empty box; our stylesheet, loaded after the
    editor's, draws it without a font."""
    content = staff_client.get(reverse("admin:news_article_add")).content.decode()
    editor = content.index("django_prose_editor/editor.")
    ours = content.index("koss/admin/prose-editor.")
    assert editor < ours
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("koss/admin/prose-editor.css")).read_text(encoding="utf-8")
    rule = re.search(r"\.prose-editor \.prose-menubar__selected::after \{([^}]*)\}", css).group(1)
    assert 'content: "";' in rule
    assert "border-top-color: currentColor" in rule
