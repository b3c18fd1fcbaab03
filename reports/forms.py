from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shahrvand.forms import JalaliDateField


class PeriodForm(forms.Form):
    """The filing period of a report: Jalali dates, both optional, both days included."""

    date_from = JalaliDateField(label=_("Filed from"), required=False)
    date_to = JalaliDateField(label=_("Filed until"), required=False)

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        today = timezone.localdate()
        if date_from and date_from > today:
            self.add_error("date_from", _("The start of the period cannot be in the future."))
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        return cleaned
