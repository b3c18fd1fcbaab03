from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from shahrvand.forms import MobileField, NationalIDField
from shahrvand.text import localize_digits, normalize_text, numeric_identifier

from .lockout import LOCKED_MESSAGE, lockout_clear, lockout_failure, lockout_state
from .models import SignInEventKind


class MainSubmit(Submit):
    """A form's main button in the portal's green (crispy's default is Bootstrap's blue)."""

    field_classes = "btn btn-brand"


class StaffLoginForm(AuthenticationForm):
    """Username and password, refused while the username or address is locked after repeated
    failures of the password or the second-factor code (``accounts.lockout``)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or password is wrong. Both are case-sensitive."),
        "throttled": LOCKED_MESSAGE,
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update({"dir": "ltr", "autocapitalize": "none"})
        self.helper = FormHelper()
        self.helper.add_input(MainSubmit("submit", _("Sign in"), css_class="w-100 btn-lg"))

    def clean_username(self):
        return normalize_text(self.cleaned_data.get("username"))

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        state = lockout_state(self.request, username)
        if state is not None:
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": localize_digits(state.retry_after_minutes)},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError as error:
            if any(e.code == "invalid_login" for e in error.error_list):
                lockout_failure(self.request, username, kind=SignInEventKind.FAILED)
            raise
        if not settings.STAFF_SECOND_FACTOR:
            # With a second factor the count starts again only once the code is right too:
            # a known password must not buy fresh guesses at the code.
            lockout_clear(username)
        return cleaned


def six_digit_code(value: str) -> str:
    """A six-digit code as typed (an SMS code, an authenticator app's): the one normaliser makes
    Persian/Arabic-Indic digits ASCII and refuses any other script's."""
    code = numeric_identifier(value, max_digits=12)
    if len(code) != 6:
        raise forms.ValidationError(_("The code has 6 digits."), code="format")
    return code


class CitizenSignInForm(forms.Form):
    national_id = NationalIDField()
    mobile = MobileField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["national_id"].widget.attrs["autofocus"] = True
        self.helper = FormHelper()
        self.helper.add_input(MainSubmit("submit", _("Send me a code"), css_class="w-100 btn-lg"))


class CitizenCodeForm(forms.Form):
    code = forms.CharField(
        label=_("The 6-digit code we sent"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "dir": "ltr",
                "autofocus": True,
                "pattern": "[0-9۰-۹٠-٩ ]*",
            }
        ),
        error_messages={"required": _("Enter the code from the SMS.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(MainSubmit("submit", _("Sign in"), css_class="w-100 btn-lg"))

    def clean_code(self):
        return six_digit_code(self.cleaned_data["code"])


class SecondFactorForm(forms.Form):
    """The code from the authenticator app, or one of the backup codes."""

    code = forms.CharField(
        label=_("The 6-digit code from your authenticator app, or a backup code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "dir": "ltr",
                "autofocus": True,
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": _("Enter the code from your authenticator app.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(MainSubmit("submit", _("Continue"), css_class="w-100 btn-lg"))

    def clean_code(self):
        return normalize_text(self.cleaned_data["code"])


class EnrolmentCodeForm(forms.Form):
    """The first code the app shows, which proves it holds the secret."""

    code = forms.CharField(
        label=_("The 6-digit code your app shows now"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "dir": "ltr",
                "pattern": "[0-9۰-۹٠-٩ ]*",
            }
        ),
        error_messages={"required": _("Enter the code your app shows.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(MainSubmit("submit", _("Turn on"), css_class="w-100 btn-lg"))

    def clean_code(self):
        return six_digit_code(self.cleaned_data["code"])
