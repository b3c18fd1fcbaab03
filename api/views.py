"""The institution API, version 1. Thin views: authenticate (``api.auth``), read through the
project's selectors (``inquiries_visible_to`` decides what an institution sees: what its system
filed), write through the services, answer in one shape (``api.errors``). Every call leaves an
``ApiCall`` row."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import parsers, renderers
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from inquiries.models import Answer, Inquiry
from inquiries.models.verification import VerificationResult
from inquiries.selectors import inquiries_visible_to, inquiry_get_for
from inquiries.services import answer_current
from inquiries.verification import (
    CODE_LENGTH,
    verification_code_normalize,
    verify_by_code,
    verify_by_pdf,
)
from shahrvand.http import attachment_response
from shahrvand.ratelimit import client_ip

from . import serializers as s
from . import webhooks
from .auth import ApiKeyAuthentication, ClientThrottle, HasScope, credential_of
from .errors import ApiError, invalid
from .models import Scope
from .services import api_call_record, inquiry_answer_request, inquiry_file

ERRORS = {
    code: OpenApiResponse(s.ErrorSerializer, description=text)
    for code, text in (
        (400, gettext_lazy("Invalid input")),
        (401, gettext_lazy("API key wrong or missing")),
        (403, gettext_lazy("The key lacks this scope")),
        (404, gettext_lazy("Not found")),
        (422, gettext_lazy("Request refused")),
        (429, gettext_lazy("Too many requests")),
    )
}
IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_.:-]{8,100}", re.ASCII)
PAGE_DEFAULT, PAGE_MAX = 50, 100
TRACKING_CODE = OpenApiParameter(
    "tracking_code",
    str,
    OpenApiParameter.PATH,
    pattern=r"^[A-Za-z0-9-]{1,20}$",
    description=gettext_lazy("The inquiry's tracking code (9 characters; a hyphen is optional)"),
)


class JsonAlways(DefaultContentNegotiation):
    """The API answers JSON (the PDF endpoint: the file itself, or an error in JSON), whatever
    ``Accept`` says: an unusual header never turns an answer into a 406."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ApiView(APIView):
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasScope]
    throttle_classes = [ClientThrottle]
    renderer_classes = [renderers.JSONRenderer]
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]
    required_scope = Scope.READ
    public = False
    # OPTIONS describes nothing beyond the schema: it is a 405 like any other method not listed.
    metadata_class = None
    content_negotiation_class = JsonAlways

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        result = (
            data.get("code", "ok")
            if isinstance(data, dict) and response.status_code >= 400
            else "ok"
        )
        ip = client_ip(request)
        api_call_record(
            credential=credential_of(request),
            method=request.method,
            endpoint=request.resolver_match.url_name if request.resolver_match else request.path,
            status_code=response.status_code,
            result=str(result),
            ip=None if ip == "unknown" else ip,
        )
        response["Cache-Control"] = "no-store"
        return response


def _own_inquiry(request, tracking_code: str) -> Inquiry:
    """The institution's own inquiry (what its system filed), else 404: another institution's
    inquiry and one that does not exist look the same."""
    return inquiry_get_for(request.user, tracking_code)


# --- inquiries ------------------------------------------------------------------------------------


def _cursor_encode(inquiry: Inquiry) -> str:
    raw = f"{inquiry.updated_at.isoformat()}|{inquiry.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _cursor_decode(value: str) -> tuple[dt.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        when, pk = raw.split("|")
        parsed = parse_datetime(when)
        if parsed is None or not re.fullmatch(r"[0-9]{1,19}", pk, re.ASCII):
            raise ValueError
        return parsed, int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise invalid({"cursor": [_("This cursor is not one this API gave.")]}) from None


def _since(value: str) -> dt.datetime:
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise invalid({"updated_since": [_("Give a date and time like 2026-01-31T08:00:00Z.")]})
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.UTC)
    return parsed


def _limit(value: str | None) -> int:
    if value is None:
        return PAGE_DEFAULT
    if not re.fullmatch(r"[0-9]{1,3}", value, re.ASCII) or not 1 <= int(value) <= PAGE_MAX:
        raise invalid({"limit": [_("Give a number from 1 to 100.")]})
    return int(value)


class InquiriesView(ApiView):
    parser_classes = [parsers.MultiPartParser]

    @property
    def required_scope(self):
        return Scope.FILE if self.request.method == "POST" else Scope.READ

    @extend_schema(
        operation_id="inquiries_list",
        summary=gettext_lazy("The institution's inquiries"),
        description=(
            gettext_lazy(
                "The inquiries this institution's system filed, in the order of their last change "
                "(oldest first), paged by a cursor. With updated_since, only what changed after that "
                "moment."
            )
        ),
        parameters=[
            OpenApiParameter(
                "updated_since", OpenApiTypes.DATETIME, description=gettext_lazy("Changed after")
            ),
            OpenApiParameter(
                "cursor", str, description=gettext_lazy("From the previous page's next_cursor")
            ),
            OpenApiParameter(
                "limit", int, description=gettext_lazy("Page size, 1 to 100 (default 50)")
            ),
        ],
        responses={200: s.InquiryPageSerializer, **ERRORS},
    )
    def get(self, request):
        params = request.query_params
        rows = inquiries_visible_to(request.user).select_related(
            "district", "property", "transfer", "bank", "agency"
        )
        if params.get("updated_since") is not None:
            rows = rows.filter(updated_at__gt=_since(params["updated_since"]))
        if params.get("cursor") is not None:
            when, pk = _cursor_decode(params["cursor"])
            rows = rows.filter(Q(updated_at__gt=when) | Q(updated_at=when, pk__gt=pk))
        limit = _limit(params.get("limit"))
        page = list(rows.order_by("updated_at", "pk")[: limit + 1])
        more = len(page) > limit
        page = page[:limit]
        return Response(
            {
                "results": [s.InquirySummarySerializer().to_representation(i) for i in page],
                "next_cursor": _cursor_encode(page[-1]) if more else None,
            }
        )

    @extend_schema(
        operation_id="inquiries_file",
        summary=gettext_lazy("File an inquiry"),
        description=(
            gettext_lazy(
                "File an inquiry of the institution's kind (bank: bank inquiry; court and land "
                "registry: agency inquiry; notary: transfer inquiry) with the web form's checks: "
                "district online, identifiers, documents. An Idempotency-Key header is required: the "
                "same request again with the same key returns the same inquiry."
            )
        ),
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                required=True,
                pattern="^[A-Za-z0-9_.:-]{8,100}$",
                description=gettext_lazy(
                    "A unique key for this filing, 8 to 100 characters (Latin letters and digits, - _ . :)"
                ),
            )
        ],
        request={"multipart/form-data": s.FilingRequestSerializer},
        responses={201: s.InquirySerializer, **ERRORS},
    )
    def post(self, request):
        key = request.headers.get("Idempotency-Key", "")
        if not IDEMPOTENCY_KEY.fullmatch(key):
            raise ApiError(
                "idempotency_key_missing",
                _("Send an Idempotency-Key header of 8 to 100 Latin letters, digits or - _ . :"),
                http_status=400,
            )
        institution = request.user.institution
        inquiry, replayed = inquiry_file(
            institution=institution, idempotency_key=key, data=request.data, files=request.FILES
        )
        response = Response(s.InquirySerializer().to_representation(inquiry), status=201)
        if replayed:
            response["Idempotent-Replayed"] = "true"
        return response


class InquiryView(ApiView):
    @extend_schema(
        operation_id="inquiries_read",
        parameters=[TRACKING_CODE],
        summary=gettext_lazy("One of the institution's inquiries"),
        description=gettext_lazy(
            "Status, due date, history (without staff names) and requests for more information."
        ),
        responses={200: s.InquirySerializer, **ERRORS},
    )
    def get(self, request, tracking_code: str):
        inquiry = _own_inquiry(request, tracking_code)
        return Response(s.InquirySerializer().to_representation(inquiry))


class InfoAnswerView(ApiView):
    required_scope = Scope.FILE
    parser_classes = [parsers.MultiPartParser]

    @extend_schema(
        operation_id="inquiries_answer_info_request",
        parameters=[TRACKING_CODE],
        summary=gettext_lazy("Answer a request for more information"),
        description=gettext_lazy(
            "A note and at least one document; the inquiry goes back to the district's queue."
        ),
        request={"multipart/form-data": s.InfoAnswerRequestSerializer},
        responses={200: s.InquirySerializer, **ERRORS},
    )
    def post(self, request, tracking_code: str):
        inquiry = _own_inquiry(request, tracking_code)
        inquiry = inquiry_answer_request(
            institution=request.user.institution,
            inquiry=inquiry,
            data=request.data,
            files=request.FILES,
        )
        return Response(s.InquirySerializer().to_representation(inquiry))


def _answer_of(request, tracking_code: str) -> Answer:
    answer = answer_current(_own_inquiry(request, tracking_code))
    if answer is None:
        raise ApiError(
            "no_answer", _("This inquiry has no signed answer in force."), http_status=404
        )
    return answer


class AnswerView(ApiView):
    @extend_schema(
        operation_id="inquiries_answer",
        parameters=[TRACKING_CODE],
        summary=gettext_lazy("The signed answer (JSON)"),
        description=gettext_lazy(
            "Decision, conditions, dues, bill and payment IDs, validity, letter number and verification code."
        ),
        responses={200: s.AnswerSerializer, **ERRORS},
    )
    def get(self, request, tracking_code: str):
        return Response(s.AnswerSerializer().to_representation(_answer_of(request, tracking_code)))


# How long a caller told "pdf_not_ready" waits before asking again (rendering takes seconds; the
# answer.pdf_ready webhook says when it is there).
PDF_RETRY_AFTER_SECONDS = 30


class AnswerPdfView(ApiView):
    @extend_schema(
        operation_id="inquiries_answer_pdf",
        parameters=[
            TRACKING_CODE,
            OpenApiParameter(
                "Retry-After",
                int,
                OpenApiParameter.HEADER,
                response=[409],
                description=gettext_lazy("Seconds to wait before asking again"),
            ),
        ],
        summary=gettext_lazy("The signed answer (PDF)"),
        description=gettext_lazy(
            "The official PDF of the answer in force. It is rendered shortly after the answer is "
            "signed, so the inquiry.answered webhook may come before it: until it is stored this "
            "answers 409 with the code pdf_not_ready and a Retry-After header; the answer.pdf_ready "
            "webhook says when it is there (the JSON answer's pdf_ready says it too)."
        ),
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            **ERRORS,
            409: OpenApiResponse(
                s.ErrorSerializer,
                description=gettext_lazy(
                    "pdf_not_ready: the answer is signed but its PDF is not rendered yet"
                ),
            ),
        },
    )
    def get(self, request, tracking_code: str):
        answer = _answer_of(request, tracking_code)
        if not answer.pdf:
            raise ApiError(
                "pdf_not_ready",
                _("The PDF of the answer is being prepared; try again in a few seconds."),
                http_status=409,
                headers={"Retry-After": str(PDF_RETRY_AFTER_SECONDS)},
            )
        name = f"answer-{answer.inquiry.tracking_code}-{answer.verification_code}.pdf"
        return attachment_response(answer.pdf, filename=name, content_type="application/pdf")


# --- verification ---------------------------------------------------------------------------------

SHA256 = re.compile(r"[0-9a-f]{64}", re.ASCII)


class VerifyView(ApiView):
    required_scope = Scope.VERIFY
    public = True

    @extend_schema(
        operation_id="verify",
        summary=gettext_lazy("Verify an answer"),
        description=(
            gettext_lazy(
                "By verification code (code) or by the SHA-256 of the PDF (sha256), one of the two. "
                "The same verdict as the /verify/ page. Works without a key (limited per address); "
                "with a key, it needs the verify scope."
            )
        ),
        auth=[{"apiKey": []}, {}],
        parameters=[
            OpenApiParameter(
                "code",
                str,
                pattern="^[A-Za-z0-9]{10}$",
                description=gettext_lazy("The 10-character verification code under the QR code"),
            ),
            OpenApiParameter(
                "sha256",
                str,
                pattern="^[0-9a-fA-F]{64}$",
                description=gettext_lazy("SHA-256 of the PDF, 64 hexadecimal digits"),
            ),
        ],
        responses={200: s.VerdictSerializer, **ERRORS},
    )
    def get(self, request):
        code = request.query_params.get("code")
        digest = request.query_params.get("sha256")
        ip = client_ip(request)
        ip = None if ip == "unknown" else ip
        if (code is None) == (digest is None):
            raise invalid({"non_field_errors": [_("Give either code or sha256, not both.")]})
        if code is not None:
            code = verification_code_normalize(code)
            if len(code) != CODE_LENGTH:
                raise invalid({"code": [_("The verification code has 10 letters and digits.")]})
            verdict = verify_by_code(code, ip=ip)
        else:
            digest = digest.strip().lower()
            if not SHA256.fullmatch(digest):
                raise invalid({"sha256": [_("Give the SHA-256 as 64 hexadecimal digits.")]})
            verdict = verify_by_pdf(digest, ip=ip)
        answer_out = s.VerdictAnswerSerializer().to_representation
        return Response(
            {
                "result": verdict.result,
                "result_label": str(VerificationResult(verdict.result).label),
                "answer": answer_out(verdict.answer) if verdict.answer else None,
                "in_force": answer_out(verdict.in_force) if verdict.in_force else None,
            }
        )


@extend_schema(exclude=True)
class NotFoundView(ApiView):
    """Any other address under the API: a 404 in the API's shape, not the site's page."""

    authentication_classes = []
    permission_classes = []
    throttle_classes = []

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise NotFound()

    get = post = put = patch = delete = head = options = http_method_not_allowed


# --- webhooks -------------------------------------------------------------------------------------


class WebhooksView(ApiView):
    required_scope = Scope.WEBHOOKS
    parser_classes = [parsers.JSONParser, parsers.FormParser, parsers.MultiPartParser]

    @extend_schema(
        operation_id="webhooks_list",
        summary=gettext_lazy("The institution's webhooks"),
        responses={200: s.WebhookSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        rows = request.user.institution.webhooks.all()
        return Response([s.WebhookSerializer().to_representation(w) for w in rows])

    @extend_schema(
        operation_id="webhooks_register",
        summary=gettext_lazy("Register a webhook"),
        description=(
            gettext_lazy(
                "The address that the events of the institution's inquiries are posted to as JSON "
                '{"id", "type", "data"}: inquiry.status_changed, inquiry.answered (the answer signed '
                "or corrected) and answer.pdf_ready (its PDF stored: the PDF endpoint serves it now). "
                "Signed with HMAC-SHA256 (headers Shahrvand-Timestamp and Shahrvand-Signature); "
                "Shahrvand-Event-Id tells a repeated delivery from a new event. A receiver answers "
                "2xx; otherwise the event is posted again with growing waits (30 seconds up to an "
                "hour) for about a day, then given up (the delivery log says so). The signing secret "
                "is returned only this once."
            )
        ),
        request=s.WebhookRequestSerializer,
        responses={201: s.WebhookCreatedSerializer, **ERRORS},
    )
    def post(self, request):
        data = request.data if isinstance(request.data, dict) else {}
        url = data.get("url")
        if not isinstance(url, str) or not url.strip():
            raise invalid({"url": [_("Give the receiver's address.")]})
        try:
            endpoint = webhooks.endpoint_create(
                institution=request.user.institution, url=url.strip()
            )
        except ValidationError as error:
            fields = error.message_dict if hasattr(error, "error_dict") else {}
            raise invalid(
                {name: [str(m) for m in messages] for name, messages in fields.items()}
            ) from None
        return Response(s.WebhookCreatedSerializer().to_representation(endpoint), status=201)


class WebhookView(ApiView):
    required_scope = Scope.WEBHOOKS

    @extend_schema(
        operation_id="webhooks_remove",
        summary=gettext_lazy("Remove a webhook"),
        description=gettext_lazy("Nothing more is posted to this address."),
        responses={204: None, **ERRORS},
    )
    def delete(self, request, webhook_id: int):
        endpoint = request.user.institution.webhooks.filter(pk=webhook_id, is_active=True).first()
        if endpoint is None:
            raise NotFound()
        webhooks.endpoint_deactivate(institution=request.user.institution, endpoint=endpoint)
        return Response(status=204)


class DeliveriesView(ApiView):
    required_scope = Scope.WEBHOOKS

    @extend_schema(
        operation_id="webhooks_deliveries",
        summary=gettext_lazy("Webhook delivery log"),
        description=gettext_lazy(
            "The last 50 deliveries, newest first, each with its state: delivered, owed (still "
            "being tried; next_attempt_at says when) or given_up (after the last attempt, about a "
            "day after the event; kept, and posted again only if the municipality sends it again)."
        ),
        responses={200: s.DeliverySerializer(many=True), **ERRORS},
    )
    def get(self, request):
        rows = request.user.institution.webhook_deliveries.all()[:50]
        return Response([s.DeliverySerializer().to_representation(d) for d in rows])
