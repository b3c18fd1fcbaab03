"""What the API answers, and (for the schema) what it takes. Input is checked by the web's own forms
(``api.services``); the request serializers below only describe it in the OpenAPI schema."""

from __future__ import annotations

from rest_framework import serializers

from inquiries.models import Answer, InfoRequest, Inquiry, InquiryEvent
from inquiries.models.answer import AnswerDecision, AnswerStatus
from inquiries.models.choices import (
    ApplicantRelation,
    BuildingStatus,
    DocumentKind,
    FacilityType,
    LandUse,
    TransactionType,
)
from inquiries.models.verification import VerificationResult
from inquiries.workflow import Action, Channel, InquiryStatus

# --- errors ---------------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="کد خطا برای برنامه (انگلیسی)")
    message = serializers.CharField(help_text="پیام خطا به فارسی")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="خطای هر فیلد: نام فیلد ← فهرست پیام‌ها",
    )


# --- answers ----------------------------------------------------------------------------------------


class DueSerializer(serializers.Serializer):
    title = serializers.CharField(help_text="عنوان عوارض")
    amount_rials = serializers.IntegerField(help_text="مبلغ به ریال")


class AnswerSerializer(serializers.Serializer):
    letter_number = serializers.CharField(help_text="شماره نامه پاسخ")
    verification_code = serializers.CharField(help_text="کد بررسی اصالت")
    status = serializers.ChoiceField(choices=AnswerStatus.choices, help_text="وضعیت پاسخ")
    decision = serializers.ChoiceField(choices=AnswerDecision.choices, help_text="نتیجه")
    decision_label = serializers.CharField(help_text="نتیجه به فارسی")
    reason = serializers.CharField(allow_blank=True, help_text="دلیل (برای «قابل پاسخ نیست»)")
    conditions = serializers.CharField(allow_blank=True, help_text="شرایط")
    building_status = serializers.CharField(allow_blank=True, help_text="وضعیت ساختمان")
    certificate_type = serializers.CharField(help_text="نوع گواهی")
    certificate_number = serializers.CharField(allow_blank=True, help_text="شماره گواهی")
    certificate_date = serializers.DateField(allow_null=True, help_text="تاریخ گواهی (میلادی)")
    land_use_plan = serializers.CharField(allow_blank=True, help_text="کاربری در طرح تفصیلی")
    road_widening = serializers.CharField(allow_blank=True, help_text="تعریض معبر")
    road_widening_note = serializers.CharField(allow_blank=True, help_text="توضیح تعریض")
    dues = DueSerializer(many=True, help_text="ردیف‌های عوارض")
    dues_total_rials = serializers.IntegerField(help_text="جمع عوارض به ریال")
    bill_id = serializers.CharField(allow_blank=True, help_text="شناسه قبض")
    payment_id = serializers.CharField(allow_blank=True, help_text="شناسه پرداخت")
    signed_at = serializers.DateTimeField(help_text="زمان امضا")
    valid_until = serializers.DateField(allow_null=True, help_text="اعتبار تا (میلادی)")
    pdf_sha256 = serializers.CharField(allow_blank=True, help_text="SHA-256 فایل PDF")
    pdf_ready = serializers.BooleanField(help_text="آیا PDF آماده است")

    def to_representation(self, answer: Answer) -> dict:
        return {
            "letter_number": answer.letter_number,
            "verification_code": answer.verification_code,
            "status": answer.status,
            "decision": answer.decision,
            "decision_label": str(answer.get_decision_display()),
            "reason": answer.reason,
            "conditions": answer.conditions,
            "building_status": answer.building_status,
            "certificate_type": answer.certificate_type,
            "certificate_number": answer.certificate_number,
            "certificate_date": _iso(answer.certificate_date),
            "land_use_plan": answer.land_use_plan,
            "road_widening": answer.road_widening,
            "road_widening_note": answer.road_widening_note,
            "dues": [{"title": d.title, "amount_rials": d.amount_rials} for d in answer.dues.all()],
            "dues_total_rials": answer.dues_total_rials,
            "bill_id": answer.bill_id,
            "payment_id": answer.payment_id,
            "signed_at": answer.signed_at.isoformat(),
            "valid_until": _iso(answer.valid_until),
            "pdf_sha256": answer.pdf_sha256,
            "pdf_ready": bool(answer.pdf),
        }


def _iso(value):
    return value.isoformat() if value else None


# --- inquiries --------------------------------------------------------------------------------------


class EventSerializer(serializers.Serializer):
    """One line of history: what, when, from which status to which; never who among the staff."""

    action = serializers.ChoiceField(choices=Action.choices, help_text="رویداد")
    action_label = serializers.CharField(help_text="رویداد به فارسی")
    from_status = serializers.CharField(allow_blank=True, help_text="از وضعیت")
    to_status = serializers.ChoiceField(choices=InquiryStatus.choices, help_text="به وضعیت")
    at = serializers.DateTimeField(help_text="زمان")

    def to_representation(self, event: InquiryEvent) -> dict:
        return {
            "action": event.action,
            "action_label": event.title(),
            "from_status": event.from_status,
            "to_status": event.to_status,
            "at": event.created_at.isoformat(),
        }


class InfoRequestSerializer(serializers.Serializer):
    reasons = serializers.ListField(child=serializers.CharField(), help_text="دلایل استاندارد")
    note = serializers.CharField(allow_blank=True, help_text="توضیح منطقه")
    at = serializers.DateTimeField(help_text="زمان درخواست")

    def to_representation(self, request: InfoRequest) -> dict:
        return {
            "reasons": [reason.title for reason in request.reasons.all()],
            "note": request.note,
            "at": request.created_at.isoformat(),
        }


class InquirySummarySerializer(serializers.Serializer):
    tracking_code = serializers.CharField(help_text="کد رهگیری")
    kind = serializers.CharField(help_text="نوع استعلام")
    status = serializers.ChoiceField(choices=InquiryStatus.choices, help_text="وضعیت")
    status_label = serializers.CharField(help_text="وضعیت به فارسی")
    channel = serializers.ChoiceField(choices=Channel.choices, help_text="مسیر ثبت")
    district = serializers.IntegerField(help_text="شماره منطقه")
    renovation_code = serializers.CharField(help_text="کد نوسازی")
    letter_number = serializers.CharField(allow_blank=True, help_text="شماره نامه نهاد")
    letter_date = serializers.DateField(allow_null=True, help_text="تاریخ نامه نهاد (میلادی)")
    submitted_at = serializers.DateTimeField(help_text="زمان ثبت")
    updated_at = serializers.DateTimeField(help_text="آخرین تغییر")
    due_date = serializers.DateField(allow_null=True, help_text="موعد پاسخ (میلادی)")
    answered = serializers.BooleanField(help_text="پاسخ امضاشده دارد")

    def to_representation(self, inquiry: Inquiry) -> dict:
        details = getattr(inquiry, "bank", None) or getattr(inquiry, "agency", None)
        return {
            "tracking_code": inquiry.tracking_code,
            "kind": inquiry.kind,
            "status": inquiry.status,
            "status_label": str(inquiry.get_status_display()),
            "channel": inquiry.channel,
            "district": inquiry.district.number,
            "renovation_code": inquiry.property.renovation_code,
            "letter_number": details.letter_number if details else "",
            "letter_date": _iso(details.letter_date) if details else None,
            "submitted_at": inquiry.submitted_at.isoformat(),
            "updated_at": inquiry.updated_at.isoformat(),
            "due_date": _iso(inquiry.due_date),
            "answered": inquiry.is_answered(),
        }


class InquirySerializer(InquirySummarySerializer):
    history = EventSerializer(many=True, help_text="سابقه")
    info_requests = InfoRequestSerializer(many=True, help_text="درخواست‌های اطلاعات بیشتر")

    def to_representation(self, inquiry: Inquiry) -> dict:
        out = super().to_representation(inquiry)
        out["history"] = [EventSerializer().to_representation(e) for e in inquiry.events.all()]
        out["info_requests"] = [
            InfoRequestSerializer().to_representation(r)
            for r in inquiry.info_requests.prefetch_related("reasons")
        ]
        return out


class InquiryPageSerializer(serializers.Serializer):
    results = InquirySummarySerializer(many=True)
    next_cursor = serializers.CharField(
        allow_null=True, help_text="برای صفحه بعد؛ null یعنی صفحه آخر"
    )


# --- verification -----------------------------------------------------------------------------------


class VerdictAnswerSerializer(serializers.Serializer):
    letter_number = serializers.CharField()
    verification_code = serializers.CharField()
    kind = serializers.CharField()
    district = serializers.IntegerField()
    renovation_code = serializers.CharField()
    decision = serializers.ChoiceField(choices=AnswerDecision.choices)
    signed_at = serializers.DateTimeField()
    valid_until = serializers.DateField(allow_null=True)
    dues_total_rials = serializers.IntegerField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    revoke_reason = serializers.CharField(allow_blank=True)

    def to_representation(self, answer: Answer) -> dict:
        inquiry = answer.inquiry
        return {
            "letter_number": answer.letter_number,
            "verification_code": answer.verification_code,
            "kind": inquiry.kind,
            "district": inquiry.district.number,
            "renovation_code": inquiry.property.renovation_code,
            "decision": answer.decision,
            "signed_at": answer.signed_at.isoformat(),
            "valid_until": _iso(answer.valid_until),
            "dues_total_rials": answer.dues_total_rials,
            "revoked_at": _iso(answer.revoked_at),
            "revoke_reason": answer.revoke_reason,
        }


class VerdictSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=VerificationResult.choices, help_text="نتیجه")
    result_label = serializers.CharField(help_text="نتیجه به فارسی")
    answer = VerdictAnswerSerializer(allow_null=True, help_text="پاسخی که بررسی شد")
    in_force = VerdictAnswerSerializer(
        allow_null=True, help_text="پاسخ معتبر کنونی، اگر این پاسخ جایگزین یا لغو شده"
    )


# --- requests (for the schema) --------------------------------------------------------------------


def _documents() -> dict:
    return {
        kind: serializers.FileField(required=False, help_text=f"سند: {label}")
        for kind, label in DocumentKind.choices
    }


class FilingRequestSerializer(serializers.Serializer):
    renovation_code = serializers.CharField(help_text="کد نوسازی، مانند 1-3-45-12-0-0-0")
    plate_main = serializers.IntegerField(help_text="پلاک اصلی")
    plate_sub = serializers.IntegerField(required=False, help_text="پلاک فرعی")
    registration_section = serializers.IntegerField(help_text="بخش ثبتی")
    address = serializers.CharField(help_text="نشانی")
    area_m2 = serializers.DecimalField(max_digits=10, decimal_places=2, help_text="مساحت")
    land_use = serializers.ChoiceField(choices=LandUse.choices, help_text="کاربری")
    building_status = serializers.ChoiceField(choices=BuildingStatus.choices, help_text="وضعیت")
    national_id = serializers.CharField(help_text="کد ملی متقاضی")
    mobile = serializers.CharField(help_text="تلفن همراه متقاضی")
    first_name = serializers.CharField(help_text="نام متقاضی")
    last_name = serializers.CharField(help_text="نام خانوادگی متقاضی")
    relation = serializers.ChoiceField(choices=ApplicantRelation.choices, help_text="نسبت")
    owner_national_id = serializers.CharField(required=False, help_text="کد ملی مالک (وکیل)")
    owner_name = serializers.CharField(required=False, help_text="نام مالک (وکیل)")
    letter_number = serializers.CharField(
        required=False, help_text="شماره نامه نهاد (بانک، دادگاه)"
    )
    letter_date = serializers.CharField(
        required=False, help_text="تاریخ نامه نهاد، شمسی: 1404/09/12"
    )
    branch_code = serializers.CharField(required=False, help_text="کد شعبه (بانک)")
    facility_type = serializers.ChoiceField(
        choices=FacilityType.choices, required=False, help_text="نوع تسهیلات (بانک)"
    )
    subject = serializers.CharField(required=False, help_text="موضوع (دادگاه، ثبت)")
    transaction_type = serializers.ChoiceField(
        choices=TransactionType.choices, required=False, help_text="نوع معامله (دفترخانه)"
    )
    seller_national_id = serializers.CharField(required=False, help_text="کد ملی فروشنده")
    seller_name = serializers.CharField(required=False, help_text="نام فروشنده")
    buyer_national_id = serializers.CharField(required=False, help_text="کد ملی خریدار")
    buyer_name = serializers.CharField(required=False, help_text="نام خریدار")
    notes = serializers.CharField(required=False, help_text="توضیح برای منطقه")

    def get_fields(self):
        return {**super().get_fields(), **_documents()}


class InfoAnswerRequestSerializer(serializers.Serializer):
    note = serializers.CharField(help_text="پاسخ به درخواست منطقه")

    def get_fields(self):
        return {**super().get_fields(), **_documents()}


# --- webhooks -------------------------------------------------------------------------------------


class WebhookSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="شناسه")
    url = serializers.URLField(help_text="نشانی گیرنده")
    is_active = serializers.BooleanField(help_text="فعال")
    created_at = serializers.DateTimeField(help_text="زمان ثبت")

    def to_representation(self, endpoint) -> dict:
        return {
            "id": endpoint.pk,
            "url": endpoint.url,
            "is_active": endpoint.is_active,
            "created_at": endpoint.created_at.isoformat(),
        }


class WebhookCreatedSerializer(WebhookSerializer):
    secret = serializers.CharField(help_text="راز امضا؛ فقط همین یک بار نشان داده می‌شود")

    def to_representation(self, endpoint) -> dict:
        return {**super().to_representation(endpoint), "secret": endpoint.secret}


class WebhookRequestSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="نشانی گیرنده (https)")


class DeliverySerializer(serializers.Serializer):
    event_id = serializers.UUIDField(help_text="شناسه رویداد")
    type = serializers.CharField(help_text="نوع رویداد")
    webhook = serializers.IntegerField(help_text="شناسه وب‌هوک")
    created_at = serializers.DateTimeField(help_text="زمان رویداد")
    attempts = serializers.IntegerField(help_text="تعداد تلاش")
    last_status = serializers.IntegerField(allow_null=True, help_text="آخرین پاسخ گیرنده")
    delivered_at = serializers.DateTimeField(allow_null=True, help_text="زمان تحویل")

    def to_representation(self, delivery) -> dict:
        return {
            "event_id": str(delivery.event_id),
            "type": delivery.event_type,
            "webhook": delivery.endpoint_id,
            "created_at": delivery.created_at.isoformat(),
            "attempts": delivery.attempts,
            "last_status": delivery.last_status,
            "delivered_at": delivery.delivered_at.isoformat() if delivery.delivered_at else None,
        }
