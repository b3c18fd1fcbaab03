import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shahrvand.storage import private_storage

from .choices import DocumentKind

EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    # The name the user sent never becomes a path: a random name with the extension of the content
    # we checked.
    now = timezone.now()
    extension = EXTENSIONS.get(instance.content_type, ".bin")
    return f"attachments/{now:%Y/%m}/{uuid.uuid4().hex}{extension}"


class Attachment(models.Model):
    """A document uploaded for an inquiry (or for a draft not yet submitted)."""

    inquiry = models.ForeignKey(
        "inquiries.Inquiry",
        on_delete=models.PROTECT,
        related_name="attachments",
        null=True,
        blank=True,
        verbose_name=_("inquiry"),
    )
    draft = models.ForeignKey(
        "inquiries.InquiryDraft",
        on_delete=models.SET_NULL,
        related_name="attachments",
        null=True,
        blank=True,
        verbose_name=_("draft"),
    )
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(_("file"), storage=private_storage, upload_to=attachment_upload_to)
    original_name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def download_name(self) -> str:
        """The name offered on download: the user's name, with our extension."""
        stem = self.original_name.rsplit(".", 1)[0] or "document"
        return stem + EXTENSIONS.get(self.content_type, "")
