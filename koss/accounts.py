"""Accounts: invitation only; staff rights need the second factor in the same session.

Staff rights are the preview of unpublished content, staff-only documents, the list of replies
and the admin. With KOSS_REQUIRE_STAFF_2FA they hold only in a session that passed the second
factor (a TOTP or recovery code at login or reauthentication, or the activation of a TOTP); any
other staff session is treated as an ordinary visitor's. A staff account without a second factor
may set one up only in a session that came through a link sent by e-mail (invitation or password
reset), so that a stolen password alone cannot enrol an authenticator.

A passkey counts as a TOTP does: used at login (after the password, or alone, as it verifies the
user on the device) or reauthentication, or added; a first passkey is set up under the same rule
as a first TOTP. Staff keep their TOTP: a passkey is in addition to it.
"""

from types import SimpleNamespace
from urllib.parse import quote, urlsplit

from allauth.account import forms
from allauth.account.adapter import DefaultAccountAdapter, get_adapter
from allauth.account.forms import default_token_generator
from allauth.account.internal import flows
from allauth.account.internal.flows.login import record_authentication
from allauth.account.internal.userkit import filter_users_by_email
from allauth.account.models import EmailAddress
from allauth.account.signals import password_reset
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_used
from allauth.mfa.utils import is_mfa_enabled
from allauth.mfa.webauthn.forms import (
    AuthenticateWebAuthnForm,
    LoginWebAuthnForm,
    ReauthenticateWebAuthnForm,
)
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.middleware import get_user
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.views.decorators.http import require_safe
from django_tasks import task
from fido2.webauthn import AuthenticationResponse

from koss.core import secrets
from koss.core.access import MembersOnly
from koss.core.links import mail_subject, public_url
from koss.mail import mark_login_link

# The session passed the second factor as the user with this primary key.
SECOND_FACTOR_SESSION_KEY = "koss_second_factor_user"
# The session's user set their password through a link sent by e-mail.
EMAIL_LINK_SESSION_KEY = "koss_email_link_user"
# Authenticators whose use or activation passes the second factor.
SECOND_FACTOR_TYPES = (
    Authenticator.Type.TOTP,
    Authenticator.Type.RECOVERY_CODES,
    Authenticator.Type.WEBAUTHN,
)


def second_factor_passed(request, user):
    return request.session.get(SECOND_FACTOR_SESSION_KEY) == str(user.pk)


def came_by_email_link(request, user):
    """The session's login began with a link sent by e-mail (invitation or password reset)."""
    return request.session.get(EMAIL_LINK_SESSION_KEY) == str(user.pk)


@receiver(password_reset)
def record_email_link(sender, request, user, **kwargs):
    request.session[EMAIL_LINK_SESSION_KEY] = str(user.pk)


@receiver(authenticator_used)
@receiver(authenticator_added)
def record_second_factor(sender, request, user, authenticator, **kwargs):
    if authenticator.type in SECOND_FACTOR_TYPES:
        request.session[SECOND_FACTOR_SESSION_KEY] = str(user.pk)


@receiver(authenticator_removed)
def forget_second_factor(sender, request, user, authenticator, **kwargs):
    if not is_mfa_enabled(user, types=["totp", "webauthn"]):
        request.session.pop(SECOND_FACTOR_SESSION_KEY, None)


def portal_site():
    """The site as mails name it: "KOSS-Portal" at the public address."""
    return SimpleNamespace(name="KOSS-Portal", domain=urlsplit(public_url("")).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """Nobody signs up: staff invite board members from the admin."""
        return False

    def login(self, request, user):
        # A login after a new password starts a new session; what the link proved stays.
        email_link = request.session.get(EMAIL_LINK_SESSION_KEY)
        super().login(request, user)
        if email_link == str(user.pk):
            request.session[EMAIL_LINK_SESSION_KEY] = email_link
            # Setting a password through the link is as fresh a proof as entering it again:
            # setting up a second factor right after it does not ask for the password once more.
            record_authentication(request, user, method="password_reset", reauthenticated=True)

    def send_mail(self, template_prefix, email, context):
        """Every account mail names the portal and its public address, never the request's host;
        a mail needs no request, so that a background task can send it too."""
        context = {
            "email": email,
            **context,
            "current_site": portal_site(),
            "site_url": public_url(""),
        }
        self.render_mail(template_prefix, email, context).send()

    def render_mail(self, template_prefix, email, context, headers=None):
        """Mails with a login link are marked as such for the queue (koss.mail)."""
        message = super().render_mail(template_prefix, email, context, headers=headers)
        return mark_login_link(message, template_prefix)

    def format_email_subject(self, subject):
        return mail_subject(subject)

    def get_reset_password_from_key_url(self, key):
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return public_url(path.replace("UID-KEY", quote(key)))

    def get_email_confirmation_url(self, request, emailconfirmation):
        return public_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def _get_login_attempts_cache_key(self, request, **credentials):
        """One limit per address for failed logins, whichever host name or instance they came
        through (allauth keys it by the request's host)."""
        login = credentials.get("email", credentials.get("username", "")).lower()
        return f"{portal_site().domain}:{login}"

    def get_login_redirect_url(self, request):
        if request.user.is_staff:
            return reverse("admin:index")
        return super().get_login_redirect_url(request)


@login_required
@require_safe
def email_addresses(request):
    """The login's address, read only: in an invitation-only portal the Redaktion changes it."""
    addresses = EmailAddress.objects.filter(user=request.user).order_by("-primary", "email")
    return render(request, "account/email.html", {"addresses": addresses})


class LoginForm(forms.LoginForm):
    """The page links to "Passwort vergessen?" once, under the form: not again as the password
    field's help."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""


class ResetPasswordForm(forms.ResetPasswordForm):
    """A request for a new password answers alike for every address: the lookup of the account
    and the mail happen in a background task, so the response time tells nothing."""

    def clean_email(self):
        return get_adapter().clean_email(self.cleaned_data["email"].lower())

    def save(self, request, **kwargs):
        email = self.cleaned_data["email"]
        send_password_reset.enqueue(email)
        return email


@task()
def send_password_reset(email):
    users = filter_users_by_email(email, is_active=True, prefer_verified=True, for_login=True)
    if users:
        flows.password_reset.request_password_reset(None, email, users, default_token_generator)


class MFAAdapter(DefaultMFAAdapter):
    """TOTP keys and recovery-code seeds are stored encrypted (koss.core.secrets)."""

    def encrypt(self, text):
        return secrets.encrypt(text)

    def decrypt(self, encrypted_text):
        return secrets.decrypt(encrypted_text)

    def can_delete_authenticator(self, authenticator):
        """Staff keep their TOTP while the second factor is required of them."""
        user = authenticator.user
        return not (
            settings.KOSS_REQUIRE_STAFF_2FA
            and user.is_staff
            and authenticator.type == Authenticator.Type.TOTP
        )


class StaffTwoFactorMiddleware:
    """Mark the request's user with whether this session passed the second factor, keep staff
    who have not out of the admin, and lead whoever may see an address of the members' part
    after the login or the second factor there through it.

    allauth.mfa offers two-factor authentication but requires it of nobody.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None
        self.activate_path = None
        self.add_passkey_path = None

    def __call__(self, request):
        request.user = SimpleLazyObject(lambda: self.marked_user(request))
        if settings.KOSS_REQUIRE_STAFF_2FA:
            if self.admin_prefix is None:
                self.admin_prefix = reverse("admin:index")
                self.activate_path = reverse("mfa_activate_totp")
                self.add_passkey_path = reverse("mfa_add_webauthn")
            guarded = (self.admin_prefix, self.activate_path, self.add_passkey_path)
            if request.path.startswith(guarded):
                response = self.check_staff(request)
                if response is not None:
                    return response
        return self.get_response(request)

    @staticmethod
    def marked_user(request):
        user = get_user(request)
        if user.is_authenticated:
            user.second_factor_passed = second_factor_passed(request, user)
        return user

    def check_staff(self, request):
        user = request.user
        if not (user.is_authenticated and user.is_staff):
            return None
        if user.second_factor_passed:
            # Staff keep a TOTP; a passkey is in addition to it.
            if request.path.startswith(self.admin_prefix) and not is_mfa_enabled(
                user, types=["totp"]
            ):
                return redirect("mfa_activate_totp")
            return None
        has_totp = is_mfa_enabled(user, types=["totp"])
        if has_totp or is_mfa_enabled(user, types=["webauthn"]):
            if has_totp and request.path.startswith(self.activate_path):
                return None  # allauth's own view says a TOTP is set up already
            # The second factor the account has, before the admin or another authenticator.
            return ask_for_second_factor(request, has_totp)
        if not came_by_email_link(request, user):
            return render(request, "account/second_factor_by_email.html", status=403)
        if request.path.startswith(self.admin_prefix):
            return redirect("mfa_activate_totp")
        return None

    def process_exception(self, request, exception):
        """An address of the members' part the user may not see (MembersOnly): a visitor logs
        in first, staff without the second factor in this session pass it first, and both then
        land on the address. Everyone else gets the 404."""
        if not isinstance(exception, MembersOnly):
            return None
        user = request.user
        if not user.is_authenticated:
            response = redirect_to_login(request.get_full_path())
        elif (
            settings.KOSS_REQUIRE_STAFF_2FA
            and user.is_active
            and user.is_staff
            and not user.second_factor_passed
            and is_mfa_enabled(user, types=["totp", "webauthn"])
        ):
            response = ask_for_second_factor(request, is_mfa_enabled(user, types=["totp"]))
        else:
            return None
        # Whether the address is answered so depends on the session: no cache may keep it.
        add_never_cache_headers(response)
        return response


def ask_for_second_factor(request, has_totp):
    """To the second factor the account has, and back to this address."""
    view = "mfa_reauthenticate" if has_totp else "mfa_reauthenticate_webauthn"
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse(view)}?{query}")


class SignatureCounterMixin:
    """A passkey's signature counter must grow with every use: an assertion whose counter is not
    above the stored one comes from a copy of the key and is refused. Passkeys that always send
    0 (many synced ones) are not counted and keep working. Neither allauth nor fido2 checks it.
    """

    def clean_credential(self):
        authenticator = super().clean_credential()
        counter = AuthenticationResponse.from_dict(
            self.cleaned_data["credential"]
        ).response.authenticator_data.counter
        with transaction.atomic():
            authenticator = Authenticator.objects.select_for_update().get(pk=authenticator.pk)
            stored = authenticator.data.get(
                "sign_count", authenticator.wrap().authenticator_data.counter
            )
            if (counter or stored) and counter <= stored:
                raise get_mfa_adapter().validation_error("incorrect_code")
            if counter:
                authenticator.data["sign_count"] = counter
                authenticator.save(update_fields=["data"])
        return authenticator


class CountedAuthenticateWebAuthnForm(SignatureCounterMixin, AuthenticateWebAuthnForm):
    pass


class CountedLoginWebAuthnForm(SignatureCounterMixin, LoginWebAuthnForm):
    pass


class CountedReauthenticateWebAuthnForm(SignatureCounterMixin, ReauthenticateWebAuthnForm):
    pass
