"""The district staff's pages: the review queue and one inquiry with the actions its state allows.
Views parse, authorise through the scoped selectors, call a service and render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import layout
from accounts.decorators import staff_required
from shahrvand import kept_lists, versions
from shahrvand.paging import BoundedPaginator
from shahrvand.search import list_search
from shahrvand.workdays import add_working_days

from .. import listing, services, workflow
from ..forms_staff import (
    AnswerForm,
    AssignForm,
    DueFormSet,
    InfoRequestForm,
    QueueFilterForm,
    RevokeForm,
    SignForm,
    VersionForm,
)
from ..models import Answer
from ..selectors import (
    inquiries_queue,
    inquiry_get_for_staff,
    queue_tally,
    staff_districts,
)
from ..services.answers import staff_roles
from ..services.review import holds
from ..workflow import InquiryStatus

PAGE_SIZE = 25


@staff_required
@require_http_methods(["GET", "POST"])
def review_queue(request: HttpRequest) -> HttpResponse:
    """The filters are POSTed: the search may be a national ID, which must not sit in a URL
    (``shahrvand.search``); the browser then gets the list by GET with a token for the term."""
    district_ids = sorted(staff_districts(request.user))
    search = list_search(
        request, list_key="review-queue", form_class=QueueFilterForm, district_ids=district_ids
    )
    if search.redirect:
        return search.redirect
    form = search.form
    filters = form.cleaned_data if form.is_valid() else {}
    page_asked = kept_lists.page_param(request)
    content = kept_lists.fragment(
        request,
        name="review-queue",
        # The reader's own id only where the list names them ("held by me").
        depends_on=(
            tuple(district_ids),
            kept_lists.filters_key(filters),
            page_asked,
            request.user.pk if filters.get("assigned") == "me" else None,
        ),
        # Any inquiry of these districts saved, the summaries rewritten, a district renamed.
        lists=[
            versions.LISTS,
            versions.PUBLIC_PAGES,
            *(versions.district_lists(d) for d in district_ids),
        ],
        render=lambda csrf_token: _queue_render(request, form, filters, search, csrf_token),
        keep=kept_lists.keepable(request, form, term=search.term),
    )
    return layout.render(request, "inquiries/staff/queue.html", {"content": content})


def _queue_render(request: HttpRequest, form, filters: dict, search, csrf_token: str) -> str:
    district_id = filters.get("district") or None
    queryset = inquiries_queue(
        request.user,
        district_id=district_id,
        kind=filters.get("kind", ""),
        status=filters.get("status", ""),
        channel=filters.get("channel", ""),
        overdue=filters.get("overdue", False),
        assigned=filters.get("assigned", ""),
        q=filters.get("q", ""),
    )
    tally = queue_tally(request.user, district_id=district_id)
    known = None
    if form.is_bound and not form.is_valid():
        queryset = queryset.none()  # the form says what to correct; no list pretends to match
    elif not (filters.get("overdue") or filters.get("assigned") or filters.get("q")):
        known = tally.total(
            kind=filters.get("kind", ""),
            status=filters.get("status", ""),
            channel=filters.get("channel", ""),
        )
    page = BoundedPaginator(queryset, PAGE_SIZE, known_count=known).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    lines = listing.lines(
        page.object_list,
        url_name="inquiries:staff_inquiry",
        today=today,
        soon=add_working_days(today, settings.DUE_SOON_WORKING_DAYS),
    )
    return render_to_string(
        "inquiries/staff/_queue.html",
        {
            "form": form,
            "page": page,
            "lines": lines,
            "rows": listing.rows("staff_queue_rows.html", lines),
            "counts": tally.by_status(),
            "statuses": InquiryStatus.choices,
            "query": search.query,
            "search": search,
            "csrf_token": csrf_token,
        },
        request,
    )


def _page_context(request: HttpRequest, inquiry, **forms) -> dict:
    roles = staff_roles(request.user, inquiry.district_id)
    answers = list(
        inquiry.answers.select_related("signed_by", "prepared_by").prefetch_related("dues")
    )
    draft = next((a for a in answers if a.is_draft), None)
    in_force = next((a for a in answers if a.is_in_force), None)
    version = {"version": inquiry.version}
    holder_ok = holds(request.user, inquiry)
    # The buttons the page shows: the table's staff actions for this status, narrowed by the
    # holder rule and the right to sign (``workflow.staff_actions``), keyed by action name.
    may = {
        action.value: True
        for action in workflow.staff_actions(inquiry.status, holds=holder_ok, signs=roles["signer"])
    }
    return {
        "inquiry": inquiry,
        "details": inquiry.details(),
        "events": inquiry.events.select_related("actor").order_by("created_at", "pk"),
        "attachments": inquiry.attachments.all(),
        "answers": answers,
        "draft_answer": draft,
        "answer_in_force": in_force,
        "roles": roles,
        "holder_ok": holder_ok,
        "may": may,
        "version_form": VersionForm(initial=version),
        "assign_form": forms.get("assign_form")
        or AssignForm(initial=version, reviewers=services.reviewers_of(inquiry.district_id)),
        "info_form": forms.get("info_form") or InfoRequestForm(initial=version),
        "revoke_form": forms.get("revoke_form") or RevokeForm(initial=version),
        "today": timezone.localdate(),
    }


@staff_required
@require_GET
def staff_inquiry(request: HttpRequest, code: str) -> HttpResponse:
    inquiry = inquiry_get_for_staff(request.user, code)
    return render(request, "inquiries/staff/inquiry.html", _page_context(request, inquiry))


def _refused(request, inquiry, error) -> HttpResponse:
    """Tell the person plainly, and show the inquiry as it is now."""
    messages.error(request, error.message)
    return redirect("inquiries:staff_inquiry", inquiry.tracking_code)


def _version(request, inquiry) -> int:
    """The version the person's page showed. A post without one is refused like a stale page:
    every staff form carries it, so that nobody acts on a state they did not see."""
    form = VersionForm(request.POST)
    if not form.is_valid():
        raise services.StaleInquiry(inquiry)
    return form.cleaned_data["version"]


@staff_required
@require_POST
def staff_take(request: HttpRequest, code: str) -> HttpResponse:
    inquiry = inquiry_get_for_staff(request.user, code)
    try:
        services.inquiry_review_start(
            actor=request.user, inquiry=inquiry, expected_version=_version(request, inquiry)
        )
    except services.InquiryError as error:
        return _refused(request, inquiry, error)
    messages.success(request, _("You are now reviewing this inquiry."))
    return redirect("inquiries:staff_inquiry", inquiry.tracking_code)


@staff_required
@require_POST
def staff_assign(request: HttpRequest, code: str) -> HttpResponse:
    inquiry = inquiry_get_for_staff(request.user, code)
    form = AssignForm(request.POST, reviewers=services.reviewers_of(inquiry.district_id))
    if not form.is_valid():
        return render(
            request,
            "inquiries/staff/inquiry.html",
            _page_context(request, inquiry, assign_form=form),
            status=400,
        )
    try:
        services.inquiry_assign(
            actor=request.user,
            inquiry=inquiry,
            assignee=form.cleaned_data["assignee"],
            expected_version=form.cleaned_data["version"],
        )
    except services.InquiryError as error:
        return _refused(request, inquiry, error)
    messages.success(
        request,
        _("Handed to %(name)s.") % {"name": form.cleaned_data["assignee"].display_name},
    )
    return redirect("inquiries:staff_inquiry", inquiry.tracking_code)


@staff_required
@require_POST
def staff_request_info(request: HttpRequest, code: str) -> HttpResponse:
    inquiry = inquiry_get_for_staff(request.user, code)
    form = InfoRequestForm(request.POST)
    if form.is_valid():
        try:
            services.inquiry_info_request(
                actor=request.user,
                inquiry=inquiry,
                reasons=form.cleaned_data["reasons"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except services.StaleInquiry as error:
            return _refused(request, inquiry, error)
        except services.InquiryError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The applicant was asked for more information by SMS."))
            return redirect("inquiries:staff_inquiry", inquiry.tracking_code)
    return render(
        request,
        "inquiries/staff/inquiry.html",
        _page_context(request, inquiry, info_form=form),
        status=400,
    )


def _dues(formset) -> list[tuple[str, int]]:
    return [
        (f.cleaned_data["title"], f.cleaned_data["amount_rials"])
        for f in formset.forms
        if f.cleaned_data.get("title")
    ]


@staff_required
@require_http_methods(["GET", "POST"])
def staff_answer(request: HttpRequest, code: str) -> HttpResponse:
    """Prepare the answer (or a correction of the signed one)."""
    inquiry = inquiry_get_for_staff(request.user, code)
    draft = services.answer_draft(inquiry) or (
        services.answer_current(inquiry) if inquiry.is_answered() else None
    )
    if request.method == "POST":
        form = AnswerForm(request.POST)
        formset = DueFormSet(request.POST, prefix="dues")
        if form.is_valid() and formset.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                answer = services.answer_prepare(
                    actor=request.user,
                    inquiry=inquiry,
                    data=data,
                    dues=_dues(formset),
                    expected_version=form.cleaned_data["version"],
                )
            except services.AnswerInvalid as error:
                for field, message in error.errors.items():
                    if field in form.fields:
                        form.add_error(field, message)
                    else:
                        form.add_error(None, message)
            except services.InquiryError as error:
                return _refused(request, inquiry, error)
            else:
                messages.success(request, _("The answer was saved. It is not signed yet."))
                return redirect("inquiries:staff_sign", inquiry.tracking_code, answer.pk)
    else:
        initial = {"version": inquiry.version}
        dues_initial = []
        if draft is not None:
            initial.update({name: getattr(draft, name) for name in services.answers.ANSWER_FIELDS})
            dues_initial = [
                {"title": d.title, "amount_rials": d.amount_rials} for d in draft.dues.all()
            ]
        form = AnswerForm(initial=initial)
        formset = DueFormSet(initial=dues_initial, prefix="dues")
    return render(
        request,
        "inquiries/staff/answer_form.html",
        {
            "inquiry": inquiry,
            "form": form,
            "formset": formset,
            "correction": inquiry.is_answered(),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def staff_sign(request: HttpRequest, code: str, answer_id: int) -> HttpResponse:
    """Check the prepared answer and sign it (managers, or reviewers allowed to sign)."""
    inquiry = inquiry_get_for_staff(request.user, code)
    answer = get_object_or_404(Answer, pk=answer_id, inquiry=inquiry)
    roles = staff_roles(request.user, inquiry.district_id)
    form = SignForm(request.POST or None, initial={"version": inquiry.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_sign(
                actor=request.user, answer=answer, expected_version=form.cleaned_data["version"]
            )
        except services.InquiryError as error:
            return _refused(request, inquiry, error)
        messages.success(request, _("The answer is signed. Its PDF is being prepared."))
        return redirect("inquiries:staff_inquiry", inquiry.tracking_code)
    if request.method == "POST" and not roles["signer"]:
        raise PermissionDenied
    return render(
        request,
        "inquiries/staff/sign.html",
        {
            "inquiry": inquiry,
            "answer": answer,
            "form": form,
            "roles": roles,
        },
    )


@staff_required
@require_POST
def staff_revoke(request: HttpRequest, code: str, answer_id: int) -> HttpResponse:
    inquiry = inquiry_get_for_staff(request.user, code)
    answer = get_object_or_404(Answer, pk=answer_id, inquiry=inquiry)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "inquiries/staff/inquiry.html",
            _page_context(request, inquiry, revoke_form=form),
            status=400,
        )
    try:
        services.answer_revoke(
            actor=request.user,
            answer=answer,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except services.InquiryError as error:
        return _refused(request, inquiry, error)
    messages.success(request, _("The answer was revoked; the inquiry is back in review."))
    return redirect("inquiries:staff_inquiry", inquiry.tracking_code)
