"""Forms of the ICT organisation's pages: training sessions, visits with findings, following
findings up, and the filters of the lists. They validate and normalise; services do the writing."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from districts.models import District
from shahrvand.forms import (
    BoundedFormSet,
    JalaliDateField,
    NormalizedCharField,
    NormalizedIntegerField,
    SafeModelChoiceField,
    bounded_formset_factory,
    choices_when_drawn,
    widgets_bootstrap,
)

from .models import CounterOffice, FindingCategory, FindingState, OfficeKind

SORTABLE = (
    "number",
    "filed",
    "sent_back_share",
    "median_days_to_answer",
    "open_findings",
    "last_training",
    "last_visit",
)


def _district_choices(first_label) -> list[tuple]:
    return [("", first_label), *District.objects.order_by("number").values_list("pk", "name")]


class OfficeFilterForm(forms.Form):
    """District and kind, for the untrained offices and the scorecards."""

    district = forms.TypedChoiceField(label=_("District"), required=False, coerce=int)
    kind = forms.ChoiceField(
        label=_("Kind of office"),
        required=False,
        choices=[("", _("All kinds")), *OfficeKind.choices],
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[(key, key) for name in SORTABLE for key in (name, f"-{name}")],
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read only when drawn or a district is chosen: a kept list binds its form without them.
        self.fields["district"].choices = choices_when_drawn(_district_choices, _("All districts"))
        widgets_bootstrap(self)


class FindingFilterForm(forms.Form):
    district = forms.TypedChoiceField(label=_("District"), required=False, coerce=int)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("Open or being fixed")),
            (FindingState.OPEN, FindingState.OPEN.label),
            (FindingState.FIXING, FindingState.FIXING.label),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read only when drawn or a district is chosen: a kept list binds its form without them.
        self.fields["district"].choices = choices_when_drawn(_district_choices, _("All districts"))
        widgets_bootstrap(self)


class _OfficeChoiceField(SafeModelChoiceField):
    def label_from_instance(self, obj: CounterOffice) -> str:
        return f"{obj} ({obj.district.name})"


class TrainingForm(forms.Form):
    date = JalaliDateField(
        label=_("Date of the session"), initial=timezone.localdate, not_in_future=True
    )
    trainer = NormalizedCharField(label=_("Trainer"), max_length=140)
    topic = NormalizedCharField(label=_("Topic"), max_length=200)
    notes = NormalizedCharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AttendanceForm(forms.Form):
    """One office and how many of its people came. Both optional here, so that the rows left empty
    carry no "required" mark; a half-filled row is refused in clean()."""

    office = _OfficeChoiceField(
        label=pgettext_lazy("counter or notary office", "Office"),
        queryset=CounterOffice.objects.filter(is_active=True).select_related("district"),
        required=False,
        empty_label=_("Choose an office"),
    )
    people = NormalizedIntegerField(
        label=_("People who attended"), required=False, min_value=1, max_value=500
    )

    def clean(self):
        cleaned = super().clean()
        office, people = cleaned.get("office"), cleaned.get("people")
        if office and not people and "people" not in self.errors:
            self.add_error("people", _("How many people from this office attended?"))
        elif people and not office and "office" not in self.errors:
            self.add_error("office", _("Choose the office."))
        return cleaned


class BaseAttendanceFormSet(BoundedFormSet):
    """Rows left empty are ignored; at least one office, each office once."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        seen: set[int] = set()
        for form in self.forms:
            office = form.cleaned_data.get("office")
            if office is None:
                continue
            if office.pk in seen:
                raise forms.ValidationError(
                    _("%(office)s is listed twice; give each office once, with all its people.")
                    % {"office": office}
                )
            seen.add(office.pk)
        if not seen:
            raise forms.ValidationError(_("Add at least one office that attended."))

    def attendances(self) -> list[tuple[CounterOffice, int]]:
        return [
            (form.cleaned_data["office"], form.cleaned_data["people"])
            for form in self.forms
            if form.cleaned_data.get("office")
        ]


AttendanceFormSet = bounded_formset_factory(
    AttendanceForm, formset=BaseAttendanceFormSet, extra=4, max_num=200
)


class VisitForm(forms.Form):
    date = JalaliDateField(
        label=_("Date of the visit"), initial=timezone.localdate, not_in_future=True
    )
    notes = NormalizedCharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class FindingForm(forms.Form):
    category = SafeModelChoiceField(
        label=_("Category"),
        queryset=FindingCategory.objects.filter(is_active=True),
        required=False,
        empty_label=_("Choose a category"),
    )
    description = NormalizedCharField(
        label=_("What was found"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        category, description = cleaned.get("category"), cleaned.get("description")
        if category and not description:
            self.add_error("description", _("Describe what was found."))
        elif description and not category and "category" not in self.errors:
            self.add_error("category", _("Choose the category of this finding."))
        return cleaned


class BaseFindingFormSet(BoundedFormSet):
    def findings(self) -> list[tuple[FindingCategory, str]]:
        return [
            (form.cleaned_data["category"], form.cleaned_data["description"])
            for form in self.forms
            if form.cleaned_data.get("category")
        ]


FindingFormSet = bounded_formset_factory(
    FindingForm, formset=BaseFindingFormSet, extra=3, max_num=50
)


class FindingMoveForm(forms.Form):
    state = forms.ChoiceField(
        label=_("New state"), choices=FindingState.choices, widget=forms.RadioSelect
    )
    note = NormalizedCharField(
        label=_("How it was resolved"),
        help_text=_("Required when the finding is resolved."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
