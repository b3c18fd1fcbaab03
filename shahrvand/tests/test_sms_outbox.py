"""The SMS outbox: a row in the transaction that causes the message, sent once, its text gone once
it is sent, expired rather than sent late, queued again by the sweeper while owed."""

import datetime as dt
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.services import citizen_signin_start
from accounts.tests.factories import UserFactory
from shahrvand import sms
from shahrvand.models import OutgoingSms, SmsStatus
from shahrvand.sms.backends import BaseSmsBackend, SmsMessage, SmsPermanentError, SmsTransientError
from shahrvand.sms.outgoing import sms_outbox_purge
from shahrvand.sms.tasks import purge_sms_outbox, send_outbox_sms, sweep_sms_outbox

pytestmark = pytest.mark.django_db

MOBILE = "09121234567"
TEXT = "شهرداری ارومیه: استعلام شما دریافت شد."


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


class RefusingBackend(BaseSmsBackend):
    def __init__(self, error):
        self.error = error
        self.attempts = 0

    def send(self, message: SmsMessage) -> None:
        self.attempts += 1
        raise self.error


def _owed(**fields) -> OutgoingSms:
    now = timezone.now()
    values = {
        "to": MOBILE,
        "text": TEXT,
        "queued_at": now,
        "expires_at": now + dt.timedelta(hours=1),
        **fields,
    }
    return OutgoingSms.objects.create(**values)


def _ago(**delta) -> dt.datetime:
    return timezone.now() - dt.timedelta(**delta)


def test_the_row_is_written_with_the_change_and_sent_after_the_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        sms.sms_enqueue(to=MOBILE, text=TEXT)
        row = OutgoingSms.objects.get()
        assert row.status == SmsStatus.OWED and row.text == TEXT
        assert sms.outbox == []
    assert sms.outbox == [SmsMessage(to=MOBILE, text=TEXT)]
    row.refresh_from_db()
    assert row.status == SmsStatus.SENT and row.finished_at and row.attempts == 1
    assert row.text == ""  # no message text (a sign-in code) stays behind


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_row_and_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        sms.sms_enqueue(to=MOBILE, text=TEXT)
        raise RuntimeError("the request failed after composing the SMS")
    assert not OutgoingSms.objects.exists()
    assert sms.outbox == []


def test_the_task_twice_sends_once():
    row = _owed()
    assert send_outbox_sms.apply(args=[row.pk]).get() == "sent"
    assert send_outbox_sms.apply(args=[row.pk]).get() == "done"
    assert sms.outbox == [SmsMessage(to=MOBILE, text=TEXT)]


def test_a_row_being_sent_by_another_worker_is_left_alone():
    row = _owed(claimed_at=timezone.now())
    assert send_outbox_sms.apply(args=[row.pk]).get() == "done"
    assert sms.outbox == []
    # A claim older than any task may run is a dead worker's: the row is taken over.
    OutgoingSms.objects.filter(pk=row.pk).update(claimed_at=_ago(hours=1))
    assert send_outbox_sms.apply(args=[row.pk]).get() == "sent"
    assert len(sms.outbox) == 1


def test_a_sign_in_code_past_its_validity_is_expired_not_sent(
    citizen, django_capture_on_commit_callbacks, settings
):
    # The broker took nothing: the code's SMS is owed.
    with (
        mock.patch.object(send_outbox_sms, "apply_async", side_effect=OSError("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        attempt = citizen_signin_start(
            national_id=citizen.national_id, mobile=citizen.mobile, ip="127.0.0.1"
        )
    row = OutgoingSms.objects.get()
    assert row.expires_at == attempt.expires_at
    assert row.status == SmsStatus.OWED and row.text  # kept only while owed
    # The broker comes back after the code's five minutes.
    OutgoingSms.objects.update(queued_at=_ago(minutes=10), expires_at=_ago(minutes=4))
    assert sweep_sms_outbox() == 0
    row.refresh_from_db()
    assert row.status == SmsStatus.EXPIRED and row.text == "" and row.finished_at
    assert sms.outbox == []


def test_the_task_expires_a_row_it_reaches_too_late():
    row = _owed(expires_at=_ago(seconds=1))
    assert send_outbox_sms.apply(args=[row.pk]).get() == "expired"
    row.refresh_from_db()
    assert row.status == SmsStatus.EXPIRED and row.text == ""
    assert sms.outbox == []


def test_a_message_owed_too_long_expires_by_default(settings, django_capture_on_commit_callbacks):
    settings.SMS_MAX_AGE_HOURS = 2
    with (
        mock.patch.object(send_outbox_sms, "apply_async", side_effect=OSError("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        sms.sms_enqueue(to=MOBILE, text=TEXT)
    row = OutgoingSms.objects.get()
    assert dt.timedelta(minutes=119) < row.expires_at - row.created_at <= dt.timedelta(hours=2)


def test_the_sweeper_queues_again_only_what_has_been_owed_for_a_minute(settings):
    settings.SMS_SWEEP_AFTER_SECONDS = 60
    fresh = _owed()
    stale = _owed(queued_at=_ago(seconds=61))
    sent = _owed(queued_at=_ago(hours=1), status=SmsStatus.SENT, text="")
    assert sweep_sms_outbox() == 1
    assert sms.outbox == [SmsMessage(to=MOBILE, text=TEXT)]
    assert OutgoingSms.objects.get(pk=stale.pk).status == SmsStatus.SENT
    assert OutgoingSms.objects.get(pk=fresh.pk).status == SmsStatus.OWED
    assert OutgoingSms.objects.get(pk=sent.pk).attempts == 0


def test_a_provider_failure_keeps_the_row_owed_and_the_sweeper_waits_longer(settings, monkeypatch):
    from celery.exceptions import Retry

    settings.SMS_SWEEP_AFTER_SECONDS = 60
    backend = RefusingBackend(SmsTransientError("HTTP 502"))
    row = _owed()
    with mock.patch("shahrvand.sms.get_backend", return_value=backend):
        with pytest.raises(Retry):  # Celery retries it with backoff
            send_outbox_sms.apply(args=[row.pk])
        row.refresh_from_db()
        assert row.status == SmsStatus.OWED and row.text == TEXT and row.attempts == 1
        assert row.claimed_at is None
        # One attempt made: the sweeper waits two intervals after it, not one.
        OutgoingSms.objects.filter(pk=row.pk).update(queued_at=_ago(seconds=90))
        assert sweep_sms_outbox() == 0
        assert backend.attempts == 1
    OutgoingSms.objects.filter(pk=row.pk).update(queued_at=_ago(seconds=130))
    assert sweep_sms_outbox() == 1
    row.refresh_from_db()
    assert row.status == SmsStatus.SENT and row.attempts == 2


def test_a_refused_message_is_marked_failed_without_its_text(caplog):
    row = _owed()
    backend = RefusingBackend(SmsPermanentError("411 invalid receptor"))
    with mock.patch("shahrvand.sms.get_backend", return_value=backend):
        assert send_outbox_sms.apply(args=[row.pk]).get() == "failed"
    row.refresh_from_db()
    assert row.status == SmsStatus.FAILED and row.text == ""
    assert "*******4567" in caplog.text and MOBILE not in caplog.text


def test_the_purge_deletes_old_finished_rows_only(settings):
    settings.SMS_KEEP_DAYS = 30
    old_sent = _owed(status=SmsStatus.SENT, text="", finished_at=_ago(days=31))
    recent = _owed(status=SmsStatus.SENT, text="", finished_at=_ago(days=1))
    old_owed = _owed(created_at=_ago(days=40))
    assert purge_sms_outbox() == 1
    assert set(OutgoingSms.objects.values_list("pk", flat=True)) == {recent.pk, old_owed.pk}
    assert not OutgoingSms.objects.filter(pk=old_sent.pk).exists()
    assert sms_outbox_purge() == 0


def test_the_beat_schedule_runs_the_sweeper_every_minute(settings):
    schedule = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    assert schedule[sweep_sms_outbox.name] == 60
    assert purge_sms_outbox.name in schedule


def test_the_sender_runs_on_the_notifications_queue_and_the_sweeper_on_the_default_one():
    from shahrvand.celery import app

    assert app.amqp.router.route({}, send_outbox_sms.name)["queue"].name == "notifications"
    assert app.amqp.router.route({}, sweep_sms_outbox.name)["queue"].name == "default"


def test_an_ict_admin_reads_the_outbox_but_cannot_change_it(client_for, ict_admin):
    row = _owed()
    client = client_for(ict_admin)
    page = client.get("/admin/shahrvand/outgoingsms/")
    assert page.status_code == 200 and "*******4567" in page.content.decode()
    assert client.get(f"/admin/shahrvand/outgoingsms/{row.pk}/change/").status_code == 200
    assert client.post(f"/admin/shahrvand/outgoingsms/{row.pk}/change/", {}).status_code == 403
    assert client.get("/admin/shahrvand/outgoingsms/add/").status_code == 403
    assert OutgoingSms.objects.get(pk=row.pk).text == TEXT


def test_the_admin_counts_owed_and_sent_and_shows_no_text_or_number(client):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    for _ in range(3):
        _owed()
    _owed(status=SmsStatus.SENT, text="", finished_at=timezone.now())
    client.force_login(admin)
    page = client.get("/admin/shahrvand/outgoingsms/")
    assert page.status_code == 200
    html = page.content.decode()
    # The status filter counts each status (Persian digits in the Persian admin).
    assert "(3)" in html or "(۳)" in html
    assert "(1)" in html or "(۱)" in html
    assert MOBILE not in html and "*******4567" in html
    assert TEXT not in html
    row = OutgoingSms.objects.filter(status=SmsStatus.OWED).first()
    assert TEXT not in client.get(f"/admin/shahrvand/outgoingsms/{row.pk}/change/").content.decode()
    assert client.get("/admin/shahrvand/outgoingsms/add/").status_code == 403
    assert client.post(f"/admin/shahrvand/outgoingsms/{row.pk}/delete/").status_code == 403
