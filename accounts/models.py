import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from shahrvand.append_only import AppendOnlyModel, AppendOnlyQuerySet
from shahrvand.identifiers import (
    mobile_normalize,
    national_id_normalize,
    validate_mobile,
    validate_national_id,
)
from shahrvand.text import is_ascii_number


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
    must_change_password = models.BooleanField(
        _("must change password at next sign-in"),
        default=False,
        help_text=_(
            "Set when someone else chose this password; cleared when its owner changes it."
        ),
    )
    # Raised when the account is deactivated: every session signed with an older value ends, and
    # stays ended if the account is activated again.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)
    # A new value, never given before, whenever a row this person's access is read from (besides
    # this one) is written: a district or office membership of theirs, an office of theirs (active,
    # kind), the ICT organisation's group, the institution whose account this is, their second
    # factor's devices. Written by the database's own triggers (migration 0009), so no way of writing
    # those rows misses it. A request reads it with the person, and what its process read at the same
    # stamp is still theirs (``accounts.access_stamp``).
    access_stamp = models.BigIntegerField(default=0, db_default=0, editable=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def save(self, *args, **kwargs) -> None:
        # The access stamp is the database's own (its triggers write it): saving the account writes
        # every field but that one, so a copy read earlier never puts back a stamp of older roles.
        fields = kwargs.get("update_fields")
        if fields is None and not self._state.adding and not kwargs.get("force_insert"):
            deferred = (
                self.get_deferred_fields()
            )  # as Django does: fields not loaded stay as they are
            fields = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.attname not in deferred
            ]
        if fields is not None:
            kwargs["update_fields"] = [name for name in fields if name != "access_stamp"]
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None) -> None:
        # Normalise before the field checks, so "+98 912 ..." or Persian digits are not refused.
        self.national_id = national_id_normalize(self.national_id) or None
        self.mobile = mobile_normalize(self.mobile) if self.mobile else ""
        super().clean_fields(exclude=exclude)

    @property
    def display_name(self) -> str:
        """How the portal names a person on screen, never by national ID or mobile: a citizen who
        signed in by SMS has no name on file until they give one, and their username is their ID."""
        if name := self.get_full_name():
            return name
        return str(_("Citizen")) if self._username_is_identifier() else self.username

    def __str__(self) -> str:
        # What admin page titles, choices and history print: the same rule as on screen, with the
        # account number to tell nameless citizens apart.
        if self.get_full_name() or not self._username_is_identifier():
            return self.display_name
        return f"{self.display_name} #{self.pk}"

    def _username_is_identifier(self) -> bool:
        return is_ascii_number(self.username) or (
            bool(self.national_id) and self.username == self.national_id
        )

    def _session_hash(self, secret=None) -> str:
        # Django's own recipe (an HMAC of the password hash), with the epoch mixed in once raised;
        # at epoch 0 the value is Django's, so no session ends merely because this code shipped.
        value = self.password if not self.session_epoch else f"{self.password}:{self.session_epoch}"
        key_salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    def get_session_auth_hash(self) -> str:
        return self._session_hash()

    def get_session_auth_fallback_hash(self):
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret=fallback_secret)


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
        # Shown in admin titles: the attempt, not whose national ID it was for.
        return f"{str(self.pk)[:8]} {self.created_at:%Y-%m-%d %H:%M}"


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


class PowerChangeKind(models.TextChoices):
    ACCOUNT_CREATED = "account_created", _("Account created")
    ACCOUNT_ACTIVE = "account_active", _("Account activated or deactivated")
    PASSWORD_SET = "password_set", _("Password set by another person")
    SUPERUSER = "superuser", _("Superuser status")
    STAFF = "staff", _("Admin-site access")
    GROUPS = "groups", _("Groups (ICT admin)")
    PERMISSIONS = "permissions", _("Individual permissions")
    GROUP_PERMISSIONS = "group_permissions", _("A group's permissions")
    DISTRICT_GRANTED = "district_granted", _("District membership granted")
    DISTRICT_ROLE = "district_role", _("District role changed")
    SIGNING_RIGHT = "signing_right", _("Signing right changed")
    DISTRICT_ACTIVE = "district_active", _("District membership activated or deactivated")
    DISTRICT_REMOVED = "district_removed", _("District membership removed")
    OFFICE_GRANTED = "office_granted", _("Office membership granted")
    OFFICE_ROLE = "office_role", _("Office role changed")
    OFFICE_ACTIVE = "office_active", _("Office membership activated or deactivated")
    OFFICE_REMOVED = "office_removed", _("Office membership removed")
    OFFICE_SWITCHED = "office_switched", _("Office activated or deactivated")
    SECOND_FACTOR_RESET = "second_factor_reset", _("Second factor reset")
    ACCOUNT_UNLOCKED = "account_unlocked", _("Sign-in lockout lifted")
    API_KEY_ISSUED = "api_key_issued", _("API credential issued to an institution")
    API_KEY_REVOKED = "api_key_revoked", _("API credential revoked")
    INSTITUTION_SWITCHED = "institution_switched", _("Institution activated or deactivated")
    INSTITUTION_CHANGED = (
        "institution_changed",
        _("Institution changed (kind, name, bank, notary office, branches, webhooks)"),
    )
    WEBHOOK_RESENT = "webhook_resent", _("Given-up webhook delivery sent again")


class PowerChange(AppendOnlyModel):
    """One change of who may do what: who made it, when, to whom, on what, and the values before and
    after (codes and ids, never a national ID or a password hash). Written only by
    ``accounts.services_power``, in the same transaction as the change. Append-only: rows are never
    changed or deleted (on PostgreSQL a trigger enforces it too)."""

    kind = models.CharField(_("kind of change"), max_length=24, choices=PowerChangeKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    # Empty for a change to a group or an office rather than to one person.
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="power_changes",
        verbose_name=_("person"),
    )
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.BigIntegerField(_("object id"), null=True, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("change of access")
        verbose_name_plural = _("changes of access")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["target", "created_at"]),
            models.Index(fields=["actor", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class SignInEventKind(models.TextChoices):
    SIGNED_IN = "signed_in", _("Signed in with the password")
    FAILED = "failed", _("Wrong username or password")
    LOCKED = "locked", _("Locked after repeated failures")
    REFUSED_LOCKED = "refused_locked", _("Refused while locked")
    ENROLLED = "second_factor_enrolled", _("Second factor enrolled")
    VERIFIED = "second_factor_verified", _("Second factor verified")
    CODE_FAILED = "second_factor_failed", _("Wrong second-factor code")
    BACKUP_CODE_USED = "backup_code_used", _("Backup code used")
    SESSION_EXPIRED = "session_expired", _("Session ended by a time limit")
    PERMISSION_DENIED = "permission_denied", _("Page refused")


class SignInEvent(AppendOnlyModel):
    """One event of signing in or of being refused: who (when known), from which address, and a
    few codes (never a typed username, national ID or mobile). Written by ``accounts.audit``, which
    also writes the event's log line; the admin's reset and unlock are changes of access
    (``PowerChange``). Append-only (on PostgreSQL a trigger enforces it too)."""

    kind = models.CharField(_("event"), max_length=24, choices=SignInEventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signin_events",
        verbose_name=_("person"),
    )
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-in event")
        verbose_name_plural = _("sign-in events")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class BackupCodeDevice(Device):
    """A person's ten single-use backup codes, for the day their phone is not at hand. Only keyed
    hashes are stored (``accounts.second_factor``); a code is struck off when used."""

    code_hashes = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta(Device.Meta):
        verbose_name = _("backup codes")
        verbose_name_plural = _("backup codes")

    def verify_token(self, token) -> bool:
        from .second_factor import backup_code_use

        return backup_code_use(device=self, code=token)
