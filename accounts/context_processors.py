"""What every page's template knows: the reader's roles and the main menu they get from them."""

from django.conf import settings

from .navigation import navigation_for
from .roles import roles_of


def site(request):
    roles = roles_of(getattr(request, "user", None))
    return {
        "roles": roles,
        "nav_items": navigation_for(request, roles),
        "site_url": settings.SITE_URL,
    }
