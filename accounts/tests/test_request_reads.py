"""What every signed-in request reads with SQL built once per process (``shahrvand.sessions``,
``accounts.middleware.SecondFactorDeviceMiddleware``) keeps Django's and django-otp's rules: a
session past its expiry or deleted is no session; only a confirmed device of the same person counts
as the second factor passed; a device gone or an id made up is none."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.factories import UserFactory
from accounts.tests.sessions import with_second_factor
from shahrvand.models import Session

pytestmark = pytest.mark.django_db

FACTOR = "/accounts/second-factor/"


@pytest.fixture(autouse=True)
def _on(settings):
    settings.STAFF_SECOND_FACTOR = True


def _passes(client: Client) -> bool:
    response = client.get("/staff/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def test_only_a_confirmed_device_of_the_same_person_passes(reviewer_d1, reviewer_d3):
    own = TOTPDevice.objects.create(user=reviewer_d1, name="app", confirmed=True)
    assert _passes(with_second_factor(reviewer_d1, own.persistent_id))

    others = TOTPDevice.objects.create(user=reviewer_d3, name="app", confirmed=True)
    assert not _passes(with_second_factor(reviewer_d1, others.persistent_id))

    unconfirmed = TOTPDevice.objects.create(user=reviewer_d1, name="new", confirmed=False)
    assert not _passes(with_second_factor(reviewer_d1, unconfirmed.persistent_id))


def test_a_device_gone_or_made_up_is_none(reviewer_d1):
    device = TOTPDevice.objects.create(user=reviewer_d1, name="app", confirmed=True)
    client = with_second_factor(reviewer_d1, device.persistent_id)
    device.delete()
    response = client.get("/staff/")
    assert response.status_code == 302 and response["Location"].startswith(FACTOR)
    assert DEVICE_ID_SESSION_KEY not in client.session

    made_up_ids = ("otp_totp.totpdevice/x", "otp_totp.totpdevice/99999999999", "nonsense")
    for made_up in (*made_up_ids, "auth.user/1", "no.model/1", "a.b.c/1"):
        assert not _passes(with_second_factor(reviewer_d1, made_up)), made_up


def test_a_session_past_its_expiry_or_deleted_signs_nobody_in(citizen, settings):
    settings.STAFF_SECOND_FACTOR = False  # the citizen's sessions here are forced, not by SMS
    client = Client()
    client.force_login(citizen)
    assert client.get("/inquiries/").status_code == 200
    key = client.session.session_key

    Session.objects.filter(pk=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    expired = client.get("/inquiries/")
    assert expired.status_code == 302 and expired["Location"].startswith("/accounts/citizen/")

    other = Client()
    other.force_login(UserFactory(national_id="0499370899"))
    Session.objects.filter(pk=other.session.session_key).delete()
    deleted = other.get("/inquiries/")
    assert deleted.status_code == 302 and deleted["Location"].startswith("/accounts/citizen/")
