"""Admin lookups list the best matches first: the exact name, then names that begin with the
search, then the rest."""

import pytest
from django.contrib import admin
from django.urls import reverse

from koss.core.admin import RelevantSearchResultsMixin

from .factories import make_partner

pytestmark = pytest.mark.django_db


def lookup(client, term, app_label="partners", model_name="partner", field_name="parent"):
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": app_label, "model_name": model_name, "field_name": field_name},
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_the_liga_comes_first_for_liga_der(staff_client):
    member_text = "Mitglied der LIGA der Freien Wohlfahrtspflege in Thüringen e.V."
    for name in ["AWO Landesverband Thüringen e.V.", "Caritasverband für das Bistum Erfurt e.V."]:
        make_partner(name, summary=member_text)
    make_partner("DRK-Landesverband Thüringen e.V.", summary=member_text)
    make_partner("LIGA der Freien Wohlfahrtspflege in Thüringen e.V.")

    assert lookup(staff_client, "LIGA der") == [
        "LIGA der Freien Wohlfahrtspflege in Thüringen e.V.",
        "AWO Landesverband Thüringen e.V.",
        "Caritasverband für das Bistum Erfurt e.V.",
        "DRK-Landesverband Thüringen e.V.",
    ]


def test_exact_match_then_prefix_then_the_rest_in_name_order(staff_client):
    for name in ["Erste Stadtliga Erfurt", "Stadtliga Erfurt Nord", "Stadtliga Erfurt"]:
        make_partner(name)

    assert lookup(staff_client, "stadtliga erfurt") == [
        "Stadtliga Erfurt",
        "Stadtliga Erfurt Nord",
        "Erste Stadtliga Erfurt",
    ]


def test_an_exact_short_name_counts_as_an_exact_match(staff_client):
    make_partner("AWO Kreisverband Erfurt e.V.")
    make_partner("Arbeiterwohlfahrt Landesverband Thüringen e.V.", short_name="AWO")

    assert lookup(staff_client, "awo") == [
        "Arbeiterwohlfahrt Landesverband Thüringen e.V.",
        "AWO Kreisverband Erfurt e.V.",
    ]


def test_the_changelist_search_keeps_its_column_order(staff_client):
    make_partner("Zentrum Erfurt")
    make_partner("Erfurter Netzwerk", summary="Zentrum Erfurt")
    response = staff_client.get(reverse("admin:partners_partner_changelist"), {"q": "Zentrum"})
    names = [partner.name for partner in response.context["cl"].result_list]
    assert names == ["Erfurter Netzwerk", "Zentrum Erfurt"]


def autocomplete_targets():
    """Every model some admin form looks up by autocomplete, with the admin that answers."""
    targets = set()
    for model, model_admin in admin.site._registry.items():
        for options in [
            model_admin,
            *(inline(model, admin.site) for inline in model_admin.inlines),
        ]:
            for name in options.autocomplete_fields:
                targets.add(options.model._meta.get_field(name).related_model)
    return sorted(targets, key=lambda model: model._meta.label)


def test_every_autocomplete_target_orders_by_relevance():
    targets = autocomplete_targets()
    assert {model._meta.label for model in targets} >= {"partners.Partner", "partners.Region"}
    for model in targets:
        assert isinstance(admin.site._registry[model], RelevantSearchResultsMixin), model
