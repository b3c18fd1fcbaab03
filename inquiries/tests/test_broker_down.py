"""With Redis (the broker) down, a citizen still files and staff still answer: the commit stands,
the person sees success, and what needed the broker is owed in the database (the answer's PDF, the
SMS in the outbox) until the sweepers deliver it, once, when the broker is back."""

from collections import Counter

import pytest
from django.urls import reverse

from accounts.models import SignInCode
from inquiries import services
from inquiries.models import Answer, Inquiry
from inquiries.tasks import sweep_answer_pdfs
from inquiries.tests.factories import complete_draft
from inquiries.workflow import InquiryStatus
from shahrvand import queueing, sms
from shahrvand.celery import app as celery_app
from shahrvand.models import OutgoingSms, SmsStatus
from shahrvand.sms.tasks import sweep_sms_outbox

pytestmark = pytest.mark.django_db

# Nothing listens on port 1 of loopback: every connection is refused at once.
CLOSED_BROKER = "redis://127.0.0.1:1/0"

ANSWER = {
    "decision": "no_objection",
    "building_status": "completed",
    "certificate_type": "none",
    "land_use_plan": "residential",
    "road_widening": "not_affected",
}


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def broker(monkeypatch):
    """Switch the project's Celery app between a broker that is down and the eager worker that
    stands for "the broker is back and a worker runs"."""

    class Switch:
        def down(self):
            monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
            monkeypatch.setitem(celery_app.conf, "broker_url", CLOSED_BROKER)
            # Celery reads this variable before its configuration (CI sets it).
            monkeypatch.setenv("CELERY_BROKER_URL", CLOSED_BROKER)
            # A fresh producer pool, connected to the closed port (restored after the test).
            monkeypatch.setattr(celery_app, "_pool", None)
            monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)

        def back(self):
            celery_app.conf.task_always_eager = True
            queueing.broker_pause_reset()

    return Switch()


def _file_online(client, citizen) -> Inquiry:
    draft = complete_draft(citizen)
    response = client.post(f"/inquiries/drafts/{draft.pk}/submit/", follow=True)
    assert response.status_code == 200
    inquiry = Inquiry.objects.get()
    assert inquiry.tracking_code_display() in response.content.decode()
    return inquiry


def test_with_the_broker_down_nothing_is_lost_and_the_sweepers_deliver_it_once(
    broker,
    client_for,
    citizen,
    reviewer_d1,
    manager_d1,
    settings,
    django_capture_on_commit_callbacks,
):
    broker.down()

    # The citizen files: the confirmation with the tracking code, no error page.
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = _file_online(client_for(citizen), citizen)
    assert inquiry.status == InquiryStatus.SUBMITTED

    # Staff take it, prepare and sign an answer, and see each step succeed.
    staff = client_for(reviewer_d1)
    with django_capture_on_commit_callbacks(execute=True):
        page = staff.post(
            reverse("inquiries:staff_take", args=[inquiry.tracking_code]),
            {"version": inquiry.version},
            follow=True,
        )
    assert page.status_code == 200
    answer = services.answer_prepare(
        actor=reviewer_d1, inquiry=Inquiry.objects.get(pk=inquiry.pk), data=ANSWER, dues=[]
    )
    version = Inquiry.objects.get(pk=inquiry.pk).version
    with django_capture_on_commit_callbacks(execute=True):
        page = client_for(manager_d1).post(
            reverse("inquiries:staff_sign", args=[inquiry.tracking_code, answer.pk]),
            {"version": version, "confirm": "on"},
            follow=True,
        )
    assert page.status_code == 200
    assert "امضا شد" in page.content.decode()  # "The answer is signed."
    assert Inquiry.objects.get(pk=inquiry.pk).status == InquiryStatus.ANSWERED

    # Nothing was sent; all of it is owed in the database.
    assert sms.outbox == []
    answer = Answer.objects.get(pk=answer.pk)
    assert not answer.pdf and answer.pdf_rendered_at is None
    owed = OutgoingSms.objects.filter(status=SmsStatus.OWED)
    assert owed.count() == 3  # received, being reviewed, answered
    assert set(owed.values_list("to", flat=True)) == {citizen.mobile}
    assert all(row.text for row in owed)

    # The broker is back: the sweepers (every minute on beat) deliver everything.
    broker.back()
    settings.SMS_SWEEP_AFTER_SECONDS = 0
    settings.PDF_SWEEP_AFTER_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_answer_pdfs() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_sms_outbox() == 3

    answer.refresh_from_db()
    assert answer.pdf and answer.pdf_sha256 and answer.pdf_rendered_at
    # The PDF's own "ready" SMS was queued from the outbox when the PDF was stored.
    texts = Counter(message.text for message in sms.outbox)
    assert len(sms.outbox) == 4 and set(texts.values()) == {1}
    assert all(message.to == citizen.mobile for message in sms.outbox)
    assert inquiry.tracking_code_display() in next(iter(texts))
    assert OutgoingSms.objects.filter(status=SmsStatus.SENT).count() == 4
    assert not OutgoingSms.objects.exclude(text="").exists()

    # Later sweeps find nothing more to do: each thing was delivered exactly once.
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_answer_pdfs() == 0
        assert sweep_sms_outbox() == 0
    assert len(sms.outbox) == 4
    assert Answer.objects.filter(inquiry=inquiry).exclude(pdf="").count() == 1


def test_a_failed_publish_pauses_the_broker_so_the_next_one_does_not_wait(
    broker, citizen, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from shahrvand.sms.tasks import send_outbox_sms

    broker.down()
    with django_capture_on_commit_callbacks(execute=True):
        sms.sms_enqueue(to=citizen.mobile, text="first")
    # The next publish within the pause does not reach for the broker at all.
    tried = []
    monkeypatch.setattr(send_outbox_sms, "apply_async", lambda **kw: tried.append(kw))
    with django_capture_on_commit_callbacks(execute=True):
        sms.sms_enqueue(to=citizen.mobile, text="second")
    assert tried == []
    assert OutgoingSms.objects.filter(status=SmsStatus.OWED).count() == 2
    assert "left for the sweeper" in caplog.text
    assert citizen.mobile not in caplog.text
    # After a reset (the pause's end) the broker is tried again.
    queueing.broker_pause_reset()
    with django_capture_on_commit_callbacks(execute=True):
        sms.sms_enqueue(to=citizen.mobile, text="third")
    assert len(tried) == 1


def test_a_citizen_asks_for_a_sign_in_code_with_the_broker_down(
    broker, client, citizen, django_capture_on_commit_callbacks
):
    broker.down()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:citizen_login"),
            {"national_id": citizen.national_id, "mobile": citizen.mobile},
        )
    assert response.status_code == 302  # on to the page that asks for the code
    assert response["Location"] == reverse("accounts:citizen_code")
    row = OutgoingSms.objects.get()
    assert row.status == SmsStatus.OWED and row.to == citizen.mobile
    # Owed no longer than the code is valid.
    assert row.expires_at == SignInCode.objects.get().expires_at


def test_with_redis_down_a_citizen_still_signs_in_within_the_limits(
    broker, client, citizen, settings, django_capture_on_commit_callbacks
):
    """Redis is the cache too: the sign-in's rate limits count in the process meanwhile."""
    broker.down()
    settings.CACHES = {
        "default": {
            "BACKEND": "shahrvand.cache.RedisCache",
            "LOCATION": CLOSED_BROKER,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.SIGNIN_SENDS_PER_MOBILE = 2
    form = {"national_id": citizen.national_id, "mobile": citizen.mobile}
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:citizen_login"), form)
        assert response["Location"] == reverse("accounts:citizen_code")
    refused = client.post(reverse("accounts:citizen_login"), form)
    assert refused.status_code == 200
    assert OutgoingSms.objects.filter(status=SmsStatus.OWED).count() == 2
