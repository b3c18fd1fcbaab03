from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from .forms import MainSubmit


class OwnPasswordChangeForm(PasswordChangeForm):
    """The owner's own new password: not the one someone else chose for them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self.fields[name].widget.attrs["dir"] = "ltr"
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page's form also carries where to go next
        self.helper.add_input(
            MainSubmit("submit", _("Change my password"), css_class="w-100 btn-lg")
        )

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("new_password1")
        if password and "new_password2" not in self.errors and self.user.check_password(password):
            self.add_error(
                "new_password2",
                forms.ValidationError(
                    _("Choose a new password, different from the one you have now."),
                    code="password_unchanged",
                ),
            )
        return cleaned
