"""The answer's PDF (for those who may see the inquiry) and the public verification page."""

from __future__ import annotations

import hashlib

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from shahrvand.http import attachment_response
from shahrvand.kept_pages import kept_for_visitors
from shahrvand.ratelimit import client_ip, rate_limit_hit
from shahrvand.text import localize_digits

from ..models import Answer
from ..selectors import inquiries_visible_to
from ..verification import CODE_LENGTH, verification_code_normalize, verify_by_code, verify_by_pdf

VERIFY_SCOPE = "verify"
HTMX_STOP_POLLING = 286


def _answer_for(user, answer_id: int) -> Answer:
    answer = (
        Answer.objects.filter(inquiry__in=inquiries_visible_to(user), signed_at__isnull=False)
        .select_related("inquiry")
        .filter(pk=answer_id)
        .first()
    )
    if answer is None:
        raise Http404
    return answer


@never_cache
@login_required(login_url="accounts:citizen_login")
@require_GET
def answer_pdf(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = _answer_for(request.user, answer_id)
    if not answer.pdf:
        raise Http404
    name = f"answer-{answer.inquiry.tracking_code}-{answer.verification_code}.pdf"
    return attachment_response(answer.pdf, filename=name, content_type="application/pdf")


@never_cache
@login_required(login_url="accounts:citizen_login")
@require_GET
def answer_pdf_status(request: HttpRequest, answer_id: int) -> HttpResponse:
    """The htmx fragment that replaces "being prepared" with the download once the PDF exists."""
    try:
        answer = _answer_for(request.user, answer_id)
    except Http404:
        if request.headers.get("HX-Request") != "true":
            raise
        # Out of reach now (the role ended, the answer was withdrawn): status 286 tells htmx to
        # stop polling, and the box asks for a reload instead of knocking every two seconds.
        return render(request, "inquiries/_answer_pdf_gone.html", status=HTMX_STOP_POLLING)
    return render(request, "inquiries/_answer_pdf.html", {"answer": answer})


class VerifyCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Verification code (printed under the QR code)"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"dir": "ltr", "autocomplete": "off", "autocapitalize": "characters"}
        ),
        error_messages={"required": gettext_lazy("Enter the verification code.")},
    )

    def clean_code(self):
        code = verification_code_normalize(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH:
            raise forms.ValidationError(
                gettext_lazy("The verification code has 10 letters and digits.")
            )
        return code


class VerifyPdfForm(forms.Form):
    pdf = forms.FileField(
        label=gettext_lazy("Or upload the PDF you received"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )


def _throttled(request: HttpRequest) -> str | None:
    limit = rate_limit_hit(
        VERIFY_SCOPE,
        client_ip(request),
        limit=settings.VERIFY_LOOKUPS_PER_IP,
        window=settings.VERIFY_LOOKUPS_WINDOW_SECONDS,
    )
    if limit.allowed:
        return None
    return _("Too many checks from here. Please try again in %(minutes)s minutes.") % {
        "minutes": localize_digits(limit.retry_after_minutes)
    }


def _ip(request: HttpRequest) -> str | None:
    ip = client_ip(request)
    return None if ip == "unknown" else ip


@kept_for_visitors
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    code_form = VerifyCodeForm(request.POST if "code" in request.POST else None)
    pdf_form = VerifyPdfForm(
        request.POST if "upload" in request.POST else None,
        request.FILES if "upload" in request.POST else None,
    )
    verdict = None
    error = None
    throttled = False
    if request.method == "POST" and code_form.is_valid():
        url = reverse("inquiries:verify_code", args=[code_form.cleaned_data["code"]])
        return redirect(f"{url}?via=form")
    if request.method == "POST" and "upload" in request.POST and pdf_form.is_valid():
        error = _throttled(request)
        throttled = error is not None
        if not error:
            upload = pdf_form.cleaned_data["pdf"]
            if upload.size > settings.ATTACHMENT_MAX_BYTES:
                error = _("That file is too large to be one of our answers.")
            else:
                digest = hashlib.sha256()
                for chunk in upload.chunks():
                    digest.update(chunk)
                verdict = verify_by_pdf(digest.hexdigest(), ip=_ip(request))
    return render(
        request,
        "inquiries/verify.html",
        {"code_form": code_form, "pdf_form": pdf_form, "verdict": verdict, "error": error},
        status=429 if throttled else 200,
    )


@never_cache
@require_GET
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    error = _throttled(request)
    verdict = None
    if not error:
        method = "link" if request.GET.get("via") != "form" else "code"
        verdict = verify_by_code(code, ip=_ip(request), method=method)
    return render(
        request,
        "inquiries/verify.html",
        {
            "code_form": VerifyCodeForm(initial={"code": code}),
            "pdf_form": VerifyPdfForm(),
            "verdict": verdict,
            "error": error,
            "checked_code": verification_code_normalize(code),
        },
        status=429 if error else 200,
    )
