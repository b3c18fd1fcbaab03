from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from districts.models import District
from inquiries.kinds import InquiryKind
from inquiries.workflow import Channel
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


class ReportForm(PeriodForm):
    """The dashboard's filters: the period, and one district (of those the reader may see), one
    kind and one channel, each optional. A district the reader may not see is an invalid choice,
    never shown."""

    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        to_field_name="number",
        required=False,
        empty_label=_("All districts"),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    channel = forms.ChoiceField(label=_("How it came in"), required=False)

    def __init__(self, *args, districts: QuerySet[District], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.fields["kind"].choices = [("", _("All kinds")), *InquiryKind.choices]
        self.fields["channel"].choices = [("", _("All channels")), *Channel.choices]
