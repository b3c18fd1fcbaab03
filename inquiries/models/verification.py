from django.db import models
from django.utils.translation import gettext_lazy as _


class VerificationResult(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    SUPERSEDED = "superseded", _("Superseded by a correction")
    REVOKED = "revoked", _("Revoked")
    NOT_FOUND = "not_found", _("Not found")


class VerificationLog(models.Model):
    """Every check of an answer on the public verification page: when, from where, how, result."""

    METHODS = [("code", _("typed code")), ("link", _("link or QR")), ("pdf", _("uploaded PDF"))]

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=8, choices=METHODS)
    query = models.CharField(_("what was checked"), max_length=80)
    result = models.CharField(_("result"), max_length=12, choices=VerificationResult.choices)
    answer = models.ForeignKey(
        "inquiries.Answer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.query} {self.result}"
