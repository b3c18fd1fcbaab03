"""Issue 10, items 1, 6 and 8 at the help kiosk: a national ID, a mobile or a number typed in digits of
another script is refused with a Persian message (one citizen stays one account), a look-up of a
hostile code finds nothing, and a note made of invisible marks says nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.models import MobileChange
from accounts.tests.factories import valid_national_id
from districts.models import KioskHelpLog
from inquiries.models import InquiryDraft
from inquiries.tests.factories import InquiryFactory

pytestmark = pytest.mark.django_db

User = get_user_model()

WALK_IN_ID = valid_national_id(seed=771)
WALK_IN_MOBILE = "09147654321"
DIGITS = "0123456789"
DIGITS_MESSAGE = "فقط رقم‌های ۰ تا ۹"
OTHER_SCRIPTS = ["０１２３４５６７８９", "০১২৩৪৫৬৭৮৯", "०१२३४५६७८९", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗", "⁰¹²³⁴⁵⁶⁷⁸⁹"]


@pytest.fixture
def kiosk(client_for, kiosk_clerk) -> Client:
    return client_for(kiosk_clerk)


def _in(script: str, digits: str) -> str:
    return digits.translate(str.maketrans(DIGITS, script))


@pytest.mark.parametrize("script", OTHER_SCRIPTS)
def test_the_kiosk_refuses_a_national_id_in_other_digits_and_makes_no_second_citizen(kiosk, script):
    response = kiosk.post(
        "/kiosk/mobile/",
        {
            "national_id": _in(script, WALK_IN_ID),
            "mobile": WALK_IN_MOBILE,
            "first_name": "رضا",
            "id_card_seen": "on",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert DIGITS_MESSAGE in html
    assert "رضا" in html  # what was typed elsewhere is kept
    assert not User.objects.filter(national_id__isnull=False).exists()
    assert not MobileChange.objects.exists()


@pytest.mark.parametrize("script", OTHER_SCRIPTS)
def test_the_kiosk_refuses_a_mobile_in_other_digits(kiosk, script):
    response = kiosk.post(
        "/kiosk/mobile/",
        {"national_id": WALK_IN_ID, "mobile": _in(script, WALK_IN_MOBILE), "id_card_seen": "on"},
    )
    assert response.status_code == 200
    assert DIGITS_MESSAGE in response.content.decode()
    assert not MobileChange.objects.exists()


def test_one_citizen_whatever_accepted_digits_the_kiosk_types(kiosk):
    for typed in (WALK_IN_ID, _in("۰۱۲۳۴۵۶۷۸۹", WALK_IN_ID), _in("٠١٢٣٤٥٦٧٨٩", WALK_IN_ID)):
        response = kiosk.post(
            "/kiosk/mobile/",
            {"national_id": typed, "mobile": WALK_IN_MOBILE, "id_card_seen": "on"},
        )
        assert response.status_code == 302
    assert User.objects.filter(national_id=WALK_IN_ID).count() == 1
    assert User.objects.filter(national_id__isnull=False).count() == 1


@pytest.mark.parametrize(
    "typed", ["²³⁴⁵⁶⁷⁸⁹A", "ＡＢＣＤＥＦＧＨＪ", "ß" * 9, "x" * 5000, "9" * 5000]
)
def test_a_hostile_tracking_code_at_the_kiosk_finds_nothing(kiosk, typed):
    InquiryFactory()
    response = kiosk.post("/kiosk/lookup/", {"tracking_code": typed})
    assert response.status_code == 200
    assert response.context["inquiry"] is None


@pytest.mark.parametrize("minutes", ["¹⁵", "১৫", "①"])
def test_minutes_in_other_digits_are_refused_with_a_persian_message(kiosk, minutes):
    response = kiosk.post(
        "/kiosk/help/", {"topic": "status", "resolution": "توضیح وضعیت", "minutes": minutes}
    )
    assert response.status_code == 200
    assert DIGITS_MESSAGE in response.content.decode()
    assert not KioskHelpLog.objects.exists()


def test_a_help_note_of_invisible_marks_is_refused(kiosk):
    response = kiosk.post(
        "/kiosk/help/",
        {"topic": "status", "resolution": "\u200b\u200c\u200f\u2066", "minutes": "5"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["resolution"]
    assert not KioskHelpLog.objects.exists()


@pytest.mark.parametrize("script", OTHER_SCRIPTS[:3])
def test_filing_at_the_kiosk_refuses_an_applicant_id_in_other_digits(kiosk, script):
    kiosk.post("/kiosk/file/", {"kind": "transfer"})
    draft = InquiryDraft.objects.get()
    response = kiosk.post(
        f"/inquiries/drafts/{draft.pk}/applicant/",
        {
            "national_id": _in(script, WALK_IN_ID),
            "mobile": WALK_IN_MOBILE,
            "first_name": "رضا",
            "last_name": "محمدی",
            "relation": "owner",
        },
    )
    assert response.status_code == 200
    assert DIGITS_MESSAGE in response.content.decode()
    draft.refresh_from_db()
    assert "applicant" not in (draft.data or {})
