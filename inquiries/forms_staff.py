"""Forms of the district staff's pages. Each carries the inquiry's version, so an action taken from
a page that someone else changed meanwhile is refused instead of applied."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shahrvand.forms import JalaliDateField, NormalizedCharField, NormalizedIntegerField

from .kinds import InquiryKind
from .models import AnswerDecision, CertificateType, DeficiencyReason, RoadWidening
from .models.choices import BuildingStatus, LandUse
from .workflow import Channel, InquiryStatus


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class QueueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("Tracking code, national ID, renovation code or plate"),
                "dir": "auto",
                "type": "search",
                # A shared counter computer must not offer the last citizen's national ID.
                "autocomplete": "off",
            }
        ),
    )
    district = forms.TypedChoiceField(label=_("District"), required=False, coerce=int)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *InquiryKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open")), ("all", _("All")), *InquiryStatus.choices],
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels")), *Channel.choices]
    )
    assigned = forms.ChoiceField(
        label=_("Held by"),
        required=False,
        choices=[("", _("Anyone")), ("me", _("Me")), ("none", _("Nobody yet"))],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("All my districts"))] + [
            (d.pk, d.name) for d in districts
        ]
        if len(districts) < 2:
            self.fields["district"].widget = forms.HiddenInput()
        # A compact row of filters, styled here rather than field by field in the template.
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif not widget.is_hidden:
                widget.attrs["class"] = "form-control"


class AssignForm(VersionForm):
    assignee = forms.ModelChoiceField(label=_("Hand to"), queryset=None, empty_label=None)

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = reviewers
        self.fields["assignee"].label_from_instance = lambda user: user.display_name


class InfoRequestForm(VersionForm):
    reasons = forms.ModelMultipleChoiceField(
        label=_("What is missing"),
        queryset=DeficiencyReason.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = NormalizedCharField(
        label=_("Anything else (shown to the applicant)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(VersionForm):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=AnswerDecision.choices, widget=forms.RadioSelect
    )
    reason = NormalizedCharField(
        label=_("Why it cannot be answered"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    building_status = forms.ChoiceField(
        label=_("Building status"), choices=[("", "—"), *BuildingStatus.choices], required=False
    )
    certificate_type = forms.ChoiceField(
        label=_("Certificate"), choices=CertificateType.choices, initial=CertificateType.NONE
    )
    certificate_number = NormalizedCharField(
        label=_("Certificate number"),
        required=False,
        max_length=40,
        widget=forms.TextInput({"dir": "ltr"}),
    )
    certificate_date = JalaliDateField(label=_("Certificate date"), required=False)
    land_use_plan = forms.ChoiceField(
        label=_("Land use in the detailed plan"),
        choices=[("", "—"), *LandUse.choices],
        required=False,
    )
    road_widening = forms.ChoiceField(
        label=_("Road widening"), choices=[("", "—"), *RoadWidening.choices], required=False
    )
    road_widening_note = NormalizedCharField(
        label=_("Road widening details"), required=False, max_length=300
    )
    conditions = NormalizedCharField(
        label=_("Conditions"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DueForm(forms.Form):
    title = NormalizedCharField(label=_("Title"), max_length=150, required=False)
    amount_rials = NormalizedIntegerField(
        label=_("Amount (rials)"), required=False, min_value=1000, max_value=99_999_999_999
    )

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("title")) != bool(cleaned.get("amount_rials")):
            raise forms.ValidationError(_("Give both the title and the amount, or neither."))
        return cleaned


DueFormSet = forms.formset_factory(DueForm, extra=0, min_num=3, max_num=20, validate_max=True)


class SignForm(VersionForm):
    confirm = forms.BooleanField(
        label=_("I have checked the answer; sign it. A signed answer cannot be changed."),
        error_messages={"required": _("Confirm that you checked the answer.")},
    )


class RevokeForm(VersionForm):
    reason = NormalizedCharField(
        label=_("Why is the answer revoked? (shown on the verification page)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the answer is revoked.")},
    )
