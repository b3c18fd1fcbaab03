import uuid

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


class SignInCode(models.Model):
    """One citizen sign-in attempt: a one-time code sent by SMS, bound to this row (whose id sits in
    the browser's session), valid for a few minutes, for a few tries, once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    national_id = models.CharField(_("national ID"), max_length=10)
    mobile = models.CharField(_("mobile number"), max_length=11)
    # Only a keyed hash of the code is stored; a database dump does not reveal live codes.
    code_hash = models.CharField(max_length=64)
    tries = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")
        indexes = [models.Index(fields=["mobile", "created_at"])]

    def __str__(self) -> str:
        return f"{self.national_id} {self.created_at:%Y-%m-%d %H:%M}"


class MobileChange(models.Model):
    """A citizen's mobile number changed by district staff after seeing the national ID card."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mobile_changes")
    old_mobile = models.CharField(_("old mobile"), max_length=11, blank=True)
    new_mobile = models.CharField(_("new mobile"), max_length=11)
    changed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mobile number change")
        verbose_name_plural = _("mobile number changes")
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.changed_at:%Y-%m-%d}"
