"""Accounts: invitation only, and staff need two-factor authentication for the admin."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """Nobody signs up: staff invite board members from the admin."""
        return False

    def get_login_redirect_url(self, request):
        if request.user.is_staff:
            return reverse("admin:index")
        return super().get_login_redirect_url(request)


class StaffTwoFactorMiddleware:
    """Send staff without a second factor from the admin to set one up.

    allauth.mfa offers two-factor authentication but does not require it of anyone.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        if settings.KOSS_REQUIRE_STAFF_2FA:
            if self.admin_prefix is None:
                self.admin_prefix = reverse("admin:index")
            user = request.user
            if (
                request.path.startswith(self.admin_prefix)
                and user.is_authenticated
                and user.is_staff
                and not is_mfa_enabled(user, types=["totp"])
            ):
                return redirect("mfa_activate_totp")
        return self.get_response(request)
