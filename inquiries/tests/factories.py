import datetime as dt
import io
import uuid

import factory
from django.utils import timezone
from PIL import Image

from accounts.tests.factories import CitizenFactory, valid_national_id
from districts.tests.factories import district
from inquiries import summaries
from inquiries.kinds import InquiryKind
from inquiries.models import (
    Inquiry,
    InquiryDraft,
    InquiryEvent,
    Property,
    TransferDetails,
)
from inquiries.models.choices import ApplicantRelation, BuildingStatus, LandUse, TransactionType
from inquiries.tracking import tracking_code_new
from inquiries.uploads import InspectedUpload
from inquiries.workflow import Action, Channel, InquiryStatus


class PropertyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Property

    renovation_code = factory.Sequence(lambda n: f"1-3-{n % 9000 + 1}-12-0-0-0")
    district = factory.LazyFunction(lambda: district(1))
    plate_main = factory.Sequence(lambda n: 100 + n)
    plate_sub = 56
    registration_section = 2
    address = "ارومیه، خیابان امام، کوچه ۱۲"
    area_m2 = 150
    land_use = LandUse.RESIDENTIAL
    building_status = BuildingStatus.COMPLETED


class InquiryFactory(factory.django.DjangoModelFactory):
    """A submitted transfer inquiry by a citizen, with its first event. ``applicant=user`` files for
    that citizen; ``district_number=3`` puts it in district 3."""

    class Meta:
        model = Inquiry
        exclude = ("applicant", "district_number")
        skip_postgeneration_save = True

    applicant = factory.SubFactory(CitizenFactory)
    district_number = 1
    kind = InquiryKind.TRANSFER
    status = InquiryStatus.SUBMITTED
    channel = Channel.WEB
    district = factory.LazyAttribute(lambda o: district(o.district_number))
    property = factory.LazyAttribute(
        lambda o: PropertyFactory(
            district=o.district,
            renovation_code=f"{o.district_number}-{uuid.uuid4().int % 999}-"
            f"{uuid.uuid4().int % 9999}-1-0-0-0",
        )
    )
    property_declared = factory.LazyAttribute(lambda o: {"address": o.property.address})
    applicant_national_id = factory.LazyAttribute(lambda o: o.applicant.national_id)
    applicant_first_name = factory.LazyAttribute(lambda o: o.applicant.first_name or "نرگس")
    applicant_last_name = factory.LazyAttribute(lambda o: o.applicant.last_name or "احمدی")
    applicant_mobile = factory.LazyAttribute(lambda o: o.applicant.mobile)
    applicant_relation = ApplicantRelation.OWNER
    filed_by = factory.LazyAttribute(lambda o: o.applicant)
    submission_key = factory.LazyFunction(uuid.uuid4)
    submitted_at = factory.LazyFunction(timezone.now)
    tracking_code = factory.LazyFunction(tracking_code_new)

    @factory.post_generation
    def details(obj, create, extracted, **kwargs):
        if create and obj.kind == InquiryKind.TRANSFER:
            TransferDetails.objects.create(
                inquiry=obj,
                transaction_type=TransactionType.SALE,
                seller_national_id=obj.applicant_national_id,
                seller_name=obj.applicant_name(),
            )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Saved as the filing service saves it: the queue counts and the reports count it."""
        inquiry = super()._create(model_class, *args, **kwargs)
        summaries.record(None, summaries.Snapshot.of(inquiry))
        return inquiry

    @factory.post_generation
    def first_event(obj, create, extracted, **kwargs):
        if create:
            InquiryEvent.objects.create(
                inquiry=obj,
                action=Action.SUBMIT,
                from_status="",
                to_status=InquiryStatus.SUBMITTED,
                actor=obj.filed_by,
                channel=obj.channel,
            )

    class Params:
        in_review = factory.Trait(status=InquiryStatus.IN_REVIEW)
        needs_info = factory.Trait(status=InquiryStatus.NEEDS_INFO)


def png_upload(name: str = "deed.png") -> InspectedUpload:
    """A real, inspected PNG as the upload inspector would return it."""
    import hashlib

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    content = buffer.getvalue()
    return InspectedUpload(
        content=content,
        content_type="image/png",
        extension=".png",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=name,
    )


def png_bytes() -> bytes:
    return png_upload().content


def complete_draft(owner, *, kind=InquiryKind.TRANSFER, renovation_code="1-3-45-12-0-0-0"):
    """A draft with every step filled in and its required documents, ready to submit."""
    from inquiries import services
    from inquiries.models.choices import DocumentKind

    draft = InquiryDraft.objects.create(owner=owner, kind=kind, channel=Channel.WEB)
    details = {
        InquiryKind.TRANSFER: {
            "transaction_type": TransactionType.SALE,
            "seller_national_id": owner.national_id,
            "seller_name": "نرگس احمدی",
            "buyer_national_id": valid_national_id(seed=7),
            "buyer_name": "بهرام رضایی",
            "notary_office_number": 12,
            "notes": "",
        },
        InquiryKind.BANK: {
            "bank": "melli",
            "branch_name": "شعبه مرکزی ارومیه",
            "branch_code": "1234",
            "facility_type": "mortgage",
            "letter_number": "45/1234",
            "letter_date": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
            "notes": "",
        },
        InquiryKind.AGENCY: {
            "agency_type": "court",
            "agency_name": "دادگستری ارومیه، شعبه ۵",
            "letter_number": "9901/22",
            "letter_date": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
            "subject": "استعلام وضعیت ملک برای پرونده",
            "notes": "",
        },
    }[kind]
    draft.data = {
        "property": {
            "renovation_code": renovation_code,
            "plate_main": 56,
            "plate_sub": 1234,
            "registration_section": 2,
            "address": "ارومیه، خیابان امام، کوچه ۱۲",
            "area_m2": "150.50",
            "land_use": LandUse.RESIDENTIAL,
            "building_status": BuildingStatus.COMPLETED,
        },
        "applicant": {
            "national_id": owner.national_id,
            "mobile": owner.mobile,
            "first_name": "نرگس",
            "last_name": "احمدی",
            "relation": ApplicantRelation.OWNER,
            "owner_national_id": "",
            "owner_name": "",
        },
        "details": details,
    }
    draft.save()
    services.draft_attachment_add(
        actor=owner, draft=draft, kind=DocumentKind.DEED, upload=png_upload()
    )
    if kind == InquiryKind.BANK:
        services.draft_attachment_add(
            actor=owner, draft=draft, kind=DocumentKind.BANK_LETTER, upload=png_upload("l.png")
        )
    if kind == InquiryKind.AGENCY:
        services.draft_attachment_add(
            actor=owner, draft=draft, kind=DocumentKind.AGENCY_LETTER, upload=png_upload("l.png")
        )
    return draft
