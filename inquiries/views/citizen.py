"""The applicant's side after filing: my inquiries, one inquiry with its history, withdrawing,
answering a request for more information, and downloading documents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts import layout
from accounts.roles import roles_of
from shahrvand import kept_lists, versions
from shahrvand.http import attachment_response
from shahrvand.paging import BoundedPaginator

from .. import listing, services
from ..forms import ResubmitForm
from ..presentation import filed_as, submitted_places
from ..selectors import (
    attachment_get_for,
    drafts_open_of,
    inquiries_of_applicant,
    inquiry_get_for,
    inquiry_is_applicant,
)
from ..workflow import APPLICANT, Action, allowed_actions

PAGE_SIZE = 20


@login_required(login_url="accounts:citizen_login")
@require_GET
def inquiries_mine(request: HttpRequest) -> HttpResponse:
    user = request.user
    page_asked = kept_lists.page_param(request)
    content = kept_lists.fragment(
        request,
        name="my-inquiries",
        # Only ever this reader's: their id and national ID are in the key.
        depends_on=(user.pk, user.national_id, page_asked),
        lists=[
            versions.LISTS,
            versions.PUBLIC_PAGES,
            versions.filer_lists(user.pk),
            *([versions.applicant_lists(user.national_id)] if user.national_id else []),
        ],
        render=lambda _token: _mine_render(request),
        keep=kept_lists.keepable(request),
    )
    # The drafts are not kept: they change as the citizen types. The layout around them is.
    drafts = list(drafts_open_of(user)[:5])
    drafts_html = (
        render_to_string(
            "inquiries/_drafts.html", {"drafts": drafts, "title": _("Not sent yet")}, request
        )
        if drafts
        else ""
    )
    return layout.render(
        request,
        "inquiries/mine.html",
        {"content": content, "drafts_html": drafts_html},
        fills=("content", "drafts_html"),
    )


def _mine_render(request: HttpRequest) -> str:
    page = BoundedPaginator(
        inquiries_of_applicant(request.user), PAGE_SIZE, ids_first=True
    ).get_page(request.GET.get("page"))
    lines = listing.lines(page.object_list, url_name="inquiries:detail")
    return render_to_string(
        "inquiries/_mine_list.html",
        {"page": page, "lines": lines, "rows": listing.rows("mine_rows.html", lines)},
        request,
    )


def _detail_context(request: HttpRequest, inquiry) -> dict:
    is_applicant = inquiry_is_applicant(request.user, inquiry)
    actions = allowed_actions(inquiry.status, APPLICANT) if is_applicant else []
    events = inquiry.events.select_related("actor").order_by("created_at", "pk")
    info_request = None
    if inquiry.is_waiting_on_applicant():
        info_request = events.filter(action=Action.REQUEST_INFO).last()
    # The applicant sees signed answers only (drafts are the district's working papers).
    answers = (
        inquiry.answers.filter(signed_at__isnull=False)
        .select_related("signed_by")
        .prefetch_related("dues")
        .order_by("-signed_at")
    )
    return {
        "inquiry": inquiry,
        "answers": answers,
        "details": inquiry.details(),
        "events": events,
        "attachments": inquiry.attachments.all(),
        "can_withdraw": Action.WITHDRAW in actions,
        "can_resubmit": Action.RESUBMIT in actions,
        "info_request": info_request,
    }


@login_required(login_url="accounts:citizen_login")
@require_GET
def inquiry_detail(request: HttpRequest, code: str) -> HttpResponse:
    inquiry = inquiry_get_for(request.user, code)
    return render(request, "inquiries/detail.html", _detail_context(request, inquiry))


@login_required(login_url="accounts:citizen_login")
@require_GET
def inquiry_submitted(request: HttpRequest, code: str) -> HttpResponse:
    inquiry = inquiry_get_for(request.user, code)
    roles = roles_of(request.user)
    return render(
        request,
        "inquiries/submitted.html",
        {
            "inquiry": inquiry,
            "places": submitted_places(roles, inquiry),
            "filed_as": filed_as(roles, inquiry),
        },
    )


@login_required(login_url="accounts:citizen_login")
@require_http_methods(["GET", "POST"])
def inquiry_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    inquiry = inquiry_get_for(request.user, code)
    if not inquiry_is_applicant(request.user, inquiry):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.inquiry_withdraw(actor=request.user, inquiry=inquiry)
        except services.TransitionNotAllowed as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("The inquiry was withdrawn."))
        return redirect("inquiries:detail", inquiry.tracking_code)
    return render(request, "inquiries/withdraw_confirm.html", {"inquiry": inquiry})


@login_required(login_url="accounts:citizen_login")
@require_http_methods(["GET", "POST"])
def inquiry_respond(request: HttpRequest, code: str) -> HttpResponse:
    """Answer "more information needed": documents and a note, then back to the district."""
    inquiry = inquiry_get_for(request.user, code)
    if not inquiry_is_applicant(request.user, inquiry):
        raise PermissionDenied
    form = ResubmitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.inquiry_resubmit(
                actor=request.user,
                inquiry=inquiry,
                note=form.cleaned_data["note"],
                uploads=form.uploads(),
            )
        except services.InquiryError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Your answer was sent to the district."))
            return redirect("inquiries:detail", inquiry.tracking_code)
    context = _detail_context(request, inquiry)
    context["form"] = form
    return render(request, "inquiries/respond.html", context)


@never_cache
@login_required(login_url="accounts:citizen_login")
@require_GET
def attachment_download(request: HttpRequest, attachment_id: int) -> FileResponse:
    attachment = attachment_get_for(request.user, attachment_id)
    return attachment_response(
        attachment.file, filename=attachment.download_name, content_type=attachment.content_type
    )
