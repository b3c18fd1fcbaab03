"""The help kiosk's inquiry forms: look an inquiry up by its tracking code, start one for a
walk-in citizen."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import InquiryKind


class KioskLookupForm(forms.Form):
    tracking_code = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "dir": "ltr",
                "autofocus": True,
                "autocomplete": "off",
                "class": "form-control-lg",
            }
        ),
        error_messages={"required": _("Enter the tracking code.")},
    )


class KioskFileForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is the inquiry for?"), choices=InquiryKind.choices, widget=forms.RadioSelect
    )
