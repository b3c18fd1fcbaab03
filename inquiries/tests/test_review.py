"""The district staff's side: the review queue, taking and handing over inquiries, asking for more
information, the deadline clock, preparing and signing answers, and the overdue summary."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.contrib import messages
from django.utils import timezone

from accounts.tests.factories import UserFactory
from districts.models import DistrictRole, OverdueNotice, ServiceLevel
from districts.tests.factories import DistrictMembershipFactory, district
from inquiries import services
from inquiries.kinds import InquiryKind
from inquiries.models import (
    Answer,
    AnswerStatus,
    DeficiencyReason,
    InfoRequest,
    Inquiry,
    InquiryEvent,
)
from inquiries.models.choices import DocumentKind
from inquiries.services.overdue import overdue_notify_managers
from inquiries.tests.factories import InquiryFactory, complete_draft, png_upload
from inquiries.workflow import Action, Channel, InquiryStatus
from shahrvand import sms
from shahrvand.text import to_persian_digits
from shahrvand.workdays import add_working_days, working_days_between

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def _staff_url(inquiry, action: str = "") -> str:
    url = f"/staff/inquiries/{inquiry.tracking_code}/"
    return f"{url}{action}/" if action else url


def _fresh(inquiry) -> Inquiry:
    return Inquiry.objects.get(pk=inquiry.pk)


def _queue(client, **params):
    # A search is POSTed (a national ID must not sit in a URL); the list is then a GET.
    if "q" in params:
        response = client.post("/staff/", params, follow=True)
    else:
        response = client.get("/staff/", params)
    assert response.status_code == 200
    return response


def _codes(response) -> list[str]:
    return [inquiry.tracking_code for inquiry in response.context["page"].object_list]


def _error_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level == messages.ERROR]


def _colleague(number: int = 1, role: str = DistrictRole.REVIEWER, **fields):
    fields.setdefault("username", f"colleague-d{number}-{role}")
    user = UserFactory(**fields)
    DistrictMembershipFactory(user=user, district=district(number), role=role)
    return user


# --- the review queue ------------------------------------------------------------------------------


def test_reviewer_of_district_1_sees_only_open_inquiries_of_district_1(
    client_for, reviewer_d1, citizen
):
    open_ones = [
        InquiryFactory(applicant=citizen),
        InquiryFactory(applicant=citizen, in_review=True),
        InquiryFactory(applicant=citizen, needs_info=True),
        InquiryFactory(applicant=citizen, status=InquiryStatus.RESUBMITTED),
    ]
    InquiryFactory(applicant=citizen, status=InquiryStatus.ANSWERED)
    InquiryFactory(applicant=citizen, status=InquiryStatus.WITHDRAWN)
    InquiryFactory(applicant=citizen, district_number=3)
    response = _queue(client_for(reviewer_d1))
    assert sorted(_codes(response)) == sorted(i.tracking_code for i in open_ones)


def test_queue_filters_by_kind_status_and_channel(client_for, reviewer_d1):
    transfer = InquiryFactory()
    bank = InquiryFactory(kind=InquiryKind.BANK)
    waiting = InquiryFactory(needs_info=True)
    kiosk = InquiryFactory(channel=Channel.KIOSK)
    answered = InquiryFactory(status=InquiryStatus.ANSWERED)
    client = client_for(reviewer_d1)
    assert _codes(_queue(client, kind="bank")) == [bank.tracking_code]
    assert _codes(_queue(client, status="needs_info")) == [waiting.tracking_code]
    assert _codes(_queue(client, status="answered")) == [answered.tracking_code]
    assert _codes(_queue(client, channel="kiosk")) == [kiosk.tracking_code]
    everything = _codes(_queue(client, status="all"))
    assert sorted(everything) == sorted(
        i.tracking_code for i in (transfer, bank, waiting, kiosk, answered)
    )


def test_queue_filter_overdue_shows_only_late_inquiries_waiting_on_the_district(
    client_for, reviewer_d1
):
    today = timezone.localdate()
    late = InquiryFactory(in_review=True)
    late_new = InquiryFactory()
    on_time = InquiryFactory()
    paused = InquiryFactory(needs_info=True)
    Inquiry.objects.filter(pk__in=[late.pk, late_new.pk, paused.pk]).update(
        due_date=today - dt.timedelta(days=3)
    )
    Inquiry.objects.filter(pk=on_time.pk).update(due_date=today + dt.timedelta(days=3))
    codes = _codes(_queue(client_for(reviewer_d1), overdue="on"))
    assert sorted(codes) == sorted([late.tracking_code, late_new.tracking_code])


def test_queue_filter_by_who_holds_the_inquiry(client_for, reviewer_d1, manager_d1):
    mine = services.inquiry_review_start(actor=reviewer_d1, inquiry=InquiryFactory())
    theirs = services.inquiry_review_start(actor=manager_d1, inquiry=InquiryFactory())
    nobodys = InquiryFactory()
    client = client_for(reviewer_d1)
    assert _codes(_queue(client, assigned="me")) == [mine.tracking_code]
    assert _codes(_queue(client, assigned="none")) == [nobodys.tracking_code]
    assert len(_codes(_queue(client))) == 3
    assert theirs.tracking_code in _codes(_queue(client))


def test_search_finds_a_tracking_code_typed_in_lower_case_with_dashes(client_for, reviewer_d1):
    wanted = InquiryFactory()
    InquiryFactory()
    typed = wanted.tracking_code_display().lower()
    assert "-" in typed
    assert _codes(_queue(client_for(reviewer_d1), q=typed)) == [wanted.tracking_code]


def test_search_finds_the_applicants_national_id_typed_in_persian_digits(
    client_for, reviewer_d1, citizen, other_citizen
):
    wanted = InquiryFactory(applicant=citizen)
    InquiryFactory(applicant=other_citizen)
    typed = to_persian_digits(citizen.national_id)
    assert _codes(_queue(client_for(reviewer_d1), q=typed)) == [wanted.tracking_code]


def test_search_finds_a_renovation_code_typed_in_persian_digits(client_for, reviewer_d1):
    wanted = InquiryFactory()
    wanted.property.renovation_code = "1-7-4321-12-0-0-0"
    wanted.property.save()
    InquiryFactory()
    typed = "۱-۷-۴۳۲۱-۱۲-۰-۰-۰"
    assert _codes(_queue(client_for(reviewer_d1), q=typed)) == [wanted.tracking_code]


def test_search_finds_a_plate_typed_as_main_slash_sub(client_for, reviewer_d1):
    wanted = InquiryFactory()
    same_main = InquiryFactory()
    InquiryFactory()
    for inquiry, sub in ((wanted, 17), (same_main, 18)):
        inquiry.property.plate_main = 8642
        inquiry.property.plate_sub = sub
        inquiry.property.save()
    client = client_for(reviewer_d1)
    assert _codes(_queue(client, q="8642/17")) == [wanted.tracking_code]
    assert sorted(_codes(_queue(client, q="۸۶۴۲"))) == sorted(
        [wanted.tracking_code, same_main.tracking_code]
    )


def test_search_that_matches_nothing_shows_the_empty_state(client_for, reviewer_d1):
    InquiryFactory()
    response = _queue(client_for(reviewer_d1), q="چیزی که نیست")
    assert _codes(response) == []
    assert 'data-testid="queue-empty"' in response.content.decode()


def test_status_counts_at_the_top_count_the_district_by_status(client_for, reviewer_d1):
    for _ in range(3):
        InquiryFactory()
    for _ in range(2):
        InquiryFactory(in_review=True)
    InquiryFactory(needs_info=True)
    InquiryFactory(status=InquiryStatus.ANSWERED)
    InquiryFactory(district_number=3)
    InquiryFactory(district_number=3, in_review=True)
    response = _queue(client_for(reviewer_d1))
    assert response.context["counts"] == {
        "submitted": 3,
        "in_review": 2,
        "needs_info": 1,
        "answered": 1,
    }
    html = response.content.decode()
    counts = html[html.index('data-testid="status-counts"') :]
    counts = counts[: counts.index("</ul>")]
    shown = dict(
        re.findall(r'\?status=(\w+)">[^<]*<span class="badge[^"]*">([^<]*)</span>', counts)
    )
    assert shown == {
        "submitted": "۳",
        "in_review": "۲",
        "needs_info": "۱",
        "resubmitted": "۰",
        "answered": "۱",
        "withdrawn": "۰",
    }


def test_queue_is_sorted_by_due_date_soonest_first_and_paused_ones_last(client_for, reviewer_d1):
    today = timezone.localdate()
    paused = InquiryFactory(needs_info=True)
    later = InquiryFactory(in_review=True)
    soonest = InquiryFactory()
    middle = InquiryFactory(status=InquiryStatus.RESUBMITTED)
    for inquiry, days in ((later, 9), (soonest, 1), (middle, 4)):
        Inquiry.objects.filter(pk=inquiry.pk).update(due_date=today + dt.timedelta(days=days))
    assert _codes(_queue(client_for(reviewer_d1))) == [
        soonest.tracking_code,
        middle.tracking_code,
        later.tracking_code,
        paused.tracking_code,
    ]


def test_queue_pages_hold_25_rows(client_for, reviewer_d1):
    for _ in range(30):
        InquiryFactory()
    client = client_for(reviewer_d1)
    first = _queue(client)
    second = _queue(client, page=2)
    assert first.context["page"].paginator.count == 30
    assert len(_codes(first)) == 25
    assert len(_codes(second)) == 5
    assert not set(_codes(first)) & set(_codes(second))
    assert 'href="?page=2"' in first.content.decode()


def test_queue_keeps_the_filters_in_the_page_links(client_for, reviewer_d1):
    for _ in range(27):
        InquiryFactory(kind=InquiryKind.BANK)
    response = _queue(client_for(reviewer_d1), kind="bank")
    links = re.findall(r'href="\?([^"]*page=2)"', response.content.decode())
    assert links and all("kind=bank" in link for link in links)


def _busy_district(count: int, holder) -> None:
    """Inquiries of every kind, status and channel, some held, with due dates."""
    today = timezone.localdate()
    kinds = list(InquiryKind)
    statuses = [
        InquiryStatus.SUBMITTED,
        InquiryStatus.IN_REVIEW,
        InquiryStatus.NEEDS_INFO,
        InquiryStatus.RESUBMITTED,
    ]
    channels = list(Channel)
    for n in range(count):
        inquiry = InquiryFactory(
            kind=kinds[n % len(kinds)],
            status=statuses[n % len(statuses)],
            channel=channels[n % len(channels)],
        )
        Inquiry.objects.filter(pk=inquiry.pk).update(
            due_date=today + dt.timedelta(days=n - 3),
            assigned_to=holder if n % 2 else None,
        )


@pytest.mark.parametrize("rows", [5, 30])
def test_queue_makes_a_bounded_number_of_queries_whatever_the_row_count(
    client_for, manager_d1, reviewer_d1, rows, django_assert_max_num_queries
):
    _busy_district(rows, holder=reviewer_d1)
    client = client_for(manager_d1)
    with django_assert_max_num_queries(15):
        response = client.get("/staff/")
    assert response.status_code == 200
    assert len(_codes(response)) == min(rows, 25)


# --- take ------------------------------------------------------------------------------------------


def test_take_moves_the_inquiry_to_review_and_assigns_the_taker(
    client_for, reviewer_d1, citizen, django_capture_on_commit_callbacks
):
    inquiry = InquiryFactory(applicant=citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(reviewer_d1).post(
            _staff_url(inquiry, "take"), {"version": inquiry.version}
        )
    assert response.status_code == 302
    assert response["Location"] == _staff_url(inquiry)
    inquiry = _fresh(inquiry)
    assert inquiry.status == InquiryStatus.IN_REVIEW
    assert inquiry.assigned_to == reviewer_d1
    event = inquiry.events.last()
    assert (event.action, event.actor, event.to_status) == (
        Action.START_REVIEW,
        reviewer_d1,
        InquiryStatus.IN_REVIEW,
    )
    assert [m.to for m in sms.outbox] == [citizen.mobile]


def test_a_second_take_with_the_old_version_is_refused_with_a_message_and_no_second_event(
    client_for, reviewer_d1, manager_d1
):
    inquiry = InquiryFactory()
    old_version = inquiry.version
    client_for(reviewer_d1).post(_staff_url(inquiry, "take"), {"version": old_version})
    events_before = InquiryEvent.objects.filter(inquiry=inquiry).count()

    response = client_for(manager_d1).post(
        _staff_url(inquiry, "take"), {"version": old_version}, follow=True
    )
    assert response.redirect_chain == [(_staff_url(inquiry), 302)]
    assert len(_error_messages(response)) == 1
    inquiry = _fresh(inquiry)
    assert inquiry.assigned_to == reviewer_d1
    assert InquiryEvent.objects.filter(inquiry=inquiry).count() == events_before
    assert inquiry.events.filter(action=Action.START_REVIEW).count() == 1


def test_taking_an_inquiry_already_in_review_is_refused_even_with_the_current_version(
    client_for, reviewer_d1, manager_d1
):
    inquiry = services.inquiry_review_start(actor=reviewer_d1, inquiry=InquiryFactory())
    response = client_for(manager_d1).post(
        _staff_url(inquiry, "take"), {"version": inquiry.version}, follow=True
    )
    assert len(_error_messages(response)) == 1
    assert _fresh(inquiry).assigned_to == reviewer_d1
    assert inquiry.events.filter(action=Action.START_REVIEW).count() == 1


# --- hand over -------------------------------------------------------------------------------------


def _assign(client, inquiry, assignee, **kwargs):
    version = _fresh(inquiry).version
    return client.post(
        _staff_url(inquiry, "assign"), {"assignee": assignee.pk, "version": version}, **kwargs
    )


def test_the_holder_hands_the_inquiry_to_a_reviewer_of_the_same_district(client_for, reviewer_d1):
    colleague = _colleague(first_name="سارا", last_name="کریمی")
    inquiry = services.inquiry_review_start(actor=reviewer_d1, inquiry=InquiryFactory())
    response = _assign(client_for(reviewer_d1), inquiry, colleague)
    assert response.status_code == 302
    assert _fresh(inquiry).assigned_to == colleague
    event = inquiry.events.get(action=Action.ASSIGN)
    assert event.actor == reviewer_d1
    assert event.note == "سارا کریمی"
    assert event.to_status == InquiryStatus.IN_REVIEW


def test_a_manager_hands_over_an_inquiry_someone_else_holds(client_for, reviewer_d1, manager_d1):
    colleague = _colleague()
    inquiry = services.inquiry_review_start(actor=reviewer_d1, inquiry=InquiryFactory())
    assert _assign(client_for(manager_d1), inquiry, colleague).status_code == 302
    assert _fresh(inquiry).assigned_to == colleague
    event = inquiry.events.get(action=Action.ASSIGN)
    assert event.actor == manager_d1


def test_each_hand_over_writes_an_assign_event(client_for, reviewer_d1, manager_d1):
    colleague = _colleague()
    inquiry = services.inquiry_review_start(actor=reviewer_d1, inquiry=InquiryFactory())
    _assign(client_for(reviewer_d1), inquiry, colleague)
    _assign(client_for(colleague), inquiry, manager_d1)
    _assign(client_for(manager_d1), inquiry, reviewer_d1)
    assigns = list(inquiry.events.filter(action=Action.ASSIGN).order_by("pk"))
    assert [e.actor for e in assigns] == [reviewer_d1, colleague, manager_d1]
    assert _fresh(inquiry).assigned_to == reviewer_d1


def test_a_reviewer_of_district_3_cannot_be_chosen(client_for, reviewer_d1, reviewer_d3):
    inquiry = services.inquiry_review_start(actor=reviewer_d1, inquiry=InquiryFactory())
    client = client_for(reviewer_d1)
    page = client.get(_staff_url(inquiry))
    choices = page.context["assign_form"].fields["assignee"].queryset
    assert reviewer_d3 not in choices and reviewer_d1 in choices
    response = _assign(client, inquiry, reviewer_d3)
    assert response.status_code == 400
    assert "assignee" in response.context["assign_form"].errors
    assert _fresh(inquiry).assigned_to == reviewer_d1
    assert not inquiry.events.filter(action=Action.ASSIGN).exists()


def test_a_kiosk_clerk_of_the_district_cannot_be_chosen(client_for, reviewer_d1, kiosk_clerk):
    inquiry = services.inquiry_review_start(actor=reviewer_d1, inquiry=InquiryFactory())
    assert _assign(client_for(reviewer_d1), inquiry, kiosk_clerk).status_code == 400
    assert _fresh(inquiry).assigned_to == reviewer_d1


def test_a_reviewer_who_does_not_hold_it_cannot_hand_it_over(client_for, reviewer_d1):
    colleague = _colleague()
    inquiry = services.inquiry_review_start(actor=reviewer_d1, inquiry=InquiryFactory())
    response = _assign(client_for(colleague), inquiry, colleague, follow=True)
    assert response.redirect_chain == [(_staff_url(inquiry), 302)]
    assert len(_error_messages(response)) == 1
    assert _fresh(inquiry).assigned_to == reviewer_d1
    assert not inquiry.events.filter(action=Action.ASSIGN).exists()


def test_hand_over_with_an_old_version_is_refused(client_for, reviewer_d1):
    colleague = _colleague()
    inquiry = services.inquiry_review_start(actor=reviewer_d1, inquiry=InquiryFactory())
    stale = inquiry.version - 1
    response = client_for(reviewer_d1).post(
        _staff_url(inquiry, "assign"), {"assignee": colleague.pk, "version": stale}, follow=True
    )
    assert len(_error_messages(response)) == 1
    assert _fresh(inquiry).assigned_to == reviewer_d1


def test_managers_see_who_holds_what_in_the_queue(client_for, reviewer_d1, manager_d1):
    colleague = _colleague(first_name="سارا", last_name="کریمی")
    held = services.inquiry_review_start(actor=reviewer_d1, inquiry=InquiryFactory())
    services.inquiry_assign(actor=reviewer_d1, inquiry=held, assignee=colleague)
    free = InquiryFactory()
    response = _queue(client_for(manager_d1))
    rows = {i.tracking_code: i for i in response.context["page"].object_list}
    assert rows[held.tracking_code].assigned_to == colleague
    assert rows[free.tracking_code].assigned_to is None
    html = response.content.decode()
    row = html[html.index(held.tracking_code_display()) :]
    row = row[: row.index("</tr>")]
    assert "سارا کریمی" in row


# --- request information ---------------------------------------------------------------------------


def test_request_info_with_standard_reasons_and_a_note(
    client_for, reviewer_d1, citizen, django_capture_on_commit_callbacks
):
    reasons = list(DeficiencyReason.objects.filter(is_active=True)[:2])
    assert len(reasons) == 2  # loaded by the data migration
    inquiry = services.inquiry_review_start(
        actor=reviewer_d1, inquiry=InquiryFactory(applicant=citizen)
    )
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(reviewer_d1).post(
            _staff_url(inquiry, "request-info"),
            {
                "reasons": [r.pk for r in reasons],
                "note": "صفحه دوم سند هم لازم است.",
                "version": inquiry.version,
            },
        )
    assert response.status_code == 302
    inquiry = _fresh(inquiry)
    assert inquiry.status == InquiryStatus.NEEDS_INFO
    request = InfoRequest.objects.get(inquiry=inquiry)
    assert set(request.reasons.all()) == set(reasons)
    assert request.note == "صفحه دوم سند هم لازم است."
    assert request.event.action == Action.REQUEST_INFO
    assert request.event.actor == reviewer_d1

    assert len(sms.outbox) == 1
    assert sms.outbox[0].to == citizen.mobile
    assert inquiry.tracking_code_display() in sms.outbox[0].text

    page = client_for(citizen).get(f"/inquiries/{inquiry.tracking_code}/").content.decode()
    assert 'data-testid="info-request"' in page
    box = page[page.index('data-testid="info-request"') :]
    box = box[: box.index("</div>")]
    for reason in reasons:
        assert reason.title in box
    assert "صفحه دوم سند هم لازم است." in box
    assert f"/inquiries/{inquiry.tracking_code}/respond/" in box


def test_request_info_with_reasons_only_is_accepted(client_for, reviewer_d1):
    reason = DeficiencyReason.objects.filter(is_active=True).first()
    inquiry = services.inquiry_review_start(actor=reviewer_d1, inquiry=InquiryFactory())
    response = client_for(reviewer_d1).post(
        _staff_url(inquiry, "request-info"), {"reasons": [reason.pk], "version": inquiry.version}
    )
    assert response.status_code == 302
    assert list(InfoRequest.objects.get(inquiry=inquiry).reasons.all()) == [reason]


def test_request_info_with_neither_reason_nor_note_is_refused(
    client_for, reviewer_d1, django_capture_on_commit_callbacks
):
    inquiry = services.inquiry_review_start(actor=reviewer_d1, inquiry=InquiryFactory())
    events = inquiry.events.count()
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(reviewer_d1).post(
            _staff_url(inquiry, "request-info"), {"note": "   ", "version": inquiry.version}
        )
    assert response.status_code == 400
    assert response.context["info_form"].non_field_errors()
    inquiry = _fresh(inquiry)
    assert inquiry.status == InquiryStatus.IN_REVIEW
    assert inquiry.events.count() == events
    assert not InfoRequest.objects.exists()
    assert sms.outbox == []


def test_inactive_reasons_are_not_offered(client_for, reviewer_d1):
    hidden = DeficiencyReason.objects.create(title="دلیل بایگانی‌شده", is_active=False)
    inquiry = services.inquiry_review_start(actor=reviewer_d1, inquiry=InquiryFactory())
    client = client_for(reviewer_d1)
    page = client.get(_staff_url(inquiry))
    assert hidden not in page.context["info_form"].fields["reasons"].queryset
    response = client.post(
        _staff_url(inquiry, "request-info"),
        {"reasons": [hidden.pk], "note": "x", "version": inquiry.version},
    )
    assert response.status_code == 400
    assert _fresh(inquiry).status == InquiryStatus.IN_REVIEW


# --- the deadline clock ----------------------------------------------------------------------------


def test_filing_sets_the_due_date_from_the_districts_service_level(citizen):
    level = ServiceLevel.objects.get(district=district(1), kind=InquiryKind.TRANSFER)
    level.working_days = 11
    level.save()
    today = timezone.localdate()
    inquiry = services.inquiry_submit(actor=citizen, draft=complete_draft(citizen))
    assert inquiry.due_date == add_working_days(today, 11)
    assert _fresh(inquiry).due_date == add_working_days(today, 11)
    assert inquiry.paused_days_left is None


def test_each_kind_uses_its_own_service_level(citizen):
    ServiceLevel.objects.filter(district=district(1), kind=InquiryKind.BANK).update(working_days=2)
    ServiceLevel.objects.filter(district=district(1), kind=InquiryKind.TRANSFER).update(
        working_days=13
    )
    today = timezone.localdate()
    bank = services.inquiry_submit(
        actor=citizen, draft=complete_draft(citizen, kind=InquiryKind.BANK)
    )
    transfer = services.inquiry_submit(actor=citizen, draft=complete_draft(citizen))
    assert bank.due_date == add_working_days(today, 2)
    assert transfer.due_date == add_working_days(today, 13)


def test_without_a_service_level_the_default_applies(citizen, settings):
    ServiceLevel.objects.filter(district=district(1), kind=InquiryKind.TRANSFER).delete()
    settings.DEFAULT_SERVICE_DAYS = 7
    inquiry = services.inquiry_submit(actor=citizen, draft=complete_draft(citizen))
    assert inquiry.due_date == add_working_days(timezone.localdate(), 7)


def test_info_request_pauses_the_clock_and_resubmission_resumes_it_with_the_days_left(
    citizen, reviewer_d1
):
    today = timezone.localdate()
    inquiry = services.inquiry_submit(actor=citizen, draft=complete_draft(citizen))
    inquiry = services.inquiry_review_start(actor=reviewer_d1, inquiry=inquiry)
    due = add_working_days(today, 4)
    Inquiry.objects.filter(pk=inquiry.pk).update(due_date=due)
    left = working_days_between(today, due)
    assert left == 4

    services.inquiry_info_request(actor=reviewer_d1, inquiry=inquiry, note="سند خوانا نیست")
    paused = _fresh(inquiry)
    assert paused.status == InquiryStatus.NEEDS_INFO
    assert paused.due_date is None
    assert paused.paused_days_left == left

    # The citizen answers a week later: the four working days left start from then.
    later = today + dt.timedelta(days=7)
    with mock.patch("django.utils.timezone.localdate", return_value=later):
        services.inquiry_resubmit(
            actor=citizen,
            inquiry=paused,
            note="سند جدید",
            uploads=[(DocumentKind.DEED, png_upload("new.png"))],
        )
    resumed = _fresh(inquiry)
    assert resumed.status == InquiryStatus.RESUBMITTED
    assert resumed.due_date == add_working_days(later, left)
    assert resumed.paused_days_left is None


def test_an_overdue_inquiry_paused_resumes_overdue(citizen, reviewer_d1):
    today = timezone.localdate()
    inquiry = services.inquiry_review_start(
        actor=reviewer_d1,
        inquiry=services.inquiry_submit(actor=citizen, draft=complete_draft(citizen)),
    )
    due = add_working_days(today, -2)
    Inquiry.objects.filter(pk=inquiry.pk).update(due_date=due)
    services.inquiry_info_request(actor=reviewer_d1, inquiry=inquiry, note="x")
    left = working_days_between(today, due)
    assert _fresh(inquiry).paused_days_left == left < 0
    services.inquiry_resubmit(
        actor=citizen, inquiry=inquiry, note="y", uploads=[(DocumentKind.DEED, png_upload())]
    )
    assert _fresh(inquiry).due_date == add_working_days(today, left)
    assert _fresh(inquiry).due_date < today


def test_answering_sets_answered_at(citizen, reviewer_d1, manager_d1):
    inquiry = services.inquiry_review_start(actor=reviewer_d1, inquiry=InquiryFactory())
    assert _fresh(inquiry).answered_at is None
    answer = services.answer_prepare(
        actor=reviewer_d1, inquiry=inquiry, data={"decision": "no_objection"}, dues=[]
    )
    before = timezone.now()
    services.answer_sign(actor=manager_d1, answer=answer)
    answered = _fresh(inquiry)
    assert answered.status == InquiryStatus.ANSWERED
    assert before <= answered.answered_at <= timezone.now()


# --- preparing and signing the answer through the pages --------------------------------------------

ANSWER_POST = {
    "decision": "conditional",
    "reason": "",
    "building_status": "completed",
    "certificate_type": "completion",
    "certificate_number": "1401/555",
    "certificate_date": "۱۴۰۱/۰۳/۱۱",
    "land_use_plan": "residential",
    "road_widening": "partly",
    "road_widening_note": "۲ متر از ضلع شمالی",
    "conditions": "تسویه عوارض پیش از انتقال",
    "dues-TOTAL_FORMS": "3",
    "dues-INITIAL_FORMS": "0",
    "dues-MIN_NUM_FORMS": "3",
    "dues-MAX_NUM_FORMS": "20",
    "dues-0-title": "عوارض نوسازی",
    "dues-0-amount_rials": "۱٬۲۵۰٬۰۰۰",
    "dues-1-title": "عوارض پسماند",
    "dues-1-amount_rials": "750000",
    "dues-2-title": "",
    "dues-2-amount_rials": "",
}


@pytest.fixture
def taken(citizen, reviewer_d1):
    return services.inquiry_review_start(
        actor=reviewer_d1, inquiry=InquiryFactory(applicant=citizen)
    )


def _prepare_through_the_page(client, inquiry, **changes):
    return client.post(
        _staff_url(inquiry, "answer"),
        {**ANSWER_POST, "version": _fresh(inquiry).version, **changes},
    )


def test_answer_page_shows_the_form_with_three_due_rows(client_for, reviewer_d1, taken):
    response = client_for(reviewer_d1).get(_staff_url(taken, "answer"))
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.prefix == "dues"
    assert len(formset.forms) == 3
    assert response.context["form"]["version"].value() == taken.version


def test_reviewer_prepares_and_manager_signs_through_the_pages(
    client_for, reviewer_d1, manager_d1, citizen, taken, django_capture_on_commit_callbacks
):
    reviewer = client_for(reviewer_d1)
    response = _prepare_through_the_page(reviewer, taken)
    answer = Answer.objects.get(inquiry=taken)
    assert response.status_code == 302
    assert response["Location"] == _staff_url(taken, f"answers/{answer.pk}/sign")
    assert answer.status == AnswerStatus.DRAFT
    assert answer.prepared_by == reviewer_d1
    assert answer.certificate_date == dt.date(2022, 6, 1)
    assert [(d.title, d.amount_rials) for d in answer.dues.all()] == [
        ("عوارض نوسازی", 1_250_000),
        ("عوارض پسماند", 750_000),
    ]
    assert answer.dues_total_rials == 2_000_000

    manager = client_for(manager_d1)
    sign_url = _staff_url(taken, f"answers/{answer.pk}/sign")
    page = manager.get(sign_url)
    assert page.status_code == 200
    assert "confirm" in page.context["form"].fields
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(sign_url, {"confirm": "on", "version": _fresh(taken).version})
    assert response.status_code == 302
    assert response["Location"] == _staff_url(taken)
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.SIGNED
    assert answer.signed_by == manager_d1
    assert answer.letter_number and answer.verification_code
    inquiry = _fresh(taken)
    assert inquiry.status == InquiryStatus.ANSWERED
    assert inquiry.answered_at is not None

    detail = client_for(citizen).get(f"/inquiries/{inquiry.tracking_code}/")
    html = detail.content.decode()
    assert 'data-testid="answer-signed"' in html
    assert to_persian_digits(answer.letter_number) in html
    assert list(detail.context["answers"]) == [answer]


def test_signing_needs_the_confirmation_box(client_for, reviewer_d1, manager_d1, taken):
    _prepare_through_the_page(client_for(reviewer_d1), taken)
    answer = Answer.objects.get(inquiry=taken)
    response = client_for(manager_d1).post(
        _staff_url(taken, f"answers/{answer.pk}/sign"), {"version": _fresh(taken).version}
    )
    assert response.status_code == 200
    assert "confirm" in response.context["form"].errors
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.DRAFT
    assert _fresh(taken).status == InquiryStatus.IN_REVIEW


def test_a_reviewer_without_sign_rights_sees_the_sign_page_but_cannot_sign(
    client_for, reviewer_d1, taken
):
    client = client_for(reviewer_d1)
    _prepare_through_the_page(client, taken)
    answer = Answer.objects.get(inquiry=taken)
    sign_url = _staff_url(taken, f"answers/{answer.pk}/sign")
    page = client.get(sign_url)
    assert page.status_code == 200
    assert 'data-testid="answer-draft"' in page.content.decode()
    assert 'name="confirm"' not in page.content.decode()
    response = client.post(sign_url, {"confirm": "on", "version": _fresh(taken).version})
    assert response.status_code == 403
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.DRAFT
    assert _fresh(taken).status == InquiryStatus.IN_REVIEW
    assert not taken.events.filter(action=Action.ANSWER).exists()


def test_citizen_does_not_see_an_unsigned_answer(client_for, reviewer_d1, citizen, taken):
    _prepare_through_the_page(client_for(reviewer_d1), taken)
    detail = client_for(citizen).get(f"/inquiries/{taken.tracking_code}/")
    assert list(detail.context["answers"]) == []
    assert 'data-testid="answer-draft"' not in detail.content.decode()


def test_an_answer_with_problems_is_shown_again_with_the_errors(client_for, reviewer_d1, taken):
    response = _prepare_through_the_page(client_for(reviewer_d1), taken, conditions="")
    assert response.status_code == 200
    assert "conditions" in response.context["form"].errors
    assert not Answer.objects.exists()


def test_a_due_without_an_amount_is_refused(client_for, reviewer_d1, taken):
    response = _prepare_through_the_page(
        client_for(reviewer_d1), taken, **{"dues-1-amount_rials": ""}
    )
    assert response.status_code == 200
    assert response.context["formset"].errors[1]
    assert not Answer.objects.exists()


# --- overdue summary -------------------------------------------------------------------------------


def _late(*inquiries, days: int = 3) -> None:
    past = timezone.localdate() - dt.timedelta(days=days)
    Inquiry.objects.filter(pk__in=[i.pk for i in inquiries]).update(due_date=past)


def test_overdue_summary_sends_one_sms_per_manager_with_a_mobile(
    manager_d1, django_capture_on_commit_callbacks
):
    manager_d1.mobile = "09141111111"
    manager_d1.save()
    _colleague(role=DistrictRole.MANAGER, mobile="09142222222")
    _colleague(role=DistrictRole.MANAGER, username="manager-without-mobile")
    _colleague(role=DistrictRole.REVIEWER, mobile="09143333333")  # reviewers are not told
    _colleague(number=3, role=DistrictRole.MANAGER, mobile="09144444444")
    _late(InquiryFactory(), InquiryFactory(in_review=True))
    InquiryFactory(district_number=3)  # not late

    with django_capture_on_commit_callbacks(execute=True):
        sent = overdue_notify_managers()
    assert sent == 2
    assert sorted(m.to for m in sms.outbox) == ["09141111111", "09142222222"]
    assert all("۲" in m.text for m in sms.outbox)
    notice = OverdueNotice.objects.get()
    assert (notice.district, notice.day, notice.overdue_count) == (
        district(1),
        timezone.localdate(),
        2,
    )


def test_overdue_summary_ignores_paused_and_answered_inquiries(
    manager_d1, django_capture_on_commit_callbacks
):
    manager_d1.mobile = "09141111111"
    manager_d1.save()
    _late(
        InquiryFactory(needs_info=True),
        InquiryFactory(status=InquiryStatus.ANSWERED),
        InquiryFactory(status=InquiryStatus.WITHDRAWN),
    )
    InquiryFactory()  # no due date at all
    with django_capture_on_commit_callbacks(execute=True):
        assert overdue_notify_managers() == 0
    assert sms.outbox == []
    assert not OverdueNotice.objects.exists()


def test_overdue_summary_counts_only_the_late_ones(manager_d1, django_capture_on_commit_callbacks):
    manager_d1.mobile = "09141111111"
    manager_d1.save()
    late = [InquiryFactory() for _ in range(3)]
    _late(*late)
    _late(InquiryFactory(needs_info=True))
    Inquiry.objects.filter(pk=InquiryFactory().pk).update(due_date=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        overdue_notify_managers()
    assert OverdueNotice.objects.get().overdue_count == 3
    assert "۳" in sms.outbox[0].text


def test_overdue_summary_twice_the_same_day_sends_nothing_more(
    manager_d1, django_capture_on_commit_callbacks
):
    manager_d1.mobile = "09141111111"
    manager_d1.save()
    _late(InquiryFactory())
    with django_capture_on_commit_callbacks(execute=True):
        assert overdue_notify_managers() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert overdue_notify_managers() == 0
    assert len(sms.outbox) == 1
    assert OverdueNotice.objects.count() == 1


def test_overdue_summary_is_sent_again_the_next_day(manager_d1, django_capture_on_commit_callbacks):
    manager_d1.mobile = "09141111111"
    manager_d1.save()
    _late(InquiryFactory(), days=5)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        overdue_notify_managers(today=today)
    with django_capture_on_commit_callbacks(execute=True):
        overdue_notify_managers(today=today + dt.timedelta(days=1))
    assert len(sms.outbox) == 2
