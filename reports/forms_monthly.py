from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shahrvand import jalali
from shahrvand.forms import widgets_bootstrap

# The months offered for a report: the last two years' finished months.
MONTHS_OFFERED = 24


def finished_months(today: dt.date | None = None) -> list[jalali.JalaliMonth]:
    """The Jalali months before the current one, newest first."""
    today = today or timezone.localdate()
    current = jalali.jalali_months_up_to(today, 1)[0]
    last = current.first_day - dt.timedelta(days=1)
    return list(reversed(jalali.jalali_months_up_to(last, MONTHS_OFFERED)))


def _month_choices():
    return [(f"{m.year:04d}-{m.month:02d}", m.label) for m in finished_months()]


class MonthlyReportRequestForm(forms.Form):
    """A finished Jalali month whose reports the ICT organisation asks for."""

    month = forms.ChoiceField(label=_("Month"), choices=_month_choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        widgets_bootstrap(self)

    def clean_month(self) -> tuple[int, int]:
        year, month = self.cleaned_data["month"].split("-")
        return int(year), int(month)
