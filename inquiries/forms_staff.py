"""Forms of the district staff's pages. Each carries the inquiry's version, so an action taken from
a page that someone else changed meanwhile is refused instead of applied."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from districts.models import District
from shahrvand.billing import MAX_AMOUNT_RIALS
from shahrvand.forms import (
    BoundedFormSet,
    JalaliDateField,
    NormalizedCharField,
    NormalizedIntegerField,
    SafeModelChoiceField,
    SafeModelMultipleChoiceField,
    SearchField,
    bounded_formset_factory,
    choices_when_drawn,
    widgets_bootstrap,
)
from shahrvand.text import format_number, reader_reads_persian

from .kinds import InquiryKind
from .models import AnswerDecision, CertificateType, DeficiencyReason, RoadWidening
from .models.choices import BuildingStatus, LandUse
from .workflow import Channel, InquiryStatus


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class QueueFilterForm(forms.Form):
    q = SearchField(
        label=_("Search"),
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

    def __init__(self, *args, district_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The districts' names are read only when the choices are drawn or a district is chosen:
        # a list served from its kept copy needs neither (``shahrvand.kept_lists``).
        self.fields["district"].choices = choices_when_drawn(_district_choices, tuple(district_ids))
        if len(district_ids) < 2:
            self.fields["district"].widget = forms.HiddenInput()
        widgets_bootstrap(self)  # a compact row of filters


def _district_choices(district_ids: tuple[int, ...]) -> list[tuple]:
    return [
        ("", _("All my districts")),
        *District.objects.filter(pk__in=district_ids).values_list("pk", "name"),
    ]


class AssignForm(VersionForm):
    assignee = SafeModelChoiceField(label=_("Hand to"), queryset=None, empty_label=None)

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = reviewers
        self.fields["assignee"].label_from_instance = lambda user: user.display_name


class InfoRequestForm(VersionForm):
    reasons = SafeModelMultipleChoiceField(
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
    certificate_date = JalaliDateField(
        label=_("Certificate date"), required=False, not_in_future=True
    )
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
        label=_("Amount (rials)"),
        required=False,
        min_value=1000,
        max_value=MAX_AMOUNT_RIALS,
        widget=forms.TextInput({"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}),
    )

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("title")) != bool(cleaned.get("amount_rials")):
            raise forms.ValidationError(_("Give both the title and the amount, or neither."))
        return cleaned


def dues_limit_display() -> str:
    """The most the dues may add up to, in the reader's digits: what a payment ID can carry."""
    return format_number(MAX_AMOUNT_RIALS, persian=reader_reads_persian())


class BaseDueFormSet(BoundedFormSet):
    """The dues lines of an answer. Their total is billed at signing, so it is bounded here by what
    the payment ID can carry (``billing.MAX_AMOUNT_RIALS``); the answer service checks it again."""

    @property
    def limit_rials(self) -> str:
        """The bound on the total, for the page's running total (plain ASCII digits)."""
        return str(MAX_AMOUNT_RIALS)

    @property
    def help_text(self) -> str:
        return _(
            "Leave unused rows empty. The total must be whole thousands of rials and at most "
            "%(limit)s rials, the most a payment ID can carry; the bill ID and payment ID are "
            "made at signing."
        ) % {"limit": dues_limit_display()}

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        total = sum(form.cleaned_data.get("amount_rials") or 0 for form in self.forms)
        if total > MAX_AMOUNT_RIALS:
            raise forms.ValidationError(
                _(
                    "The dues add up to more than %(limit)s rials, the most a payment ID can "
                    "carry. Check the amounts, or settle part of the dues separately."
                ),
                code="dues_total",
                params={"limit": dues_limit_display()},
            )


# A new answer offers three rows, a correction one free row after the lines it copies; the page's
# script adds and removes rows up to ``max_num`` (also the most the server builds).
DueFormSet = bounded_formset_factory(
    DueForm, formset=BaseDueFormSet, extra=1, min_num=2, max_num=20
)


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
