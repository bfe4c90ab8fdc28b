from django.db import models


def sees_unpublished(user):
    """Staff (the Redaktion) preview what is not published yet; nobody else does."""
    return user.is_active and user.is_staff


class PublishableQuerySet(models.QuerySet):
    """Content with one definition of published(), and a preview of the rest for staff."""

    def published(self):
        raise NotImplementedError

    def visible_to(self, user):
        return self.all() if sees_unpublished(user) else self.published()
