"""The SMS outbox: every message is a row written in the transaction of the change that causes it.

After the commit the row is queued (``sms_enqueue``); the task sends it and empties its text, so
message texts (sign-in codes among them) do not stay in the database. A row the broker never
delivered is queued again by the sweeper; a row past its use (a sign-in code past its validity) is
expired instead of being sent late.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SmsStatus(models.TextChoices):
    OWED = "owed", _("owed")
    SENT = "sent", _("sent")
    EXPIRED = "expired", _("expired")
    FAILED = "failed", _("failed")


class OutgoingSms(models.Model):
    to = models.CharField(_("mobile number"), max_length=11)
    # Emptied once the message is sent, expired or refused by the provider.
    text = models.TextField(_("text"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=SmsStatus.choices, default=SmsStatus.OWED
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Last handed to the broker (or tried to be); the sweeper asks again a while after this.
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)
    # A worker is sending it since then (another one leaves it alone until the task time limit).
    claimed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("outgoing SMS")
        verbose_name_plural = _("SMS outbox")
        ordering = ["-created_at"]
        indexes = [
            # The sweeper's look-up: only the few owed rows, whatever the size of the history.
            models.Index(
                fields=["queued_at"],
                condition=models.Q(status="owed"),
                name="sms_owed_queued_idx",
            ),
            models.Index(fields=["status", "finished_at"], name="sms_status_finished_idx"),
        ]

    def __str__(self) -> str:
        return f"SMS {self.pk} ({self.status})"
