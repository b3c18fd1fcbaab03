from django.db.models import Prefetch, QuerySet

from accounts.roles import roles_of

from .models import District, HelpKiosk


def districts_for_home() -> QuerySet[District]:
    """Every district with its active kiosks, in one query each."""
    return District.objects.prefetch_related(
        Prefetch("kiosks", queryset=HelpKiosk.objects.filter(is_active=True), to_attr="open_kiosks")
    )


def kiosk_district_of(user) -> District:
    """The clerk's kiosk district (the first one, for someone who serves more than one)."""
    districts = roles_of(user).districts_with("kiosk")
    return District.objects.filter(pk__in=districts).order_by("number")[0]
