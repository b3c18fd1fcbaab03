"""Forms of the filing steps: validation and normalisation only; services do the writing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shahrvand.forms import (
    JalaliDateField,
    MobileField,
    NationalIDField,
    NormalizedCharField,
    NormalizedDecimalField,
    NormalizedIntegerField,
    SafeModelChoiceField,
)

from .kinds import InquiryKind
from .models import Bank
from .models.choices import (
    AgencyType,
    ApplicantRelation,
    BuildingStatus,
    DocumentKind,
    FacilityType,
    LandUse,
    TransactionType,
)
from .property_codes import plate_validate, renovation_code_example, renovation_code_parse
from .requirements import transfer_letter_required
from .services import district_for_renovation_code
from .tracking import tracking_code_is_valid, tracking_code_normalize
from .uploads import DocumentField


def jsonable(cleaned: dict) -> dict:
    """Cleaned form data as JSON for the draft: dates as ISO text, decimals as text, banks by code."""
    out = {}
    for key, value in cleaned.items():
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, Bank):
            value = value.code
        out[key] = value
    return out


class _StepForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class KindForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is the inquiry for?"),
        choices=InquiryKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of inquiry.")},
    )


class PropertyForm(_StepForm):
    renovation_code = NormalizedCharField(
        label=_("Renovation code"),
        max_length=40,
        ascii_digits=True,
        help_text=_("Printed on the municipality's bills; the first number is the district."),
        error_messages={"required": _("Enter the property's renovation code.")},
    )
    plate_main = NormalizedIntegerField(
        label=_("Main plate"), error_messages={"required": _("Enter the main plate number.")}
    )
    plate_sub = NormalizedIntegerField(
        label=_("Sub-plate"), required=False, help_text=_("Leave empty if the deed has none.")
    )
    registration_section = NormalizedIntegerField(
        label=_("Registration section"),
        error_messages={"required": _("Enter the registration section.")},
    )
    address = NormalizedCharField(
        label=_("Address"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Enter the property's address.")},
    )
    area_m2 = NormalizedDecimalField(
        label=_("Area (square metres)"),
        max_digits=10,
        decimal_places=2,
        min_value=1,
        max_value=10_000_000,
        error_messages={"required": _("Enter the area from the deed.")},
    )
    land_use = forms.ChoiceField(label=_("Land use"), choices=LandUse.choices)
    # No default: a preselected "vacant land" would be sent as the applicant's statement unread.
    building_status = forms.ChoiceField(
        label=_("Building status"),
        choices=[("", _("Choose…")), *BuildingStatus.choices],
        error_messages={"required": _("Choose the building's status.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.fields["renovation_code"]
        code.widget.attrs.update(
            {"dir": "ltr", "placeholder": renovation_code_example(), "autocomplete": "off"}
        )

    def clean_renovation_code(self):
        code = str(renovation_code_parse(self.cleaned_data["renovation_code"]))
        self.district = district_for_renovation_code(code)
        return code

    def clean(self):
        cleaned = super().clean()
        if {"plate_main", "registration_section"} <= cleaned.keys():
            try:
                plate_validate(
                    cleaned["plate_main"], cleaned.get("plate_sub"), cleaned["registration_section"]
                )
            except ValidationError as error:
                field = {"plate_main": "plate_main", "plate_sub": "plate_sub"}.get(
                    error.code, "registration_section"
                )
                self.add_error(field, error)
        return cleaned


class ApplicantForm(_StepForm):
    """Who files. A citizen files as themselves (national ID and mobile from their account); an
    office or kiosk types the citizen's."""

    national_id = NationalIDField()
    mobile = MobileField()
    first_name = NormalizedCharField(label=_("First name"), max_length=60)
    last_name = NormalizedCharField(label=_("Last name"), max_length=80)
    relation = forms.ChoiceField(
        label=_("Your relation to the property"),
        choices=ApplicantRelation.choices,
        widget=forms.RadioSelect,
    )
    owner_national_id = NationalIDField(
        label=_("Owner's national ID"), required=False, help_text=_("Only for an attorney.")
    )
    owner_name = NormalizedCharField(label=_("Owner's full name"), max_length=140, required=False)

    def __init__(self, *args, identity_fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if identity_fixed:
            # The signed-in citizen's own, verified by the SMS code: shown, not editable.
            del self.fields["national_id"]
            del self.fields["mobile"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("relation") == ApplicantRelation.ATTORNEY:
            if not cleaned.get("owner_national_id"):
                self.add_error(
                    "owner_national_id", _("An attorney enters the owner's national ID.")
                )
            if not cleaned.get("owner_name"):
                self.add_error("owner_name", _("An attorney enters the owner's name."))
        else:
            cleaned["owner_national_id"] = ""
            cleaned["owner_name"] = ""
        return cleaned


# A letter dated after today has not been written yet.
_LETTER_DATE_ERRORS = {"future": _("The letter's date cannot be in the future.")}


class _DetailsForm(_StepForm):
    notes = NormalizedCharField(
        label=_("Notes for the district (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TransferDetailsForm(_DetailsForm):
    transaction_type = forms.ChoiceField(label=_("Transaction"), choices=TransactionType.choices)
    seller_national_id = NationalIDField(label=_("Seller's (owner's) national ID"))
    seller_name = NormalizedCharField(label=_("Seller's (owner's) full name"), max_length=140)
    buyer_national_id = NationalIDField(
        label=_("Buyer's national ID"), required=False, help_text=_("If the buyer is known.")
    )
    buyer_name = NormalizedCharField(label=_("Buyer's full name"), max_length=140, required=False)
    notary_office_number = NormalizedIntegerField(
        label=_("Notary office number"),
        required=False,
        min_value=1,
        max_value=100_000,
        help_text=_("The notary office that will register the transfer, if chosen."),
    )
    letter_number = NormalizedCharField(
        label=_("The notary office's letter number"),
        max_length=40,
        required=False,
        widget=forms.TextInput({"dir": "ltr"}),
    )
    letter_date = JalaliDateField(
        label=_("The notary office's letter date"),
        required=False,
        not_in_future=True,
        error_messages=_LETTER_DATE_ERRORS,
    )

    field_order = [
        "transaction_type",
        "seller_national_id",
        "seller_name",
        "buyer_national_id",
        "buyer_name",
        "notary_office_number",
        "letter_number",
        "letter_date",
        "notes",
    ]

    def __init__(self, *args, letter_required: bool = False, **kwargs):
        """``letter_required``: a notary office files (``requirements.transfer_letter_required``);
        otherwise the letter is asked for only if a notary office has written one."""
        super().__init__(*args, **kwargs)
        for name in ("letter_number", "letter_date"):
            self.fields[name].required = letter_required
        if not letter_required:
            self.fields["letter_number"].help_text = _(
                "If a notary office's letter asks for this inquiry."
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("buyer_national_id") and not cleaned.get("buyer_name"):
            self.add_error("buyer_name", _("Enter the buyer's name too."))
        # The number and the date of one letter come together (the model's constraint).
        number, date = cleaned.get("letter_number"), cleaned.get("letter_date")
        if number and not date and "letter_date" not in self.errors:
            self.add_error("letter_date", _("Enter the letter's date too."))
        if date and not number and "letter_number" not in self.errors:
            self.add_error("letter_number", _("Enter the letter's number too."))
        return cleaned


class BankDetailsForm(_DetailsForm):
    bank = SafeModelChoiceField(
        label=_("Name of the bank"),
        queryset=Bank.objects.filter(is_active=True),
        to_field_name="code",
        empty_label=_("Choose the bank"),
    )
    branch_name = NormalizedCharField(label=_("Branch name"), max_length=100)
    branch_code = NormalizedCharField(
        label=_("Branch code"),
        max_length=10,
        required=False,
        widget=forms.TextInput({"dir": "ltr"}),
    )
    facility_type = forms.ChoiceField(label=_("Facility"), choices=FacilityType.choices)
    letter_number = NormalizedCharField(
        label=_("The bank's letter number"), max_length=40, widget=forms.TextInput({"dir": "ltr"})
    )
    letter_date = JalaliDateField(
        label=_("The bank's letter date"), not_in_future=True, error_messages=_LETTER_DATE_ERRORS
    )

    field_order = [
        "bank",
        "branch_name",
        "branch_code",
        "facility_type",
        "letter_number",
        "letter_date",
        "notes",
    ]


class AgencyDetailsForm(_DetailsForm):
    agency_type = forms.ChoiceField(label=_("Type of agency"), choices=AgencyType.choices)
    agency_name = NormalizedCharField(
        label=_("Agency name"),
        max_length=150,
        help_text=_("For example: Urmia Court of Justice, branch 5."),
    )
    letter_number = NormalizedCharField(
        label=_("The agency's letter number"),
        max_length=40,
        widget=forms.TextInput({"dir": "ltr"}),
    )
    letter_date = JalaliDateField(
        label=_("The agency's letter date"), not_in_future=True, error_messages=_LETTER_DATE_ERRORS
    )
    subject = NormalizedCharField(label=_("Subject of the inquiry"), max_length=300)

    field_order = [
        "agency_type",
        "agency_name",
        "letter_number",
        "letter_date",
        "subject",
        "notes",
    ]


DETAILS_FORMS = {
    InquiryKind.TRANSFER: TransferDetailsForm,
    InquiryKind.BANK: BankDetailsForm,
    InquiryKind.AGENCY: AgencyDetailsForm,
}


def details_form(kind: str, channel: str, data=None, **kwargs) -> _DetailsForm:
    """The details step's form for an inquiry of this kind filed through this channel (the web's
    steps and the API both take it from here): a transfer filed by a notary office must carry the
    office's letter."""
    form_class = DETAILS_FORMS[InquiryKind(kind)]
    if form_class is TransferDetailsForm:
        kwargs["letter_required"] = transfer_letter_required(channel)
    return form_class(data, **kwargs)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Which document"), choices=DocumentKind.choices)
    file = DocumentField(label=_("File (PDF, JPEG or PNG)"))

    def __init__(self, *args, required_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The documents still needed come first in the list.
        first = [(k.value, k.label) for k in required_kinds]
        rest = [(v, label) for v, label in DocumentKind.choices if v not in dict(first)]
        self.fields["kind"].choices = first + rest


class ResubmitForm(forms.Form):
    note = NormalizedCharField(
        label=_("Your answer to the request"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a short answer to the request.")},
    )
    kind = forms.ChoiceField(label=_("Which document"), choices=DocumentKind.choices)
    file = DocumentField(label=_("File (PDF, JPEG or PNG)"))
    kind_2 = forms.ChoiceField(
        label=_("Another document (optional)"), choices=DocumentKind.choices, required=False
    )
    file_2 = DocumentField(label=_("File (PDF, JPEG or PNG)"), required=False)

    def uploads(self) -> list[tuple[str, object]]:
        pairs = [(self.cleaned_data["kind"], self.cleaned_data["file"])]
        if self.cleaned_data.get("file_2"):
            pairs.append(
                (self.cleaned_data.get("kind_2") or DocumentKind.OTHER, self.cleaned_data["file_2"])
            )
        return pairs


class TrackingForm(forms.Form):
    tracking_code = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"dir": "ltr", "autocomplete": "off", "autocapitalize": "characters"}
        ),
        error_messages={"required": _("Enter the tracking code.")},
    )
    national_id = NationalIDField(label=_("The applicant's national ID"))

    def clean_tracking_code(self):
        code = tracking_code_normalize(self.cleaned_data["tracking_code"])
        if not tracking_code_is_valid(code):
            raise ValidationError(
                _("This is not a tracking code; check it against the SMS (9 letters and digits)."),
                code="tracking_code",
            )
        return code
