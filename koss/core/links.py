from django.conf import settings


def public_url(path):
    """The address of a path on the portal as the public knows it (KOSS_BASE_URL).

    Mails and feeds use it instead of the host of the request that caused them, which may be an
    internal name, a port of a single instance, or whatever a client sent as Host.
    """
    return settings.KOSS_BASE_URL.rstrip("/") + path


def mail_subject(text):
    """The subject of every mail the portal sends: the portal's name first
    (EMAIL_SUBJECT_PREFIX), then the text. Account mails get theirs through the same rule
    (koss.accounts.AccountAdapter.format_email_subject)."""
    return f"{settings.EMAIL_SUBJECT_PREFIX}{text}"
