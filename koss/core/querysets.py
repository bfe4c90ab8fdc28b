from django.conf import settings
from django.db import models


def has_staff_rights(user):
    """The one rule for staff rights: previews of unpublished content, staff-only documents,
    the list of replies. Active staff, and where the second factor is required, a session that
    passed it: koss.accounts.StaffTwoFactorMiddleware marks the request's user; a user object
    from anywhere else has not passed it.
    """
    if not (user.is_active and user.is_staff):
        return False
    return not settings.KOSS_REQUIRE_STAFF_2FA or getattr(user, "second_factor_passed", False)


class PublishableQuerySet(models.QuerySet):
    """Content with one definition of published(), and a preview of the rest for staff."""

    def published(self):
        raise NotImplementedError

    def visible_to(self, user):
        return self.all() if has_staff_rights(user) else self.published()
