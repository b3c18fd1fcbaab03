import datetime as dt

import pytest
from django.test import Client

from accounts.roles import roles_of
from counters import services
from counters.models import OfficeMembership
from inquiries import services as inquiry_services
from inquiries.models import Inquiry
from inquiries.tests.factories import InquiryFactory, png_upload
from inquiries.workflow import Channel, InquiryStatus
from shahrvand import sms

pytestmark = pytest.mark.django_db


# A notary office's letter as its operator types it: Persian digits, the date in Jalali.
NOTARY_LETTER = {"letter_number": "۱۲/۳۴۵۶", "letter_date": "۱۴۰۳/۰۵/۰۱"}


def _file_for_citizen(
    client, office, *, kind="transfer", national_id="0084575948", details=NOTARY_LETTER
):
    """Through the pages, as an operator does all day."""
    from inquiries.models import InquiryDraft

    client.post(f"/office/{office.pk}/file/", {"kind": kind})
    draft = InquiryDraft.objects.latest("created_at")
    url = f"/inquiries/drafts/{draft.pk}/"
    client.post(
        url + "property/",
        {
            "renovation_code": "1-2-3-4-0-0-0",
            "plate_main": "12",
            "registration_section": "2",
            "address": "ارومیه",
            "area_m2": "100",
            "land_use": "residential",
            "building_status": "completed",
        },
    )
    client.post(
        url + "applicant/",
        {
            "national_id": national_id,
            "mobile": "09141234567",
            "first_name": "رضا",
            "last_name": "کریمی",
            "relation": "owner",
        },
    )
    client.post(
        url + "details/",
        {
            "transaction_type": "sale",
            "seller_national_id": national_id,
            "seller_name": "رضا کریمی",
            "notary_office_number": "999",
            **details,
        },
    )
    inquiry_services.draft_attachment_add(
        actor=draft.owner, draft=draft, kind="deed", upload=png_upload()
    )
    client.post(f"/inquiries/drafts/{draft.pk}/submit/")
    return Inquiry.objects.get(submission_key=draft.submission_key)


def test_operator_files_for_a_citizen_who_then_sees_it(
    client_for, pishkhan_operator, pishkhan_office, django_capture_on_commit_callbacks
):
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = _file_for_citizen(client_for(pishkhan_operator), pishkhan_office)
    assert inquiry.channel == Channel.COUNTER_OFFICE
    assert inquiry.office == pishkhan_office and inquiry.filed_by == pishkhan_operator
    assert inquiry.events.get().actor == pishkhan_operator
    assert any(
        m.to == "09141234567" and inquiry.tracking_code_display() in m.text for m in sms.outbox
    )
    from django.contrib.auth import get_user_model

    citizen = get_user_model().objects.get(national_id="0084575948")
    assert citizen.mobile == "09141234567"
    page = client_for(citizen).get("/inquiries/").content.decode()
    assert inquiry.tracking_code_display() in page


def test_a_notary_transfer_carries_the_notary_number_and_its_letter(
    client_for, notary_operator, notary_office, reviewer_d1
):
    inquiry = _file_for_citizen(client_for(notary_operator), notary_office)
    assert inquiry.channel == Channel.NOTARY_OFFICE
    assert inquiry.transfer.notary_office_number == notary_office.number  # not the 999 typed
    assert inquiry.transfer.letter_number == "12/3456"  # Persian digits made Latin
    assert inquiry.transfer.letter_date == dt.date(2024, 7, 22)  # 1403/05/01
    # The district's reviewer reads it on the inquiry's page, in Persian digits.
    page = client_for(reviewer_d1).get(f"/staff/inquiries/{inquiry.tracking_code}/")
    html = page.content.decode()
    assert "۱۲/۳۴۵۶" in html and "۱ مرداد ۱۴۰۳" in html


def test_a_notary_transfer_without_its_letter_is_not_saved(
    client_for, notary_operator, notary_office
):
    from inquiries.models import InquiryDraft

    client = client_for(notary_operator)
    client.post(f"/office/{notary_office.pk}/file/", {"kind": "transfer"})
    draft = InquiryDraft.objects.latest("created_at")
    page = client.post(
        f"/inquiries/drafts/{draft.pk}/details/",
        {"transaction_type": "sale", "seller_national_id": "0084575948", "seller_name": "رضا"},
    )
    assert page.status_code == 200
    form = page.context["form"]
    assert set(form.errors) == {"letter_number", "letter_date"}
    draft.refresh_from_db()
    assert not draft.data.get("details")


def test_a_notary_draft_saved_before_the_letter_was_asked_for_goes_back_to_its_details(
    client_for, notary_operator, notary_office
):
    """Details saved before the notary office's letter was required (no letter in them) are not
    submitted as they are: the operator is sent back to the details step."""
    from inquiries.models import InquiryDraft

    client = client_for(notary_operator)
    with pytest.raises(Inquiry.DoesNotExist):
        _file_for_citizen(client, notary_office, details={})  # refused on the details step
    draft = InquiryDraft.objects.latest("created_at")
    draft.data["details"] = {
        "transaction_type": "sale",
        "seller_national_id": "0084575948",
        "seller_name": "رضا کریمی",
        "notes": "",
    }
    draft.data.pop("typed", None)  # nothing typed and left unsaved: only the saved details
    draft.save()
    response = client.post(f"/inquiries/drafts/{draft.pk}/submit/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/inquiries/drafts/{draft.pk}/details/")
    assert not Inquiry.objects.filter(submission_key=draft.submission_key).exists()


def test_a_counter_office_files_a_transfer_without_a_notary_letter(
    client_for, pishkhan_operator, pishkhan_office
):
    inquiry = _file_for_citizen(client_for(pishkhan_operator), pishkhan_office, details={})
    assert (inquiry.transfer.letter_number, inquiry.transfer.letter_date) == ("", None)


def test_the_office_queue_shows_every_operator_of_the_office_and_nothing_else(
    client_for, pishkhan_operator, pishkhan_office, pishkhan_manager, notary_office, citizen
):
    ours = InquiryFactory(
        applicant=citizen,
        office=pishkhan_office,
        filed_by=pishkhan_manager,
        channel=Channel.COUNTER_OFFICE,
    )
    theirs = InquiryFactory(applicant=citizen, office=notary_office, channel=Channel.NOTARY_OFFICE)
    citizens_own = InquiryFactory(applicant=citizen)
    client = client_for(pishkhan_operator)
    html = client.get(f"/office/{pishkhan_office.pk}/").content.decode()
    assert ours.tracking_code_display() in html
    assert theirs.tracking_code_display() not in html
    assert citizens_own.tracking_code_display() not in html
    filtered = client.get(f"/office/{pishkhan_office.pk}/?operator={pishkhan_operator.pk}")
    assert ours.tracking_code_display() not in filtered.content.decode()
    assert client.get(f"/inquiries/{ours.tracking_code}/").status_code == 200
    for url in (
        f"/office/{notary_office.pk}/",
        f"/office/{notary_office.pk}/file/",
        f"/inquiries/{theirs.tracking_code}/",
        f"/inquiries/{citizens_own.tracking_code}/",
    ):
        assert client.get(url).status_code == 404, url


def test_the_office_answers_a_request_for_information(
    client_for, pishkhan_operator, pishkhan_office, citizen, reviewer_d1
):
    inquiry = InquiryFactory(
        applicant=citizen, office=pishkhan_office, channel=Channel.COUNTER_OFFICE
    )
    inquiry_services.inquiry_review_start(actor=reviewer_d1, inquiry=inquiry)
    inquiry_services.inquiry_info_request(actor=reviewer_d1, inquiry=inquiry, note="سند")
    inquiry_services.inquiry_resubmit(
        actor=pishkhan_operator, inquiry=inquiry, note="پیوست شد", uploads=[("deed", png_upload())]
    )
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.RESUBMITTED
    assert inquiry.events.last().channel == Channel.COUNTER_OFFICE


def test_office_manager_adds_and_deactivates_operators(
    client_for, pishkhan_manager, pishkhan_office
):
    client = client_for(pishkhan_manager)
    response = client.post(
        f"/office/{pishkhan_office.pk}/operators/",
        {
            "username": "op-new",
            "first_name": "سارا",
            "last_name": "نوری",
            "password": "Kh0shRang!2026",
        },
    )
    assert response.status_code == 302
    membership = OfficeMembership.objects.get(user__username="op-new")
    operator = Client()
    assert operator.login(username="op-new", password="Kh0shRang!2026")
    # The manager chose the password: the operator chooses their own before anything else.
    assert operator.get(f"/office/{pishkhan_office.pk}/")["Location"].startswith(
        "/accounts/password/"
    )
    operator.post(
        "/accounts/password/",
        {
            "old_password": "Kh0shRang!2026",
            "new_password1": "Sabz-Kooh!1405",
            "new_password2": "Sabz-Kooh!1405",
        },
    )
    assert operator.get(f"/office/{pishkhan_office.pk}/").status_code == 200
    client.post(f"/office/{pishkhan_office.pk}/operators/{membership.pk}/active/", {"active": "0"})
    membership.refresh_from_db()
    assert not membership.is_active and not membership.user.is_active
    # Their open session ends: the next request is anonymous.
    assert operator.get(f"/office/{pishkhan_office.pk}/").status_code == 302


def test_a_weak_password_is_refused(client_for, pishkhan_manager, pishkhan_office):
    page = client_for(pishkhan_manager).post(
        f"/office/{pishkhan_office.pk}/operators/",
        {"username": "op-weak", "first_name": "a", "last_name": "b", "password": "123"},
    )
    assert page.status_code == 200
    assert not OfficeMembership.objects.filter(user__username="op-weak").exists()


def test_operators_cannot_manage_and_managers_only_their_office(
    client_for, pishkhan_operator, pishkhan_manager, pishkhan_office, notary_office, notary_operator
):
    assert (
        client_for(pishkhan_operator).get(f"/office/{pishkhan_office.pk}/operators/").status_code
        == 403
    )
    assert (
        client_for(pishkhan_manager).get(f"/office/{notary_office.pk}/operators/").status_code
        == 404
    )
    membership = OfficeMembership.objects.get(user=notary_operator)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.operator_set_active(actor=pishkhan_manager, membership=membership, active=False)


def test_roles_of_an_operator(pishkhan_operator, pishkhan_office):
    roles = roles_of(pishkhan_operator)
    assert roles.office_ids == {pishkhan_office.pk}
    assert roles.office_channels == {Channel.COUNTER_OFFICE}
    assert not roles.is_citizen


@pytest.mark.parametrize("persona", ["citizen", "reviewer_d1", "kiosk_clerk", "ict_admin"])
def test_non_operators_have_no_office_pages(client_for, request, persona, pishkhan_office):
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/office/").status_code == 403
    assert client.get(f"/office/{pishkhan_office.pk}/").status_code == 403


@pytest.mark.parametrize("persona", ["citizen", "reviewer_d1", "kiosk_clerk", "pishkhan_operator"])
def test_only_the_ict_organisation_sees_the_registry(client_for, request, persona, pishkhan_office):
    client = client_for(request.getfixturevalue(persona))
    for url in ("/offices/", f"/offices/{pishkhan_office.pk}/", "/offices/import/"):
        assert client.get(url).status_code == 403, url


def test_registry_search_and_detail(client_for, ict_admin, pishkhan_office, notary_office):
    client = client_for(ict_admin)
    html = client.get("/offices/?kind=notary").content.decode()
    assert 'data-office="12"' in html and 'data-office="11012"' not in html
    assert 'data-office="11012"' in client.get("/offices/?q=۱۱۰۱۲").content.decode()
    assert client.get(f"/offices/{pishkhan_office.pk}/").status_code == 200


def test_the_filing_office_is_told_too(
    pishkhan_operator, pishkhan_office, citizen, reviewer_d1, django_capture_on_commit_callbacks
):
    pishkhan_operator.mobile = "09127770000"
    pishkhan_operator.save()
    inquiry = InquiryFactory(
        applicant=citizen,
        office=pishkhan_office,
        filed_by=pishkhan_operator,
        channel=Channel.COUNTER_OFFICE,
    )
    inquiry_services.inquiry_review_start(actor=reviewer_d1, inquiry=inquiry)
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        inquiry_services.inquiry_info_request(actor=reviewer_d1, inquiry=inquiry, note="سند")
    assert sorted(m.to for m in sms.outbox) == sorted([citizen.mobile, "09127770000"])
