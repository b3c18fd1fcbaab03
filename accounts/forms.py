from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from shahrvand.forms import MobileField, NationalIDField
from shahrvand.ratelimit import client_ip, rate_limit_hit, rate_limit_peek, rate_limit_reset
from shahrvand.text import localize_digits, normalize_text, numeric_identifier

LOGIN_SCOPE = "staff-login"


class MainSubmit(Submit):
    """A form's main button in the portal's green (crispy's default is Bootstrap's blue)."""

    field_classes = "btn btn-brand"


def _allowance(key: str) -> int:
    # The per-address allowance is wider: an office shares one address among many staff.
    limit = settings.LOGIN_FAILURE_LIMIT
    return limit * 4 if key.startswith("ip:") else limit


class StaffLoginForm(AuthenticationForm):
    """Username and password, with a pause after repeated failures for that username or address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or password is wrong. Both are case-sensitive."),
        "throttled": _(
            "Too many failed attempts. Try again in %(minutes)s minutes, or ask your "
            "district's ICT contact to check your account."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update({"dir": "ltr", "autocapitalize": "none"})
        self.helper = FormHelper()
        self.helper.add_input(MainSubmit("submit", _("Sign in"), css_class="w-100 btn-lg"))

    def clean_username(self):
        return normalize_text(self.cleaned_data.get("username"))

    def _throttle_keys(self) -> list[str]:
        username = (self.cleaned_data.get("username") or "").lower()
        keys = [f"user:{username}"]
        if self.request is not None:
            keys.append(f"ip:{client_ip(self.request)}")
        return keys

    def clean(self):
        window = settings.LOGIN_FAILURE_WINDOW_SECONDS
        keys = self._throttle_keys()
        for key in keys:
            state = rate_limit_peek(LOGIN_SCOPE, key, limit=_allowance(key), window=window)
            if not state.allowed:
                raise forms.ValidationError(
                    self.error_messages["throttled"],
                    code="throttled",
                    params={"minutes": localize_digits(state.retry_after_minutes)},
                )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            for key in keys:
                rate_limit_hit(LOGIN_SCOPE, key, limit=_allowance(key), window=window)
            raise
        rate_limit_reset(LOGIN_SCOPE, keys[0])
        return cleaned


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
        # The one normaliser: Persian/Arabic-Indic digits made ASCII, any other script's refused.
        code = numeric_identifier(self.cleaned_data["code"], max_digits=12)
        if len(code) != 6:
            raise forms.ValidationError(_("The code has 6 digits."), code="format")
        return code
