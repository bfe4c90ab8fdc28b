"""Nobody in the back office reads another person's login link or second factor, or changes an
account that holds rights they lack; second-factor secrets are stored encrypted."""

import importlib
import io
import json
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from cryptography.fernet import Fernet
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.core import mail
from django.urls import reverse

from koss.core import secrets
from koss.models import Mail

from ..factories import (
    TOTP_SECRET,
    current_totp_code,
    login_as,
    make_board,
    make_member,
    make_staff,
)

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/konto/password/reset/key/\S+")


def permissions(*codenames):
    return [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in (name.split(".") for name in codenames)
    ]


def make_redaktion(email="redaktion@example.org", extra=()):
    """Staff without a superuser's rights: the people, the mails, and reading accounts."""
    user = make_staff(email, is_superuser=False)
    user.user_permissions.set(
        permissions(
            "koss.view_mail",
            "advisory_board.view_person",
            "advisory_board.change_person",
            "auth.view_user",
            "auth.change_user",
            *extra,
        )
    )
    return User.objects.get(pk=user.pk)


@pytest.fixture
def superuser(db):
    return make_staff("chefin@example.org")


@pytest.fixture
def redaktion(db):
    return make_redaktion()


def invite(client, person):
    changelist = reverse("admin:advisory_board_person_changelist")
    return client.post(
        changelist,
        {"action": "send_invitation", "_selected_action": [person.pk]},
        follow=True,
    )


def member_person(email="mitglied@example.org"):
    person = make_member(make_board())
    person.email = email
    person.save()
    return person


def member_login():
    """A board member's login, made by an invitation: no rights of staff."""
    from advisory_board.emails import invite_person

    person = member_person()
    request = type("Request", (), {"user": User(first_name="Chefin")})()
    invite_person(request, person)
    mail.outbox.clear()
    Mail.objects.all().delete()
    person.refresh_from_db()
    return person.user


def held_mails(settings):
    """Tasks wait in a queue nobody works off: mails stay waiting."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


class TestLoginLinksInTheMailQueue:
    def test_mails_with_a_login_link_are_marked_when_queued(self, client, superuser):
        member = member_person()
        login_as(client, superuser)
        invite(client, member)
        client.post(reverse("account_reset_password"), {"email": superuser.email})
        marked = Mail.objects.filter(carries_login_link=True)
        assert sorted(marked.values_list("recipient", flat=True)) == [
            "chefin@example.org",
            "mitglied@example.org",
        ]
        mail.send_mail("Hinweis", "Neue Dokumente", None, ["mitglied@example.org"])
        assert Mail.objects.get(subject="Hinweis").carries_login_link is False

    def test_the_admin_never_shows_the_link_of_a_waiting_mail(
        self, client, settings, superuser, redaktion
    ):
        held_mails(settings)
        from allauth.account.forms import default_token_generator
        from allauth.account.internal import flows

        flows.password_reset.request_password_reset(
            None, superuser.email, [superuser], default_token_generator
        )
        waiting = Mail.objects.get(recipient=superuser.email)
        assert waiting.status == Mail.Status.PENDING
        assert LINK.search(waiting.body)  # the worker still needs it
        login_as(client, redaktion)
        page = client.get(reverse("admin:koss_mail_change", args=[waiting.pk]))
        assert page.status_code == 200
        content = page.content.decode()
        assert "/konto/password/reset/key/" not in content
        assert "Anmeldelink" in content
        assert superuser.email in content and waiting.subject in content

    def test_the_stored_body_loses_the_link_once_delivered(self, client, superuser):
        member = member_person()
        login_as(client, superuser)
        invite(client, member)
        assert LINK.search(mail.outbox[0].body)
        delivered = Mail.objects.get(recipient="mitglied@example.org")
        assert delivered.status == Mail.Status.SENT
        assert "/konto/password/reset/key/" not in delivered.body + delivered.html_body
        assert delivered.subject == mail.outbox[0].subject
        assert delivered.attempts == 1

    def test_an_html_alternative_loses_the_link_too(self, client, settings):
        from allauth.account.adapter import get_adapter

        message = get_adapter().render_mail(
            "account/email/password_reset_key",
            "mitglied@example.org",
            {
                "password_reset_url": "https://koss.example.org/konto/password/reset/key/x/",
                "user": None,
            },
        )
        message.attach_alternative(
            '<a href="https://koss.example.org/konto/password/reset/key/x/">Link</a>', "text/html"
        )
        message.send()
        delivered = Mail.objects.get()
        assert delivered.carries_login_link and delivered.status == Mail.Status.SENT
        assert "/konto/password/reset/key/" in mail.outbox[0].alternatives[0][0]
        assert "/konto/password/reset/key/" not in delivered.body + delivered.html_body

    def test_a_failed_login_mail_sent_again_still_carries_the_link(
        self, client, settings, superuser
    ):
        held_mails(settings)
        member = member_person()
        login_as(client, superuser)
        invite(client, member)
        Mail.objects.update(status=Mail.Status.FAILED, attempts=8, last_error="SMTP: 451")
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }
        failed = Mail.objects.get()
        client.post(
            reverse("admin:koss_mail_changelist"),
            {"action": "deliver_again", "_selected_action": [failed.pk]},
        )
        assert LINK.search(mail.outbox[0].body)
        failed.refresh_from_db()
        assert failed.status == Mail.Status.SENT
        assert "/konto/password/reset/key/" not in failed.body


class TestSecondFactorAdmin:
    def test_shows_kind_and_dates_but_never_a_secret(self, client, superuser, redaktion):
        totp = Authenticator.objects.get(user=redaktion, type=Authenticator.Type.TOTP)
        login_as(client, superuser)
        page = client.get(reverse("admin:mfa_authenticator_change", args=[totp.pk]))
        assert page.status_code == 200
        content = page.content.decode()
        assert TOTP_SECRET not in content
        assert totp.data["secret"] not in content
        assert 'name="data"' not in content
        assert "Art:" in content and "Eingerichtet am:" in content

    def test_only_a_superuser_removes_a_second_factor(self, client, superuser):
        others = make_redaktion(
            "technik@example.org",
            extra=[
                "mfa.view_authenticator",
                "mfa.change_authenticator",
                "mfa.delete_authenticator",
            ],
        )
        totp = Authenticator.objects.get(user=superuser, type=Authenticator.Type.TOTP)
        delete = reverse("admin:mfa_authenticator_delete", args=[totp.pk])
        change = reverse("admin:mfa_authenticator_change", args=[totp.pk])
        login_as(client, others)
        assert client.post(delete, {"post": "yes"}).status_code == 403
        client.post(change, {"user": others.pk, "type": "totp", "data": "{}"})
        assert Authenticator.objects.get(pk=totp.pk).user == superuser
        own = Authenticator.objects.get(user=others, type=Authenticator.Type.TOTP)
        login_as(client, superuser)
        response = client.post(
            reverse("admin:mfa_authenticator_delete", args=[own.pk]), {"post": "yes"}
        )
        assert response.status_code == 302
        assert not Authenticator.objects.filter(pk=own.pk).exists()


class TestSecretsAreEncrypted:
    def test_a_totp_secret_is_stored_encrypted_and_still_checks_codes(self, client, superuser):
        totp = Authenticator.objects.get(user=superuser, type=Authenticator.Type.TOTP)
        assert TOTP_SECRET not in json.dumps(totp.data)
        assert TOTP(totp).validate_code(current_totp_code())

    def test_recovery_code_seeds_are_stored_encrypted(self, superuser):
        codes = RecoveryCodes.activate(superuser)
        stored = Authenticator.objects.get(pk=codes.instance.pk).data["seed"]
        seed = secrets.decrypt(stored)
        assert seed not in json.dumps(codes.instance.data)
        assert codes.validate_code(codes.generate_codes()[0])

    def test_an_old_key_still_decrypts_after_rotation(self, settings):
        old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
        settings.KOSS_ENCRYPTION_KEYS = [old]
        token = secrets.encrypt("JBSWY3DPEHPK3PXP")
        settings.KOSS_ENCRYPTION_KEYS = [new, old]
        assert secrets.decrypt(token) == "JBSWY3DPEHPK3PXP"
        rotated = secrets.rotate(token)
        settings.KOSS_ENCRYPTION_KEYS = [new]
        assert secrets.decrypt(rotated) == "JBSWY3DPEHPK3PXP"
        with pytest.raises(secrets.InvalidToken):
            secrets.decrypt(token)

    def test_rotation_encrypts_every_secret_with_the_new_key(self, settings, superuser):
        from django.core.management import call_command

        new = Fernet.generate_key().decode()
        settings.KOSS_ENCRYPTION_KEYS = [new, *settings.KOSS_ENCRYPTION_KEYS]
        call_command("rotate_encryption_key", stdout=io.StringIO())
        settings.KOSS_ENCRYPTION_KEYS = [new]
        totp = Authenticator.objects.get(user=superuser, type=Authenticator.Type.TOTP)
        assert secrets.decrypt(totp.data["secret"]) == TOTP_SECRET

    def test_the_migration_encrypts_secrets_stored_in_clear_and_back(self, superuser):
        migration = importlib.import_module("koss.migrations.0007_secrets_and_login_links")
        totp = Authenticator.objects.get(user=superuser, type=Authenticator.Type.TOTP)
        codes = Authenticator.objects.create(
            user=superuser,
            type=Authenticator.Type.RECOVERY_CODES,
            data={"seed": "ab" * 40, "used_mask": 0, "migrated_codes": ["12345678"]},
        )
        Authenticator.objects.filter(pk=totp.pk).update(data={"secret": TOTP_SECRET})
        migration.encrypt_secrets(apps, None)
        totp.refresh_from_db()
        codes.refresh_from_db()
        assert TOTP_SECRET not in json.dumps(totp.data)
        assert secrets.decrypt(totp.data["secret"]) == TOTP_SECRET
        assert secrets.decrypt(codes.data["seed"]) == "ab" * 40
        assert [secrets.decrypt(code) for code in codes.data["migrated_codes"]] == ["12345678"]
        migration.encrypt_secrets(apps, None)  # a second run leaves encrypted values alone
        totp.refresh_from_db()
        assert secrets.decrypt(totp.data["secret"]) == TOTP_SECRET
        migration.decrypt_secrets(apps, None)
        totp.refresh_from_db()
        codes.refresh_from_db()
        assert totp.data == {"secret": TOTP_SECRET}
        assert codes.data["seed"] == "ab" * 40
        assert codes.data["migrated_codes"] == ["12345678"]


def user_form(user, **changes):
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "groups": [group.pk for group in user.groups.all()],
        "user_permissions": [p.pk for p in user.user_permissions.all()],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "01.01.2024",
        "date_joined_1": "00:00:00",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


class TestAccountsOfOthersWithMoreRights:
    def test_the_redaktion_cannot_set_a_superusers_password(self, client, superuser, redaktion):
        login_as(client, redaktion)
        url = reverse("admin:auth_user_password_change", args=[superuser.pk])
        response = client.post(
            url, {"password1": "neu-und-lang-genug-42", "password2": "neu-und-lang-genug-42"}
        )
        superuser.refresh_from_db()
        assert superuser.check_password("correct-horse-battery")
        response = client.get(url, follow=True)
        assert "Rechte, die Sie selbst nicht haben" in response.content.decode()

    def test_the_redaktion_cannot_change_a_superusers_address(self, client, superuser, redaktion):
        login_as(client, redaktion)
        url = reverse("admin:auth_user_change", args=[superuser.pk])
        response = client.post(url, user_form(superuser, email="fremd@example.org"), follow=True)
        assert "Rechte, die Sie selbst nicht haben" in response.content.decode()
        superuser.refresh_from_db()
        assert superuser.email == "chefin@example.org"
        assert superuser.is_superuser

    def test_the_redaktion_cannot_grant_rights_it_lacks(self, client, redaktion):
        member = member_login()
        login_as(client, redaktion)
        url = reverse("admin:auth_user_change", args=[member.pk])
        response = client.post(url, user_form(member, is_superuser="on", is_staff="on"))
        assert response.status_code == 200
        assert "Rechte vergeben, die Sie selbst nicht haben" in response.content.decode()
        editors = Group.objects.create(name="Technik")
        editors.permissions.set(permissions("auth.delete_user"))
        for changes in (
            {"groups": [editors.pk]},
            {"user_permissions": [p.pk for p in permissions("auth.delete_user")]},
        ):
            response = client.post(url, user_form(member, **changes))
            assert "Rechte vergeben, die Sie selbst nicht haben" in response.content.decode()
        member.refresh_from_db()
        assert not (member.is_superuser or member.is_staff)
        assert not member.groups.exists() and not member.user_permissions.exists()

    def test_the_redaktion_still_changes_a_members_account(self, client, redaktion):
        member = member_login()
        login_as(client, redaktion)
        url = reverse("admin:auth_user_change", args=[member.pk])
        response = client.post(url, user_form(member, first_name="Erika"))
        assert response.status_code == 302, response.content.decode()
        member.refresh_from_db()
        assert member.first_name == "Erika"

    def test_the_redaktion_cannot_invite_a_person_whose_login_holds_more_rights(
        self, client, superuser, redaktion
    ):
        person = make_member(make_board(), superuser)
        login_as(client, redaktion)
        response = invite(client, person)
        assert "Rechte, die Sie selbst nicht haben" in response.content.decode()
        assert not Mail.objects.exists()
        assert EmailAddress.objects.filter(user=superuser).count() == 1

    def test_an_invitation_to_an_address_of_a_superuser_is_refused(
        self, client, superuser, redaktion
    ):
        person = member_person()
        person.user, person.email = None, "Chefin@example.org"
        person.save()
        login_as(client, redaktion)
        response = invite(client, person)
        assert "Rechte, die Sie selbst nicht haben" in response.content.decode()
        assert not Mail.objects.exists()
        person.refresh_from_db()
        assert person.user is None

    def test_the_redaktion_cannot_change_the_address_of_a_superusers_person(
        self, client, superuser, redaktion
    ):
        person = make_member(make_board(), superuser)
        login_as(client, redaktion)
        page = client.get(reverse("admin:advisory_board_person_change", args=[person.pk]))
        assert 'name="email"' not in page.content.decode()

    def test_the_redaktion_still_invites_a_member(self, client, redaktion):
        person = member_person()
        login_as(client, redaktion)
        invite(client, person)
        assert [m.to for m in mail.outbox] == [["mitglied@example.org"]]
