"""The API listens to the inquiries' history: every event of an inquiry filed through the API may
owe its institution a webhook, written beside the event in the same transaction."""

from __future__ import annotations

from .webhooks import record_event


def event_written(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        record_event(instance)
