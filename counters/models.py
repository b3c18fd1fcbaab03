"""Counter offices ("pishkhan") and notary offices that file inquiries for citizens; their operators;
the ICT organisation's training sessions and visits with findings."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.roles import CHANNEL_OF_KIND
from districts.models import District
from inquiries.workflow import Channel
from shahrvand.jalali import format_date
from shahrvand.text import localize_digits


class OfficeKind(models.TextChoices):
    COUNTER = "counter", _("Government counter office")
    NOTARY = "notary", _("Notary office")


class CounterOffice(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=OfficeKind.choices)
    number = models.PositiveIntegerField(
        _("official number"), validators=[MinValueValidator(1), MaxValueValidator(999_999)]
    )
    name = models.CharField(_("name"), max_length=150)
    licence = models.CharField(_("licence number"), max_length=40)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="offices", verbose_name=_("district")
    )
    address = models.CharField(_("address"), max_length=300)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    manager_name = models.CharField(_("manager's name"), max_length=140, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="office_unique_number")
        ]

    def __str__(self) -> str:
        # In the reader's digits: "دفتر اسناد رسمی ۵" in Persian, "Notary office 5" in English.
        return f"{self.get_kind_display()} {localize_digits(self.number)} — {self.name}"

    @property
    def channel(self) -> str:
        return Channel(CHANNEL_OF_KIND[OfficeKind(self.kind)])


class OfficeRole(models.TextChoices):
    OPERATOR = "operator", _("Operator")
    MANAGER = "manager", _("Office manager")


class OfficeMembership(models.Model):
    """An office account: the operator files and follows inquiries for that office only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="office_memberships",
        verbose_name=_("user"),
    )
    office = models.ForeignKey(
        CounterOffice,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("office"),
    )
    role = models.CharField(
        _("role"), max_length=10, choices=OfficeRole.choices, default=OfficeRole.OPERATOR
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("office membership")
        verbose_name_plural = _("office memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "office"], name="office_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.office}"


class TrainingSession(models.Model):
    """The ICT organisation trains office staff to use the system."""

    date = models.DateField(_("date"))
    trainer = models.CharField(_("trainer"), max_length=140)
    topic = models.CharField(_("topic"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.topic} ({format_date(self.date, 'short')})"


class TrainingAttendance(models.Model):
    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances"
    )
    office = models.ForeignKey(
        CounterOffice, on_delete=models.PROTECT, related_name="trainings", verbose_name=_("office")
    )
    people = models.PositiveSmallIntegerField(
        _("people who attended"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["session", "office"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.office} @ {self.session}"


class FindingCategory(models.Model):
    """What visits find (wrong documents uploaded, wrong property code, slow internet, ...);
    the list is the ICT organisation's, edited in the admin."""

    title = models.CharField(_("title"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order in lists"), default=100)

    class Meta:
        verbose_name = _("finding category")
        verbose_name_plural = _("finding categories")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class OfficeVisit(models.Model):
    office = models.ForeignKey(
        CounterOffice, on_delete=models.PROTECT, related_name="visits", verbose_name=_("office")
    )
    date = models.DateField(_("date"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("inspector"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("office visit")
        verbose_name_plural = _("office visits")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.office} ({format_date(self.date, 'short')})"


class FindingState(models.TextChoices):
    OPEN = "open", pgettext_lazy("finding state", "Open")
    FIXING = "fixing", _("Being fixed")
    RESOLVED = "resolved", _("Resolved")


class VisitFinding(models.Model):
    visit = models.ForeignKey(OfficeVisit, on_delete=models.CASCADE, related_name="findings")
    category = models.ForeignKey(
        FindingCategory, on_delete=models.PROTECT, verbose_name=_("category")
    )
    description = models.TextField(_("description"))
    state = models.CharField(
        _("state"), max_length=10, choices=FindingState.choices, default=FindingState.OPEN
    )
    fixing_since = models.DateField(_("being fixed since"), null=True, blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.TextField(_("how it was resolved"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.category}: {self.get_state_display()}"


# Follow-up of a finding: the moves that make sense, and why.
FINDING_MOVES = {
    # The office starts working on it, or it turns out to be settled at once.
    FindingState.OPEN: {FindingState.FIXING, FindingState.RESOLVED},
    # Done; or the fix did not hold and it is open again.
    FindingState.FIXING: {FindingState.RESOLVED, FindingState.OPEN},
    # A later visit finds the problem back.
    FindingState.RESOLVED: {FindingState.OPEN},
}


class FindingEvent(models.Model):
    """Each move of a finding: the follow-up history, never changed."""

    finding = models.ForeignKey(VisitFinding, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=10, choices=FindingState.choices)
    to_state = models.CharField(max_length=10, choices=FindingState.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.finding_id}: {self.from_state} -> {self.to_state}"
