from django.conf import settings


def public_url(path):
    """The address of a path on the portal as the public knows it (KOSS_BASE_URL).

    Mails and feeds use it instead of the host of the request that caused them, which may be an
    internal name, a port of a single instance, or whatever a client sent as Host.
    """
    return settings.KOSS_BASE_URL.rstrip("/") + path
