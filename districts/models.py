from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inquiries.kinds import InquiryKind


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
