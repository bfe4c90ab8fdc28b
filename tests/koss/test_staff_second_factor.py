"""Staff rights need the second factor in this session, everywhere (security review, rule 1).

A staff session that has not passed the second factor is an ordinary visitor: no drafts, no
unpublished partners, no staff documents, no list of replies. A first authenticator is set up only
in a session that came through a link sent by e-mail (invitation or password reset), so that a
stolen password alone cannot enrol one.
"""

import datetime
import io
import re
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ..factories import (
    TOTP_SECRET,
    current_totp_code,
    login_staff,
    make_article,
    make_board,
    make_document,
    make_meeting,
    make_member,
    make_partner,
    make_staff,
    make_user,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def second_factor_required(settings):
    settings.KOSS_REQUIRE_STAFF_2FA = True


@pytest.fixture
def content(db):
    board = make_board(is_current=True)
    meeting = make_meeting(board, number=7)
    member = make_member(board, make_user("mitglied@example.org"), last_name="Antwortend")
    meeting.replies.create(person=member, answer="ja")
    return {
        "draft": make_article("Entwurf der Redaktion", status="entwurf"),
        "scheduled": make_article(
            "Geplanter Beitrag", publish_at=timezone.now() + datetime.timedelta(days=2)
        ),
        "partner": make_partner("Unveröffentlichter Partner", is_published=False),
        "meeting": meeting,
        "public_document": make_document(
            meeting, "Öffentliche Folien", visibility="oeffentlich", kind="praesentation"
        ),
        "staff_document": make_document(meeting, "Vermerk der Redaktion", visibility="redaktion"),
        "unreleased": make_document(meeting, "Noch zurückgehalten", released=False),
    }


def staff_password_only(client):
    """A staff session after the password, without the second factor."""
    staff = make_staff()
    client.force_login(staff)
    return staff


def zip_names(response):
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return zipfile.ZipFile(io.BytesIO(data)).namelist()


class TestStaffWithoutSecondFactorAreVisitors:
    @pytest.fixture(autouse=True)
    def session(self, client, content):
        staff_password_only(client)

    def test_no_drafts_or_scheduled_articles(self, client, content):
        for article in (content["draft"], content["scheduled"]):
            assert client.get(article.get_absolute_url()).status_code == 404
        page = client.get(reverse("news:list")).content.decode()
        assert "Geplanter Beitrag" not in page

    def test_no_unpublished_partners(self, client, content):
        assert client.get(content["partner"].get_absolute_url()).status_code == 404

    def test_no_staff_or_unreleased_documents(self, client, content):
        for key in ("staff_document", "unreleased"):
            # Asked for the second factor, as a visitor is asked to log in; no document.
            response = client.get(content[key].get_absolute_url())
            assert response.status_code == 302
            assert response.url.startswith(reverse("mfa_reauthenticate"))
        page = client.get(content["meeting"].get_absolute_url()).content.decode()
        assert "Vermerk der Redaktion" not in page
        assert "Noch zurückgehalten" not in page

    def test_meeting_zip_holds_public_documents_only(self, client, content):
        response = client.get(reverse("advisory_board:zip", args=[content["meeting"].pk]))
        assert response.status_code == 200
        assert len(zip_names(response)) == 1

    def test_no_list_of_replies(self, client, content):
        page = client.get(content["meeting"].get_absolute_url()).content.decode()
        assert "Antwortend" not in page

    def test_the_admin_asks_for_the_second_factor(self, client):
        response = client.get("/verwaltung/")
        assert response.status_code == 302
        assert response.url.startswith(reverse("mfa_reauthenticate"))


class TestStaffWithSecondFactorKeepTheirRights:
    @pytest.fixture(autouse=True)
    def session(self, client, content):
        login_staff(client, make_staff())

    def test_drafts_and_scheduled_articles(self, client, content):
        for article in (content["draft"], content["scheduled"]):
            assert client.get(article.get_absolute_url()).status_code == 200

    def test_unpublished_partners(self, client, content):
        assert client.get(content["partner"].get_absolute_url()).status_code == 200

    def test_staff_documents_and_the_whole_zip(self, client, content):
        assert client.get(content["staff_document"].get_absolute_url()).status_code == 200
        response = client.get(reverse("advisory_board:zip", args=[content["meeting"].pk]))
        assert len(zip_names(response)) == 3

    def test_list_of_replies(self, client, content):
        assert "Antwortend" in client.get(content["meeting"].get_absolute_url()).content.decode()

    def test_the_admin(self, client):
        assert client.get("/verwaltung/").status_code == 200


def test_the_login_with_both_factors_gives_staff_rights(client, content):
    make_staff()
    client.post(reverse("account_login"), {"login": "redaktion@example.org", "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": current_totp_code(TOTP_SECRET)})
    assert response.status_code == 302
    assert client.get(content["draft"].get_absolute_url()).status_code == 200
    assert client.get("/verwaltung/").status_code == 200


def test_the_setting_off_gives_staff_rights_without(client, content, settings):
    settings.KOSS_REQUIRE_STAFF_2FA = False
    client.force_login(make_user("redaktion@example.org", is_staff=True))
    assert client.get(content["draft"].get_absolute_url()).status_code == 200


class TestFirstAuthenticator:
    @pytest.fixture
    def new_staff(self, db):
        user = make_user("neu@example.org", password=PASSWORD, is_staff=True)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user

    def test_a_password_alone_cannot_enrol_one(self, client, new_staff):
        client.post(reverse("account_login"), {"login": new_staff.email, "password": PASSWORD})
        for path in ("/verwaltung/", reverse("mfa_activate_totp")):
            response = client.get(path)
            assert response.status_code == 403
            page = response.content.decode()
            assert "Link per E-Mail" in page
            assert reverse("account_reset_password") in page
        assert not new_staff.authenticator_set.exists()

    # Transactional, as in production: allauth announces the new authenticator after the commit.
    @pytest.mark.django_db(transaction=True)
    def test_the_link_by_e_mail_leads_to_it_and_then_to_the_admin(self, client, new_staff):
        client.post(reverse("account_reset_password"), {"email": new_staff.email})
        link = re.search(r"https?://\S+/konto/password/reset/key/\S+", mail.outbox[0].body)[0]
        response = client.get(link, follow=True)
        new_password = "ein-neues-langes-passwort"
        response = client.post(
            response.redirect_chain[-1][0],
            {"password1": new_password, "password2": new_password},
        )
        # Logged in by the link: staff go straight to their second factor.
        assert client.get("/verwaltung/").url == reverse("mfa_activate_totp")
        # The password was just set through the link: no second prompt for it.
        page = client.get(reverse("mfa_activate_totp"))
        assert page.status_code == 200
        secret = page.context["form"].secret
        client.post(reverse("mfa_activate_totp"), {"code": current_totp_code(secret)})
        assert new_staff.authenticator_set.filter(type="totp").exists()
        assert client.get("/verwaltung/").status_code == 200
