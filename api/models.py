"""Institutions that file inquiries machine to machine, their credentials, the audit of every call,
idempotent filings, and the webhooks owed to them."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inquiries.kinds import InquiryKind
from inquiries.models.choices import AgencyType


class InstitutionKind(models.TextChoices):
    BANK = "bank", _("Bank")
    COURT = "court", _("Court")
    LAND_REGISTRY = "land_registry", _("Land registry")
    NOTARY = "notary", _("Notary office")


# What each kind of institution asks: a bank before a loan, a court or the land registry as an
# agency, a notary before a transfer.
INQUIRY_KIND_OF = {
    InstitutionKind.BANK: InquiryKind.BANK,
    InstitutionKind.COURT: InquiryKind.AGENCY,
    InstitutionKind.LAND_REGISTRY: InquiryKind.AGENCY,
    InstitutionKind.NOTARY: InquiryKind.TRANSFER,
}
AGENCY_TYPE_OF = {
    InstitutionKind.COURT: AgencyType.COURT,
    InstitutionKind.LAND_REGISTRY: AgencyType.LAND_REGISTRY,
}


class Scope(models.TextChoices):
    FILE = "file", _("File inquiries and answer requests for information")
    READ = "read", _("Read its own inquiries and answers")
    VERIFY = "verify", _("Verify answers")
    WEBHOOKS = "webhooks", _("Register its webhooks and read their delivery log")


class Institution(models.Model):
    """A bank (with its branches), a court, the land registry or a notary office (linked to its office
    record) whose own system files inquiries. Registered by the ICT organisation
    (``api.services.institution_register``), which creates its account: the actor of every call made
    with its credentials, so that the inquiry services check it like any other filer."""

    kind = models.CharField(_("kind"), max_length=16, choices=InstitutionKind.choices)
    name = models.CharField(_("name"), max_length=150)
    bank = models.ForeignKey(
        "inquiries.Bank",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bank"),
    )
    office = models.OneToOneField(
        "counters.CounterOffice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="institution",
        verbose_name=_("notary office"),
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="institution",
        editable=False,
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="bank") | models.Q(bank__isnull=False),
                name="institution_bank_names_its_bank",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="notary") | models.Q(office__isnull=False),
                name="institution_notary_names_its_office",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def inquiry_kind(self) -> str:
        return INQUIRY_KIND_OF[InstitutionKind(self.kind)]


class InstitutionBranch(models.Model):
    """A bank's branch; a bank's filing names one of its branches by code."""

    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        related_name="branches",
        verbose_name=_("institution"),
    )
    code = models.CharField(_("branch code"), max_length=10)
    name = models.CharField(_("branch name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="branch_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class ApiCredential(models.Model):
    """An API key: ``shv_<prefix>_<secret>``, shown once when issued. Only the SHA-256 of the secret
    is kept; the prefix finds the row. Revocable, with an expiry, and scoped."""

    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="credentials",
        verbose_name=_("institution"),
    )
    label = models.CharField(_("label"), max_length=100)
    prefix = models.CharField(_("key prefix"), max_length=12, unique=True, editable=False)
    secret_sha256 = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    expires_at = models.DateTimeField(_("expires at"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API credential")
        verbose_name_plural = _("API credentials")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.institution} — {self.label} ({self.prefix})"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now and self.institution.is_active


class ApiCall(models.Model):
    """One call to the API: which client, which endpoint, what came of it. Written for every call,
    refused ones included (an unknown key, a missing scope, a throttled client)."""

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    credential = models.ForeignKey(
        ApiCredential,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("credential"),
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("institution"),
    )
    method = models.CharField(_("method"), max_length=8)
    endpoint = models.CharField(_("endpoint"), max_length=60)
    status_code = models.PositiveSmallIntegerField(_("status"))
    result = models.CharField(_("result"), max_length=40)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["institution", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.method} {self.endpoint} {self.status_code}"


class ApiFiling(models.Model):
    """One ``Idempotency-Key`` of one institution: the draft its filing made and what was sent, so
    that a retried call returns the inquiry the first one made, and the same key with a different
    request is refused."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="filings")
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)
    draft = models.OneToOneField(
        "inquiries.InquiryDraft", on_delete=models.PROTECT, related_name="api_filing"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["institution", "key"], name="api_filing_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.institution_id}: {self.key}"


def webhook_secret_new() -> str:
    return secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    """Where an institution wants to hear of its inquiries: status changes and answers are posted
    here as JSON, signed with HMAC-SHA256 under ``secret`` (``api.webhooks``)."""

    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        related_name="webhooks",
        verbose_name=_("institution"),
    )
    # Posted to by urllib: http or https only, never file:// or ftp://.
    url = models.URLField(
        _("URL"), max_length=300, validators=[URLValidator(schemes=["http", "https"])]
    )
    secret = models.CharField(
        _("signing secret"), max_length=64, default=webhook_secret_new, editable=False
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.url


class DeliveryState(models.TextChoices):
    DELIVERED = "delivered", _("Delivered")
    OWED = "owed", _("Owed (being tried)")
    GIVEN_UP = "given_up", _("Given up")


# Still being tried: neither delivered nor given up. The sweeper's rows, and its index.
OWED = models.Q(delivered_at__isnull=True, given_up_at__isnull=True)


class WebhookDeliveryQuerySet(models.QuerySet):
    def owed(self):
        return self.filter(OWED)

    def given_up(self):
        return self.filter(delivered_at__isnull=True, given_up_at__isnull=False)

    def delivered(self):
        return self.filter(delivered_at__isnull=False)


class WebhookDelivery(models.Model):
    """One event owed to one webhook. Written in the transaction that made the event, so a status
    change cannot commit without it; ``delivered_at`` stays empty until the receiver said 2xx, and
    the sweeper sends again whatever is still owed (Redis or the receiver down loses nothing).

    Not for ever: after ``WEBHOOK_MAX_ATTEMPTS`` failed attempts (about a day of backoff) the
    delivery is given up (``given_up_at``), and stays, in the institution's delivery log and the
    admin, which can send it again (``api.services.deliveries_resend``)."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="webhook_deliveries"
    )
    event_id = models.UUIDField(_("event id"), unique=True)
    event_type = models.CharField(_("event"), max_length=40)
    payload = models.JSONField(_("payload"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_status = models.PositiveSmallIntegerField(_("last status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    given_up_at = models.DateTimeField(_("given up at"), null=True, blank=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=OWED, name="webhook_owed_idx"),
            models.Index(fields=["institution", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"

    def state(self) -> str:
        if self.delivered_at is not None:
            return DeliveryState.DELIVERED
        if self.given_up_at is not None:
            return DeliveryState.GIVEN_UP
        return DeliveryState.OWED
