"""Issue 10, items 1, 2 and 6, as a person meets them over HTTP: digits of other scripts in national
IDs, mobiles, codes and search boxes; the lock-out by a full-width national ID."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import SignInCode
from counters.models import CounterOffice
from inquiries.kinds import InquiryKind
from inquiries.workflow import Channel
from shahrvand import sms

from .corpus import FIVE_THOUSAND_DIGITS, SCRIPTS, in_script
from .files import CSV_HEADER, csv_row
from .harness import Upload, persona_client, refusal_problems, send
from .world import MOBILE, NATIONAL_ID, code_from_sms, office_draft

pytestmark = pytest.mark.django_db
User = get_user_model()

SUPERSCRIPT_ID = in_script(NATIONAL_ID, SCRIPTS["superscript"])
CIRCLED_MOBILE = in_script(MOBILE, SCRIPTS["circled"])
FULLWIDTH_ID = in_script(NATIONAL_ID, SCRIPTS["fullwidth"])
FOREIGN_SCRIPTS = ("bengali", "devanagari", "fullwidth", "math-bold")


# --- item 1: superscript and circled digits -> 500 --------------------------------------------------


def test_item_1_superscript_or_circled_digits_at_sign_in_are_refused_with_a_message():
    client = persona_client()
    url = reverse("accounts:citizen_login")
    by_id = send(client, "post", url, {"national_id": SUPERSCRIPT_ID, "mobile": MOBILE})
    by_mobile = send(client, "post", url, {"national_id": NATIONAL_ID, "mobile": CIRCLED_MOBILE})
    assert refusal_problems(by_id, MOBILE) == []
    assert refusal_problems(by_mobile, NATIONAL_ID) == []
    assert not SignInCode.objects.exists()


def test_item_1_superscript_digits_in_the_sms_code_are_refused_with_a_message(
    django_capture_on_commit_callbacks,
):
    client = persona_client()
    with django_capture_on_commit_callbacks(execute=True):
        send(
            client,
            "post",
            reverse("accounts:citizen_login"),
            {"national_id": NATIONAL_ID, "mobile": MOBILE},
        )
    code = code_from_sms()
    typed = send(
        client,
        "post",
        reverse("accounts:citizen_code"),
        {"code": in_script(code, SCRIPTS["superscript"])},
    )
    assert refusal_problems(typed) == []
    # The refusal spent no try on a code that was never a code, and the real one still works.
    signed_in = send(client, "post", reverse("accounts:citizen_code"), {"code": code})
    assert signed_in.status_code == 302


def test_item_1_superscript_digits_in_a_renovation_code_are_refused_with_a_message(citizen, drafts):
    draft = drafts[InquiryKind.TRANSFER]
    response = send(
        persona_client(citizen),
        "post",
        reverse("inquiries:draft_step", args=[draft.pk, "property"]),
        {
            "renovation_code": "¹-³-⁴⁵-¹²-⁰-⁰-⁰",
            "plate_main": "56",
            "plate_sub": "",
            "registration_section": "2",
            "address": "ارومیه، کوچه نسترن ۷",
            "area_m2": "150",
            "land_use": "residential",
            "building_status": "completed",
        },
    )
    assert refusal_problems(response, "ارومیه، کوچه نسترن ۷") == []


def _search(client, url: str, term: str, **filters):
    """A list search as the browser makes it: POSTed, then the list the POST sends it to (or, where
    the list still searches by address, a GET)."""
    posted = send(client, "post", url, {"q": term, **filters})
    if posted.status_code == 405:
        return send(client, "get", url, {"q": term, **filters})
    if posted.status_code == 302:
        return send(client, "get", posted["Location"], {})
    return posted


@pytest.mark.parametrize("term", ["¹²³", "①②", "²⁷¹⁸²⁸¹⁸²⁸", FIVE_THOUSAND_DIGITS])
def test_item_1_review_queue_search_never_fails_on_odd_digits(reviewer_d1, submitted, term):
    listed = _search(
        persona_client(reviewer_d1), reverse("inquiries:review_queue"), term, status="all"
    )
    assert listed.status_code == 200


@pytest.mark.parametrize("term", ["¹²³", "①②", FIVE_THOUSAND_DIGITS])
def test_item_1_office_queue_search_never_fails_on_odd_digits(
    pishkhan_operator, pishkhan_office, term
):
    url = reverse("counters:office_queue", args=[pishkhan_office.pk])
    assert _search(persona_client(pishkhan_operator), url, term).status_code == 200


@pytest.mark.parametrize("term", ["¹²³", "①②", FIVE_THOUSAND_DIGITS])
def test_item_1_registry_search_never_fails_on_odd_digits(ict_admin, pishkhan_office, term):
    response = send(persona_client(ict_admin), "get", reverse("counters:registry"), {"q": term})
    assert response.status_code == 200


def test_item_1_superscript_office_number_in_the_csv_import_is_a_line_error(ict_admin):
    upload = Upload("offices.csv", f"{CSV_HEADER}\n{csv_row(number='¹²³')}\n".encode(), "text/csv")
    response = send(
        persona_client(ict_admin), "post", reverse("counters:registry_import"), {}, {"file": upload}
    )
    assert refusal_problems(response) == []
    assert not CounterOffice.objects.filter(name="دفتر پیشخوان نمونه").exists()


# --- item 2: a full-width national ID locks the real citizen out -----------------------------------


def test_item_2_a_full_width_national_id_cannot_take_the_citizens_username(
    django_capture_on_commit_callbacks,
):
    attacker = persona_client()
    with django_capture_on_commit_callbacks(execute=True):
        tried = send(
            attacker,
            "post",
            reverse("accounts:citizen_login"),
            {"national_id": FULLWIDTH_ID, "mobile": "09350000001"},
        )
    if tried.status_code == 302:  # a code went out: the attacker types it
        send(attacker, "post", reverse("accounts:citizen_code"), {"code": code_from_sms()})
    assert not User.objects.filter(username=NATIONAL_ID).exists()
    assert not User.objects.filter(national_id=NATIONAL_ID).exclude(mobile=MOBILE).exists()

    # The citizen signs in as ever.
    victim = persona_client()
    with django_capture_on_commit_callbacks(execute=True):
        started = send(
            victim,
            "post",
            reverse("accounts:citizen_login"),
            {"national_id": NATIONAL_ID, "mobile": MOBILE},
        )
    assert started.status_code == 302
    signed_in = send(victim, "post", reverse("accounts:citizen_code"), {"code": code_from_sms()})
    assert signed_in.status_code == 302
    assert User.objects.get(username=NATIONAL_ID).mobile == MOBILE


def test_item_2_the_kiosk_changes_the_mobile_of_a_citizen_someone_tried_to_lock_out(
    kiosk_clerk, django_capture_on_commit_callbacks
):
    attacker = persona_client()
    with django_capture_on_commit_callbacks(execute=True):
        tried = send(
            attacker,
            "post",
            reverse("accounts:citizen_login"),
            {"national_id": FULLWIDTH_ID, "mobile": "09350000001"},
        )
    if tried.status_code == 302:
        send(attacker, "post", reverse("accounts:citizen_code"), {"code": code_from_sms()})
    response = send(
        persona_client(kiosk_clerk),
        "post",
        reverse("districts:kiosk_mobile"),
        {
            "national_id": NATIONAL_ID,
            "mobile": MOBILE,
            "first_name": "",
            "last_name": "",
            "id_card_seen": "on",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(national_id=NATIONAL_ID).mobile == MOBILE


# --- item 6: other scripts' digits stored as typed ---------------------------------------------------


@pytest.mark.parametrize("script", FOREIGN_SCRIPTS)
def test_item_6_the_kiosk_refuses_a_national_id_or_mobile_in_other_digits(kiosk_clerk, script):
    client = persona_client(kiosk_clerk)
    url = reverse("districts:kiosk_mobile")
    base = {"first_name": "شهرزاد", "last_name": "کامرانی", "id_card_seen": "on"}
    by_id = send(
        client,
        "post",
        url,
        {**base, "national_id": in_script(NATIONAL_ID, SCRIPTS[script]), "mobile": MOBILE},
    )
    by_mobile = send(
        client,
        "post",
        url,
        {**base, "national_id": NATIONAL_ID, "mobile": in_script(MOBILE, SCRIPTS[script])},
    )
    assert refusal_problems(by_id, "کامرانی", MOBILE) == []
    assert refusal_problems(by_mobile, "کامرانی", NATIONAL_ID) == []
    assert not User.objects.filter(national_id__isnull=False).exclude(national_id="").exists()


def test_item_6_persian_digits_at_the_kiosk_make_no_second_citizen(kiosk_clerk, citizen):
    client = persona_client(kiosk_clerk)
    persian_id = in_script(citizen.national_id, "۰۱۲۳۴۵۶۷۸۹")
    response = send(
        client,
        "post",
        reverse("districts:kiosk_mobile"),
        {
            "national_id": persian_id,
            "mobile": "۰۹۱۴۷۷۷۶۶۵۵",
            "first_name": "",
            "last_name": "",
            "id_card_seen": "on",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(national_id=citizen.national_id).count() == 1
    assert User.objects.get(pk=citizen.pk).mobile == "09147776655"


@pytest.mark.parametrize("script", FOREIGN_SCRIPTS)
def test_item_6_sign_in_refuses_other_digits_for_a_registered_citizen(citizen, script):
    response = send(
        persona_client(),
        "post",
        reverse("accounts:citizen_login"),
        {"national_id": in_script(citizen.national_id, SCRIPTS[script]), "mobile": "09350000001"},
    )
    assert refusal_problems(response, "09350000001") == []
    assert not SignInCode.objects.exists()
    assert not sms.outbox


def test_item_6_persian_digits_do_not_get_past_another_registered_mobile(citizen):
    response = send(
        persona_client(),
        "post",
        reverse("accounts:citizen_login"),
        {"national_id": in_script(citizen.national_id, "۰۱۲۳۴۵۶۷۸۹"), "mobile": "۰۹۳۵۰۰۰۰۰۰۱"},
    )
    assert refusal_problems(response) == []
    assert not SignInCode.objects.exists()


def test_item_6_the_code_quota_counts_a_mobile_however_its_digits_are_typed(
    django_capture_on_commit_callbacks,
):
    client = persona_client()
    spellings = [MOBILE, in_script(MOBILE, "۰۱۲۳۴۵۶۷۸۹"), in_script(MOBILE, "٠١٢٣٤٥٦٧٨٩")]
    allowed = settings.SIGNIN_SENDS_PER_MOBILE
    for n in range(allowed + 1):
        with django_capture_on_commit_callbacks(execute=True):
            # No cache.clear() between these: the quota is what is tested.
            client.cookies.clear()
            response = client.post(
                reverse("accounts:citizen_login"),
                {"national_id": NATIONAL_ID, "mobile": spellings[n % len(spellings)]},
            )
        if n < allowed:
            assert response.status_code == 302, n
    assert refusal_problems(response) == []
    assert len(sms.outbox) == allowed
    assert {message.to for message in sms.outbox} == {MOBILE}


@pytest.mark.parametrize("script", FOREIGN_SCRIPTS)
def test_item_6_an_office_cannot_file_for_a_national_id_in_other_digits(
    pishkhan_operator, pishkhan_office, script
):
    draft = office_draft(pishkhan_operator, channel=Channel.COUNTER_OFFICE, office=pishkhan_office)
    response = send(
        persona_client(pishkhan_operator),
        "post",
        reverse("inquiries:draft_step", args=[draft.pk, "applicant"]),
        {
            "national_id": in_script(NATIONAL_ID, SCRIPTS[script]),
            "mobile": MOBILE,
            "first_name": "شهرزاد",
            "last_name": "کامرانی",
            "relation": "owner",
        },
    )
    assert refusal_problems(response, "کامرانی") == []
    draft.refresh_from_db()
    assert "applicant" not in draft.data
