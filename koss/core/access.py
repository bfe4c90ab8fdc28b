"""Addresses of the members' part: a visitor is asked to log in, whoever is logged in and may
not see what an address names gets the 404."""

from django.http import Http404


class MembersOnly(Http404):
    """Raised by a view of the members' part when the request's user may not see what the
    address names, whether it exists or not.

    It is a 404 for whoever is logged in. koss.accounts.StaffTwoFactorMiddleware sends a visitor
    to the login, and staff whose session lacks the second factor to it, each with the address
    to come back to: whoever may see it afterwards lands there. A visitor is sent so for every
    such address, existing or not, so the redirect tells nothing.
    """
