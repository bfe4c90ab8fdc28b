"""Slugs spell German the German way: ä → ae, ö → oe, ü → ue, ß → ss."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.db.models import SlugField
from django.urls import reverse

from advisory_board.models import Board
from koss.core.admin import GermanSlugAdminMixin
from koss.core.slugs import slugify_german
from koss.models import Term
from news.models import Article
from partners.models import Partner, Region, Topic


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("KOSS lädt ein", "koss-laedt-ein"),
        ("Straße", "strasse"),
        ("Sömmerda", "soemmerda"),
        ("Übergänge ÖFFNEN", "uebergaenge-oeffnen"),
        ("Äpfel, Öl & Übermut", "aepfel-oel-uebermut"),
        ("Beirat für Sozialplanung 2014", "beirat-fuer-sozialplanung-2014"),
        ("Café Crème", "cafe-creme"),
    ],
)
def test_german_letters_are_transliterated(text, slug):
    assert slugify_german(text) == slug


SLUGGED_MODELS = [
    model
    for model in apps.get_models()
    if model._meta.app_label in {"koss", "partners", "news", "advisory_board"}
    and any(isinstance(field, SlugField) for field in model._meta.fields)
]


def test_the_models_with_a_slug_are_known():
    assert set(SLUGGED_MODELS) == {Partner, Region, Topic, Article, Board, Term}


@pytest.mark.parametrize("model", SLUGGED_MODELS, ids=lambda model: model._meta.label)
def test_every_slug_of_the_admin_is_made_from_its_name_in_german(model):
    """Typed into as the name is typed (in the browser), or left empty (on the server)."""
    model_admin = admin.site._registry[model]
    assert "slug" in model_admin.prepopulated_fields
    assert isinstance(model_admin, GermanSlugAdminMixin)


@pytest.mark.django_db
def test_the_admin_script_transliterates_before_urlify(staff_client):
    response = staff_client.get(reverse("admin:partners_topic_add"))
    page = response.content.decode()
    # Django's URLify first, then the German transliteration that wraps it.
    assert page.index("admin/js/urlify") < page.index("koss/admin/german-slugs")


@pytest.mark.django_db
def test_a_slug_left_empty_is_made_from_the_name_in_german(staff_client):
    response = staff_client.post(
        reverse("admin:partners_topic_add"), {"name": "Übergänge gestalten", "slug": ""}
    )
    assert response.status_code == 302
    assert Topic.objects.get().slug == "uebergaenge-gestalten"


@pytest.mark.django_db
def test_a_slug_left_empty_that_is_taken_gets_a_german_error(staff_client):
    response = staff_client.post(
        reverse("admin:partners_topic_add"), {"name": "Straße", "slug": ""}
    )
    assert response.status_code == 302
    response = staff_client.post(
        reverse("admin:partners_topic_add"), {"name": "Straße", "slug": ""}
    )
    assert response.status_code == 200
    assert "existiert bereits" in response.content.decode()
    assert Topic.objects.count() == 1


@pytest.mark.django_db
def test_a_slug_typed_by_staff_is_kept(staff_client):
    staff_client.post(
        reverse("admin:partners_topic_add"), {"name": "Übergänge", "slug": "uebergang"}
    )
    assert Topic.objects.get().slug == "uebergang"
