"""Access comes only from current, active roles. A kiosk clerk, an office operator or a reviewer
whose role ended (membership switched off or removed, office switched off, moved to another
district) can no longer open, download, withdraw or answer anything through it, while the citizen
still can; a withdrawal names who made it; and what a departed reviewer held goes back to the
district's queue."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from counters.models import CounterOffice, OfficeMembership
from districts import services as district_services
from districts.models import DistrictMembership, DistrictRole
from districts.tests.factories import DistrictMembershipFactory, district
from inquiries import services
from inquiries.answer_pdf import answer_pdf_store
from inquiries.models import Attachment, Inquiry, InquiryDraft, InquiryEvent
from inquiries.services.common import store_upload
from inquiries.tests.factories import InquiryFactory, png_bytes, png_upload
from inquiries.workflow import Action, Channel, InquiryStatus
from shahrvand import sms

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _quick_pdf(monkeypatch):
    """The letter's content does not matter here, only who may fetch it."""
    monkeypatch.setattr("inquiries.answer_pdf.answer_pdf_bytes", lambda answer: b"%PDF-1.7 test")


def fresh(user):
    """The person as the next request sees them (roles are kept on the user object)."""
    return User.objects.get(pk=user.pk)


def with_document(inquiry: Inquiry, uploaded_by) -> Attachment:
    return store_upload(
        Attachment(inquiry=inquiry, kind="deed", uploaded_by=uploaded_by), png_upload()
    )


def snapshot(inquiry: Inquiry) -> dict:
    now = Inquiry.objects.get(pk=inquiry.pk)
    return {
        "status": now.status,
        "version": now.version,
        "assigned_to": now.assigned_to_id,
        "events": InquiryEvent.objects.filter(inquiry=now).count(),
        "attachments": Attachment.objects.filter(inquiry=now).count(),
    }


# --- the ways a role ends --------------------------------------------------------------------------


@dataclass
class RoleEnds:
    person: object
    # How their inquiries are filed (InquiryFactory keyword arguments besides the applicant).
    filed: dict = field(default_factory=dict)
    end: Callable[[], None] = lambda: None


def _membership(user) -> DistrictMembership:
    return DistrictMembership.objects.get(user=user)


ENDINGS = [
    "kiosk-membership-switched-off",
    "kiosk-membership-removed",
    "kiosk-clerk-moved-to-district-3",
    "office-switched-off",
    "office-membership-switched-off",
    "office-membership-removed",
    "reviewer-membership-switched-off",
    "reviewer-membership-removed",
    "reviewer-moved-to-district-3",
    "reviewer-made-kiosk-staff",
]


@pytest.fixture(params=ENDINGS)
def ending(request, ict_admin) -> RoleEnds:
    how = request.param
    if how.startswith("kiosk"):
        clerk = request.getfixturevalue("kiosk_clerk")
        scenario = RoleEnds(clerk, {"filed_by": clerk, "channel": Channel.KIOSK})
    elif how.startswith("office"):
        operator = request.getfixturevalue("pishkhan_operator")
        office = request.getfixturevalue("pishkhan_office")
        filed = {"filed_by": operator, "office": office, "channel": Channel.COUNTER_OFFICE}
        scenario = RoleEnds(operator, filed)
    else:
        scenario = RoleEnds(request.getfixturevalue("reviewer_d1"))
    person = scenario.person

    def end() -> None:
        if how.endswith("membership-switched-off") and how.startswith("office"):
            # The account stays active: only the membership is switched off.
            OfficeMembership.objects.filter(user=person).update(is_active=False)
        elif how == "office-membership-removed":
            OfficeMembership.objects.filter(user=person).delete()
        elif how == "office-switched-off":
            CounterOffice.objects.filter(memberships__user=person).update(is_active=False)
        elif how.endswith("switched-off"):
            district_services.district_membership_set_active(
                actor=ict_admin, membership=_membership(person), active=False
            )
        elif how.endswith("removed"):
            district_services.district_membership_remove(
                actor=ict_admin, membership=_membership(person)
            )
        elif how.endswith("moved-to-district-3"):
            district_services.district_membership_change(
                actor=ict_admin, membership=_membership(person), district=district(3)
            )
        elif how == "reviewer-made-kiosk-staff":
            district_services.district_membership_change(
                actor=ict_admin, membership=_membership(person), role=DistrictRole.KIOSK
            )
        assert fresh(person).is_active  # the account itself is never switched off here

    scenario.end = end
    return scenario


def _filed(ending: RoleEnds, citizen, **extra) -> Inquiry:
    return InquiryFactory(applicant=citizen, **ending.filed, **extra)


# --- opening and downloading -----------------------------------------------------------------------


def test_whose_role_ended_no_longer_opens_or_downloads_what_they_could(ending, client_for, citizen):
    inquiry = _filed(ending, citizen)
    document = with_document(inquiry, ending.filed.get("filed_by", citizen))
    code = inquiry.tracking_code
    pages = [f"/inquiries/{code}/", f"/inquiries/{code}/submitted/"]
    download = f"/inquiries/documents/{document.pk}/"
    client = client_for(ending.person)
    assert [client.get(url).status_code for url in [*pages, download]] == [200, 200, 200]

    ending.end()

    for url in pages:
        assert client.get(url).status_code == 404, url
    assert client.get(download).status_code == 404
    assert client.get(download, HTTP_RANGE="bytes=0-15").status_code == 404
    mine = client_for(citizen)
    for url in pages:
        assert mine.get(url).status_code == 200, url
    for headers in ({}, {"HTTP_RANGE": "bytes=0-15"}):
        response = mine.get(download, **headers)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_whose_role_ended_no_longer_gets_the_answer_pdf(ending, client_for, citizen, manager_d1):
    inquiry = services.inquiry_review_start(actor=manager_d1, inquiry=_filed(ending, citizen))
    answer = services.answer_prepare(
        actor=manager_d1, inquiry=inquiry, data={"decision": "no_objection"}, dues=[]
    )
    answer = services.answer_sign(actor=manager_d1, answer=answer)
    answer_pdf_store(answer.pk)
    urls = [f"/inquiries/answers/{answer.pk}/pdf/", f"/inquiries/answers/{answer.pk}/pdf/status/"]
    client = client_for(ending.person)
    assert [client.get(url).status_code for url in urls] == [200, 200]

    ending.end()

    assert [client.get(url).status_code for url in urls] == [404, 404]
    assert client.get(urls[0], HTTP_RANGE="bytes=0-3").status_code == 404
    assert [client_for(citizen).get(url).status_code for url in urls] == [200, 200]


# --- withdrawing and answering ---------------------------------------------------------------------


def test_whose_role_ended_cannot_withdraw_and_the_citizen_still_can(
    ending, client_for, citizen, django_capture_on_commit_callbacks
):
    inquiry = _filed(ending, citizen)
    ending.end()
    before = snapshot(inquiry)
    client = client_for(ending.person)
    url = f"/inquiries/{inquiry.tracking_code}/withdraw/"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
        with pytest.raises(PermissionDenied):
            services.inquiry_withdraw(actor=fresh(ending.person), inquiry=inquiry)
    assert snapshot(inquiry) == before
    assert sms.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(citizen).post(url).status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.WITHDRAWN
    event = inquiry.events.last()
    assert (event.action, event.actor, event.channel) == (Action.WITHDRAW, citizen, Channel.WEB)
    assert [m.to for m in sms.outbox] == [citizen.mobile]


def _needs_info(inquiry: Inquiry, reviewer) -> Inquiry:
    inquiry = services.inquiry_review_start(actor=reviewer, inquiry=inquiry)
    return services.inquiry_info_request(actor=reviewer, inquiry=inquiry, note="سند خوانا نیست")


def _answer_form() -> dict:
    return {
        "note": "تصویر خوانا پیوست شد",
        "kind": "deed",
        "file": SimpleUploadedFile("deed.png", png_bytes(), content_type="image/png"),
    }


def test_whose_role_ended_cannot_answer_a_request_for_information(
    ending, client_for, citizen, manager_d1
):
    inquiry = _needs_info(_filed(ending, citizen), manager_d1)
    ending.end()
    before = snapshot(inquiry)
    client = client_for(ending.person)
    url = f"/inquiries/{inquiry.tracking_code}/respond/"
    assert client.get(url).status_code == 404
    assert client.post(url, _answer_form()).status_code == 404
    with pytest.raises(PermissionDenied):
        services.inquiry_resubmit(
            actor=fresh(ending.person), inquiry=inquiry, note="x", uploads=[("deed", png_upload())]
        )
    assert snapshot(inquiry) == before

    assert client_for(citizen).post(url, _answer_form()).status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.RESUBMITTED
    assert inquiry.events.last().channel == Channel.WEB


@pytest.mark.parametrize(
    "ending", [how for how in ENDINGS if how.startswith("reviewer")], indirect=True
)
def test_a_reviewer_whose_role_ended_cannot_answer_as_staff(ending, client_for, citizen):
    inquiry = services.inquiry_review_start(actor=ending.person, inquiry=_filed(ending, citizen))
    ending.end()
    before = snapshot(inquiry)
    client = client_for(ending.person)
    staff = f"/staff/inquiries/{inquiry.tracking_code}/"
    # Moved to district 3: still staff, but not of this district (404); otherwise no staff (403).
    expected = 404 if _reviews_somewhere(ending.person) else 403
    assert client.get(staff).status_code == expected
    assert client.get(f"{staff}answer/").status_code == expected
    response = client.post(f"{staff}request-info/", {"note": "سند", "version": before["version"]})
    assert response.status_code == expected
    assert snapshot(inquiry) == before


def _reviews_somewhere(user) -> bool:
    return DistrictMembership.objects.filter(
        user=user, is_active=True, role__in=[DistrictRole.REVIEWER, DistrictRole.MANAGER]
    ).exists()


# --- "my inquiries" and the office queue -----------------------------------------------------------


def test_my_inquiries_lists_the_citizens_own_not_what_a_clerk_or_office_filed(
    client_for, citizen, kiosk_clerk, pishkhan_operator, pishkhan_office
):
    at_kiosk = InquiryFactory(applicant=citizen, filed_by=kiosk_clerk, channel=Channel.KIOSK)
    at_office = InquiryFactory(
        applicant=citizen,
        filed_by=pishkhan_operator,
        office=pishkhan_office,
        channel=Channel.COUNTER_OFFICE,
    )
    for staff in (kiosk_clerk, pishkhan_operator):
        page = client_for(staff).get("/inquiries/")
        assert list(page.context["page"].object_list) == []
    page = client_for(citizen).get("/inquiries/")
    assert {i.pk for i in page.context["page"].object_list} == {at_kiosk.pk, at_office.pk}


@pytest.mark.parametrize(
    "how", ["office-switched-off", "membership-switched-off", "membership-removed"]
)
def test_the_office_queue_closes_when_the_operators_role_ends(
    how, client_for, pishkhan_operator, pishkhan_office, citizen
):
    InquiryFactory(
        applicant=citizen,
        filed_by=pishkhan_operator,
        office=pishkhan_office,
        channel=Channel.COUNTER_OFFICE,
    )
    client = client_for(pishkhan_operator)
    urls = ["/office/", f"/office/{pishkhan_office.pk}/", f"/office/{pishkhan_office.pk}/file/"]
    assert client.get(urls[1]).status_code == 200
    if how == "office-switched-off":
        CounterOffice.objects.filter(pk=pishkhan_office.pk).update(is_active=False)
    elif how == "membership-switched-off":
        OfficeMembership.objects.filter(user=pishkhan_operator).update(is_active=False)
    else:
        OfficeMembership.objects.filter(user=pishkhan_operator).delete()
    assert [client.get(url).status_code for url in urls] == [403, 403, 403]


def test_an_operator_who_left_is_no_longer_told_about_the_offices_citizens(
    pishkhan_operator, pishkhan_office, citizen, manager_d1, django_capture_on_commit_callbacks
):
    pishkhan_operator.mobile = "09127770000"
    pishkhan_operator.save()
    inquiry = InquiryFactory(
        applicant=citizen,
        filed_by=pishkhan_operator,
        office=pishkhan_office,
        channel=Channel.COUNTER_OFFICE,
    )
    OfficeMembership.objects.filter(user=pishkhan_operator).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        _needs_info(inquiry, manager_d1)
    assert "09127770000" not in [m.to for m in sms.outbox]
    assert citizen.mobile in [m.to for m in sms.outbox]


# --- drafts ----------------------------------------------------------------------------------------


def test_a_kiosk_draft_and_its_uploads_close_when_the_clerks_role_ends(
    client_for, kiosk_clerk, ict_admin
):
    draft = services.draft_start(actor=kiosk_clerk, kind="transfer", channel=Channel.KIOSK)
    upload = services.draft_attachment_add(
        actor=kiosk_clerk, draft=draft, kind="national_card", upload=png_upload()
    )
    client = client_for(kiosk_clerk)
    step = f"/inquiries/drafts/{draft.pk}/property/"
    document = f"/inquiries/documents/{upload.pk}/"
    assert [client.get(step).status_code, client.get(document).status_code] == [200, 200]
    assert step in client.get("/inquiries/").content.decode()  # listed among the drafts

    district_services.district_membership_set_active(
        actor=ict_admin, membership=_membership(kiosk_clerk), active=False
    )

    assert client.get(step).status_code in (403, 404)
    assert client.get(document).status_code == 404
    assert client.get(document, HTTP_RANGE="bytes=0-15").status_code == 404
    assert step not in client.get("/inquiries/").content.decode()
    with pytest.raises(PermissionDenied):
        services.draft_attachment_add(
            actor=fresh(kiosk_clerk), draft=draft, kind="deed", upload=png_upload()
        )
    with pytest.raises(PermissionDenied):
        services.inquiry_submit(actor=fresh(kiosk_clerk), draft=draft)
    assert InquiryDraft.objects.get(pk=draft.pk).attachments.count() == 1
    assert not Inquiry.objects.exists()


# --- who withdrew ----------------------------------------------------------------------------------


def _history(client, inquiry) -> str:
    with translation.override("fa"):
        return client.get(f"/inquiries/{inquiry.tracking_code}/").content.decode()


def test_an_active_kiosk_clerk_still_follows_and_withdraws_what_they_filed_and_is_named(
    client_for, kiosk_clerk, citizen, django_capture_on_commit_callbacks
):
    inquiry = InquiryFactory(applicant=citizen, filed_by=kiosk_clerk, channel=Channel.KIOSK)
    document = with_document(inquiry, kiosk_clerk)
    clerk = client_for(kiosk_clerk)
    assert clerk.get(f"/inquiries/{inquiry.tracking_code}/").context["can_withdraw"]
    assert clerk.get(f"/inquiries/documents/{document.pk}/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(f"/inquiries/{inquiry.tracking_code}/withdraw/")
    assert response.status_code == 302
    event = Inquiry.objects.get(pk=inquiry.pk).events.last()
    assert (event.action, event.actor, event.channel) == (Action.WITHDRAW, kiosk_clerk, "kiosk")

    html = _history(client_for(citizen), inquiry)
    assert "انصراف از استعلام در باجه راهنمای منطقه" in html
    assert "انصراف متقاضی" not in html
    [message] = sms.outbox
    assert message.to == citizen.mobile
    assert "باجه راهنمای منطقه" in message.text
    assert "انصراف شما" not in message.text


def test_an_office_withdrawal_names_the_office_not_the_applicant(
    client_for,
    pishkhan_operator,
    pishkhan_office,
    citizen,
    manager_d1,
    django_capture_on_commit_callbacks,
):
    inquiry = InquiryFactory(
        applicant=citizen,
        filed_by=pishkhan_operator,
        office=pishkhan_office,
        channel=Channel.COUNTER_OFFICE,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_withdraw(actor=pishkhan_operator, inquiry=inquiry)
    event = Inquiry.objects.get(pk=inquiry.pk).events.last()
    assert (event.actor, event.channel) == (pishkhan_operator, Channel.COUNTER_OFFICE)
    with translation.override("en"):
        assert event.title() == "Withdrawn by the office that filed it"
    html = _history(client_for(citizen), inquiry)
    assert "انصراف از استعلام توسط دفتری که آن را ثبت کرده بود" in html
    assert "انصراف متقاضی" not in html
    [message] = sms.outbox
    assert pishkhan_office.name in message.text
    assert "انصراف شما" not in message.text
    with translation.override("fa"):
        staff = client_for(manager_d1).get(f"/staff/inquiries/{inquiry.tracking_code}/")
    staff_html = staff.content.decode()
    assert "متقاضی از این استعلام انصراف داده است" not in staff_html
    assert "انصراف از استعلام توسط دفتری که آن را ثبت کرده بود" in staff_html


def test_the_citizens_own_withdrawal_says_so(
    client_for, citizen, django_capture_on_commit_callbacks
):
    inquiry = InquiryFactory(applicant=citizen)
    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_withdraw(actor=citizen, inquiry=inquiry)
    assert "انصراف متقاضی از استعلام" in _history(client_for(citizen), inquiry)
    [message] = sms.outbox
    assert "انصراف شما" in message.text


# --- what a departed reviewer held (item 19) -------------------------------------------------------


@pytest.fixture
def colleague(db):
    user = User.objects.create_user(username="colleague-d1", first_name="سارا", last_name="نوری")
    DistrictMembershipFactory(user=user, district=district(1), role=DistrictRole.REVIEWER)
    return user


def _held_by(reviewer, citizen, *, status=InquiryStatus.IN_REVIEW) -> Inquiry:
    inquiry = services.inquiry_review_start(
        actor=reviewer, inquiry=InquiryFactory(applicant=citizen)
    )
    if status == InquiryStatus.NEEDS_INFO:
        inquiry = services.inquiry_info_request(actor=reviewer, inquiry=inquiry, note="سند")
    return Inquiry.objects.get(pk=inquiry.pk)


REVIEWER_ENDINGS = {
    "switched-off": lambda admin, m: district_services.district_membership_set_active(
        actor=admin, membership=m, active=False
    ),
    "removed": lambda admin, m: district_services.district_membership_remove(
        actor=admin, membership=m
    ),
    "made-kiosk-staff": lambda admin, m: district_services.district_membership_change(
        actor=admin, membership=m, role=DistrictRole.KIOSK
    ),
    "moved-to-district-3": lambda admin, m: district_services.district_membership_change(
        actor=admin, membership=m, district=district(3)
    ),
}


@pytest.mark.parametrize("how", list(REVIEWER_ENDINGS))
def test_ending_a_reviewers_role_releases_what_they_held(
    how, reviewer_d1, manager_d1, citizen, ict_admin
):
    in_review = _held_by(reviewer_d1, citizen)
    waiting = _held_by(reviewer_d1, citizen, status=InquiryStatus.NEEDS_INFO)
    answered = _held_by(reviewer_d1, citizen)
    draft = services.answer_prepare(
        actor=reviewer_d1, inquiry=answered, data={"decision": "no_objection"}, dues=[]
    )
    services.answer_sign(actor=manager_d1, answer=draft)
    answered_before = snapshot(answered)
    held_before = {i.pk: snapshot(i) for i in (in_review, waiting)}

    REVIEWER_ENDINGS[how](ict_admin, _membership(reviewer_d1))

    for inquiry in (in_review, waiting):
        after = snapshot(inquiry)
        before = held_before[inquiry.pk]
        assert after["assigned_to"] is None
        assert after["status"] == before["status"]
        assert after["version"] == before["version"] + 1
        assert after["events"] == before["events"] + 1
        event = Inquiry.objects.get(pk=inquiry.pk).events.last()
        assert event.action == Action.RELEASE
        assert (event.actor, event.from_status, event.to_status) == (
            ict_admin,
            before["status"],
            before["status"],
        )
        assert event.note == reviewer_d1.display_name
    # A finished inquiry keeps its history as it was.
    assert snapshot(answered) == answered_before


def test_switching_an_account_off_releases_what_it_held_in_every_district(
    reviewer_d1, citizen, ict_admin
):
    held = _held_by(reviewer_d1, citizen)
    User.objects.filter(pk=reviewer_d1.pk).update(is_active=False)
    released = services.inquiries_release_held_by(actor=ict_admin, user=reviewer_d1)
    assert [i.pk for i in released] == [held.pk]
    assert Inquiry.objects.get(pk=held.pk).assigned_to is None


def test_an_account_switched_off_by_the_ict_admin_hands_back_what_it_held(
    reviewer_d1, citizen, ict_admin
):
    from accounts.services_power import user_set_active

    held = _held_by(reviewer_d1, citizen)
    user_set_active(actor=ict_admin, user=reviewer_d1, active=False)
    held.refresh_from_db()
    assert held.assigned_to is None
    assert held.events.filter(action=Action.RELEASE).count() == 1


def test_a_reviewer_who_still_manages_the_district_keeps_what_they_hold(
    reviewer_d1, citizen, ict_admin
):
    DistrictMembershipFactory(user=reviewer_d1, district=district(1), role=DistrictRole.MANAGER)
    held = _held_by(reviewer_d1, citizen)
    before = snapshot(held)
    reviewer = DistrictMembership.objects.get(user=reviewer_d1, role=DistrictRole.REVIEWER)
    district_services.district_membership_remove(actor=ict_admin, membership=reviewer)
    assert snapshot(held) == before


def test_switching_a_membership_back_on_does_not_hand_anything_back(
    reviewer_d1, citizen, ict_admin
):
    held = _held_by(reviewer_d1, citizen)
    membership = _membership(reviewer_d1)
    district_services.district_membership_set_active(
        actor=ict_admin, membership=membership, active=False
    )
    version = Inquiry.objects.get(pk=held.pk).version
    district_services.district_membership_set_active(
        actor=ict_admin, membership=membership, active=True
    )
    held.refresh_from_db()
    assert (held.assigned_to, held.version) == (None, version)
    assert _membership(reviewer_d1).is_active


def test_a_colleague_takes_over_and_is_not_told_to_ask_the_former_holder(
    client_for, reviewer_d1, colleague, citizen, ict_admin
):
    held = _held_by(reviewer_d1, citizen)
    name = reviewer_d1.display_name
    with pytest.raises(services.InquiryError) as refusal:
        services.inquiry_info_request(actor=colleague, inquiry=held, note="سند")
    assert name in str(refusal.value.message)  # while the holder is there, they are named

    district_services.district_membership_remove(
        actor=ict_admin, membership=_membership(reviewer_d1)
    )

    client = client_for(colleague)
    url = f"/staff/inquiries/{held.tracking_code}/"
    page = client.get(url)
    assert page.context["holder_ok"]
    html = page.content.decode()
    assert 'data-testid="holder"' not in html
    assert "در حال بررسی این استعلام است" not in html
    version = Inquiry.objects.get(pk=held.pk).version
    response = client.post(f"{url}assign/", {"assignee": colleague.pk, "version": version})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.assigned_to == colleague
    services.inquiry_info_request(actor=colleague, inquiry=held, note="سند خوانا نیست")
    assert Inquiry.objects.get(pk=held.pk).status == InquiryStatus.NEEDS_INFO
    # The history says why it changed hands.
    with translation.override("fa"):
        history = client.get(url).content.decode()
    assert "کارشناسی که آن را در دست داشت دیگر در این منطقه بررسی نمی‌کند" in history


def test_a_manager_takes_over_from_a_holder_whose_role_ended_elsewhere(
    reviewer_d1, manager_d1, colleague, citizen
):
    """Even when a hold outlived the role through some other path, a manager hands it on; and
    nobody can hand an inquiry to the person who left."""
    held = _held_by(reviewer_d1, citizen)
    DistrictMembership.objects.filter(user=reviewer_d1).delete()  # bypassing the services
    with pytest.raises(services.InquiryError):
        services.inquiry_assign(actor=manager_d1, inquiry=held, assignee=fresh(reviewer_d1))
    services.inquiry_assign(actor=manager_d1, inquiry=held, assignee=colleague)
    assert Inquiry.objects.get(pk=held.pk).assigned_to == colleague


def test_the_migration_releases_holds_left_from_before(reviewer_d1, reviewer_d3, citizen):
    lapsed = _held_by(reviewer_d1, citizen)
    kept = services.inquiry_review_start(
        actor=reviewer_d3, inquiry=InquiryFactory(applicant=citizen, district_number=3)
    )
    DistrictMembership.objects.filter(user=reviewer_d1).delete()  # as the old admin did
    before = snapshot(kept)
    migration = importlib.import_module("inquiries.migrations.0007_release_when_role_ends")
    migration.release_lapsed_holds(apps, None)
    lapsed.refresh_from_db()
    assert lapsed.assigned_to is None
    event = lapsed.events.last()
    assert (event.action, event.actor, event.note) == (
        Action.RELEASE,
        None,
        reviewer_d1.display_name,
    )
    assert snapshot(kept) == before


def test_only_the_ict_organisation_ends_district_roles(manager_d1, reviewer_d1, citizen):
    held = _held_by(reviewer_d1, citizen)
    before = snapshot(held)
    membership = _membership(reviewer_d1)
    with pytest.raises(PermissionDenied):
        district_services.district_membership_set_active(
            actor=manager_d1, membership=membership, active=False
        )
    with pytest.raises(PermissionDenied):
        district_services.district_membership_remove(actor=manager_d1, membership=membership)
    assert _membership(reviewer_d1).is_active
    assert snapshot(held) == before
