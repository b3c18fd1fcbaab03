"""Webhooks: what an institution is told, how it is signed, and how a delivery is attempted.

Each event of an inquiry filed through the API (its status changes and its answers) becomes one
``WebhookDelivery`` per active webhook of the institution, written in the same transaction as the
event (``record_event``). A Celery task posts it after the commit; a failed post is retried with
backoff, and the sweeper (``deliveries_due``) sends again whatever is still owed, so Redis or the
receiver being down delays an event but never loses it. A receiver down for longer than the
backoff's day (``WEBHOOK_MAX_ATTEMPTS`` attempts) is given up on: the delivery is marked so, not
deleted, and the ICT organisation may send it again from the admin.

Events: ``inquiry.status_changed`` and ``inquiry.answered`` (an answer signed or corrected), and
``answer.pdf_ready`` once that answer's PDF is stored (it is rendered after the signature, by
another task: until then the PDF endpoint answers ``pdf_not_ready``).

Signing: ``Shahrvand-Timestamp: <unix seconds>`` and ``Shahrvand-Signature: v1=<hex>``, the
HMAC-SHA256 of ``<timestamp>.<body>`` under the webhook's secret. A receiver checks the signature
and refuses a timestamp outside its replay window (``signature_verify``); ``Shahrvand-Event-Id``
tells a repeated delivery from a new event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import PowerChangeKind
from accounts.services_power import power_change_record
from inquiries.models import Answer, Inquiry, InquiryEvent
from inquiries.services import answer_current
from inquiries.workflow import Action, Channel
from shahrvand.queueing import task_enqueue_on_commit

from .models import Institution, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

# The events an institution hears of: what moves its inquiry, not the district's inner steps
# (who holds it, a prepared draft).
STATUS_EVENTS = {
    Action.SUBMIT,
    Action.START_REVIEW,
    Action.REQUEST_INFO,
    Action.RESUBMIT,
    Action.WITHDRAW,
    Action.ANSWER_REVOKED,
}
ANSWER_EVENTS = {Action.ANSWER, Action.ANSWER_CORRECTED}
BACKOFF_FIRST_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600


def backoff_seconds(attempts: int) -> int:
    """Wait before the next attempt after ``attempts`` failed ones: 30 s, 1, 2, 4 … minutes, at
    most an hour."""
    return min(BACKOFF_FIRST_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS)


# The event types (``WebhookDelivery.event_type``, the payload's "type").
STATUS_CHANGED = "inquiry.status_changed"
ANSWERED = "inquiry.answered"
PDF_READY = "answer.pdf_ready"
EVENT_TYPES = (STATUS_CHANGED, ANSWERED, PDF_READY)


def _answer_data(answer: Answer) -> dict:
    return {
        "letter_number": answer.letter_number,
        "verification_code": answer.verification_code,
        "decision": answer.decision,
        "valid_until": answer.valid_until.isoformat() if answer.valid_until else None,
    }


def _event_data(event: InquiryEvent, event_type: str) -> dict:
    inquiry = event.inquiry
    data = {
        "tracking_code": inquiry.tracking_code,
        "action": event.action,
        "from_status": event.from_status,
        "status": event.to_status,
        "at": event.created_at.isoformat(),
    }
    if event_type == ANSWERED:
        answer = answer_current(inquiry)
        if answer is not None:
            # Signed just now: its PDF is rendered after the commit (answer.pdf_ready follows).
            data["answer"] = {**_answer_data(answer), "pdf_ready": bool(answer.pdf)}
    return data


def _deliveries_owed(inquiry: Inquiry, event_type: str, data: dict) -> list[WebhookDelivery]:
    """One delivery of the event per active webhook of the institution whose system filed the
    inquiry (none for an inquiry filed otherwise), each posted after the commit."""
    if inquiry.channel != Channel.INSTITUTION_API:
        return []
    institution = Institution.objects.filter(account_id=inquiry.filed_by_id).first()
    if institution is None:
        return []
    deliveries = []
    for endpoint in institution.webhooks.filter(is_active=True):
        event_id = uuid.uuid4()
        deliveries.append(
            WebhookDelivery.objects.create(
                endpoint=endpoint,
                institution=institution,
                event_id=event_id,
                event_type=event_type,
                payload={"id": str(event_id), "type": event_type, "data": data},
            )
        )
    for delivery in deliveries:
        delivery_enqueue(delivery.pk)
    return deliveries


def record_event(event: InquiryEvent) -> list[WebhookDelivery]:
    """The deliveries an inquiry event owes (none for an inquiry not filed through the API)."""
    if event.action in ANSWER_EVENTS:
        event_type = ANSWERED
    elif event.action in STATUS_EVENTS:
        event_type = STATUS_CHANGED
    else:
        return []
    return _deliveries_owed(event.inquiry, event_type, _event_data(event, event_type))


def record_pdf_ready(answer: Answer) -> list[WebhookDelivery]:
    """The deliveries owed once an answer's PDF is stored: the PDF endpoint now serves it. Only for
    the answer in force (the endpoint serves no other): a PDF rendered late for an answer already
    corrected or revoked owes nothing."""
    inquiry = answer.inquiry
    if inquiry.channel != Channel.INSTITUTION_API:
        return []
    current = answer_current(inquiry)
    if current is None or current.pk != answer.pk:
        return []
    data = {
        "tracking_code": inquiry.tracking_code,
        "status": inquiry.status,
        "at": answer.pdf_rendered_at.isoformat(),
        "answer": {**_answer_data(answer), "pdf_ready": True, "pdf_sha256": answer.pdf_sha256},
    }
    return _deliveries_owed(inquiry, PDF_READY, data)


def delivery_enqueue(delivery_id: int) -> None:
    """Post it after the commit. With the broker away nothing is lost: the row is owed, and the
    sweeper finds it."""
    from .tasks import send_webhook

    task_enqueue_on_commit(send_webhook, delivery_id, what=f"webhook delivery {delivery_id}")


def signature_for(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return "v1=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_verify(
    secret: str,
    *,
    timestamp: str,
    signature: str,
    body: bytes,
    now: float | None = None,
    window: int | None = None,
) -> bool:
    """What a receiver checks: the signature over the timestamp and body, and a timestamp inside
    the replay window (a captured delivery posted again later is refused)."""
    window = settings.WEBHOOK_REPLAY_WINDOW_SECONDS if window is None else window
    try:
        sent = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((time.time() if now is None else now) - sent) > window:
        return False
    return hmac.compare_digest(signature_for(secret, sent, body), signature)


class DeliveryFailed(Exception):
    pass


class DeliveryGivenUp(DeliveryFailed):
    """The last attempt failed: no more retries."""


def delivery_attempt(delivery_id: int) -> bool:
    """Post the delivery once. True when it is delivered (now or before), False when it was given
    up before; raises DeliveryFailed after recording the failure and when to try again, or
    DeliveryGivenUp when that was the last attempt."""
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    if delivery.delivered_at is not None:
        return True  # idempotent: delivered once is delivered
    if delivery.given_up_at is not None:
        return False  # a retry or a sweep already in the queue when it was given up
    if not address_allowed(delivery.endpoint.url):
        _failed(delivery, None, "address not allowed")
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(time.time())
    request = urllib.request.Request(
        delivery.endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Shahrvand-Webhooks/1",
            "Shahrvand-Event-Id": str(delivery.event_id),
            "Shahrvand-Timestamp": str(timestamp),
            "Shahrvand-Signature": signature_for(delivery.endpoint.secret, timestamp, body),
        },
    )
    status, error = None, ""
    try:
        timeout = settings.WEBHOOK_TIMEOUT_SECONDS
        with urllib.request.urlopen(request, timeout=timeout) as response:  # nosec B310
            status = response.status
    except urllib.error.HTTPError as refused:
        status, error = refused.code, f"HTTP {refused.code}"
    except (urllib.error.URLError, OSError) as failure:
        error = str(getattr(failure, "reason", failure))[:200]
    now = timezone.now()
    attempts = delivery.attempts + 1
    if status is not None and 200 <= status < 300:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            attempts=attempts, last_status=status, last_error="", delivered_at=now
        )
        return True
    _failed(delivery, status, error or f"HTTP {status}")


def _failed(delivery: WebhookDelivery, status: int | None, error: str) -> None:
    attempts = delivery.attempts + 1
    now = timezone.now()
    last = attempts >= settings.WEBHOOK_MAX_ATTEMPTS
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=attempts,
        last_status=status,
        last_error=error[:200],
        next_attempt_at=now + dt.timedelta(seconds=backoff_seconds(attempts)),
        given_up_at=now if last else None,
    )
    if last:
        logger.warning(
            "webhook delivery %s given up after %s attempts: %s", delivery.pk, attempts, error
        )
        raise DeliveryGivenUp(error)
    raise DeliveryFailed(error)


def deliveries_due(now=None) -> list[int]:
    """What the sweeper sends again: owed (neither delivered nor given up), and due by its
    backoff. Marked as asked for (pushed one backoff step on) so that the next sweep does not send
    the same row twice meanwhile."""
    now = now or timezone.now()
    due = list(
        WebhookDelivery.objects.owed()
        .filter(next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", "attempts")[:500]
    )
    for pk, attempts in due:
        WebhookDelivery.objects.filter(pk=pk).update(
            next_attempt_at=now + dt.timedelta(seconds=backoff_seconds(attempts + 1))
        )
    return [pk for pk, _attempts in due]


def address_allowed(url: str) -> bool:
    """A webhook posts only to public addresses: a name that resolves to a loopback, private,
    link-local or reserved address (this server, the database, a cloud's metadata service) is
    refused, when registered and again before each post (the name may point elsewhere later).
    ``WEBHOOK_ALLOW_PRIVATE_ADDRESSES`` lifts this for a closed network (and the tests)."""
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return True
    host = urllib.parse.urlsplit(url).hostname
    if not host:
        return False
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return False
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            return False
    return bool(infos)


def endpoint_state(endpoint: WebhookEndpoint) -> dict:
    """What the audit keeps of a webhook: its address and whether it is on, never its secret."""
    return {"url": endpoint.url, "is_active": endpoint.is_active}


@transaction.atomic
def endpoint_create(*, institution: Institution, url: str) -> WebhookEndpoint:
    """An institution's own webhook (through the API): a change of its access, audited as the
    ICT organisation's additions are (``services.institution_part_save``), by its account."""
    endpoint = WebhookEndpoint(institution=institution, url=url)
    endpoint.full_clean()
    if not address_allowed(endpoint.url):
        raise ValidationError(
            {"url": _("This address is not reachable from here or not public.")},
            code="address",
        )
    endpoint.save()
    _audit(institution, endpoint, before={}, after=endpoint_state(endpoint))
    return endpoint


@transaction.atomic
def endpoint_deactivate(*, institution: Institution, endpoint: WebhookEndpoint) -> None:
    if endpoint.institution_id != institution.pk:
        raise PermissionDenied
    if WebhookEndpoint.objects.filter(pk=endpoint.pk, is_active=True).update(is_active=False):
        _audit(institution, endpoint, before={"is_active": True}, after={"is_active": False})


def _audit(institution: Institution, endpoint: WebhookEndpoint, *, before, after) -> None:
    power_change_record(
        actor=institution.account,
        kind=PowerChangeKind.INSTITUTION_CHANGED,
        target=institution.account,
        obj=endpoint,
        before=before,
        after=after,
    )
