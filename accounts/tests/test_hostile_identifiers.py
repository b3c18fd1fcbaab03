"""Issue 10, items 2 and 6: a national ID or a mobile typed in digits of another script is refused
with a Persian message, never stored, and never locks the real citizen out.

The attack that was found: sign in with the victim's national ID in full-width digits and one's own
mobile. The account made for it was given the victim's plain ID as its username (Django makes
usernames NFKC), and from then on the victim's own sign-in, and the kiosk's "change mobile" form,
failed with a server error."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import MobileChange, SignInCode
from accounts.services import (
    SignInRefused,
    citizen_get_or_create,
    citizen_mobile_change,
    citizen_signin_start,
    citizen_signin_verify,
)
from accounts.tests.factories import CitizenFactory, valid_national_id
from shahrvand import sms
from shahrvand.text import normalize_digits

pytestmark = pytest.mark.django_db

User = get_user_model()

VICTIM_ID = valid_national_id(seed=135424)
VICTIM_MOBILE = "09141111111"
ATTACKER_MOBILE = "09352222222"
DIGITS = "0123456789"
SCRIPTS = {
    "full-width": "０１２３４５６７８９",
    "Bengali": "০১২৩৪৫৬৭৮৯",
    "Devanagari": "०१२३४५६७८९",
    "mathematical bold": "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗",
    "superscript": "⁰¹²³⁴⁵⁶⁷⁸⁹",
    "circled": "⓪①②③④⑤⑥⑦⑧⑨",
}
DIGITS_MESSAGE = "فقط رقم‌های ۰ تا ۹"


def _in(script: str, digits: str) -> str:
    return digits.translate(str.maketrans(DIGITS, SCRIPTS[script]))


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def victim(db):
    return CitizenFactory(national_id=VICTIM_ID, mobile=VICTIM_MOBILE)


def _code_from_sms() -> str:
    return re.search(r"\b([0-9]{6})\b", sms.outbox[-1].text, re.ASCII).group(1)


def _sign_in_end_to_end(client, national_id, mobile, capture) -> None:
    with capture(execute=True):
        started = client.post("/accounts/citizen/", {"national_id": national_id, "mobile": mobile})
    assert started.status_code == 302, started.content.decode()[:2000]
    assert sms.outbox[-1].to == normalize_digits(mobile)
    done = client.post("/accounts/citizen/code/", {"code": _code_from_sms()})
    assert done.status_code == 302 and done["Location"] == "/inquiries/"
    assert client.get("/inquiries/").status_code == 200


# --- item 2: the lock-out ------------------------------------------------------------------------


def test_a_victims_id_in_full_width_digits_is_refused_and_the_victim_still_signs_in(
    client, victim, django_capture_on_commit_callbacks
):
    users = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            "/accounts/citizen/",
            {"national_id": _in("full-width", VICTIM_ID), "mobile": ATTACKER_MOBILE},
        )
    assert page.status_code == 200
    assert DIGITS_MESSAGE in page.content.decode()
    assert ATTACKER_MOBILE in page.content.decode()  # what was typed elsewhere is kept
    assert User.objects.count() == users
    assert not SignInCode.objects.exists()
    assert sms.outbox == []

    _sign_in_end_to_end(client, VICTIM_ID, VICTIM_MOBILE, django_capture_on_commit_callbacks)
    assert client.session["_auth_user_id"] == str(victim.pk)


def test_the_kiosk_changes_the_mobile_of_that_id_after_the_attempt(
    client, client_for, kiosk_clerk, victim
):
    client.post(
        "/accounts/citizen/",
        {"national_id": _in("full-width", VICTIM_ID), "mobile": ATTACKER_MOBILE},
    )
    response = client_for(kiosk_clerk).post(
        "/kiosk/mobile/",
        {"national_id": VICTIM_ID, "mobile": "09143333333", "id_card_seen": "on"},
    )
    assert response.status_code == 302
    victim.refresh_from_db()
    assert victim.mobile == "09143333333"
    assert User.objects.filter(national_id__isnull=False).count() == 1


def test_a_squatting_account_left_from_before_does_not_lock_the_citizen_out(
    client, client_for, kiosk_clerk, django_capture_on_commit_callbacks
):
    # What the attack left behind: an account whose username is the victim's plain ID, made for a
    # full-width copy of it (written directly, as the old code did, past today's checks).
    squatter = User.objects.create(
        username=VICTIM_ID, national_id=_in("full-width", VICTIM_ID), mobile=ATTACKER_MOBILE
    )
    _sign_in_end_to_end(client, VICTIM_ID, VICTIM_MOBILE, django_capture_on_commit_callbacks)
    citizen = User.objects.get(national_id=VICTIM_ID)
    assert citizen.pk != squatter.pk and citizen.mobile == VICTIM_MOBILE
    assert client.session["_auth_user_id"] == str(citizen.pk)

    response = client_for(kiosk_clerk).post(
        "/kiosk/mobile/",
        {"national_id": VICTIM_ID, "mobile": "09143333333", "id_card_seen": "on"},
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.mobile == "09143333333"


def test_the_kiosk_sets_up_a_citizen_whose_username_is_squatted(client_for, kiosk_clerk):
    User.objects.create(username=VICTIM_ID, national_id=_in("Bengali", VICTIM_ID))
    response = client_for(kiosk_clerk).post(
        "/kiosk/mobile/",
        {"national_id": VICTIM_ID, "mobile": VICTIM_MOBILE, "id_card_seen": "on"},
    )
    assert response.status_code == 302
    citizen = User.objects.get(national_id=VICTIM_ID)
    assert citizen.mobile == VICTIM_MOBILE and not citizen.has_usable_password()
    assert MobileChange.objects.get().user == citizen


def test_a_code_asked_for_before_the_checks_were_strict_asks_for_a_new_one(client, victim):
    from accounts.services import _hash

    attempt = SignInCode(
        national_id=_in("full-width", VICTIM_ID), mobile=ATTACKER_MOBILE, expires_at=_soon()
    )
    attempt.code_hash = _hash(attempt.id, "123456")
    attempt.save()
    with pytest.raises(SignInRefused) as refusal:
        citizen_signin_verify(attempt_id=attempt.pk, code="123456")
    assert refusal.value.code == "expired"
    assert User.objects.count() == 1


def _soon():
    import datetime as dt

    from django.utils import timezone

    return timezone.now() + dt.timedelta(minutes=5)


# --- item 6: variants in other scripts are refused, at the form and in the service ----------------


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_national_id_in_another_scripts_digits_is_refused_with_a_persian_message(client, script):
    page = client.post(
        "/accounts/citizen/", {"national_id": _in(script, VICTIM_ID), "mobile": VICTIM_MOBILE}
    )
    assert page.status_code == 200
    assert DIGITS_MESSAGE in page.content.decode()
    assert not SignInCode.objects.exists() and not User.objects.exists()


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_mobile_in_another_scripts_digits_is_refused_with_a_persian_message(client, script):
    page = client.post(
        "/accounts/citizen/", {"national_id": VICTIM_ID, "mobile": _in(script, VICTIM_MOBILE)}
    )
    assert page.status_code == 200
    assert DIGITS_MESSAGE in page.content.decode()
    assert not SignInCode.objects.exists() and sms.outbox == []


def test_persian_and_arabic_indic_digits_are_the_same_person(
    client, victim, django_capture_on_commit_callbacks
):
    persian = VICTIM_ID.translate(str.maketrans(DIGITS, "۰۱۲۳۴۵۶۷۸۹"))
    arabic = VICTIM_MOBILE.translate(str.maketrans(DIGITS, "٠١٢٣٤٥٦٧٨٩"))
    _sign_in_end_to_end(client, persian, arabic, django_capture_on_commit_callbacks)
    assert User.objects.count() == 1
    assert SignInCode.objects.get().national_id == VICTIM_ID


def test_another_mobile_for_a_registered_id_is_refused_whatever_digits_it_is_typed_in(
    client, victim
):
    page = client.post(
        "/accounts/citizen/",
        {
            "national_id": VICTIM_ID,
            "mobile": ATTACKER_MOBILE.translate(str.maketrans(DIGITS, "۰۱۲۳۴۵۶۷۸۹")),
        },
    )
    html = page.content.decode()
    start = html.index("alert-danger")
    refusal = html[start : html.index("</div>", start)]
    assert "شمارهٔ همراه دیگری" in refusal
    assert "۱۱" not in refusal and "11" not in refusal, "no digit of the number is revealed"
    assert sms.outbox == [] and not SignInCode.objects.exists()


@pytest.mark.parametrize("code", ["¹²³⁴⁵⁶", "①②③④⑤⑥", "１２３４５６", "১২৩৪৫৬", "9" * 5000])
def test_an_sms_code_in_other_digits_is_a_form_error_and_spends_no_try(
    client, victim, code, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/citizen/", {"national_id": VICTIM_ID, "mobile": VICTIM_MOBILE})
    page = client.post("/accounts/citizen/code/", {"code": code})
    assert page.status_code == 200
    assert page.context["form"].errors["code"]
    assert SignInCode.objects.get().tries == 0
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "national_id, mobile",
    [
        (_in("full-width", VICTIM_ID), VICTIM_MOBILE),
        (VICTIM_ID, _in("Bengali", VICTIM_MOBILE)),
        ("12345679", VICTIM_MOBILE),  # valid once padded, but not as stored
        (VICTIM_ID, "+989141111111"),
        (VICTIM_ID + "\u200f", VICTIM_MOBILE),
    ],
)
def test_the_services_take_only_canonical_identifiers(national_id, mobile, kiosk_clerk):
    with pytest.raises(ValidationError), transaction.atomic():
        citizen_get_or_create(national_id=national_id, mobile=mobile)
    with pytest.raises(ValidationError), transaction.atomic():
        citizen_mobile_change(actor=kiosk_clerk, national_id=national_id, mobile=mobile)
    with pytest.raises(SignInRefused):
        citizen_signin_start(national_id=national_id, mobile=mobile, ip=None)
    assert not User.objects.filter(national_id__isnull=False).exists()
    assert not SignInCode.objects.exists()


def test_the_migration_switches_off_lookalike_accounts_left_from_before(db):
    import importlib

    from django.apps import apps

    from accounts.tests.factories import CitizenFactory

    real = CitizenFactory()
    lookalike = CitizenFactory()
    # As the lock-out attack stored them: full-width digits, saved without validation.
    get_user_model().objects.filter(pk=lookalike.pk).update(
        national_id="００１３５４２４１９", mobile="０９１２３４５６７８９"
    )
    migration = importlib.import_module("accounts.migrations.0005_lookalike_identifiers")
    migration.switch_off_lookalikes(apps, None)

    lookalike.refresh_from_db()
    assert (lookalike.national_id, lookalike.mobile, lookalike.is_active) == (None, "", False)
    real_after = get_user_model().objects.get(pk=real.pk)
    assert (real_after.national_id, real_after.mobile, real_after.is_active) == (
        real.national_id,
        real.mobile,
        True,
    )
