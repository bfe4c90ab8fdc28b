from django.conf import settings


def site(request):
    """The portal's public address: canonical links never echo the Host header of a request."""
    return {"site_url": settings.KOSS_BASE_URL}
