"""What the API answers, and (for the schema) what it takes. Input is checked by the web's own forms
(``api.services``); the request serializers below only describe it in the OpenAPI schema."""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
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

from .models import DeliveryState
from .webhooks import EVENT_TYPES

# --- errors ---------------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Error code for programs (English)"))
    message = serializers.CharField(help_text=_("Error message in Persian"))
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Errors per field: field name → list of messages"),
    )


# --- answers ----------------------------------------------------------------------------------------


class DueSerializer(serializers.Serializer):
    title = serializers.CharField(help_text=_("Title of the due"))
    amount_rials = serializers.IntegerField(help_text=_("Amount in rials"))


class AnswerSerializer(serializers.Serializer):
    letter_number = serializers.CharField(help_text=_("Letter number of the answer"))
    verification_code = serializers.CharField(help_text=_("Verification code"))
    status = serializers.ChoiceField(
        choices=AnswerStatus.choices, help_text=_("Status of the answer")
    )
    decision = serializers.ChoiceField(choices=AnswerDecision.choices, help_text=_("Decision"))
    decision_label = serializers.CharField(help_text=_("Decision in Persian"))
    reason = serializers.CharField(
        allow_blank=True, help_text=_("Reason (for “cannot be answered”)")
    )
    conditions = serializers.CharField(allow_blank=True, help_text=_("Conditions"))
    building_status = serializers.CharField(allow_blank=True, help_text=_("Building status"))
    certificate_type = serializers.CharField(help_text=_("Certificate type"))
    certificate_number = serializers.CharField(allow_blank=True, help_text=_("Certificate number"))
    certificate_date = serializers.DateField(
        allow_null=True, help_text=_("Certificate date (Gregorian)")
    )
    land_use_plan = serializers.CharField(
        allow_blank=True, help_text=_("Land use in the detailed plan")
    )
    road_widening = serializers.CharField(allow_blank=True, help_text=_("Road widening"))
    road_widening_note = serializers.CharField(
        allow_blank=True, help_text=_("Road widening details")
    )
    dues = DueSerializer(many=True, help_text=_("Lines of dues"))
    dues_total_rials = serializers.IntegerField(help_text=_("Dues in total, in rials"))
    bill_id = serializers.CharField(allow_blank=True, help_text=_("Bill ID"))
    payment_id = serializers.CharField(allow_blank=True, help_text=_("Payment ID"))
    signed_at = serializers.DateTimeField(help_text=_("Signed at"))
    valid_until = serializers.DateField(allow_null=True, help_text=_("Valid until (Gregorian)"))
    pdf_sha256 = serializers.CharField(allow_blank=True, help_text=_("SHA-256 of the PDF"))
    pdf_ready = serializers.BooleanField(
        help_text=_("Whether the PDF is ready (the answer.pdf_ready webhook says when it is)")
    )

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

    action = serializers.ChoiceField(choices=Action.choices, help_text=_("Event"))
    action_label = serializers.CharField(help_text=_("Event in Persian"))
    from_status = serializers.CharField(allow_blank=True, help_text=_("From status"))
    to_status = serializers.ChoiceField(choices=InquiryStatus.choices, help_text=_("To status"))
    at = serializers.DateTimeField(help_text=_("When"))

    def to_representation(self, event: InquiryEvent) -> dict:
        return {
            "action": event.action,
            "action_label": event.title(),
            "from_status": event.from_status,
            "to_status": event.to_status,
            "at": event.created_at.isoformat(),
        }


class InfoRequestSerializer(serializers.Serializer):
    reasons = serializers.ListField(child=serializers.CharField(), help_text=_("Standard reasons"))
    note = serializers.CharField(allow_blank=True, help_text=_("The district's note"))
    at = serializers.DateTimeField(help_text=_("When it was asked"))

    def to_representation(self, request: InfoRequest) -> dict:
        return {
            "reasons": [reason.title for reason in request.reasons.all()],
            "note": request.note,
            "at": request.created_at.isoformat(),
        }


class InquirySummarySerializer(serializers.Serializer):
    tracking_code = serializers.CharField(help_text=_("Tracking code"))
    kind = serializers.CharField(help_text=_("Kind of inquiry"))
    status = serializers.ChoiceField(choices=InquiryStatus.choices, help_text=_("Status"))
    status_label = serializers.CharField(help_text=_("Status in Persian"))
    channel = serializers.ChoiceField(
        choices=Channel.choices, help_text=_("Channel it came in through")
    )
    district = serializers.IntegerField(help_text=_("District number"))
    renovation_code = serializers.CharField(help_text=_("Renovation code"))
    letter_number = serializers.CharField(
        allow_blank=True, help_text=_("The institution's letter number")
    )
    letter_date = serializers.DateField(
        allow_null=True, help_text=_("The institution's letter date (Gregorian)")
    )
    submitted_at = serializers.DateTimeField(help_text=_("Filed at"))
    updated_at = serializers.DateTimeField(help_text=_("Last changed at"))
    due_date = serializers.DateField(
        allow_null=True, help_text=_("Due date of the answer (Gregorian)")
    )
    answered = serializers.BooleanField(help_text=_("Whether it has a signed answer"))

    def to_representation(self, inquiry: Inquiry) -> dict:
        # The requesting institution's letter: every kind carries one (a transfer filed before it
        # was asked for, or by a citizen, has none: "" and null).
        details = inquiry.details()
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
    history = EventSerializer(many=True, help_text=_("History"))
    info_requests = InfoRequestSerializer(many=True, help_text=_("Requests for more information"))

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
        allow_null=True, help_text=_("For the next page; null on the last page")
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
    result = serializers.ChoiceField(choices=VerificationResult.choices, help_text=_("Decision"))
    result_label = serializers.CharField(help_text=_("Decision in Persian"))
    answer = VerdictAnswerSerializer(allow_null=True, help_text=_("The answer that was checked"))
    in_force = VerdictAnswerSerializer(
        allow_null=True,
        help_text=_("The answer in force now, if this one was superseded or revoked"),
    )


# --- requests (for the schema) --------------------------------------------------------------------


def _documents() -> dict:
    return {
        kind: serializers.FileField(
            required=False, help_text=format_lazy("{}: {}", _("Document"), label)
        )
        for kind, label in DocumentKind.choices
    }


class FilingRequestSerializer(serializers.Serializer):
    renovation_code = serializers.CharField(help_text=_("Renovation code, like 1-3-45-12-0-0-0"))
    plate_main = serializers.IntegerField(help_text=_("Main plate"))
    plate_sub = serializers.IntegerField(required=False, help_text=_("Sub-plate"))
    registration_section = serializers.IntegerField(help_text=_("Registration section"))
    address = serializers.CharField(help_text=_("Address"))
    area_m2 = serializers.DecimalField(max_digits=10, decimal_places=2, help_text=_("Area"))
    land_use = serializers.ChoiceField(choices=LandUse.choices, help_text=_("Land use"))
    building_status = serializers.ChoiceField(choices=BuildingStatus.choices, help_text=_("Status"))
    national_id = serializers.CharField(help_text=_("Applicant's national ID"))
    mobile = serializers.CharField(help_text=_("Applicant's mobile"))
    first_name = serializers.CharField(help_text=_("Applicant's first name"))
    last_name = serializers.CharField(help_text=_("Applicant's last name"))
    relation = serializers.ChoiceField(
        choices=ApplicantRelation.choices, help_text=_("Relation to the property")
    )
    owner_national_id = serializers.CharField(
        required=False, help_text=_("Owner's national ID (attorney)")
    )
    owner_name = serializers.CharField(required=False, help_text=_("Owner's name (attorney)"))
    letter_number = serializers.CharField(
        help_text=_(
            "The institution's letter number (every kind: bank, court, land registry, notary)"
        )
    )
    letter_date = serializers.CharField(
        help_text=_("The institution's letter date, Jalali: 1404/09/12 (not in the future)")
    )
    branch_code = serializers.CharField(required=False, help_text=_("Branch code (bank)"))
    facility_type = serializers.ChoiceField(
        choices=FacilityType.choices, required=False, help_text=_("Facility type (bank)")
    )
    subject = serializers.CharField(required=False, help_text=_("Subject (court, land registry)"))
    transaction_type = serializers.ChoiceField(
        choices=TransactionType.choices, required=False, help_text=_("Transaction type (notary)")
    )
    seller_national_id = serializers.CharField(required=False, help_text=_("Seller's national ID"))
    seller_name = serializers.CharField(required=False, help_text=_("Seller's name"))
    buyer_national_id = serializers.CharField(required=False, help_text=_("Buyer's national ID"))
    buyer_name = serializers.CharField(required=False, help_text=_("Buyer's name"))
    notes = serializers.CharField(required=False, help_text=_("Notes for the district"))

    def get_fields(self):
        return {**super().get_fields(), **_documents()}


class InfoAnswerRequestSerializer(serializers.Serializer):
    note = serializers.CharField(help_text=_("Answer to the district's request"))

    def get_fields(self):
        return {**super().get_fields(), **_documents()}


# --- webhooks -------------------------------------------------------------------------------------


class WebhookSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("ID"))
    url = serializers.URLField(help_text=_("Receiver's address"))
    is_active = serializers.BooleanField(help_text=_("Active"))
    created_at = serializers.DateTimeField(help_text=_("Filed at"))

    def to_representation(self, endpoint) -> dict:
        return {
            "id": endpoint.pk,
            "url": endpoint.url,
            "is_active": endpoint.is_active,
            "created_at": endpoint.created_at.isoformat(),
        }


class WebhookCreatedSerializer(WebhookSerializer):
    secret = serializers.CharField(help_text=_("Signing secret; shown only this once"))

    def to_representation(self, endpoint) -> dict:
        return {**super().to_representation(endpoint), "secret": endpoint.secret}


class WebhookRequestSerializer(serializers.Serializer):
    url = serializers.URLField(help_text=_("Receiver's address (https)"))


class DeliverySerializer(serializers.Serializer):
    event_id = serializers.UUIDField(help_text=_("Event ID"))
    type = serializers.ChoiceField(
        choices=[(t, t) for t in EVENT_TYPES],
        help_text=_("Event type: inquiry.status_changed, inquiry.answered or answer.pdf_ready"),
    )
    webhook = serializers.IntegerField(help_text=_("Webhook ID"))
    created_at = serializers.DateTimeField(help_text=_("When the event happened"))
    attempts = serializers.IntegerField(help_text=_("Number of attempts"))
    last_status = serializers.IntegerField(
        allow_null=True, help_text=_("The receiver's last answer")
    )
    state = serializers.ChoiceField(
        choices=DeliveryState.choices,
        help_text=_(
            "delivered; owed (still being tried, with backoff); given_up (after the last attempt: "
            "kept, and sent again only if the municipality's ICT organisation sends it again)"
        ),
    )
    delivered_at = serializers.DateTimeField(allow_null=True, help_text=_("Delivered at"))
    next_attempt_at = serializers.DateTimeField(
        allow_null=True, help_text=_("Next attempt (only while owed)")
    )
    given_up_at = serializers.DateTimeField(allow_null=True, help_text=_("Given up at"))

    def to_representation(self, delivery) -> dict:
        state = delivery.state()
        return {
            "event_id": str(delivery.event_id),
            "type": delivery.event_type,
            "webhook": delivery.endpoint_id,
            "created_at": delivery.created_at.isoformat(),
            "attempts": delivery.attempts,
            "last_status": delivery.last_status,
            "state": state,
            "delivered_at": _iso(delivery.delivered_at),
            "next_attempt_at": (
                delivery.next_attempt_at.isoformat() if state == DeliveryState.OWED else None
            ),
            "given_up_at": _iso(delivery.given_up_at),
        }
