"""Filing an inquiry step by step: kind -> property -> applicant -> details -> documents -> review.
Each step keeps its cleaned values in the server-side draft, so nothing typed is lost going back and
forth or when an upload is refused."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import roles_of
from shahrvand import jalali

from .. import services
from ..forms import DETAILS_FORMS, ApplicantForm, DocumentForm, KindForm, PropertyForm, jsonable
from ..kinds import InquiryKind
from ..models import InquiryDraft
from ..requirements import documents_missing, documents_required
from ..selectors import attachment_get_for, draft_get_for, drafts_open_of
from ..workflow import Channel

STEP_NAMES = ["property", "applicant", "details", "documents", "review"]


def _step_titles() -> dict[str, str]:
    return {
        "property": _("Property"),
        "applicant": _("Applicant"),
        "details": _("Request"),
        "documents": _("Documents"),
        "review": _("Review and send"),
    }


def _require_citizen(request: HttpRequest) -> None:
    """Online filing is for citizens signed in with their national ID; offices and kiosks start
    their drafts from their own pages."""
    if not roles_of(request.user).is_citizen:
        raise PermissionDenied


def _step_url(draft: InquiryDraft, step: str) -> str:
    return reverse("inquiries:draft_step", args=[draft.pk, step])


def _context(draft: InquiryDraft, step: str, **extra) -> dict:
    titles = _step_titles()
    index = STEP_NAMES.index(step)
    steps = [
        {
            "name": name,
            "title": titles[name],
            "url": _step_url(draft, name),
            "done": bool(draft.data.get(name)) or (name == "documents" and index > 3),
            "current": name == step,
        }
        for name in STEP_NAMES
    ]
    previous = _step_url(draft, STEP_NAMES[index - 1]) if index else None
    return {
        "draft": draft,
        "step": step,
        "step_title": titles[step],
        "steps": steps,
        "previous_url": previous,
        "kind_label": InquiryKind(draft.kind).label,
        **extra,
    }


def _open_draft(request: HttpRequest, draft_id) -> InquiryDraft:
    """The draft if this person may still fill it in (``drafts_workable_by``), else a 404."""
    return draft_get_for(request.user, draft_id)


@login_required(login_url="accounts:citizen_login")
@require_http_methods(["GET", "POST"])
def inquiry_new(request: HttpRequest) -> HttpResponse:
    _require_citizen(request)
    form = KindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        draft = services.draft_start(
            actor=request.user, kind=form.cleaned_data["kind"], channel=Channel.WEB
        )
        return redirect(_step_url(draft, "property"))
    return render(
        request,
        "inquiries/filing/new.html",
        {"form": form, "drafts": drafts_open_of(request.user)[:5], "kinds": InquiryKind},
    )


@login_required(login_url="accounts:citizen_login")
@require_http_methods(["GET", "POST"])
def draft_step(request: HttpRequest, draft_id, step: str) -> HttpResponse:
    draft = _open_draft(request, draft_id)
    if draft.inquiry_id:
        return redirect("inquiries:submitted", draft.inquiry.tracking_code)
    handler = {
        "property": _property_step,
        "applicant": _applicant_step,
        "details": _details_step,
        "documents": _documents_step,
        "review": _review_step,
    }.get(step)
    if handler is None:
        return redirect(_step_url(draft, "property"))
    return handler(request, draft)


def _save_and_next(request, draft, step: str, cleaned: dict) -> HttpResponse:
    services.draft_step_save(actor=request.user, draft=draft, step=step, data=jsonable(cleaned))
    following = STEP_NAMES[STEP_NAMES.index(step) + 1]
    return redirect(_step_url(draft, following))


def _property_step(request, draft):
    form = PropertyForm(request.POST or None, initial=draft.step_data("property"))
    if request.method == "POST" and form.is_valid():
        try:
            services.draft_district_check(actor=request.user, draft=draft, district=form.district)
        except ValidationError as refusal:
            form.add_error("renovation_code", refusal)
            return render(
                request, "inquiries/filing/step.html", _context(draft, "property", form=form)
            )
        if not form.district.is_online_for(draft.kind):
            # Nothing stale may reach the review: the step is emptied, and the refusal page shows
            # the form as typed, so a corrected code is one edit away.
            services.draft_step_save(actor=request.user, draft=draft, step="property", data={})
            return render(
                request,
                "inquiries/filing/not_online.html",
                _context(
                    draft,
                    "property",
                    district=form.district,
                    kiosks=form.district.kiosks.filter(is_active=True),
                    form=form,
                ),
            )
        return _save_and_next(request, draft, "property", form.cleaned_data)
    return render(request, "inquiries/filing/step.html", _context(draft, "property", form=form))


def _applicant_step(request, draft):
    """A citizen files as themselves (identity from the account); a kiosk or an office types the
    citizen's national ID and mobile from the ID card."""
    user = request.user
    own = draft.channel == Channel.WEB
    initial = {"first_name": user.first_name, "last_name": user.last_name} if own else {}
    initial.update(draft.step_data("applicant"))
    form = ApplicantForm(request.POST or None, initial=initial, identity_fixed=own)
    if request.method == "POST" and form.is_valid():
        cleaned = dict(form.cleaned_data)
        if own:
            cleaned.update(national_id=user.national_id, mobile=user.mobile)
        return _save_and_next(request, draft, "applicant", cleaned)
    return render(
        request,
        "inquiries/filing/step.html",
        _context(draft, "applicant", form=form, identity=user if own else None),
    )


def _details_step(request, draft):
    form_class = DETAILS_FORMS[InquiryKind(draft.kind)]
    initial = draft.step_data("details")
    notary = draft.channel == Channel.NOTARY_OFFICE and draft.kind == InquiryKind.TRANSFER
    if notary:
        initial["notary_office_number"] = draft.office.number
    form = form_class(request.POST or None, initial=initial)
    if notary:
        # Filled in from the notary office that files; not typed, not changeable.
        form.fields["notary_office_number"].disabled = True
    if request.method == "POST" and form.is_valid():
        return _save_and_next(request, draft, "details", form.cleaned_data)
    return render(request, "inquiries/filing/step.html", _context(draft, "details", form=form))


def _documents_step(request, draft):
    relation = draft.step_data("applicant").get("relation")
    attachments = list(draft.attachments.all())
    missing = documents_missing(draft.kind, relation, {a.kind for a in attachments})
    form = DocumentForm(request.POST or None, request.FILES or None, required_kinds=missing)
    if request.method == "POST":
        if "continue" in request.POST:
            if missing:
                messages.error(request, _("Some required documents are still missing."))
            else:
                return redirect(_step_url(draft, "review"))
        elif form.is_valid():
            try:
                services.draft_attachment_add(
                    actor=request.user,
                    draft=draft,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                )
            except services.InquiryError as error:
                form.add_error("file", error.message)
            else:
                messages.success(request, _("The document was added."))
                return redirect(_step_url(draft, "documents"))
    return render(
        request,
        "inquiries/filing/documents.html",
        _context(
            draft,
            "documents",
            form=form,
            attachments=attachments,
            required=documents_required(draft.kind, relation),
            missing=missing,
        ),
    )


def _review_step(request, draft):
    missing_steps = [s for s in ("property", "applicant", "details") if not draft.data.get(s)]
    if missing_steps:
        return redirect(_step_url(draft, missing_steps[0]))
    relation = draft.step_data("applicant").get("relation")
    attachments = list(draft.attachments.all())
    if documents_missing(draft.kind, relation, {a.kind for a in attachments}):
        return redirect(_step_url(draft, "documents"))
    return render(
        request,
        "inquiries/filing/review.html",
        _context(
            draft,
            "review",
            attachments=attachments,
            summary=_summary(draft),
        ),
    )


def _summary(draft: InquiryDraft) -> list[tuple[str, list[tuple[str, str, bool]], str]]:
    """What the person typed, as labelled rows, per step, for the review page."""
    sections = []
    for step, form_class in (
        ("property", PropertyForm),
        ("applicant", ApplicantForm),
        ("details", DETAILS_FORMS[InquiryKind(draft.kind)]),
    ):
        form = form_class()
        data = draft.step_data(step)
        rows = []
        for name, field in form.fields.items():
            value = data.get(name)
            if value in (None, ""):
                continue
            # Codes and numbers typed left to right are shown left to right.
            # (Dates print as Persian words, which read right to left.)
            ltr = field.widget.attrs.get("dir") == "ltr" and not isinstance(field, forms.DateField)
            rows.append((str(field.label), _display(field, value), ltr))
        sections.append((_step_titles()[step], rows, _step_url(draft, step)))
    return sections


def _display(field, value) -> str:
    if isinstance(field, forms.ModelChoiceField):
        obj = field.queryset.model.objects.filter(**{field.to_field_name: value}).first()
        return str(obj) if obj else str(value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(field, forms.DateField):
        return jalali.format_date(dt.date.fromisoformat(value))
    return str(value)


@login_required(login_url="accounts:citizen_login")
@require_POST
def draft_submit(request: HttpRequest, draft_id) -> HttpResponse:
    draft = _open_draft(request, draft_id)
    try:
        inquiry = services.inquiry_submit(actor=request.user, draft=draft)
    except services.DistrictNotOnline as refusal:
        messages.error(request, refusal.message)
        return redirect(_step_url(draft, "property"))
    except ValidationError as refusal:
        # The property's district stopped fitting this draft (a kiosk clerk's district changed).
        messages.error(request, " ".join(refusal.messages))
        return redirect(_step_url(draft, "property"))
    except services.DraftIncomplete:
        messages.error(request, _("Some parts of the inquiry are missing; please complete them."))
        return redirect(_step_url(draft, "review"))
    return redirect("inquiries:submitted", inquiry.tracking_code)


@login_required(login_url="accounts:citizen_login")
@require_POST
def draft_attachment_delete(request: HttpRequest, draft_id, attachment_id: int) -> HttpResponse:
    draft = _open_draft(request, draft_id)
    attachment = attachment_get_for(request.user, attachment_id)
    if attachment.draft_id != draft.pk:
        raise PermissionDenied
    services.draft_attachment_remove(actor=request.user, attachment=attachment)
    messages.success(request, _("The document was removed."))
    return redirect(_step_url(draft, "documents"))
