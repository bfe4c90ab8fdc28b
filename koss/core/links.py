from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap


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


class PublicSitemap(Sitemap):
    """A sitemap whose <loc> addresses are the portal's public ones (KOSS_BASE_URL): Django's
    would take the scheme and host of the request that asked for it."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.KOSS_BASE_URL).scheme

    def get_domain(self, site=None):
        address = urlsplit(settings.KOSS_BASE_URL)
        return address.netloc + address.path.rstrip("/")
