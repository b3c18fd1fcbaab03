"""Pages anyone may open: the public tracking page (status and dates only, rate-limited)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from shahrvand.ratelimit import client_ip, rate_limit_hit
from shahrvand.text import localize_digits

from ..forms import TrackingForm
from ..selectors import inquiry_for_public_tracking

TRACK_SCOPE = "public-tracking"


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    form = TrackingForm(request.POST or None)
    inquiry = None
    searched = False
    if request.method == "POST" and form.is_valid():
        limit = rate_limit_hit(
            TRACK_SCOPE,
            client_ip(request),
            limit=settings.TRACKING_LOOKUPS_PER_IP,
            window=settings.TRACKING_LOOKUPS_WINDOW_SECONDS,
        )
        if not limit.allowed:
            form.add_error(
                None,
                _("Too many look-ups from here. Please try again in %(minutes)s minutes.")
                % {"minutes": localize_digits(limit.retry_after_minutes)},
            )
        else:
            searched = True
            inquiry = inquiry_for_public_tracking(
                form.cleaned_data["tracking_code"], form.cleaned_data["national_id"]
            )
    status = 429 if form.non_field_errors() else 200
    return render(
        request,
        "inquiries/track.html",
        {"form": form, "inquiry": inquiry, "searched": searched},
        status=status,
    )
