import datetime as dt
import re

import pytest
from django.utils import timezone

from accounts.models import SignInCode, User
from accounts.services import SignInRefused, citizen_signin_start, citizen_signin_verify
from shahrvand import sms

pytestmark = pytest.mark.django_db
NID, MOBILE = "0012345679", "09120000001"


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()


def _code_from_sms() -> str:
    return re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)


def _start(**kw):
    with_defaults = {"national_id": NID, "mobile": MOBILE, "ip": "127.0.0.1", **kw}
    return citizen_signin_start(**with_defaults)


def test_code_is_sent_after_commit_and_signs_in_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        attempt = _start()
    assert sms.outbox[-1].to == MOBILE
    code = _code_from_sms()
    assert code not in attempt.code_hash  # only a keyed hash is stored
    user = citizen_signin_verify(attempt_id=attempt.pk, code=code)
    assert (user.national_id, user.mobile, user.has_usable_password()) == (NID, MOBILE, False)
    with pytest.raises(SignInRefused) as refusal:
        citizen_signin_verify(attempt_id=attempt.pk, code=code)
    assert refusal.value.code == "expired"


def test_code_expires_after_five_minutes(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        attempt = _start()
    SignInCode.objects.filter(pk=attempt.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with pytest.raises(SignInRefused) as refusal:
        citizen_signin_verify(attempt_id=attempt.pk, code=_code_from_sms())
    assert refusal.value.code == "expired"


def test_five_wrong_tries_burn_the_code(django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=True):
        attempt = _start()
    right = _code_from_sms()
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(settings.SIGNIN_CODE_MAX_TRIES):
        with pytest.raises(SignInRefused) as refusal:
            citizen_signin_verify(attempt_id=attempt.pk, code=wrong)
        assert refusal.value.code == "wrong_code"
    assert SignInCode.objects.get(pk=attempt.pk).tries == settings.SIGNIN_CODE_MAX_TRIES
    with pytest.raises(SignInRefused) as refusal:
        citizen_signin_verify(attempt_id=attempt.pk, code=right)
    assert refusal.value.code == "too_many_tries"


def test_code_is_bound_to_its_attempt(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _start()
    first_code = _code_from_sms()
    with django_capture_on_commit_callbacks(execute=True):
        second = _start()
    if first_code != _code_from_sms():
        with pytest.raises(SignInRefused):
            citizen_signin_verify(attempt_id=second.pk, code=first_code)
    assert citizen_signin_verify(attempt_id=first.pk, code=first_code).national_id == NID


def test_sends_per_number_are_limited_with_the_wait_time(settings):
    settings.SIGNIN_SENDS_PER_MOBILE = 3
    for _ in range(3):
        _start()
    with pytest.raises(SignInRefused) as refusal:
        _start()
    assert refusal.value.code == "throttled"
    assert "۱۵ دقیقه" in str(refusal.value.message)
    assert SignInCode.objects.count() == 3


def test_a_national_id_bound_to_another_mobile_is_refused():
    User.objects.create(username=NID, national_id=NID, mobile="09129999999")
    with pytest.raises(SignInRefused) as refusal:
        _start()
    assert refusal.value.code == "other_mobile"
    message = str(refusal.value.message)
    assert "۹۹" not in message and "99" not in message, "no digit of the number is revealed"


def test_sign_in_pages_end_to_end(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            "/accounts/citizen/", {"national_id": "۰۰۱۲۳۴۵۶۷۹", "mobile": "+98 912 000 0001"}
        )
    assert page.status_code == 302 and page["Location"] == "/accounts/citizen/code/"
    code = _code_from_sms()
    wrong = client.post("/accounts/citizen/code/", {"code": "12345"})
    assert "۶ رقم" in wrong.content.decode()
    persian_code = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    done = client.post("/accounts/citizen/code/", {"code": persian_code})
    assert done.status_code == 302 and done["Location"] == "/inquiries/"
    assert client.get("/inquiries/").status_code == 200


def test_bad_national_id_gets_a_persian_message(client):
    page = client.post("/accounts/citizen/", {"national_id": "0012345678", "mobile": MOBILE})
    assert "کد ملی معتبر نیست" in page.content.decode()
    assert not SignInCode.objects.exists()


def test_code_page_without_an_attempt_goes_back_to_the_start(client):
    assert client.get("/accounts/citizen/code/")["Location"] == "/accounts/citizen/"


def test_next_is_kept_but_only_within_the_site(client, django_capture_on_commit_callbacks):
    client.get("/accounts/citizen/?next=/inquiries/new/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/citizen/", {"national_id": NID, "mobile": MOBILE})
    done = client.post("/accounts/citizen/code/", {"code": _code_from_sms()})
    assert done["Location"] == "/inquiries/new/"


def test_next_to_another_site_is_ignored(client, django_capture_on_commit_callbacks):
    client.get("/accounts/citizen/?next=https://evil.example/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/citizen/", {"national_id": NID, "mobile": MOBILE})
    done = client.post("/accounts/citizen/code/", {"code": _code_from_sms()})
    assert done["Location"] == "/inquiries/"
