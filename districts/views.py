"""The help kiosk ("baje"): built for speed at a counter — large targets, one task per page,
everything reachable by keyboard."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import kiosk_required
from accounts.roles import roles_of
from accounts.services import citizen_mobile_change
from inquiries import services as inquiry_services
from inquiries.selectors import inquiry_get_for_kiosk
from inquiries.services.answers import answer_current
from inquiries.workflow import Channel

from .forms import KioskFileForm, KioskHelpForm, KioskLookupForm, KioskMobileForm
from .models import District, KioskHelpLog
from .services import kiosk_help_record


def _kiosk_district(request: HttpRequest) -> District:
    """The clerk's kiosk district (the first one, for someone who serves more than one)."""
    districts = roles_of(request.user).districts_with("kiosk")
    return District.objects.filter(pk__in=districts).order_by("number")[0]


@kiosk_required
@require_GET
def kiosk_home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    mine_today = KioskHelpLog.objects.filter(staff=request.user, created_at__date=today)
    return render(
        request,
        "districts/kiosk/home.html",
        {
            "district": _kiosk_district(request),
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
            actor=request.user, district=_kiosk_district(request), **form.cleaned_data
        )
        messages.success(request, _("Recorded. Thank you."))
        return redirect("districts:kiosk")
    return render(
        request, "districts/kiosk/help.html", {"form": form, "district": _kiosk_district(request)}
    )


@kiosk_required
@require_http_methods(["GET", "POST"])
def kiosk_lookup(request: HttpRequest) -> HttpResponse:
    form = KioskLookupForm(request.POST or None)
    inquiry = None
    searched = False
    if request.method == "POST" and form.is_valid():
        searched = True
        inquiry = inquiry_get_for_kiosk(request.user, form.cleaned_data["tracking_code"])
    return render(
        request,
        "districts/kiosk/lookup.html",
        {
            "form": form,
            "inquiry": inquiry,
            "answer": answer_current(inquiry) if inquiry else None,
            "searched": searched,
            "district": _kiosk_district(request),
        },
    )


@kiosk_required
@require_http_methods(["GET", "POST"])
def kiosk_file(request: HttpRequest) -> HttpResponse:
    """Start an inquiry for a walk-in citizen; the filing steps are the same as online."""
    form = KioskFileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        draft = inquiry_services.draft_start(
            actor=request.user, kind=form.cleaned_data["kind"], channel=Channel.KIOSK
        )
        return redirect(reverse("inquiries:draft_step", args=[draft.pk, "property"]))
    return render(
        request, "districts/kiosk/file.html", {"form": form, "district": _kiosk_district(request)}
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
        request, "districts/kiosk/mobile.html", {"form": form, "district": _kiosk_district(request)}
    )
