"""Password rules as Django's, with messages in the portal's catalogue (Django's Persian catalogue
has no translation of the minimum-length message as Django 5.2 words it)."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext

from shahrvand.text import localize_digits


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "This password is too short: use at least %(count)s character.",
            "This password is too short: use at least %(count)s characters.",
            self.min_length,
        ) % {"count": localize_digits(self.min_length)}

    def get_help_text(self):
        return ngettext(
            "Use at least %(count)s character.",
            "Use at least %(count)s characters.",
            self.min_length,
        ) % {"count": localize_digits(self.min_length)}
