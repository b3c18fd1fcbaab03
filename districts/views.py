"""The help kiosk ("baje"): built for speed at a counter — large targets, one task per page,
everything reachable by keyboard. Looking an inquiry up and filing one are inquiry work, in
``inquiries/views/kiosk.py``."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import kiosk_required
from accounts.services import citizen_mobile_change

from .forms import KioskHelpForm, KioskMobileForm
from .models import KioskHelpLog
from .selectors import kiosk_district_of
from .services import kiosk_help_record


@kiosk_required
@require_GET
def kiosk_home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    mine_today = KioskHelpLog.objects.filter(staff=request.user, created_at__date=today)
    return render(
        request,
        "districts/kiosk/home.html",
        {
            "district": kiosk_district_of(request.user),
            "helped_today": mine_today.count(),
            "recent": mine_today[:5],
        },
    )


@kiosk_required
@require_http_methods(["GET", "POST"])
def kiosk_help(request: HttpRequest) -> HttpResponse:
    form = KioskHelpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kiosk_help_record(
            actor=request.user, district=kiosk_district_of(request.user), **form.cleaned_data
        )
        messages.success(request, _("Recorded. Thank you."))
        return redirect("districts:kiosk")
    return render(
        request,
        "districts/kiosk/help.html",
        {"form": form, "district": kiosk_district_of(request.user)},
    )


@kiosk_required
@require_http_methods(["GET", "POST"])
def kiosk_mobile(request: HttpRequest) -> HttpResponse:
    """Bind a citizen's new mobile number to their national ID, after seeing the ID card."""
    form = KioskMobileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        citizen_mobile_change(
            actor=request.user,
            national_id=data["national_id"],
            mobile=data["mobile"],
            first_name=data["first_name"],
            last_name=data["last_name"],
        )
        messages.success(request, _("The mobile number was updated. The citizen can sign in now."))
        return redirect("districts:kiosk")
    return render(
        request,
        "districts/kiosk/mobile.html",
        {"form": form, "district": kiosk_district_of(request.user)},
    )
