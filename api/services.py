"""Every write of the API app: institutions and their credentials (audited as changes of power), the
audit row of each call, and filing through the inquiry services (the same forms check the input as
on the web, the same services write it, so the checks, the events and the kept counts are the
web's)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import PowerChangeKind
from accounts.roles import roles_of
from accounts.services_power import account_created_record, power_change_record
from inquiries import services as inquiry_services
from inquiries.forms import (
    DETAILS_FORMS,
    ApplicantForm,
    DocumentForm,
    PropertyForm,
    ResubmitForm,
    details_form,
    jsonable,
)
from inquiries.kinds import InquiryKind
from inquiries.models import Inquiry
from inquiries.models.choices import DocumentKind
from inquiries.requirements import documents_missing
from inquiries.workflow import Channel

from .errors import ApiError, form_errors, invalid
from .models import (
    AGENCY_TYPE_OF,
    ApiCall,
    ApiCredential,
    ApiFiling,
    Institution,
    InstitutionBranch,
    InstitutionKind,
    Scope,
    WebhookDelivery,
    WebhookEndpoint,
)
from .webhooks import delivery_enqueue, endpoint_state

User = get_user_model()
KEY_PREFIX = "shv"


# --- institutions and credentials ---------------------------------------------------------------


def _require_ict_admin(actor) -> None:
    if not roles_of(actor).is_ict_admin:
        raise PermissionDenied


@transaction.atomic
def institution_register(*, actor, institution: Institution) -> Institution:
    """A new institution (unsaved, its kind, name and bank or notary office set) with its own
    account, which has no password: it acts only through the institution's credentials."""
    _require_ict_admin(actor)
    account = User(
        username=f"institution-{secrets.token_hex(6)}", first_name=institution.name[:150]
    )
    account.set_unusable_password()
    account.full_clean(exclude=["password"])
    account.save()
    account_created_record(actor=actor, user=account)
    institution.account = account
    institution.full_clean()
    institution.save()
    return institution


def _institution_state(institution: Institution) -> dict:
    """What the audit keeps of an institution: codes and ids."""
    return {
        "kind": institution.kind,
        "name": institution.name,
        "bank": institution.bank.code if institution.bank_id else None,
        "office": institution.office_id,
        "is_active": institution.is_active,
    }


def _part_state(part: InstitutionBranch | WebhookEndpoint) -> dict:
    if isinstance(part, InstitutionBranch):
        return {"code": part.code, "name": part.name, "is_active": part.is_active}
    return endpoint_state(part)


def _changed(before: dict, after: dict) -> tuple[dict, dict]:
    names = [name for name in after if before.get(name) != after[name]]
    return {name: before.get(name) for name in names}, {name: after[name] for name in names}


@transaction.atomic
def institution_change(*, actor, institution: Institution) -> Institution:
    """The ICT organisation's edit of a registered institution (``institution`` carries the new
    values, unsaved). Each is a change of access: switched off, its keys stop working and its
    account has no role (``accounts.roles``); its kind, bank or notary office decide what it files
    and as whom. Switching on or off is one audit row, any other change of its fields another."""
    _require_ict_admin(actor)
    stored = Institution.objects.select_for_update().get(pk=institution.pk)
    institution.full_clean()
    institution.save()
    before, after = _changed(_institution_state(stored), _institution_state(institution))
    if "is_active" in after:
        power_change_record(
            actor=actor,
            kind=PowerChangeKind.INSTITUTION_SWITCHED,
            target=institution.account,
            obj=institution,
            before={"is_active": before.pop("is_active")},
            after={"is_active": after.pop("is_active")},
        )
    if after:
        power_change_record(
            actor=actor,
            kind=PowerChangeKind.INSTITUTION_CHANGED,
            target=institution.account,
            obj=institution,
            before=before,
            after=after,
        )
    return institution


@transaction.atomic
def institution_part_save(
    *, actor, part: InstitutionBranch | WebhookEndpoint
) -> InstitutionBranch | WebhookEndpoint:
    """A bank's branch (which branches it may file for) or a webhook (where its inquiries' events
    are posted), added or changed on the institution's admin page: saved and audited with the
    fields before and after."""
    _require_ict_admin(actor)
    model = type(part)
    stored = model.objects.select_for_update().filter(pk=part.pk).first() if part.pk else None
    part.full_clean()
    part.save()
    if stored is None:
        before, after = {}, _part_state(part)
    else:
        before, after = _changed(_part_state(stored), _part_state(part))
    if after:
        power_change_record(
            actor=actor,
            kind=PowerChangeKind.INSTITUTION_CHANGED,
            target=part.institution.account,
            obj=part,
            before=before,
            after=after,
        )
    return part


@dataclass(frozen=True)
class IssuedKey:
    credential: ApiCredential
    key: str  # shown once; only its hash is kept


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def credential_issue(
    *, actor, institution: Institution, label: str, scopes: list[str], expires_at: dt.datetime
) -> IssuedKey:
    _require_ict_admin(actor)
    if expires_at <= timezone.now():
        raise ValidationError(_("The expiry must be in the future."), code="expired")
    unknown = set(scopes) - set(Scope.values)
    if unknown or not scopes:
        raise ValidationError(_("Choose at least one scope."), code="scopes")
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    credential = ApiCredential(
        institution=institution,
        label=label,
        prefix=prefix,
        secret_sha256=_digest(secret),
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
        created_by=actor,
    )
    credential.full_clean()
    credential.save()
    power_change_record(
        actor=actor,
        kind=PowerChangeKind.API_KEY_ISSUED,
        target=institution.account,
        obj=credential,
        before={},
        after={"scopes": credential.scopes, "expires_at": expires_at.isoformat()},
    )
    return IssuedKey(credential, f"{KEY_PREFIX}_{prefix}_{secret}")


@transaction.atomic
def credential_revoke(*, actor, credential: ApiCredential) -> ApiCredential:
    _require_ict_admin(actor)
    credential = ApiCredential.objects.select_for_update().get(pk=credential.pk)
    if credential.revoked_at is not None:
        return credential  # idempotent: revoked once is revoked
    credential.revoked_at = timezone.now()
    credential.revoked_by = actor
    credential.save(update_fields=["revoked_at", "revoked_by"])
    power_change_record(
        actor=actor,
        kind=PowerChangeKind.API_KEY_REVOKED,
        target=credential.institution.account,
        obj=credential,
        before={"revoked": False},
        after={"revoked": True},
    )
    return credential


@transaction.atomic
def deliveries_resend(*, actor, deliveries) -> int:
    """Send the given-up webhook deliveries among ``deliveries`` again (the others, delivered or
    still being tried, are left as they are): each gets a new round of attempts, posted after the
    commit, and an audit row saying who sent it again and how it had ended. Returns how many."""
    _require_ict_admin(actor)
    now = timezone.now()
    rows = (
        WebhookDelivery.objects.given_up()
        .select_for_update()
        .select_related("institution__account")
        .filter(pk__in=[d.pk for d in deliveries])
        .order_by("pk")
    )
    count = 0
    for delivery in rows:
        before = {
            "given_up_at": delivery.given_up_at.isoformat(),
            "attempts": delivery.attempts,
            "last_status": delivery.last_status,
        }
        delivery.given_up_at = None
        delivery.attempts = 0
        delivery.next_attempt_at = now
        delivery.save(update_fields=["given_up_at", "attempts", "next_attempt_at"])
        power_change_record(
            actor=actor,
            kind=PowerChangeKind.WEBHOOK_RESENT,
            target=delivery.institution.account,
            obj=delivery,
            before=before,
            after={"given_up_at": None, "attempts": 0},
        )
        delivery_enqueue(delivery.pk)
        count += 1
    return count


def credential_authenticate(key: str) -> ApiCredential | None:
    """The usable credential this key belongs to, or None (unknown, wrong secret, revoked, expired,
    or its institution switched off). The secret is compared in constant time."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        return None
    credential = (
        ApiCredential.objects.select_related("institution__account")
        .filter(prefix=parts[1][:12])
        .first()
    )
    if credential is None:
        return None
    if not hmac.compare_digest(credential.secret_sha256, _digest(parts[2])):
        return None
    if not credential.is_usable() or not credential.institution.account.is_active:
        return None
    return credential


def api_call_record(
    *,
    credential: ApiCredential | None,
    method: str,
    endpoint: str,
    status_code: int,
    result: str,
    ip: str | None,
) -> ApiCall:
    now = timezone.now()
    if credential is not None:
        ApiCredential.objects.filter(pk=credential.pk).update(last_used_at=now)
    return ApiCall.objects.create(
        created_at=now,
        credential=credential,
        institution_id=credential.institution_id if credential else None,
        method=method[:8],
        endpoint=endpoint[:60],
        status_code=status_code,
        result=result[:40],
        ip=ip,
    )


# --- filing ---------------------------------------------------------------------------------------

# The request's fields each step's form reads (the institution's own details are filled in here).
_DOCUMENT_FIELDS = tuple(DocumentKind.values)


def request_fingerprint(data, files) -> str:
    """What was sent, as one digest: the same key sent again with other content is refused."""
    digest = hashlib.sha256()
    for name in sorted(data.keys()):
        for value in data.getlist(name):
            digest.update(f"{name}={value}\n".encode())
    for name in sorted(files.keys()):
        for upload in files.getlist(name):
            part = hashlib.sha256()
            for chunk in upload.chunks():
                part.update(chunk)
            upload.seek(0)
            digest.update(f"{name}:{part.hexdigest()}\n".encode())
    return digest.hexdigest()


def _details_data(institution: Institution, data) -> tuple[dict, dict[str, list[str]]]:
    """The details form's input: what the caller sent (its letter's number and date among it, which
    every kind must send), with what the institution is (its bank and branch, its agency type and
    name, its notary office's number) filled in, never typed."""
    kind = institution.inquiry_kind
    form_class = DETAILS_FORMS[InquiryKind(kind)]
    given = {name: data.get(name) for name in form_class.base_fields if name in data}
    errors: dict[str, list[str]] = {}
    if kind == InquiryKind.BANK:
        given["bank"] = institution.bank.code
        code = (data.get("branch_code") or "").strip()
        branch = institution.branches.filter(code=code, is_active=True).first() if code else None
        if branch is None:
            errors["branch_code"] = [_("Give the code of one of your bank's registered branches.")]
        else:
            given["branch_code"], given["branch_name"] = branch.code, branch.name
    elif kind == InquiryKind.AGENCY:
        given["agency_type"] = AGENCY_TYPE_OF[InstitutionKind(institution.kind)]
        given["agency_name"] = institution.name
    else:
        given["notary_office_number"] = institution.office.number
    return given, errors


def _documents_checked(files, errors: dict[str, list[str]]) -> list[tuple[str, object]]:
    """The uploaded documents as (kind, file), each checked by the web's document form; what is
    wrong goes into ``errors`` under its field."""
    uploads = []
    for name in files:
        if name not in _DOCUMENT_FIELDS:
            errors[name] = [
                _("Unknown document; use one of: %(names)s.")
                % {"names": ", ".join(_DOCUMENT_FIELDS)}
            ]
            continue
        for upload in files.getlist(name):
            form = DocumentForm({"kind": name}, {"file": upload})
            if form.is_valid():
                uploads.append((name, form.cleaned_data["file"]))
            else:
                errors.setdefault(name, []).extend(form_errors(form).get("file", []))
    return uploads


def _validated(institution: Institution, data, files):
    """Every step checked by the web's own forms, before anything is written."""
    kind = institution.inquiry_kind
    property_form = PropertyForm(data)
    applicant_form = ApplicantForm(data)
    details_given, errors = _details_data(institution, data)
    details_step = details_form(kind, Channel.INSTITUTION_API, details_given)
    for form in (property_form, applicant_form, details_step):
        if not form.is_valid():
            errors.update(form_errors(form))
    uploads = _documents_checked(files, errors)
    if errors:
        raise invalid(errors)
    relation = applicant_form.cleaned_data["relation"]
    missing = documents_missing(kind, relation, {name for name, _upload in uploads})
    if missing:
        raise invalid({doc.value: [_("This document is required.")] for doc in missing})
    # The district must take this kind online (the web's rollout rule); said before any write.
    inquiry_services.district_online_check(district=property_form.district, kind=kind)
    steps = {
        "property": property_form.cleaned_data,
        "applicant": applicant_form.cleaned_data,
        "details": details_step.cleaned_data,
    }
    return steps, uploads


def _replay(institution: Institution, key: str, fingerprint: str) -> Inquiry | None:
    filing = (
        ApiFiling.objects.select_related("draft__inquiry")
        .filter(institution=institution, key=key)
        .first()
    )
    if filing is None:
        return None
    if filing.fingerprint != fingerprint or filing.draft.inquiry is None:
        raise ApiError(
            "idempotency_key_reused",
            _("This Idempotency-Key was already used for a different request."),
            http_status=422,
        )
    return filing.draft.inquiry


def inquiry_file(
    *, institution: Institution, idempotency_key: str, data, files
) -> tuple[Inquiry, bool]:
    """File an inquiry of the institution's kind. Returns (inquiry, replayed): a retried call with
    the same key and the same content returns the inquiry the first call made."""
    fingerprint = request_fingerprint(data, files)
    earlier = _replay(institution, idempotency_key, fingerprint)
    if earlier is not None:
        return earlier, True
    steps, uploads = _validated(institution, data, files)
    actor = institution.account
    stored: list = []
    try:
        with transaction.atomic():
            draft = inquiry_services.draft_start(
                actor=actor, kind=institution.inquiry_kind, channel=Channel.INSTITUTION_API
            )
            # Taken first: a second call with the same key waits here for the first to commit,
            # then finds its inquiry below.
            ApiFiling.objects.create(
                institution=institution, key=idempotency_key, fingerprint=fingerprint, draft=draft
            )
            for step, cleaned in steps.items():
                inquiry_services.draft_step_save(
                    actor=actor, draft=draft, step=step, data=jsonable(cleaned)
                )
            for kind, upload in uploads:
                attachment = inquiry_services.draft_attachment_add(
                    actor=actor, draft=draft, kind=kind, upload=upload
                )
                stored.append(attachment.file)
            inquiry = inquiry_services.inquiry_submit(actor=actor, draft=draft)
    except IntegrityError:
        _discard(stored)
        earlier = _replay(institution, idempotency_key, fingerprint)
        if earlier is None:
            raise
        return earlier, True
    except Exception:
        _discard(stored)
        raise
    return inquiry, False


def _discard(files) -> None:
    """The files of a filing that did not commit."""
    for file in files:
        file.storage.delete(file.name)


def inquiry_answer_request(*, institution: Institution, inquiry: Inquiry, data, files) -> Inquiry:
    """The institution answers "more information needed": a note and documents, checked by the
    web's own form, written by the same service as the citizen's answer."""
    note_form = ResubmitForm({"note": data.get("note", "")})
    errors = {}
    if not note_form.is_valid() and "note" in note_form.errors:
        errors["note"] = [str(m) for m in note_form.errors["note"]]
    uploads = _documents_checked(files, errors)
    if errors:
        raise invalid(errors)
    return inquiry_services.inquiry_resubmit(
        actor=institution.account,
        inquiry=inquiry,
        note=note_form.cleaned_data["note"],
        uploads=uploads,
    )
