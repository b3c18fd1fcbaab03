from django.db.models import Prefetch, QuerySet

from .models import District, HelpKiosk


def districts_for_home() -> QuerySet[District]:
    """Every district with its active kiosks, in one query each."""
    return District.objects.prefetch_related(
        Prefetch("kiosks", queryset=HelpKiosk.objects.filter(is_active=True), to_attr="open_kiosks")
    )
