import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inquiries.kinds import InquiryKind
from inquiries.workflow import Channel


class InquiryDraft(models.Model):
    """An inquiry being filled in, step by step. Kept on the server so that going back and forth,
    a dropped connection or a refused upload loses nothing the person typed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inquiry_drafts"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=InquiryKind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    office = models.ForeignKey(
        "counters.CounterOffice", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # {"property": {...}, "applicant": {...}, "details": {...}}: cleaned values of each step.
    data = models.JSONField(default=dict, blank=True)
    # Sent with the final submit; the inquiry carries it, so a repeated submit finds the first one.
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inquiry = models.OneToOneField(
        "inquiries.Inquiry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="draft",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("inquiry draft")
        verbose_name_plural = _("inquiry drafts")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.pk})"

    def step_data(self, step: str) -> dict:
        return dict(self.data.get(step) or {})
