"""Counts kept exact in the same transaction as every write that changes them, so that no page
counts the inquiries table on a request (``inquiries.summaries`` keeps them; nothing else writes
them).

- ``QueueCount``: inquiries per district, kind, channel and status — the staff queue's tabs and
  its exact list sizes.
- ``OfficeCount``: inquiries per office, kind and status — the office queue and the scorecards.
- ``OfficeMonth``, ``OfficeAnswerDays``, ``OfficeReason``: the rest of an office's scorecard —
  filed and sent back per Jalali month of filing, answers by working days from filing, and the
  standard reasons its inquiries were sent back for.
- ``DayFigures`` / ``MonthFigures``: the reports' figures per district, kind and channel for the
  inquiries filed on one local day (one Jalali month): filed, still open, answered, withdrawn, and
  the time from filing to the answer summed over the answered ones, those answered in time, and
  the answers in force by decision.
- ``AnswerDays`` / ``DayAnswerDays``: the answered inquiries by working days from filing to the
  answer, per district, Jalali month (local day) of filing, kind and channel: the medians and 90th
  percentiles of the reports, whole months from the first, the days at a period's ends from the
  second.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from inquiries.kinds import InquiryKind
from inquiries.workflow import Channel, InquiryStatus


class QueueCount(models.Model):
    district = models.ForeignKey("districts.District", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=InquiryKind.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    status = models.CharField(max_length=16, choices=InquiryStatus.choices)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("queue count")
        verbose_name_plural = _("queue counts")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "kind", "channel", "status"], name="queue_count_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.district_id} {self.kind} {self.channel} {self.status}: {self.n}"


class OfficeCount(models.Model):
    office = models.ForeignKey("counters.CounterOffice", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=InquiryKind.choices)
    status = models.CharField(max_length=16, choices=InquiryStatus.choices)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("office count")
        verbose_name_plural = _("office counts")
        constraints = [
            models.UniqueConstraint(fields=["office", "kind", "status"], name="office_count_key")
        ]

    def __str__(self) -> str:
        return f"{self.office_id} {self.kind} {self.status}: {self.n}"


class Figures(models.Model):
    """What a day's and a month's rows both hold."""

    district = models.ForeignKey("districts.District", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=InquiryKind.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    filed = models.IntegerField(default=0)
    open = models.IntegerField(default=0)
    answered = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    # Filing to answer, in seconds, summed over the answered inquiries of the row.
    answer_seconds = models.BigIntegerField(default=0)
    # Answered on or before the due date.
    answered_in_time = models.IntegerField(default=0)
    # The answered ones by the decision of the answer in force (inquiries.AnswerDecision).
    no_objection = models.IntegerField(default=0)
    conditional = models.IntegerField(default=0)
    violations = models.IntegerField(default=0)
    cannot_answer = models.IntegerField(default=0)

    class Meta:
        abstract = True


class DayFigures(Figures):
    # The local (Tehran) calendar day the inquiries were filed on.
    day = models.DateField()

    class Meta:
        verbose_name = _("figures of a day")
        verbose_name_plural = _("figures of days")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "district", "kind", "channel"], name="day_figures_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.district_id} {self.kind} {self.channel}: {self.filed}"


class MonthFigures(Figures):
    # The Jalali month the inquiries were filed in, as year * 100 + month (140107 for Mehr 1401).
    month = models.IntegerField()

    class Meta:
        verbose_name = _("figures of a month")
        verbose_name_plural = _("figures of months")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "district", "kind", "channel"], name="month_figures_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.district_id} {self.kind} {self.channel}: {self.filed}"


class OfficeMonth(models.Model):
    office = models.ForeignKey("counters.CounterOffice", on_delete=models.CASCADE, related_name="+")
    month = models.IntegerField()  # Jalali year * 100 + month of filing
    filed = models.IntegerField(default=0)
    sent_back = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("office's month")
        verbose_name_plural = _("offices' months")
        constraints = [models.UniqueConstraint(fields=["office", "month"], name="office_month_key")]

    def __str__(self) -> str:
        return f"{self.office_id} {self.month}: {self.filed}"


class OfficeAnswerDays(models.Model):
    office = models.ForeignKey("counters.CounterOffice", on_delete=models.CASCADE, related_name="+")
    working_days = models.IntegerField()  # from filing to the answer
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("office's answer time")
        verbose_name_plural = _("offices' answer times")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "working_days"], name="office_answer_days_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.office_id} {self.working_days}: {self.n}"


class OfficeReason(models.Model):
    office = models.ForeignKey("counters.CounterOffice", on_delete=models.CASCADE, related_name="+")
    reason = models.ForeignKey(
        "inquiries.DeficiencyReason", on_delete=models.CASCADE, related_name="+"
    )
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("office's reason sent back")
        verbose_name_plural = _("offices' reasons sent back")
        constraints = [
            models.UniqueConstraint(fields=["office", "reason"], name="office_reason_key")
        ]

    def __str__(self) -> str:
        return f"{self.office_id} {self.reason_id}: {self.n}"


class AnswerTimes(models.Model):
    """How many answered inquiries of a district, kind and channel took so many working days from
    filing to the answer: a histogram per period, from which medians and percentiles are read."""

    district = models.ForeignKey("districts.District", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=InquiryKind.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    working_days = models.IntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        period = getattr(self, "month", None) or getattr(self, "day", None)
        return (
            f"{period} {self.district_id} {self.kind} {self.channel} {self.working_days}: {self.n}"
        )


class AnswerDays(AnswerTimes):
    month = models.IntegerField()  # Jalali year * 100 + month of filing

    class Meta:
        verbose_name = _("answer time")
        verbose_name_plural = _("answer times")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "district", "kind", "channel", "working_days"],
                name="answer_days_key",
            )
        ]


class DayAnswerDays(AnswerTimes):
    day = models.DateField()  # the local day of filing

    class Meta:
        verbose_name = _("answer time of a day")
        verbose_name_plural = _("answer times of days")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "district", "kind", "channel", "working_days"],
                name="day_answer_days_key",
            )
        ]
