from django.conf import settings

from accounts.roles import roles_of

from .navigation import navigation_for


def site(request):
    roles = roles_of(getattr(request, "user", None))
    return {
        "roles": roles,
        "nav_items": navigation_for(request, roles),
        "site_url": settings.SITE_URL,
    }
