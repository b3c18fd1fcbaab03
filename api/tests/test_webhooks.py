"""Webhooks post only to a receiver on loopback that the test starts."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from api import tasks, webhooks
from api.models import WebhookDelivery
from inquiries import services
from inquiries.models import Inquiry

from .test_reading import answered, filed

pytestmark = pytest.mark.django_db


class Receiver:
    """A tiny HTTP server on 127.0.0.1 that records what is posted and answers with the statuses
    it is given (then 200)."""

    def __init__(self, statuses=()):
        self.posts: list[tuple[dict, bytes]] = []
        self.statuses = list(statuses)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.posts.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/shahrvand"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def start(statuses=()):
        made.append(Receiver(statuses))
        return made[-1]

    yield start
    for r in made:
        r.stop()


def _closed_port_url() -> str:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"http://127.0.0.1:{port}/down"


def _as_a_worker(delivery_id: int):
    """Run the task as a worker would: a failure is retried (eagerly here, without the wait), not
    raised to the caller as the tests' eager settings otherwise do."""
    conf = tasks.send_webhook.app.conf
    before = conf.task_eager_propagates
    conf.task_eager_propagates = False
    try:
        return tasks.send_webhook.apply(args=[delivery_id]).get()
    finally:
        conf.task_eager_propagates = before


def _file(api_as, bank_key, capture) -> Inquiry:
    with capture(execute=True):
        return filed(api_as, bank_key)


def test_a_status_change_is_posted_signed_to_the_institutions_webhook(
    api_as, bank_key, bank_institution, receiver, reviewer_d1, django_capture_on_commit_callbacks
):
    hook = receiver()
    endpoint = webhooks.endpoint_create(institution=bank_institution, url=hook.url)
    inquiry = _file(api_as, bank_key, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_review_start(actor=reviewer_d1, inquiry=inquiry)
    assert len(hook.posts) == 2
    headers, body = hook.posts[1]
    payload = json.loads(body)
    assert payload["type"] == "inquiry.status_changed"
    assert payload["data"] == {
        "tracking_code": inquiry.tracking_code,
        "action": "start_review",
        "from_status": "submitted",
        "status": "in_review",
        "at": payload["data"]["at"],
    }
    assert headers["Content-Type"] == "application/json"
    assert headers["Shahrvand-Event-Id"] == payload["id"]
    assert webhooks.signature_verify(
        endpoint.secret,
        timestamp=headers["Shahrvand-Timestamp"],
        signature=headers["Shahrvand-Signature"],
        body=body,
    )
    delivered = WebhookDelivery.objects.filter(delivered_at__isnull=False)
    assert delivered.count() == 2 and set(delivered.values_list("attempts", flat=True)) == {1}


def test_the_signature_refuses_another_body_another_secret_and_an_old_timestamp(
    bank_institution,
):
    endpoint = webhooks.endpoint_create(institution=bank_institution, url="https://bank.example/h")
    body = b'{"id":"1"}'
    now = int(time.time())
    signature = webhooks.signature_for(endpoint.secret, now, body)
    check = {"timestamp": str(now), "signature": signature}
    assert webhooks.signature_verify(endpoint.secret, body=body, **check)
    assert not webhooks.signature_verify(endpoint.secret, body=b'{"id":"2"}', **check)
    assert not webhooks.signature_verify("another secret", body=body, **check)
    # Replayed ten minutes later: outside the five-minute window.
    assert not webhooks.signature_verify(endpoint.secret, body=body, now=now + 600, **check)
    assert not webhooks.signature_verify(
        endpoint.secret, body=body, timestamp="soon", signature=signature
    )


def test_a_failing_receiver_is_retried_with_backoff_until_it_takes_the_event(
    api_as, bank_key, bank_institution, receiver, django_capture_on_commit_callbacks
):
    hook = receiver(statuses=[500, 503])
    webhooks.endpoint_create(institution=bank_institution, url=hook.url)
    with mock.patch.object(tasks.send_webhook, "apply_async"):
        _file(api_as, bank_key, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    # As a worker runs it: each failure is retried by Celery after its backoff.
    with mock.patch.object(tasks.send_webhook, "retry", wraps=tasks.send_webhook.retry) as retry:
        _as_a_worker(delivery.pk)
    assert [c.kwargs["countdown"] for c in retry.call_args_list] == [30, 60]
    assert len(hook.posts) == 3
    delivery.refresh_from_db()
    assert delivery.attempts == 3 and delivery.delivered_at and delivery.last_status == 200
    # The three posts are one event: same id, each signed afresh.
    assert len({headers["Shahrvand-Event-Id"] for headers, _body in hook.posts}) == 1
    assert [webhooks.backoff_seconds(n) for n in (1, 2, 3, 8, 20)] == [30, 60, 120, 3600, 3600]


def test_nothing_is_lost_while_the_receiver_is_down(
    api_as, bank_key, bank_institution, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRIES = 3
    endpoint = webhooks.endpoint_create(institution=bank_institution, url=_closed_port_url())
    inquiry = _file(api_as, bank_key, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert delivery.delivered_at is None and delivery.attempts == 1
    # A worker retries it WEBHOOK_RETRIES times, then leaves it owed for the sweeper.
    assert _as_a_worker(delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.delivered_at is None and delivery.attempts == 4
    assert delivery.last_error and delivery.next_attempt_at > timezone.now()
    assert inquiry.status == "submitted"  # the filing itself did not wait for the receiver
    # The sweeper leaves it alone until its backoff is over ...
    assert tasks.sweep_webhooks() == 0
    # ... and sends it once the receiver is back and the time has come.
    hook = receiver()
    endpoint.url = hook.url
    endpoint.save()
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    assert tasks.sweep_webhooks() == 1
    delivery.refresh_from_db()
    assert delivery.delivered_at and delivery.attempts == 5
    assert json.loads(hook.posts[0][1])["id"] == str(delivery.event_id)


def test_nothing_is_lost_while_redis_is_down(
    api_as, bank_key, bank_institution, receiver, reviewer_d1, django_capture_on_commit_callbacks
):
    hook = receiver()
    webhooks.endpoint_create(institution=bank_institution, url=hook.url)
    with mock.patch.object(tasks.send_webhook, "apply_async", side_effect=OperationalError("down")):
        inquiry = _file(api_as, bank_key, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            services.inquiry_review_start(actor=reviewer_d1, inquiry=inquiry)
    # The status changed, and what it owes the bank is in the database.
    assert Inquiry.objects.get(pk=inquiry.pk).status == "in_review"
    assert WebhookDelivery.objects.filter(delivered_at__isnull=True).count() == 2
    assert hook.posts == []
    assert tasks.sweep_webhooks() == 2
    assert WebhookDelivery.objects.filter(delivered_at__isnull=True).count() == 0
    assert [json.loads(body)["data"]["action"] for _h, body in hook.posts] == [
        "submit",
        "start_review",
    ]


def test_a_delivery_made_is_not_made_again(
    api_as, bank_key, bank_institution, receiver, django_capture_on_commit_callbacks
):
    hook = receiver()
    webhooks.endpoint_create(institution=bank_institution, url=hook.url)
    _file(api_as, bank_key, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert tasks.send_webhook.delay(delivery.pk).get() is True
    assert len(hook.posts) == 1


def test_an_answer_is_posted_with_its_letter_and_code(
    api_as,
    bank_key,
    bank_institution,
    receiver,
    reviewer_d1,
    manager_d1,
    django_capture_on_commit_callbacks,
):
    hook = receiver()
    webhooks.endpoint_create(institution=bank_institution, url=hook.url)
    inquiry = _file(api_as, bank_key, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        answer = answered(inquiry, reviewer_d1, manager_d1, django_capture_on_commit_callbacks)
    posted = [json.loads(body) for _headers, body in hook.posts]
    last = next(p for p in posted if p["type"] == "inquiry.answered")
    assert last["data"]["answer"]["letter_number"] == answer.letter_number
    assert last["data"]["answer"]["verification_code"] == answer.verification_code
    # Signed, its PDF not rendered yet when the event was written.
    assert last["data"]["answer"]["pdf_ready"] is False
    # The district's inner steps (a prepared draft) are not the bank's business.
    events = [p for p in posted if p["type"] != "answer.pdf_ready"]
    assert sorted(p["data"]["action"] for p in events) == ["answer", "start_review", "submit"]


def test_other_channels_and_other_institutions_owe_nothing(
    api_as,
    bank_key,
    bank_institution,
    other_bank,
    receiver,
    citizen,
    reviewer_d1,
    django_capture_on_commit_callbacks,
):
    from inquiries.tests.factories import InquiryFactory

    hook = receiver()
    webhooks.endpoint_create(institution=other_bank, url=hook.url)
    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_review_start(actor=reviewer_d1, inquiry=InquiryFactory(applicant=citizen))
    _file(api_as, bank_key, django_capture_on_commit_callbacks)
    assert not WebhookDelivery.objects.exists() and hook.posts == []


def test_the_institutions_admin_page_shows_the_delivery_log(
    api_as,
    bank_key,
    bank_institution,
    receiver,
    ict_admin,
    client_for,
    django_capture_on_commit_callbacks,
):
    hook = receiver(statuses=[500] * 10)
    webhooks.endpoint_create(institution=bank_institution, url=hook.url)
    _file(api_as, bank_key, django_capture_on_commit_callbacks)
    page = client_for(ict_admin).get(f"/admin/api/institution/{bank_institution.pk}/change/")
    html = page.content.decode()
    assert "inquiry.status_changed" in html and hook.url in html
    assert "500" in html


def test_an_institution_registers_its_webhook_and_reads_its_delivery_log(
    api_as, bank_key, other_bank_key, receiver, django_capture_on_commit_callbacks
):
    hook = receiver()
    bank = api_as(bank_key)
    created = bank.post("/api/v1/webhooks/", {"url": hook.url}, content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["url"] == hook.url and len(body["secret"]) >= 40
    listed = bank.get("/api/v1/webhooks/").json()
    assert [w["id"] for w in listed] == [body["id"]] and "secret" not in listed[0]
    _file(api_as, bank_key, django_capture_on_commit_callbacks)
    log = bank.get("/api/v1/webhooks/deliveries/").json()
    assert [(d["type"], d["webhook"], d["attempts"]) for d in log] == [
        ("inquiry.status_changed", body["id"], 1)
    ]
    assert log[0]["delivered_at"]
    headers, posted = hook.posts[0]
    assert webhooks.signature_verify(
        body["secret"],
        timestamp=headers["Shahrvand-Timestamp"],
        signature=headers["Shahrvand-Signature"],
        body=posted,
    )
    # Another institution neither sees nor removes it.
    assert api_as(other_bank_key).get("/api/v1/webhooks/").json() == []
    assert api_as(other_bank_key).delete(f"/api/v1/webhooks/{body['id']}/").status_code == 404
    assert api_as(other_bank_key).get("/api/v1/webhooks/deliveries/").json() == []
    assert bank.delete(f"/api/v1/webhooks/{body['id']}/").status_code == 204
    assert bank.get("/api/v1/webhooks/").json()[0]["is_active"] is False


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:6379/",
        "http://localhost/admin/",
        "http://10.0.0.5/hook",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "ftp://bank.example/x",
        "not a url",
    ],
)
def test_a_webhook_to_a_private_address_or_another_scheme_is_refused(
    api_as, bank_key, settings, url
):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    response = api_as(bank_key).post("/api/v1/webhooks/", {"url": url})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["url"]


def test_a_delivery_is_not_posted_to_an_address_that_became_private(
    api_as, bank_key, bank_institution, receiver, settings, django_capture_on_commit_callbacks
):
    hook = receiver()
    webhooks.endpoint_create(institution=bank_institution, url=hook.url)
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    _file(api_as, bank_key, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert hook.posts == [] and delivery.delivered_at is None
    assert delivery.last_error == "address not allowed"


def test_webhooks_need_their_scope(api_as, ict_admin, bank_institution):
    from .conftest import key_for

    key = key_for(ict_admin, bank_institution, ["file", "read", "verify"])
    assert api_as(key).get("/api/v1/webhooks/").status_code == 403


# --- a bounded life: given up after the last attempt, kept, sent again from the admin -------------


def test_the_attempts_span_about_a_day_before_a_delivery_is_given_up(settings):
    waits = [webhooks.backoff_seconds(n) for n in range(1, settings.WEBHOOK_MAX_ATTEMPTS)]
    assert waits[:3] == [30, 60, 120] and max(waits) == 3600
    assert 22 * 3600 <= sum(waits) <= 25 * 3600


def _given_up(api_as, bank_key, bank_institution, settings, capture) -> WebhookDelivery:
    """A delivery to a receiver that never answers, tried until it is given up (three attempts)."""
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    webhooks.endpoint_create(institution=bank_institution, url=_closed_port_url())
    _file(api_as, bank_key, capture)
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 1 and delivery.given_up_at is None
    with mock.patch.object(tasks.send_webhook, "retry", wraps=tasks.send_webhook.retry) as retry:
        assert _as_a_worker(delivery.pk) is False
    assert retry.call_count == 1  # the second attempt; the third was the last
    delivery.refresh_from_db()
    return delivery


def test_a_delivery_is_given_up_after_the_last_attempt_and_kept(
    api_as,
    bank_key,
    bank_institution,
    settings,
    client_for,
    ict_admin,
    django_capture_on_commit_callbacks,
):
    delivery = _given_up(
        api_as, bank_key, bank_institution, settings, django_capture_on_commit_callbacks
    )
    assert delivery.attempts == 3 and delivery.given_up_at and delivery.delivered_at is None
    assert delivery.state() == "given_up" and delivery.last_error
    # The sweeper no longer sends it, however long it waits ...
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - dt.timedelta(days=1))
    assert tasks.sweep_webhooks() == 0
    # ... nor does a retry that was already queued.
    assert tasks.send_webhook.delay(delivery.pk).get() is False
    assert WebhookDelivery.objects.get().attempts == 3
    # The institution reads it in its delivery log, and the ICT organisation on its admin page.
    [logged] = api_as(bank_key).get("/api/v1/webhooks/deliveries/").json()
    assert logged["state"] == "given_up" and logged["given_up_at"]
    assert logged["delivered_at"] is None and logged["next_attempt_at"] is None
    page = client_for(ict_admin).get(f"/admin/api/institution/{bank_institution.pk}/change/")
    html = page.content.decode()
    assert "Given up" in html or "رها شد" in html
    assert "state=given_up" in html


def test_the_admin_sends_given_up_deliveries_again_and_it_is_audited(
    api_as,
    bank_key,
    bank_institution,
    settings,
    receiver,
    client_for,
    ict_admin,
    django_capture_on_commit_callbacks,
):
    from accounts.models import PowerChange, PowerChangeKind

    delivery = _given_up(
        api_as, bank_key, bank_institution, settings, django_capture_on_commit_callbacks
    )
    hook = receiver()
    delivery.endpoint.url = hook.url
    delivery.endpoint.save()
    client = client_for(ict_admin)
    listed = client.get("/admin/api/webhookdelivery/?state=given_up").content.decode()
    assert delivery.event_type in listed and 'value="resend"' in listed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/api/webhookdelivery/",
            {"action": "resend", "_selected_action": [delivery.pk]},
            follow=True,
        )
    assert response.status_code == 200
    delivery.refresh_from_db()
    assert delivery.delivered_at and delivery.given_up_at is None and delivery.attempts == 1
    assert json.loads(hook.posts[0][1])["id"] == str(delivery.event_id)  # the same event
    row = PowerChange.objects.get(kind=PowerChangeKind.WEBHOOK_RESENT)
    assert (row.actor, row.target, row.object_id) == (
        ict_admin,
        bank_institution.account,
        delivery.pk,
    )
    assert row.before["attempts"] == 3 and row.before["given_up_at"]
    assert row.after == {"given_up_at": None, "attempts": 0}
    # A delivered one is left alone, and says so.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/api/webhookdelivery/",
            {"action": "resend", "_selected_action": [delivery.pk]},
            follow=True,
        )
    assert len(hook.posts) == 1
    assert PowerChange.objects.filter(kind=PowerChangeKind.WEBHOOK_RESENT).count() == 1


def test_only_the_ict_organisation_sends_a_delivery_again(
    api_as, bank_key, bank_institution, settings, reviewer_d1, django_capture_on_commit_callbacks
):
    from django.core.exceptions import PermissionDenied

    from api import services as api_services

    delivery = _given_up(
        api_as, bank_key, bank_institution, settings, django_capture_on_commit_callbacks
    )
    with pytest.raises(PermissionDenied):
        api_services.deliveries_resend(actor=reviewer_d1, deliveries=[delivery])
    assert WebhookDelivery.objects.get().given_up_at is not None


# --- the answer's PDF: rendered after the signature, announced when stored -------------------------


def test_the_pdf_is_announced_once_stored_after_the_answer(
    api_as,
    bank_key,
    bank_institution,
    receiver,
    reviewer_d1,
    manager_d1,
    django_capture_on_commit_callbacks,
):
    from inquiries.models import Answer
    from inquiries.tasks import render_answer_pdf

    hook = receiver()
    webhooks.endpoint_create(institution=bank_institution, url=hook.url)
    inquiry = _file(api_as, bank_key, django_capture_on_commit_callbacks)
    url = f"/api/v1/inquiries/{inquiry.tracking_code}/answer/pdf/"
    # The PDF task is held back, as a busy pdf queue would: the answer is posted first ...
    with mock.patch("inquiries.tasks.render_answer_pdf.apply_async"):
        answer = answered(inquiry, reviewer_d1, manager_d1, django_capture_on_commit_callbacks)
    types = [json.loads(body)["type"] for _headers, body in hook.posts]
    assert types[-1] == "inquiry.answered" and "answer.pdf_ready" not in types
    # ... and a receiver that asks for the PDF at once is told to come back.
    early = api_as(bank_key).get(url)
    assert early.status_code == 409 and early.json()["code"] == "pdf_not_ready"
    # Rendered (the task, or the sweeper): now it is announced, with what identifies it.
    with django_capture_on_commit_callbacks(execute=True):
        render_answer_pdf.delay(answer.pk)
    answer = Answer.objects.get(pk=answer.pk)
    ready = json.loads(hook.posts[-1][1])
    assert ready["type"] == "answer.pdf_ready"
    assert ready["data"]["tracking_code"] == inquiry.tracking_code
    assert ready["data"]["answer"]["verification_code"] == answer.verification_code
    assert ready["data"]["answer"]["pdf_sha256"] == answer.pdf_sha256
    assert ready["data"]["answer"]["pdf_ready"] is True
    pdf = api_as(bank_key).get(url)
    assert pdf.status_code == 200
    assert hashlib.sha256(b"".join(pdf.streaming_content)).hexdigest() == answer.pdf_sha256
    # Rendering again stores nothing and announces nothing.
    with django_capture_on_commit_callbacks(execute=True):
        render_answer_pdf.delay(answer.pk)
    assert WebhookDelivery.objects.filter(event_type="answer.pdf_ready").count() == 1


def test_a_pdf_rendered_late_for_a_corrected_answer_is_not_announced(
    api_as,
    bank_key,
    bank_institution,
    receiver,
    reviewer_d1,
    manager_d1,
    django_capture_on_commit_callbacks,
):
    from inquiries.answer_pdf import answer_pdf_store
    from inquiries.models import Answer

    hook = receiver()
    webhooks.endpoint_create(institution=bank_institution, url=hook.url)
    inquiry = _file(api_as, bank_key, django_capture_on_commit_callbacks)
    with mock.patch("inquiries.tasks.render_answer_pdf.apply_async"):
        first = answered(inquiry, reviewer_d1, manager_d1, django_capture_on_commit_callbacks)
        Answer.objects.filter(pk=first.pk).update(status="superseded")
        with django_capture_on_commit_callbacks(execute=True):
            answer_pdf_store(first.pk)
    assert not WebhookDelivery.objects.filter(event_type="answer.pdf_ready").exists()


def test_other_channels_owe_nothing_when_their_pdf_is_stored(
    citizen, reviewer_d1, manager_d1, bank_institution, receiver, django_capture_on_commit_callbacks
):
    from inquiries.tests.factories import InquiryFactory

    from .test_reading import answered as signed

    hook = receiver()
    webhooks.endpoint_create(institution=bank_institution, url=hook.url)
    with django_capture_on_commit_callbacks(execute=True):
        signed(
            InquiryFactory(applicant=citizen),
            reviewer_d1,
            manager_d1,
            django_capture_on_commit_callbacks,
        )
    assert not WebhookDelivery.objects.exists() and hook.posts == []


def test_an_institutions_own_webhooks_are_audited_as_changes_of_access(
    api_as, bank_key, bank_institution, receiver
):
    """Where an institution's inquiries' events go is a change of its access, whoever makes it:
    the institution through the API is audited as the ICT organisation in the admin is."""
    from accounts.models import PowerChange, PowerChangeKind

    hook = receiver()
    bank = api_as(bank_key)
    before = PowerChange.objects.count()
    body = bank.post("/api/v1/webhooks/", {"url": hook.url}, content_type="application/json").json()
    bank.delete(f"/api/v1/webhooks/{body['id']}/")
    bank.delete(f"/api/v1/webhooks/{body['id']}/")  # gone already: nothing more to audit
    rows = list(PowerChange.objects.order_by("pk")[before:])
    assert [(r.kind, r.actor, r.target, r.before, r.after) for r in rows] == [
        (
            PowerChangeKind.INSTITUTION_CHANGED,
            bank_institution.account,
            bank_institution.account,
            {},
            {"url": hook.url, "is_active": True},
        ),
        (
            PowerChangeKind.INSTITUTION_CHANGED,
            bank_institution.account,
            bank_institution.account,
            {"is_active": True},
            {"is_active": False},
        ),
    ]
    assert all(body["secret"] not in str((r.before, r.after)) for r in rows)
