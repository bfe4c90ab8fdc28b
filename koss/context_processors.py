from django.conf import settings


def site(request):
    """The portal's public address (canonical links never echo the Host header of a request) and
    the Redaktion's address, which pages name wherever a visitor needs a person to ask."""
    return {"site_url": settings.KOSS_BASE_URL, "contact_email": settings.KOSS_CONTACT_EMAIL}
