from django import forms
from django.utils.translation import gettext_lazy as _

from shahrvand.forms import (
    MobileField,
    NationalIDField,
    NormalizedCharField,
    NormalizedIntegerField,
)

from .models import KioskTopic


class KioskHelpForm(forms.Form):
    topic = forms.ChoiceField(
        label=_("What did the citizen need?"), choices=KioskTopic.choices, widget=forms.RadioSelect
    )
    resolution = NormalizedCharField(
        label=_("What was resolved"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write in a few words what was resolved.")},
    )
    minutes = NormalizedIntegerField(
        label=_("Minutes spent"),
        min_value=1,
        max_value=240,
        error_messages={"required": _("How many minutes did it take?")},
    )


class KioskMobileForm(forms.Form):
    national_id = NationalIDField()
    mobile = MobileField(label=_("New mobile number"))
    first_name = NormalizedCharField(label=_("First name"), max_length=60, required=False)
    last_name = NormalizedCharField(label=_("Last name"), max_length=80, required=False)
    id_card_seen = forms.BooleanField(
        label=_("I have seen the citizen's national ID card."),
        error_messages={"required": _("Check the national ID card first.")},
    )
