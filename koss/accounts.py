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

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.signals import password_reset
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_used
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth.middleware import get_user
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode

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

    def get_login_redirect_url(self, request):
        if request.user.is_staff:
            return reverse("admin:index")
        return super().get_login_redirect_url(request)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator):
        """Staff keep their TOTP while the second factor is required of them."""
        user = authenticator.user
        return not (
            settings.KOSS_REQUIRE_STAFF_2FA
            and user.is_staff
            and authenticator.type == Authenticator.Type.TOTP
        )


class StaffTwoFactorMiddleware:
    """Mark the request's user with whether this session passed the second factor, and keep
    staff who have not out of the admin.

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
            view = "mfa_reauthenticate" if has_totp else "mfa_reauthenticate_webauthn"
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse(view)}?{query}")
        if not came_by_email_link(request, user):
            context = {"contact_email": settings.KOSS_CONTACT_EMAIL}
            return render(request, "account/second_factor_by_email.html", context, status=403)
        if request.path.startswith(self.admin_prefix):
            return redirect("mfa_activate_totp")
        return None
