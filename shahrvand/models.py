"""The shared package's one model, the SMS outbox (``shahrvand/sms/models.py``)."""

from .sms.models import OutgoingSms, SmsStatus

__all__ = ("OutgoingSms", "SmsStatus")
