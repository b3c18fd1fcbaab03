"""Filing: properties, drafts step by step, documents, and the submission that makes an inquiry."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import roles_of
from districts.models import District

from .. import notifications, summaries
from ..kinds import InquiryKind
from ..models import (
    AgencyDetails,
    Attachment,
    Bank,
    BankDetails,
    Inquiry,
    InquiryDraft,
    Property,
    TransferDetails,
)
from ..property_codes import renovation_code_parse
from ..requirements import documents_missing, transfer_letter_required
from ..selectors import drafts_workable_by
from ..tracking import tracking_code_new
from ..uploads import InspectedUpload
from ..workflow import Action, Channel, InquiryStatus
from . import deadlines
from .common import (
    DistrictNotOnline,
    DraftIncomplete,
    InquiryError,
    event_write,
    store_upload,
)


def district_for_renovation_code(renovation_code: str) -> District:
    code = renovation_code_parse(renovation_code)
    try:
        return District.objects.get(number=code.district_number)
    except District.DoesNotExist:
        raise ValidationError(
            _("There is no district %(number)s in Urmia; check the first part of the code."),
            code="renovation_code_district",
            params={"number": code.district_number},
        ) from None


def draft_district_check(*, actor, draft: InquiryDraft, district: District) -> None:
    """A kiosk clerk files for walk-in citizens of their own kiosk's district(s); a property in
    another district is filed at that district's kiosk (or online, or at an office)."""
    if draft.channel != Channel.KIOSK:
        return
    if district.pk not in roles_of(actor).districts_with("kiosk"):
        raise ValidationError(
            _(
                "This property is in %(district)s. Your kiosk files only for its own district: "
                "send the citizen to that district's kiosk, or they can file online."
            ),
            code="kiosk_other_district",
            params={"district": district.name},
        )


def district_online_check(*, district: District, kind: str) -> None:
    if not district.is_online_for(kind):
        raise DistrictNotOnline(district, kind)


def property_upsert(
    *,
    renovation_code: str,
    plate_main: int,
    plate_sub: int | None,
    registration_section: int,
    address: str,
    area_m2: Decimal,
    land_use: str,
    building_status: str,
) -> Property:
    """The property with this renovation code, created or brought up to date with what was declared."""
    code = str(renovation_code_parse(renovation_code))
    district = district_for_renovation_code(code)
    fields = {
        "district": district,
        "plate_main": plate_main,
        "plate_sub": plate_sub,
        "registration_section": registration_section,
        "address": address,
        "area_m2": area_m2,
        "land_use": land_use,
        "building_status": building_status,
    }
    prop = Property.objects.select_for_update().filter(renovation_code=code).first()
    if prop is None:
        prop = Property(renovation_code=code, **fields)
    else:
        for name, value in fields.items():
            setattr(prop, name, value)
    prop.full_clean()
    try:
        with transaction.atomic():
            prop.save()
    except IntegrityError:
        # Someone filed for the same property at the same moment: use their row.
        prop = Property.objects.get(renovation_code=code)
    return prop


def draft_start(*, actor, kind: str, channel: str, office=None) -> InquiryDraft:
    """A new draft, for whoever ``Roles.may_file`` through this channel (online: a citizen; a
    kiosk: its clerk; an office: its operators). Offices are recorded on the inquiry."""
    office_id = office.pk if office is not None else None
    if not roles_of(actor).may_file(channel, office_id):
        raise PermissionDenied
    if office is not None and office.channel != channel:
        raise PermissionDenied
    draft = InquiryDraft(
        owner=actor, kind=InquiryKind(kind), channel=Channel(channel), office=office
    )
    draft.full_clean()
    draft.save()
    return draft


def _require_workable(actor, draft: InquiryDraft) -> None:
    """Its owner, while they still file through its channel (a clerk whose kiosk role ended, an
    operator of a switched-off office, has no drafts)."""
    if not drafts_workable_by(actor).filter(pk=draft.pk).exists():
        raise PermissionDenied


def draft_step_save(*, actor, draft: InquiryDraft, step: str, data: dict) -> InquiryDraft:
    """Keep the cleaned values of one step (JSON-ready: dates and decimals as strings)."""
    _require_workable(actor, draft)
    if draft.inquiry_id:
        raise PermissionDenied
    draft.data = {**draft.data, step: data}
    draft.save(update_fields=["data", "updated_at"])
    return draft


@transaction.atomic
def draft_attachment_add(
    *, actor, draft: InquiryDraft, kind: str, upload: InspectedUpload
) -> Attachment:
    draft = InquiryDraft.objects.select_for_update().get(pk=draft.pk)
    _require_workable(actor, draft)
    if draft.inquiry_id:
        raise PermissionDenied
    if draft.attachments.count() >= settings.ATTACHMENTS_PER_INQUIRY:
        raise InquiryError(
            _("An inquiry can have at most %(count)s documents.")
            % {"count": settings.ATTACHMENTS_PER_INQUIRY},
            code="too_many",
        )
    return store_upload(Attachment(draft=draft, kind=kind, uploaded_by=actor), upload)


@transaction.atomic
def draft_attachment_remove(*, actor, attachment: Attachment) -> None:
    """Only from a draft that is not submitted; a submitted inquiry's documents are kept."""
    if attachment.inquiry_id or not attachment.draft_id or attachment.draft.owner_id != actor.pk:
        raise PermissionDenied
    stored = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: attachment.file.storage.delete(stored))


def _draft_missing_parts(draft: InquiryDraft) -> list[str]:
    missing = [step for step in ("property", "applicant", "details") if not draft.data.get(step)]
    details = draft.step_data("details")
    if (
        details
        and draft.kind == InquiryKind.TRANSFER
        and transfer_letter_required(draft.channel)
        and not details.get("letter_number")
    ):
        # Saved before the notary office's letter was asked for: the details step again.
        missing.append("details")
    relation = draft.step_data("applicant").get("relation")
    present = set(draft.attachments.values_list("kind", flat=True))
    missing += [f"document:{doc}" for doc in documents_missing(draft.kind, relation, present)]
    return missing


def _details_create(inquiry: Inquiry, details: dict) -> None:
    if inquiry.kind == InquiryKind.TRANSFER:
        row = TransferDetails(inquiry=inquiry, **details)
        if inquiry.office and inquiry.channel == Channel.NOTARY_OFFICE:
            # A notary's transfer inquiry names the notary office that files it.
            row.notary_office_number = inquiry.office.number
    elif inquiry.kind == InquiryKind.BANK:
        data = dict(details)
        data["bank"] = Bank.objects.get(code=data.pop("bank"))
        row = BankDetails(inquiry=inquiry, **data)
    else:
        row = AgencyDetails(inquiry=inquiry, **details)
    row.full_clean(exclude=["inquiry"])
    row.save()


@transaction.atomic
def inquiry_submit(*, actor, draft: InquiryDraft) -> Inquiry:
    """Turn a complete draft into an inquiry. Idempotent: a repeated submit of the same draft (double
    tap, a resend after a timeout) returns the inquiry the first one made."""
    draft = InquiryDraft.objects.select_for_update().get(pk=draft.pk)
    _require_workable(actor, draft)
    if draft.inquiry_id:
        return draft.inquiry
    missing = _draft_missing_parts(draft)
    if missing:
        raise DraftIncomplete(missing)

    prop_data = draft.step_data("property")
    applicant = draft.step_data("applicant")
    district = district_for_renovation_code(prop_data["renovation_code"])
    draft_district_check(actor=actor, draft=draft, district=district)
    district_online_check(district=district, kind=draft.kind)
    prop = property_upsert(
        renovation_code=prop_data["renovation_code"],
        plate_main=prop_data["plate_main"],
        plate_sub=prop_data.get("plate_sub"),
        registration_section=prop_data["registration_section"],
        address=prop_data["address"],
        area_m2=Decimal(prop_data["area_m2"]),
        land_use=prop_data["land_use"],
        building_status=prop_data["building_status"],
    )
    inquiry = Inquiry(
        kind=draft.kind,
        channel=draft.channel,
        status=InquiryStatus.SUBMITTED,
        district=district,
        property=prop,
        property_declared=prop_data,
        applicant_national_id=applicant["national_id"],
        applicant_first_name=applicant["first_name"],
        applicant_last_name=applicant["last_name"],
        applicant_mobile=applicant["mobile"],
        applicant_relation=applicant["relation"],
        owner_national_id=applicant.get("owner_national_id", ""),
        owner_name=applicant.get("owner_name", ""),
        notes=draft.step_data("details").get("notes", ""),
        filed_by=actor,
        office=draft.office,
        submission_key=draft.submission_key,
        submitted_at=timezone.now(),
    )
    inquiry.tracking_code = _unique_tracking_code()
    deadlines.start(inquiry)
    inquiry.full_clean()
    inquiry.save()
    summaries.record(None, summaries.Snapshot.of(inquiry))
    details = draft.step_data("details")
    details.pop("notes", None)
    _details_create(inquiry, details)
    draft.attachments.update(inquiry=inquiry)
    event_write(
        inquiry=inquiry,
        action=Action.SUBMIT,
        from_status="",
        actor=actor,
        channel=inquiry.channel,
    )
    draft.inquiry = inquiry
    draft.save(update_fields=["inquiry", "updated_at"])
    if inquiry.channel != Channel.WEB:
        # Filed in person: the office or kiosk saw the ID card, so the citizen's account (and its
        # mobile, if none was bound yet) is set up, and the inquiry shows up when they sign in.
        from accounts.services import citizen_get_or_create

        citizen_get_or_create(
            national_id=inquiry.applicant_national_id,
            mobile=inquiry.applicant_mobile,
            first_name=inquiry.applicant_first_name,
            last_name=inquiry.applicant_last_name,
        )
    notifications.inquiry_submitted(inquiry)
    return inquiry


def _unique_tracking_code() -> str:
    # 31^8 codes: a clash is very unlikely, but cheap to rule out.
    for _attempt in range(5):
        code = tracking_code_new()
        if not Inquiry.objects.filter(tracking_code=code).exists():
            return code
    raise RuntimeError("could not find a free tracking code")


def drafts_purge_stale() -> int:
    """Drafts nobody touched for DRAFT_TTL_DAYS go, with their uploads (submitted ones stay: they
    lead a repeated submit to its inquiry)."""
    cutoff = timezone.now() - timedelta(days=settings.DRAFT_TTL_DAYS)
    stale = InquiryDraft.objects.filter(inquiry__isnull=True, updated_at__lt=cutoff)
    storage = Attachment._meta.get_field("file").storage
    count = 0
    for draft in stale.iterator():
        with transaction.atomic():
            names = [a.file.name for a in draft.attachments.filter(inquiry__isnull=True)]
            draft.attachments.filter(inquiry__isnull=True).delete()
            draft.delete()
            transaction.on_commit(lambda names=names: [storage.delete(n) for n in names])
        count += 1
    return count
