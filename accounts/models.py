from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from shahrvand.identifiers import (
    mobile_normalize,
    national_id_normalize,
    validate_mobile,
    validate_national_id,
)


class User(AbstractUser):
    """Everyone who signs in: citizens (by SMS code, identified by national ID and mobile), district
    staff and office operators (username + password). What a person may do comes from their
    memberships (district, office) and the ICT admin group, never from flags on this model."""

    national_id = models.CharField(
        _("national ID"),
        max_length=10,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_national_id],
        help_text=_("Ten digits. Citizens sign in with it."),
    )
    mobile = models.CharField(
        _("mobile number"),
        max_length=11,
        blank=True,
        validators=[validate_mobile],
        help_text=_("Stored as 09xxxxxxxxx."),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean_fields(self, exclude=None) -> None:
        # Normalise before the field checks, so "+98 912 ..." or Persian digits are not refused.
        self.national_id = national_id_normalize(self.national_id) or None
        self.mobile = mobile_normalize(self.mobile) if self.mobile else ""
        super().clean_fields(exclude=exclude)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
