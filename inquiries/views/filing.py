"""Filing an inquiry step by step: kind -> property -> applicant -> details -> documents -> review.
Each step keeps its cleaned values in the server-side draft, so nothing typed is lost going back and
forth or when an upload is refused.

Nothing a person typed is dropped: the "back" button and the step pills submit the step's form with
a ``go`` value. A step that validates is saved and the person goes where they asked; one that does
not (or a property in a district that is not online) keeps the saved values as they were and what
was typed beside them (``TYPED``), shown again when the step is opened; the review sends the person
back to such a step first, so nothing unchecked is sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

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
from shahrvand.text import clean_free_text

from .. import services
from ..forms import (
    DETAILS_FORMS,
    ApplicantForm,
    DocumentForm,
    KindForm,
    PropertyForm,
    details_form,
    jsonable,
)
from ..kinds import InquiryKind
from ..models import InquiryDraft
from ..requirements import documents_missing, documents_required
from ..selectors import attachment_get_for, draft_get_for, drafts_open_of
from ..workflow import Channel

STEP_NAMES = ["property", "applicant", "details", "documents", "review"]
FORM_STEPS = ("property", "applicant", "details")
# The draft's key for what was typed on a step but not saved: {step: {field: text as typed}}.
TYPED = "typed"
# Longer than any field takes (the longest, the notes, takes 2,000); more is cut, not stored.
_TYPED_MAX_CHARS = 4000


def _step_titles() -> dict[str, str]:
    return {
        "property": _("Property"),
        "applicant": _("Applicant"),
        "details": _("Request"),
        "documents": _("Documents"),
        "review": _("Review and send"),
    }


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
        "previous_step": STEP_NAMES[index - 1] if index else None,
        "unsaved": bool(_typed(draft, step)),
        "kind_label": InquiryKind(draft.kind).label,
        **extra,
    }


def _open_draft(request: HttpRequest, draft_id) -> InquiryDraft:
    """The draft if this person may still fill it in (``drafts_workable_by``), else a 404."""
    return draft_get_for(request.user, draft_id)


@login_required(login_url="accounts:citizen_login")
@require_http_methods(["GET", "POST"])
def inquiry_new(request: HttpRequest) -> HttpResponse:
    """Filing online (``Roles.may_file``: a citizen signed in with their national ID; offices and
    kiosks start their drafts from their own pages)."""
    if not roles_of(request.user).may_file(Channel.WEB):
        raise PermissionDenied
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


def _typed(draft: InquiryDraft, step: str) -> dict:
    """What was typed on ``step`` and not saved (empty when the step's saved values are current)."""
    return dict((draft.data.get(TYPED) or {}).get(step) or {})


def _typed_keep(request, draft: InquiryDraft, step: str, form: forms.Form) -> None:
    """Keep the step's fields as they were posted, beside the saved values (which stay as they
    were). Only the form's own fields, without control characters, each cut at a bound."""
    typed = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = request.POST.get(form.add_prefix(name))
        if value is not None:
            typed[name] = clean_free_text(value[:_TYPED_MAX_CHARS], multiline=True)
    kept = {**(draft.data.get(TYPED) or {}), step: typed}
    services.draft_step_save(actor=request.user, draft=draft, step=TYPED, data=kept)


def _typed_clear(request, draft: InquiryDraft, step: str) -> None:
    kept = dict(draft.data.get(TYPED) or {})
    if kept.pop(step, None) is not None:
        services.draft_step_save(actor=request.user, draft=draft, step=TYPED, data=kept)


def _step_form(request, draft: InquiryDraft, step: str, form_class, *, initial: dict, **kwargs):
    """The step's form bound to what was posted; on opening the step, bound to what was typed and
    not saved (so its problems show at once), else unbound, showing the saved values."""
    if request.method == "POST":
        data = request.POST
    else:
        data = _typed(draft, step) or None
    return form_class(data, initial=initial, **kwargs)


def _go_to(request) -> str | None:
    """The step the person asked for with the "back" button or a step pill (None: the next one)."""
    target = request.POST.get("go")
    return target if target in STEP_NAMES else None


def _save_and_next(request, draft, step: str, cleaned: dict) -> HttpResponse:
    services.draft_step_save(actor=request.user, draft=draft, step=step, data=jsonable(cleaned))
    _typed_clear(request, draft, step)
    following = _go_to(request) or STEP_NAMES[STEP_NAMES.index(step) + 1]
    return redirect(_step_url(draft, following))


def _not_saved(
    request, draft, step: str, form: forms.Form, page: Callable[[], HttpResponse]
) -> HttpResponse:
    """A step that could not be saved: what was typed is kept; the person goes where they asked
    (told that the step still needs them), or sees ``page()`` (the form with its problems)."""
    _typed_keep(request, draft, step, form)
    target = _go_to(request)
    if target is None:
        return page()
    if target != step:
        messages.warning(
            request,
            _(
                "What you typed in “%(step)s” is kept, but not saved yet: it needs a correction. "
                "Open that step again before sending."
            )
            % {"step": _step_titles()[step]},
        )
    return redirect(_step_url(draft, target))


def _property_step(request, draft):
    form = _step_form(request, draft, "property", PropertyForm, initial=draft.step_data("property"))

    def page(template="inquiries/filing/step.html", **extra):
        return render(request, template, _context(draft, "property", form=form, **extra))

    if request.method != "POST":
        return page()
    if form.is_valid():
        try:
            services.draft_district_check(actor=request.user, draft=draft, district=form.district)
        except ValidationError as refusal:
            form.add_error("renovation_code", refusal)
        else:
            if form.district.is_online_for(draft.kind):
                return _save_and_next(request, draft, "property", form.cleaned_data)
            # The saved step stays as it was and what was typed is kept beside it; the refusal
            # page shows the form as typed, so a corrected code is one edit away. Nothing from a
            # district that is not online reaches the review (it sends the person back here).
            return _not_saved(
                request,
                draft,
                "property",
                form,
                lambda: page(
                    "inquiries/filing/not_online.html",
                    district=form.district,
                    kiosks=form.district.kiosks.filter(is_active=True),
                ),
            )
    return _not_saved(request, draft, "property", form, page)


def _applicant_step(request, draft):
    """A citizen files as themselves (identity from the account); a kiosk or an office types the
    citizen's national ID and mobile from the ID card."""
    user = request.user
    own = draft.channel == Channel.WEB
    initial = {"first_name": user.first_name, "last_name": user.last_name} if own else {}
    initial.update(draft.step_data("applicant"))
    form = _step_form(
        request, draft, "applicant", ApplicantForm, initial=initial, identity_fixed=own
    )
    if request.method == "POST" and form.is_valid():
        cleaned = dict(form.cleaned_data)
        if own:
            cleaned.update(national_id=user.national_id, mobile=user.mobile)
        return _save_and_next(request, draft, "applicant", cleaned)

    def page():
        return render(
            request,
            "inquiries/filing/step.html",
            _context(draft, "applicant", form=form, identity=user if own else None),
        )

    if request.method != "POST":
        return page()
    return _not_saved(request, draft, "applicant", form, page)


def _details_step(request, draft):
    initial = draft.step_data("details")
    notary = draft.channel == Channel.NOTARY_OFFICE and draft.kind == InquiryKind.TRANSFER
    if notary:
        initial["notary_office_number"] = draft.office.number
    form = _step_form(
        request, draft, "details", partial(details_form, draft.kind, draft.channel), initial=initial
    )
    if notary:
        # Filled in from the notary office that files; not typed, not changeable.
        form.fields["notary_office_number"].disabled = True
    if request.method == "POST" and form.is_valid():
        return _save_and_next(request, draft, "details", form.cleaned_data)

    def page():
        return render(request, "inquiries/filing/step.html", _context(draft, "details", form=form))

    if request.method != "POST":
        return page()
    return _not_saved(request, draft, "details", form, page)


def _documents_step(request, draft):
    relation = draft.step_data("applicant").get("relation")
    attachments = list(draft.attachments.all())
    missing = documents_missing(draft.kind, relation, {a.kind for a in attachments})
    # "Continue" posts no upload: the upload form stays unbound, so it does not say "required"
    # under fields nobody was asked to fill; what is wrong is said once, at the top.
    uploading = request.method == "POST" and "continue" not in request.POST
    form = DocumentForm(
        request.POST if uploading else None,
        request.FILES if uploading else None,
        required_kinds=missing,
    )
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
    missing_steps = [s for s in FORM_STEPS if not draft.data.get(s)]
    if missing_steps:
        return redirect(_step_url(draft, missing_steps[0]))
    unsaved = _unsaved_step(request, draft)
    if unsaved:
        return unsaved
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


def _unsaved_step(request, draft: InquiryDraft) -> HttpResponse | None:
    """What was typed on a step differs from what is saved there: the person settles it (corrects
    it, or saves the step again) before the review or the send, so nothing unchecked goes out."""
    unsaved = [s for s in FORM_STEPS if _typed(draft, s)]
    if not unsaved:
        return None
    messages.warning(
        request,
        _("Your changes in this step are not saved yet. Correct them, or save the step again."),
    )
    return redirect(_step_url(draft, unsaved[0]))


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
    if draft.inquiry_id:
        return redirect("inquiries:submitted", draft.inquiry.tracking_code)
    unsaved = _unsaved_step(request, draft)
    if unsaved:
        return unsaved
    try:
        inquiry = services.inquiry_submit(actor=request.user, draft=draft)
    except services.DistrictNotOnline as refusal:
        messages.error(request, refusal.message)
        return redirect(_step_url(draft, "property"))
    except ValidationError as refusal:
        # The property's district stopped fitting this draft (a kiosk clerk's district changed).
        messages.error(request, " ".join(refusal.messages))
        return redirect(_step_url(draft, "property"))
    except services.DraftIncomplete as refusal:
        messages.error(request, _("Some parts of the inquiry are missing; please complete them."))
        step = next((step for step in FORM_STEPS if step in refusal.missing), "review")
        return redirect(_step_url(draft, step))
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
