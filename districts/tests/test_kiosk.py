"""The district help kiosk ("baje"): recording help given, looking up an inquiry, filing one for a
walk-in citizen, and binding a citizen's new mobile number after seeing the ID card."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from accounts.models import MobileChange
from accounts.tests.factories import valid_national_id
from districts.models import HelpKiosk, KioskHelpLog
from districts.tests.factories import district
from inquiries.models import Inquiry, InquiryDraft
from inquiries.tests.factories import InquiryFactory, png_bytes
from inquiries.workflow import Channel, InquiryStatus
from shahrvand import sms
from shahrvand.text import to_persian_digits

pytestmark = pytest.mark.django_db

User = get_user_model()

WALK_IN_NATIONAL_ID = valid_national_id(seed=424242)
WALK_IN_MOBILE = "09147654321"


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def kiosk(client_for, kiosk_clerk) -> Client:
    return client_for(kiosk_clerk)


# --- recording help --------------------------------------------------------------------------------


def test_kiosk_clerk_records_a_help_visit(kiosk, kiosk_clerk):
    response = kiosk.post(
        "/kiosk/help/",
        {"topic": "status", "resolution": "وضعیت استعلام توضیح داده شد", "minutes": "۱۵"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/kiosk/"
    record = KioskHelpLog.objects.get()
    assert (record.topic, record.minutes, record.staff, record.district) == (
        "status",
        15,
        kiosk_clerk,
        district(1),
    )
    assert record.resolution == "وضعیت استعلام توضیح داده شد"
    assert record.kiosk == HelpKiosk.objects.get(district=district(1))
    assert kiosk.get("/kiosk/").context["helped_today"] == 1


@pytest.mark.parametrize("minutes", ["0", "241", "-3", "ده", ""])
def test_bad_minutes_are_refused_with_a_message(kiosk, minutes):
    response = kiosk.post(
        "/kiosk/help/", {"topic": "documents", "resolution": "مدارک لازم", "minutes": minutes}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["minutes"]
    assert "invalid-feedback" in response.content.decode()
    assert "مدارک لازم" in response.content.decode()  # what was typed is kept
    assert not KioskHelpLog.objects.exists()


def test_a_help_visit_needs_a_topic_and_what_was_resolved(kiosk):
    response = kiosk.post("/kiosk/help/", {"minutes": "5"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"topic", "resolution"}
    assert not KioskHelpLog.objects.exists()


# --- looking up an inquiry -------------------------------------------------------------------------


def test_kiosk_clerk_looks_up_an_inquiry_of_district_1_and_sees_its_status(kiosk, citizen):
    inquiry = InquiryFactory(applicant=citizen, in_review=True)
    response = kiosk.post(
        "/kiosk/lookup/", {"tracking_code": inquiry.tracking_code_display().lower()}
    )
    assert response.status_code == 200
    assert response.context["inquiry"] == inquiry
    html = response.content.decode()
    assert 'data-testid="kiosk-result"' in html
    with translation.override("fa"):
        status = str(InquiryStatus(inquiry.status).label)
    assert status in html
    assert inquiry.tracking_code_display() in html


def test_a_code_typed_with_persian_digits_is_found(kiosk):
    inquiry = InquiryFactory()
    typed = to_persian_digits(inquiry.tracking_code_display())
    assert kiosk.post("/kiosk/lookup/", {"tracking_code": typed}).context["inquiry"] == inquiry


def test_a_district_3_inquiry_is_not_found_at_the_district_1_kiosk(kiosk, other_citizen):
    inquiry = InquiryFactory(district_number=3, applicant=other_citizen)
    response = kiosk.post("/kiosk/lookup/", {"tracking_code": inquiry.tracking_code})
    assert response.status_code == 200
    assert response.context["searched"] is True
    assert response.context["inquiry"] is None
    html = response.content.decode()
    assert 'data-testid="kiosk-result"' not in html
    assert 'role="alert"' in html
    assert other_citizen.last_name not in html
    assert inquiry.tracking_code_display() not in html


def test_an_unknown_code_finds_nothing(kiosk):
    response = kiosk.post("/kiosk/lookup/", {"tracking_code": "AAAAAAAAA"})
    assert response.context["inquiry"] is None
    assert 'data-testid="kiosk-result"' not in response.content.decode()


# --- filing for a walk-in citizen ------------------------------------------------------------------

PROPERTY = {
    "renovation_code": "۱-۳-۴۵-۱۲-۰-۰-۰",
    "plate_main": "56",
    "plate_sub": "1234",
    "registration_section": "2",
    "address": "ارومیه، خیابان امام، کوچه ۱۲",
    "area_m2": "150",
    "land_use": "residential",
    "building_status": "completed",
}


def _step(draft, step: str) -> str:
    return f"/inquiries/drafts/{draft.pk}/{step}/"


def _file_for_walk_in(
    kiosk, capture_on_commit, *, national_id=WALK_IN_NATIONAL_ID, mobile=WALK_IN_MOBILE
) -> Inquiry:
    response = kiosk.post("/kiosk/file/", {"kind": "transfer"})
    draft = InquiryDraft.objects.get()
    assert response["Location"] == _step(draft, "property")
    assert draft.channel == Channel.KIOSK

    assert kiosk.post(_step(draft, "property"), PROPERTY)["Location"] == _step(draft, "applicant")

    page = kiosk.get(_step(draft, "applicant"))
    assert {"national_id", "mobile"} <= set(page.context["form"].fields)
    response = kiosk.post(
        _step(draft, "applicant"),
        {
            "national_id": to_persian_digits(national_id),
            "mobile": mobile,
            "first_name": "رضا",
            "last_name": "محمدی",
            "relation": "owner",
        },
    )
    assert response["Location"] == _step(draft, "details")
    draft.refresh_from_db()
    assert draft.data["applicant"]["national_id"] == national_id
    assert draft.data["applicant"]["mobile"] == mobile

    response = kiosk.post(
        _step(draft, "details"),
        {
            "transaction_type": "sale",
            "seller_national_id": national_id,
            "seller_name": "رضا محمدی",
            "notes": "",
        },
    )
    assert response["Location"] == _step(draft, "documents")
    upload = SimpleUploadedFile("deed.png", png_bytes(), content_type="image/png")
    kiosk.post(_step(draft, "documents"), {"kind": "deed", "file": upload})
    assert kiosk.post(_step(draft, "documents"), {"continue": "1"})["Location"] == _step(
        draft, "review"
    )
    assert kiosk.get(_step(draft, "review")).status_code == 200

    with capture_on_commit(execute=True):
        response = kiosk.post(f"/inquiries/drafts/{draft.pk}/submit/")
    inquiry = Inquiry.objects.get()
    assert response["Location"] == f"/inquiries/{inquiry.tracking_code}/submitted/"
    assert kiosk.get(response["Location"]).status_code == 200
    return inquiry


def test_kiosk_files_an_inquiry_for_a_walk_in_citizen(
    kiosk, kiosk_clerk, django_capture_on_commit_callbacks
):
    inquiry = _file_for_walk_in(kiosk, django_capture_on_commit_callbacks)
    assert inquiry.channel == Channel.KIOSK
    assert inquiry.filed_by == kiosk_clerk
    assert inquiry.district == district(1)
    assert inquiry.applicant_national_id == WALK_IN_NATIONAL_ID
    assert inquiry.applicant_mobile == WALK_IN_MOBILE
    assert inquiry.status == InquiryStatus.SUBMITTED
    assert inquiry.due_date is not None
    event = inquiry.events.get()
    assert (event.actor, event.channel) == (kiosk_clerk, Channel.KIOSK)

    assert [m.to for m in sms.outbox] == [WALK_IN_MOBILE]
    assert inquiry.tracking_code_display() in sms.outbox[0].text


def test_filing_at_the_kiosk_creates_the_citizens_account_and_the_inquiry_is_theirs(
    kiosk, django_capture_on_commit_callbacks
):
    assert not User.objects.filter(national_id=WALK_IN_NATIONAL_ID).exists()
    inquiry = _file_for_walk_in(kiosk, django_capture_on_commit_callbacks)
    walk_in = User.objects.get(national_id=WALK_IN_NATIONAL_ID)
    assert walk_in.mobile == WALK_IN_MOBILE
    assert (walk_in.first_name, walk_in.last_name) == ("رضا", "محمدی")
    assert not walk_in.has_usable_password()

    citizen = Client()
    citizen.force_login(walk_in)
    mine = citizen.get("/inquiries/")
    assert [i.pk for i in mine.context["page"].object_list] == [inquiry.pk]
    assert inquiry.tracking_code_display() in mine.content.decode()
    assert citizen.get(f"/inquiries/{inquiry.tracking_code}/").status_code == 200


def test_filing_at_the_kiosk_for_a_known_citizen_keeps_their_account(
    kiosk, citizen, django_capture_on_commit_callbacks
):
    accounts = User.objects.count()
    inquiry = _file_for_walk_in(
        kiosk,
        django_capture_on_commit_callbacks,
        national_id=citizen.national_id,
        mobile=citizen.mobile,
    )
    assert User.objects.count() == accounts
    mine = Client()
    mine.force_login(citizen)
    assert [i.pk for i in mine.get("/inquiries/").context["page"].object_list] == [inquiry.pk]


def test_the_kiosk_draft_is_not_open_to_citizens(client_for, kiosk, citizen):
    kiosk.post("/kiosk/file/", {"kind": "transfer"})
    draft = InquiryDraft.objects.get()
    assert client_for(citizen).get(_step(draft, "property")).status_code == 404


# --- changing a citizen's mobile -------------------------------------------------------------------


def _mobile_form(citizen, mobile: str, **extra) -> dict:
    return {"national_id": citizen.national_id, "mobile": mobile, **extra}


def test_changing_a_mobile_needs_the_id_card_checkbox(kiosk, citizen):
    old = citizen.mobile
    response = kiosk.post("/kiosk/mobile/", _mobile_form(citizen, "09145550000"))
    assert response.status_code == 200
    assert response.context["form"].errors["id_card_seen"]
    citizen.refresh_from_db()
    assert citizen.mobile == old
    assert not MobileChange.objects.exists()


def test_changing_a_mobile_records_who_changed_it(kiosk, kiosk_clerk, citizen):
    old = citizen.mobile
    response = kiosk.post("/kiosk/mobile/", _mobile_form(citizen, "۰۹۱۴۵۵۵۰۰۰۰", id_card_seen="on"))
    assert response.status_code == 302
    assert response["Location"] == "/kiosk/"
    citizen.refresh_from_db()
    assert citizen.mobile == "09145550000"
    change = MobileChange.objects.get()
    assert (change.user, change.old_mobile, change.new_mobile, change.changed_by) == (
        citizen,
        old,
        "09145550000",
        kiosk_clerk,
    )


def test_changing_a_mobile_signs_the_citizen_out(client_for, kiosk, citizen):
    signed_in = client_for(citizen)
    assert signed_in.get("/inquiries/").status_code == 200
    kiosk.post("/kiosk/mobile/", _mobile_form(citizen, "09145550000", id_card_seen="on"))
    response = signed_in.get("/inquiries/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/citizen/")
    assert response.wsgi_request.user.is_anonymous


def test_the_same_mobile_again_changes_nothing(client_for, kiosk, citizen):
    signed_in = client_for(citizen)
    kiosk.post("/kiosk/mobile/", _mobile_form(citizen, citizen.mobile, id_card_seen="on"))
    assert not MobileChange.objects.exists()
    assert signed_in.get("/inquiries/").status_code == 200


def test_a_mobile_for_a_national_id_without_an_account_creates_it(kiosk, kiosk_clerk):
    national_id = valid_national_id(seed=777)
    response = kiosk.post(
        "/kiosk/mobile/",
        {
            "national_id": national_id,
            "mobile": "09146660000",
            "first_name": "مینا",
            "last_name": "صادقی",
            "id_card_seen": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(national_id=national_id)
    assert (user.mobile, user.first_name, user.last_name) == ("09146660000", "مینا", "صادقی")
    change = MobileChange.objects.get()
    assert (change.user, change.old_mobile, change.changed_by) == (user, "", kiosk_clerk)


def test_a_bad_national_id_is_refused(kiosk):
    response = kiosk.post(
        "/kiosk/mobile/",
        {"national_id": "1234567890", "mobile": "09146660000", "id_card_seen": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["national_id"]
    assert not MobileChange.objects.exists()


def test_kiosk_clerk_files_only_for_properties_of_their_own_district(kiosk):
    kiosk.post("/kiosk/file/", {"kind": "transfer"})
    draft = InquiryDraft.objects.get()
    elsewhere = {**PROPERTY, "renovation_code": "3-1-2-3-0-0-0"}

    response = kiosk.post(_step(draft, "property"), elsewhere)

    assert response.status_code == 200
    assert "کیوسک" in response.content.decode() or "باجه" in response.content.decode()
    assert response.context["form"].errors["renovation_code"]
    assert response.context["form"]["address"].value() == PROPERTY["address"]
    draft.refresh_from_db()
    assert not draft.data.get("property")
