"""Context every page's header and footer needs."""

from django.conf import settings


def site_chrome(request):
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "STRIPE_PUBLISHABLE_KEY": settings.STRIPE_PUBLISHABLE_KEY,
    }
