import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from PIL import Image

from partners.models import Region

from ..factories import make_partner, partner_form

pytestmark = pytest.mark.django_db


def png_bytes(size=(40, 20)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "#00506e").save(buffer, format="PNG")
    return buffer.getvalue()


def test_regions_are_thueringens_22_districts_plus_state_and_nation():
    districts = Region.objects.exclude(kind__in=["land", "bund"])
    assert districts.count() == 22
    assert districts.filter(kind="stadt").count() == 5
    assert set(districts.values_list("planning_region", flat=True)) == {
        "nord",
        "mitte",
        "ost",
        "suedwest",
    }
    assert Region.objects.filter(kind__in=["land", "bund"]).count() == 2
    names = list(Region.objects.in_display_order().values_list("name", flat=True))
    assert names[:2] == ["Altenburger Land", "Eichsfeld"]
    assert names[-2:] == ["Bundesweit", "Thüringenweit"]


def test_partner_cannot_be_its_own_ancestor():
    top = make_partner()
    middle = make_partner(parent=top)
    top.parent = middle
    with pytest.raises(ValidationError) as error:
        top.full_clean()
    assert "parent" in error.value.message_dict


def test_database_refuses_a_partner_as_its_own_parent():
    partner = make_partner()
    partner.parent_id = partner.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        partner.save()


def test_logo_needs_alternative_text():
    partner = make_partner()
    partner.logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    with pytest.raises(ValidationError) as error:
        partner.full_clean()
    assert list(error.value.message_dict) == ["logo_alt"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"<html><script>alert(1)</script></html>", "Bild"),
        (
            "logo.png",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "Bild",
        ),
        ("logo.png", b"", "leer"),
        ("logo.png", png_bytes((3000, 3000)) + b"\0" * (2 * 1024 * 1024), "höchstens"),
    ],
    ids=["html-as-png", "svg-as-png", "empty", "too-large"],
)
def test_bad_logo_upload_is_rejected_in_german(staff_client, name, content, message):
    partner = make_partner(name="Logo-Test", slug="logo-test")
    data = partner_form(
        partner,
        logo_alt="Logo",
        logo=SimpleUploadedFile(name, content),
    )
    response = staff_client.post(f"/verwaltung/partners/partner/{partner.pk}/change/", data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors["logo"])
    partner.refresh_from_db()
    assert not partner.logo


def test_good_logo_is_stored_and_served_with_its_type(staff_client, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    partner = make_partner(name="Logo-Test", slug="logo-test")
    data = partner_form(
        partner,
        logo_alt="Logo des Logo-Tests",
        logo=SimpleUploadedFile("logo.png", png_bytes()),
    )
    response = staff_client.post(f"/verwaltung/partners/partner/{partner.pk}/change/", data)
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.logo.name.startswith("partners/logos/")

    logo = client.get(f"/partner/{partner.slug}/logo/")
    assert logo.status_code == 200
    assert logo["Content-Type"] == "image/png"
    assert b"".join(logo.streaming_content) == png_bytes()
    page = client.get(partner.get_absolute_url())
    assert 'alt="Logo des Logo-Tests"' in page.content.decode()
