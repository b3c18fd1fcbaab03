from dataclasses import dataclass

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shahrvand.storage import private_storage

from .choices import BuildingStatus, LandUse


class AnswerDecision(models.TextChoices):
    NO_OBJECTION = "no_objection", _("No objection")
    CONDITIONAL = "conditional", _("No objection, with conditions")
    VIOLATIONS = "violations", _("Violations found — settle them first")
    CANNOT_ANSWER = "cannot_answer", _("Cannot be answered")


class CertificateType(models.TextChoices):
    NONE = "none", _("None")
    COMPLETION = "completion", _("Building completion certificate")
    NO_VIOLATION = "no_violation", _("No-violation certificate")


class RoadWidening(models.TextChoices):
    NOT_AFFECTED = "not_affected", _("Not affected by road widening")
    PARTLY = "partly", _("Partly affected by road widening")
    FULLY = "fully", _("Fully affected by road widening")


class AnswerStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    SIGNED = "signed", _("Signed")
    SUPERSEDED = "superseded", _("Superseded by a correction")
    REVOKED = "revoked", _("Revoked")


# The answer's life as data, beside the states it moves between and the model whose docstring
# tells it; ``services.answers.answer_transition`` checks this table and is the only code that
# changes an answer's status. A draft moves by nothing else: it is edited until it is signed, or
# dropped when the answer it would correct is revoked. Superseded and revoked are final.
class AnswerAction(models.TextChoices):
    SIGN = "sign"
    SUPERSEDE = "supersede"
    REVOKE = "revoke"


@dataclass(frozen=True)
class AnswerTransition:
    action: AnswerAction
    sources: frozenset[AnswerStatus]
    target: AnswerStatus


ANSWER_TRANSITIONS: dict[AnswerAction, AnswerTransition] = {
    # The prepared draft is signed: it gets its letter number and never changes again.
    AnswerAction.SIGN: AnswerTransition(
        AnswerAction.SIGN, frozenset({AnswerStatus.DRAFT}), AnswerStatus.SIGNED
    ),
    # A correction was signed: the answer it replaces stays readable and verifiable, no longer
    # in force.
    AnswerAction.SUPERSEDE: AnswerTransition(
        AnswerAction.SUPERSEDE, frozenset({AnswerStatus.SIGNED}), AnswerStatus.SUPERSEDED
    ),
    # An answer in force turned out wrong: withdrawn with a reason, the inquiry is reviewed again.
    AnswerAction.REVOKE: AnswerTransition(
        AnswerAction.REVOKE, frozenset({AnswerStatus.SIGNED}), AnswerStatus.REVOKED
    ),
}


class SignerRole(models.TextChoices):
    """What the signer was in the district when signing (the codes of their district role). Kept
    as a code: the letter prints it in Persian, each page shows it in its reader's language."""

    MANAGER = "manager", _("District manager")
    REVIEWER = "reviewer", _("Reviewer")


def answer_pdf_upload_to(instance: "Answer", filename: str) -> str:
    return f"answers/{instance.signed_at:%Y/%m}/{instance.verification_code}.pdf"


class Answer(models.Model):
    """The district's answer to an inquiry. Prepared as a draft, then signed; once signed it never
    changes: a correction is a new answer that supersedes it, a revocation keeps it with a reason."""

    inquiry = models.ForeignKey(
        "inquiries.Inquiry", on_delete=models.PROTECT, related_name="answers"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AnswerStatus.choices, default=AnswerStatus.DRAFT
    )
    decision = models.CharField(_("decision"), max_length=16, choices=AnswerDecision.choices)
    reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why the inquiry cannot be answered.")
    )
    building_status = models.CharField(
        _("building status"), max_length=20, choices=BuildingStatus.choices, blank=True
    )
    certificate_type = models.CharField(
        _("certificate"), max_length=16, choices=CertificateType.choices, default="none"
    )
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    certificate_date = models.DateField(_("certificate date"), null=True, blank=True)
    land_use_plan = models.CharField(
        _("land use in the detailed plan"), max_length=20, choices=LandUse.choices, blank=True
    )
    road_widening = models.CharField(
        _("road widening"), max_length=16, choices=RoadWidening.choices, blank=True
    )
    road_widening_note = models.CharField(_("road widening details"), max_length=300, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)

    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set by each preparation of the draft (not by signing it, nor by a later status change).
    prepared_at = models.DateTimeField(_("prepared at"), default=timezone.now)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    signer_role = models.CharField(
        _("signer's role"), max_length=16, choices=SignerRole.choices, blank=True
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    letter_number = models.CharField(
        _("letter number"), max_length=30, unique=True, null=True, blank=True
    )
    verification_code = models.CharField(
        _("verification code"), max_length=12, unique=True, null=True, blank=True
    )
    dues_total_rials = models.PositiveBigIntegerField(_("dues in total (rials)"), default=0)
    bill_id = models.CharField(_("bill ID"), max_length=13, blank=True)
    payment_id = models.CharField(_("payment ID"), max_length=13, blank=True)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)

    # The official PDF (rendered by a worker after signing). The database records that it is
    # still owed (pdf is empty), so a lost task is found and done again.
    pdf = models.FileField(
        _("PDF"), storage=private_storage, upload_to=answer_pdf_upload_to, blank=True
    )
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True, db_index=True)
    pdf_rendered_at = models.DateTimeField(_("PDF rendered at"), null=True, blank=True)
    # When a worker was last asked for the PDF (the sweeper asks again only after a while).
    pdf_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["pk"]
        indexes = [models.Index(fields=["status", "pdf_rendered_at"])]

    def __str__(self) -> str:
        return self.letter_number or f"{self.inquiry} ({self.get_status_display()})"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def is_draft(self) -> bool:
        return self.status == AnswerStatus.DRAFT

    @property
    def is_in_force(self) -> bool:
        """Signed and neither superseded by a correction nor revoked."""
        return self.status == AnswerStatus.SIGNED


class AnswerDue(models.Model):
    """One line of municipal dues on an answer (clearance before the transaction)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="dues")
    title = models.CharField(_("title"), max_length=150)
    amount_rials = models.PositiveBigIntegerField(
        _("amount (rials)"), validators=[MinValueValidator(1)]
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("due")
        verbose_name_plural = _("dues")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class LetterCounter(models.Model):
    """The next letter number per district and Jalali year (1/1405/00042)."""

    district = models.ForeignKey("districts.District", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district", "year"], name="letter_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.district_id}/{self.year}: {self.last}"


class DeficiencyReason(models.Model):
    """Standard reasons for asking the applicant for more information (editable in the admin);
    counted per office in the scorecards."""

    title = models.CharField(_("title"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order in lists"), default=100)

    class Meta:
        verbose_name = _("deficiency reason")
        verbose_name_plural = _("deficiency reasons")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class InfoRequest(models.Model):
    """One "more information needed" request: which standard reasons, and what else was said."""

    inquiry = models.ForeignKey(
        "inquiries.Inquiry", on_delete=models.PROTECT, related_name="info_requests"
    )
    event = models.OneToOneField("inquiries.InquiryEvent", on_delete=models.PROTECT)
    reasons = models.ManyToManyField(DeficiencyReason, blank=True, related_name="requests")
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("request for information")
        verbose_name_plural = _("requests for information")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.inquiry} {self.created_at:%Y-%m-%d}"
