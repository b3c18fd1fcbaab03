from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from districts.models import District
from inquiries import workflow
from inquiries.kinds import InquiryKind
from inquiries.tracking import tracking_code_display
from inquiries.workflow import Channel, InquiryStatus
from shahrvand.identifiers import validate_mobile, validate_national_id

from .answer import AnswerDecision
from .bank import Bank
from .choices import AgencyType, ApplicantRelation, FacilityType, TransactionType
from .property import Property


class Inquiry(models.Model):
    """One inquiry about one property. ``status`` changes only through ``inquiries.services``; each
    change writes an ``InquiryEvent`` in the same transaction."""

    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=InquiryKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=InquiryStatus.choices, default=InquiryStatus.SUBMITTED
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    # Copied from the property so every district-scoped list filters on one indexed column.
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="inquiries", verbose_name=_("district")
    )
    property = models.ForeignKey(
        Property, on_delete=models.PROTECT, related_name="inquiries", verbose_name=_("property")
    )
    # What the applicant declared about the property when filing (address, area, land use, ...);
    # the shared Property row may be updated by later filings, this never is.
    property_declared = models.JSONField(_("property as declared"), default=dict)

    applicant_national_id = models.CharField(
        _("applicant's national ID"), max_length=10, validators=[validate_national_id]
    )
    applicant_first_name = models.CharField(_("applicant's first name"), max_length=60)
    applicant_last_name = models.CharField(_("applicant's last name"), max_length=80)
    applicant_mobile = models.CharField(
        _("applicant's mobile"), max_length=11, validators=[validate_mobile]
    )
    applicant_relation = models.CharField(
        _("relation to the property"), max_length=10, choices=ApplicantRelation.choices
    )
    owner_national_id = models.CharField(
        _("owner's national ID"), max_length=10, blank=True, validators=[validate_national_id]
    )
    owner_name = models.CharField(_("owner's full name"), max_length=140, blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)

    # The counter or notary office that filed it for the citizen (None: filed by the citizen or a
    # district kiosk).
    office = models.ForeignKey(
        "counters.CounterOffice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("office"),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="inquiries_filed",
        verbose_name=_("filed by"),
    )
    # One submission of one draft makes one inquiry, however often the button is pressed.
    submission_key = models.UUIDField(_("submission key"), unique=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # The reviewer holding the inquiry (None: in the district's common queue).
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inquiries_assigned",
        verbose_name=_("assigned to"),
    )
    # The deadline in working days, as a date. While the inquiry waits on the applicant the clock
    # is paused: due_date is empty and the working days that were left are kept.
    due_date = models.DateField(_("due date"), null=True, blank=True)
    paused_days_left = models.SmallIntegerField(null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # The decision of the answer in force ("" while none is): what the reports count as answers
    # by decision.
    decision = models.CharField(
        _("decision in force"), max_length=16, choices=AnswerDecision.choices, blank=True
    )
    # Asked for more information at least once (the offices' scorecards count these).
    sent_back = models.BooleanField(_("sent back for more information"), default=False)
    # Bumped by every change; a form sent from an older state is refused, not applied.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["applicant_national_id", "-submitted_at"]),
            models.Index(fields=["district", "status", "submitted_at"]),
            models.Index(fields=["district", "status", "due_date"]),
            models.Index(fields=["assigned_to", "status"]),
            models.Index(fields=["office", "-submitted_at"]),
            # The office queue filtered by status, and "filed by this operator", newest first.
            models.Index(fields=["office", "status", "-submitted_at"]),
            models.Index(fields=["filed_by", "-submitted_at"]),
            # The review queue: a district's open inquiries, soonest due first, read in index
            # order a page at a time instead of sorting every open inquiry of the district. It
            # carries status, kind and channel so that the reports count the overdue and the open
            # by age from the index alone (an index-only scan, no table rows read).
            models.Index(
                fields=["district", "due_date", "submitted_at", "id"],
                include=["status", "kind", "channel"],
                condition=models.Q(status__in=list(workflow.OPEN)),
                name="inquiry_open_queue_idx",
            ),
            # The queue with every status ("all"), in the same order.
            models.Index(
                fields=["district", "due_date", "submitted_at", "id"],
                name="inquiry_all_queue_idx",
            ),
            # "Assigned to me": the holder's open inquiries, in the queue's order.
            models.Index(
                fields=["assigned_to", "district", "due_date", "submitted_at", "id"],
                condition=models.Q(status__in=list(workflow.OPEN)),
                name="inquiry_held_queue_idx",
            ),
            # Staff search by national ID looks at the owner as well as the applicant.
            models.Index(
                fields=["owner_national_id"],
                condition=~models.Q(owner_national_id=""),
                name="inquiry_owner_national_id_idx",
            ),
        ]

    # Plain methods, not properties: inside this class "property" is the field above.
    def __str__(self) -> str:
        return self.tracking_code_display()

    def tracking_code_display(self) -> str:
        return tracking_code_display(self.tracking_code)

    def applicant_name(self) -> str:
        return f"{self.applicant_first_name} {self.applicant_last_name}"

    def details(self):
        """The kind's details row (``TransferDetails``, ``BankDetails`` or ``AgencyDetails``: each
        is reached by the kind's own name), or None."""
        return getattr(self, self.kind, None)

    # What the status means, asked by templates and views (the rules live in ``workflow``).
    def is_waiting_on_district(self) -> bool:
        return self.status in workflow.WAITING_ON_DISTRICT

    def is_waiting_on_applicant(self) -> bool:
        """The district asked for more; the clock is paused until the applicant answers."""
        return self.status in workflow.WAITING_ON_APPLICANT

    def is_in_review(self) -> bool:
        return self.status == InquiryStatus.IN_REVIEW

    def is_withdrawn(self) -> bool:
        return self.status == InquiryStatus.WITHDRAWN

    def is_answered(self) -> bool:
        return self.status == InquiryStatus.ANSWERED

    def is_overdue(self, today=None) -> bool:
        from django.utils import timezone

        return workflow.is_overdue(self, today or timezone.localdate())


class TransferDetails(models.Model):
    """Before a notary registers a transfer: who sells, who buys, which notary office, and the
    notary office's letter that asks (``requirements.transfer_letter_required`` says when it must
    be given)."""

    inquiry = models.OneToOneField(Inquiry, on_delete=models.CASCADE, related_name="transfer")
    transaction_type = models.CharField(
        _("transaction type"), max_length=20, choices=TransactionType.choices
    )
    seller_national_id = models.CharField(
        _("seller's national ID"), max_length=10, validators=[validate_national_id]
    )
    seller_name = models.CharField(_("seller's full name"), max_length=140)
    buyer_national_id = models.CharField(
        _("buyer's national ID"), max_length=10, blank=True, validators=[validate_national_id]
    )
    buyer_name = models.CharField(_("buyer's full name"), max_length=140, blank=True)
    notary_office_number = models.PositiveIntegerField(
        _("notary office number"), null=True, blank=True
    )
    # Empty on the transfers filed before the letter was asked for, and on those a citizen, a
    # counter office or a kiosk files without one; the number and the date come together.
    letter_number = models.CharField(_("notary letter number"), max_length=40, blank=True)
    letter_date = models.DateField(_("notary letter date"), null=True, blank=True)

    class Meta:
        verbose_name = _("transfer details")
        verbose_name_plural = _("transfer details")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(letter_number="", letter_date__isnull=True)
                    | (~models.Q(letter_number="") & models.Q(letter_date__isnull=False))
                ),
                name="transfer_letter_number_and_date_together",
                violation_error_message=_("Give the letter's number and its date together."),
            )
        ]

    def __str__(self) -> str:
        return str(self.inquiry)


class BankDetails(models.Model):
    """A bank asks before a loan: which bank and branch, which facility, the bank's letter."""

    inquiry = models.OneToOneField(Inquiry, on_delete=models.CASCADE, related_name="bank")
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, verbose_name=_("bank"))
    branch_name = models.CharField(_("branch name"), max_length=100)
    branch_code = models.CharField(_("branch code"), max_length=10, blank=True)
    facility_type = models.CharField(
        _("facility type"), max_length=20, choices=FacilityType.choices
    )
    letter_number = models.CharField(_("bank letter number"), max_length=40)
    letter_date = models.DateField(_("bank letter date"))

    class Meta:
        verbose_name = _("bank details")
        verbose_name_plural = _("bank details")

    def __str__(self) -> str:
        return str(self.inquiry)


class AgencyDetails(models.Model):
    """A court, the land registry or another agency asks, with its own letter and subject."""

    inquiry = models.OneToOneField(Inquiry, on_delete=models.CASCADE, related_name="agency")
    agency_type = models.CharField(_("agency type"), max_length=20, choices=AgencyType.choices)
    agency_name = models.CharField(_("agency name"), max_length=150)
    letter_number = models.CharField(_("agency letter number"), max_length=40)
    letter_date = models.DateField(_("agency letter date"))
    subject = models.CharField(_("subject"), max_length=300)

    class Meta:
        verbose_name = _("agency details")
        verbose_name_plural = _("agency details")

    def __str__(self) -> str:
        return str(self.inquiry)
