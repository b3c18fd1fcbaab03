"""Monthly district reports: one PDF per district and Jalali month, and one for the whole city,
rendered by a worker (``reports.tasks``) and kept privately. A report records the figures as they
were when it was rendered."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from districts.models import District
from shahrvand.jalali import JalaliMonth, jalali_months_up_to
from shahrvand.storage import private_storage


class MonthlyReportStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def monthly_report_upload_to(instance: MonthlyReport, filename: str) -> str:
    place = f"district-{instance.district.number}" if instance.district_id else "city"
    return f"reports/monthly/{instance.year:04d}/{instance.month:02d}/{place}.pdf"


class MonthlyReport(models.Model):
    year = models.PositiveSmallIntegerField(
        _("Jalali year"), validators=[MinValueValidator(1300), MaxValueValidator(1500)]
    )
    month = models.PositiveSmallIntegerField(
        _("Jalali month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    # None: the whole city, with a row per district.
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="monthly_reports",
        verbose_name=_("district"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MonthlyReportStatus.choices,
        default=MonthlyReportStatus.PENDING,
    )
    pdf = models.FileField(
        _("PDF"), storage=private_storage, upload_to=monthly_report_upload_to, blank=True
    )
    # When a worker was last asked for it: the sweeper asks again only after an interval.
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-year", "-month", "district__number"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            # NULL districts are distinct in a plain unique constraint: the city's report gets its own.
            models.UniqueConstraint(
                fields=["year", "month", "district"],
                condition=Q(district__isnull=False),
                name="monthly_report_unique_district_month",
            ),
            models.UniqueConstraint(
                fields=["year", "month"],
                condition=Q(district__isnull=True),
                name="monthly_report_unique_city_month",
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.year:04d}/{self.month:02d} — {self.district or _('All districts')}"

    @property
    def period(self) -> JalaliMonth:
        return jalali_month(self.year, self.month)

    @property
    def is_ready(self) -> bool:
        return self.status == MonthlyReportStatus.READY

    @property
    def is_pending(self) -> bool:
        return self.status == MonthlyReportStatus.PENDING

    @property
    def is_failed(self) -> bool:
        return self.status == MonthlyReportStatus.FAILED


def jalali_month(year: int, month: int) -> JalaliMonth:
    """The Jalali month ``year``/``month`` with its Gregorian bounds."""
    import jdatetime

    return jalali_months_up_to(jdatetime.date(year, month, 1).togregorian(), 1)[0]
