from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shahrvand.jalali import format_date
from shahrvand.text import localize_digits

from .kinds import InquiryKind


class District(models.Model):
    """A municipal district. Each inquiry kind goes online on its own date; no date = not online.
    Setting a date in the admin is how a district is switched online (no deploy)."""

    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    name = models.CharField(_("name"), max_length=100)
    transfer_online_since = models.DateField(
        _("transfer inquiries online since"), null=True, blank=True
    )
    bank_online_since = models.DateField(_("bank inquiries online since"), null=True, blank=True)
    agency_online_since = models.DateField(
        _("agency inquiries online since"), null=True, blank=True
    )
    address = models.CharField(_("office address"), max_length=300)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return str(self.name)

    def online_since(self, kind: str) -> dt.date | None:
        return getattr(self, f"{InquiryKind(kind).value}_online_since")

    def is_online_for(self, kind: str, on: dt.date | None = None) -> bool:
        since = self.online_since(kind)
        return since is not None and since <= (on or timezone.localdate())

    def online_kinds(self, on: dt.date | None = None) -> list[InquiryKind]:
        return [kind for kind in InquiryKind if self.is_online_for(kind, on)]

    @property
    def is_online(self) -> bool:
        """Online for at least one kind of inquiry today."""
        return bool(self.online_kinds())

    @property
    def first_online_since(self) -> dt.date | None:
        dates = [self.online_since(kind) for kind in InquiryKind]
        return min((d for d in dates if d), default=None)


class HelpKiosk(models.Model):
    """The "baje": a help counter in the district office where walk-in citizens get guidance."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="kiosks", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=100)
    location = models.CharField(_("location"), max_length=300)
    hours = models.CharField(_("opening hours"), max_length=200)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["district__number", "name"]
        verbose_name = _("help kiosk")
        verbose_name_plural = _("help kiosks")

    def __str__(self) -> str:
        return str(self.name)


class DistrictRole(models.TextChoices):
    REVIEWER = "reviewer", _("Reviewer")
    MANAGER = "manager", _("District manager")
    KIOSK = "kiosk", _("Help-kiosk staff")


class DistrictMembership(models.Model):
    """Who works for a district, and as what. The source of every district staff permission."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="district_memberships",
        verbose_name=_("user"),
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("district")
    )
    role = models.CharField(_("role"), max_length=16, choices=DistrictRole.choices)
    can_sign = models.BooleanField(
        _("may sign answers"),
        default=False,
        help_text=_("Managers always may; a reviewer only when the district allows it here."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("district membership")
        verbose_name_plural = _("district memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "district", "role"], name="district_membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.district}"


class ServiceLevel(models.Model):
    """How many working days a district has to answer one kind of inquiry (the municipality's own
    target; the law asks agencies to answer instantly)."""

    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        related_name="service_levels",
        verbose_name=_("district"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=InquiryKind.choices)
    working_days = models.PositiveSmallIntegerField(
        _("working days to answer"), validators=[MinValueValidator(1), MaxValueValidator(90)]
    )

    class Meta:
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")
        ordering = ["district__number", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["district", "kind"], name="service_level_unique")
        ]

    def __str__(self) -> str:
        return f"{self.district} — {self.get_kind_display()}"


class KioskTopic(models.TextChoices):
    HOW_TO_FILE = "how_to_file", _("How to file an inquiry")
    STATUS = "status", _("Status of an inquiry")
    DOCUMENTS = "documents", _("Which documents are needed")
    SIGN_IN = "sign_in", _("Sign-in or SMS code problem")
    ANSWER = "answer", _("Reading or verifying an answer")
    FILED_FOR_CITIZEN = "filed", _("Filed an inquiry for the citizen")
    OTHER = "other", _("Other")


class KioskHelpLog(models.Model):
    """One walk-in citizen helped at a district's kiosk: what about, what was resolved, how long."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="kiosk_logs", verbose_name=_("district")
    )
    kiosk = models.ForeignKey(
        HelpKiosk, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("kiosk")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("staff"),
    )
    topic = models.CharField(_("topic"), max_length=20, choices=KioskTopic.choices)
    resolution = models.CharField(_("what was resolved"), max_length=500)
    minutes = models.PositiveSmallIntegerField(
        _("minutes spent"), validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("kiosk help record")
        verbose_name_plural = _("kiosk help records")
        ordering = ["-created_at"]
        # The reports count a district's visitors in a period.
        indexes = [models.Index(fields=["district", "created_at"])]

    def __str__(self) -> str:
        return f"{self.district} {self.get_topic_display()}"


class OverdueNotice(models.Model):
    """The daily overdue summary sent to a district's managers: one row per district and day, so
    a task that runs twice sends once."""

    district = models.ForeignKey(District, on_delete=models.CASCADE)
    day = models.DateField()
    overdue_count = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district", "day"], name="overdue_notice_once_a_day")
        ]

    def __str__(self) -> str:
        return (
            f"{self.district} {format_date(self.day, 'short')}: "
            f"{localize_digits(self.overdue_count)}"
        )
