"""Nobody changes, resets or invites an account that holds rights they lack, or gives rights
they lack: a superuser's, or permissions outside their own."""

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

REFUSAL = _(
    "Sie können das Konto „%(account)s“ nicht ändern, zurücksetzen oder einladen: es hat "
    "Rechte, die Sie selbst nicht haben."
)
GRANT_REFUSAL = _("Sie können keine Rechte vergeben, die Sie selbst nicht haben: %(rights)s.")


class AccountOutranksActor(PermissionDenied):
    def __init__(self, account):
        super().__init__(REFUSAL % {"account": account})


def permission_names(permissions):
    return {
        f"{app_label}.{codename}"
        for app_label, codename in permissions.values_list("content_type__app_label", "codename")
    }


def rights_beyond(actor, *, is_superuser=False, permissions=None):
    """What of these rights (superuser status, a queryset of permissions) the actor lacks: a
    list of names, empty if none."""
    if actor.is_superuser:
        return []
    given = permission_names(permissions.distinct()) if permissions is not None else set()
    missing = sorted(given - actor.get_all_permissions())
    return ([str(_("Superuser-Status"))] if is_superuser else []) + missing


def outranks(user, actor):
    """Whether the account holds a right the actor lacks."""
    if user is None or user.pk is None or actor.is_superuser:
        return False
    held = Permission.objects.filter(Q(user=user) | Q(group__user=user))
    return bool(rights_beyond(actor, is_superuser=user.is_superuser, permissions=held))


def check_may_manage(actor, user):
    """Refuse (AccountOutranksActor) if the account holds rights the actor lacks."""
    if outranks(user, actor):
        raise AccountOutranksActor(user.get_username())
