from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inquiries.workflow import Action, Channel, InquiryStatus
from shahrvand.append_only import AppendOnlyModel

# Who withdrew, by the channel they acted through: the citizen, or the office or kiosk that filed it.
WITHDRAWN_BY = {
    Channel.WEB: _("Withdrawn by the applicant"),
    Channel.COUNTER_OFFICE: _("Withdrawn by the office that filed it"),
    Channel.NOTARY_OFFICE: _("Withdrawn by the office that filed it"),
    Channel.KIOSK: _("Withdrawn at the district's help kiosk"),
    Channel.INSTITUTION_API: _("Withdrawn by the institution that filed it"),
}


class InquiryEvent(AppendOnlyModel):
    """The inquiry's history: who did what, when, from which status to which, through which channel.
    Append-only: rows are never changed or deleted (on PostgreSQL a trigger enforces it too)."""

    inquiry = models.ForeignKey(
        "inquiries.Inquiry", on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(
        _("from"), max_length=16, choices=InquiryStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=16, choices=InquiryStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("inquiry event")
        verbose_name_plural = _("inquiry events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["inquiry", "created_at"])]

    def __str__(self) -> str:
        return f"{self.inquiry_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"

    def title(self) -> str:
        """What the history says happened; a withdrawal names who withdrew."""
        if self.action == Action.WITHDRAW:
            return str(WITHDRAWN_BY.get(self.channel, self.get_action_display()))
        return str(self.get_action_display())
