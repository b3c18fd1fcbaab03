"""The help kiosk's inquiry pages: look an inquiry of the clerk's district up, and file one for a
walk-in citizen. The kiosk's other pages (its home, the help log, a citizen's new mobile) are the
districts app's; these two are here because they are inquiry work (URL names ``inquiries:kiosk_*``,
paths under ``/kiosk/`` like the rest of the kiosk)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.decorators import kiosk_required
from districts.selectors import kiosk_district_of

from .. import services
from ..forms_kiosk import KioskFileForm, KioskLookupForm
from ..selectors import inquiry_get_for_kiosk
from ..services.answers import answer_current
from ..workflow import Channel


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
        "inquiries/kiosk/lookup.html",
        {
            "form": form,
            "inquiry": inquiry,
            "answer": answer_current(inquiry) if inquiry else None,
            "searched": searched,
            "district": kiosk_district_of(request.user),
        },
    )


@kiosk_required
@require_http_methods(["GET", "POST"])
def kiosk_file(request: HttpRequest) -> HttpResponse:
    """Start an inquiry for a walk-in citizen; the filing steps are the same as online."""
    form = KioskFileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        draft = services.draft_start(
            actor=request.user, kind=form.cleaned_data["kind"], channel=Channel.KIOSK
        )
        return redirect(reverse("inquiries:draft_step", args=[draft.pk, "property"]))
    return render(
        request,
        "inquiries/kiosk/file.html",
        {"form": form, "district": kiosk_district_of(request.user)},
    )
