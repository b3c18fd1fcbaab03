from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from districts.models import District
from inquiries.kinds import InquiryKind
from inquiries.workflow import InquiryStatus
from shahrvand.forms import (
    NormalizedCharField,
    SafeModelChoiceField,
    SearchField,
    choices_when_drawn,
    widgets_bootstrap,
)
from shahrvand.text import localize_digits

from . import imports
from .models import OfficeKind
from .selectors import office_operators


class OfficeFileForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is the inquiry for?"), choices=InquiryKind.choices, widget=forms.RadioSelect
    )


class OfficeQueueFilterForm(forms.Form):
    q = SearchField(
        label=_("Search"),
        widget=forms.TextInput(
            attrs={
                "placeholder": _("Tracking code, national ID or renovation code"),
                "dir": "auto",
                # A shared counter computer must not offer the last citizen's national ID.
                "autocomplete": "off",
            }
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *InquiryStatus.choices]
    )
    operator = forms.TypedChoiceField(label=_("Filed by"), required=False, coerce=int)

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        # The operators are read only when the choices are drawn or one is chosen: a list served
        # from its kept copy needs neither (``shahrvand.kept_lists``).
        self.fields["operator"].choices = choices_when_drawn(_operator_choices, office)
        widgets_bootstrap(self)


def _operator_choices(office) -> list[tuple]:
    return [("", _("Anyone")), *office_operators(office)]


class OperatorForm(forms.Form):
    username = NormalizedCharField(
        label=_("Username"), max_length=40, widget=forms.TextInput({"dir": "ltr"})
    )
    first_name = NormalizedCharField(label=_("First name"), max_length=60)
    last_name = NormalizedCharField(label=_("Last name"), max_length=80)
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; give it to the operator in person."),
    )

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class RegistryFilterForm(forms.Form):
    q = SearchField(label=_("Search"))
    kind = forms.ChoiceField(
        label=pgettext_lazy("kind of counter or notary office", "Kind"),
        required=False,
        choices=[("", _("All kinds")), *OfficeKind.choices],
    )
    district = SafeModelChoiceField(
        label=_("District"), required=False, queryset=District.objects.all(), empty_label=_("All")
    )
    active = forms.ChoiceField(
        label=_("Active"),
        required=False,
        choices=[("", _("All")), ("1", _("Active")), ("0", _("Inactive"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        widgets_bootstrap(self)


class ImportForm(forms.Form):
    """The office registry's CSV file, refused before it is read when it is over the bound."""

    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built here so the bounds are those the import applies, in the reader's digits.
        self.fields["file"].help_text = (
            gettext(
                "Columns: kind, number, name, licence, district, address, phone, manager. At most "
                "%(rows)s rows and %(megabytes)s MB, saved from Excel as “CSV UTF-8”. Nothing is "
                "imported if any row has a problem."
            )
            % self._bounds()
        )

    @staticmethod
    def _bounds() -> dict:
        return {
            "rows": localize_digits(imports.MAX_ROWS),
            "megabytes": localize_digits(imports.MAX_BYTES // (1024 * 1024)),
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:
            raise forms.ValidationError(
                gettext("The file is larger than %(megabytes)s MB; split it into smaller files.")
                % self._bounds(),
                code="too_large",
            )
        return upload
