"""The API listens to the inquiries' history: every event of an inquiry filed through the API may
owe its institution a webhook, written beside the event in the same transaction; so does the
storing of an answer's PDF."""

from __future__ import annotations

from .webhooks import record_event, record_pdf_ready


def event_written(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        record_event(instance)


def answer_pdf_stored(sender, answer, **kwargs) -> None:
    record_pdf_ready(answer)
