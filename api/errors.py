"""Every error of the API in one shape: ``{"code": ..., "message": ..., "fields": {...}}``, the
message in Persian (the reader's language), the field names in English."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from inquiries.services import InquiryError


class ApiError(exceptions.APIException):
    """A refusal with a code the caller's program reads and a message its people read."""

    def __init__(self, code: str, message, *, http_status: int = 422, fields=None, headers=None):
        super().__init__(detail=str(message), code=code)
        self.status_code = http_status
        self.code = code
        self.message = str(message)
        self.fields = fields or {}
        self.headers = headers or {}


def form_errors(form) -> dict[str, list[str]]:
    """A Django form's errors as ``fields`` (``__all__`` becomes ``non_field_errors``)."""
    return {
        ("non_field_errors" if name == "__all__" else name): [str(m) for m in messages]
        for name, messages in form.errors.items()
    }


def invalid(fields: dict[str, list[str]]) -> ApiError:
    return ApiError(
        "invalid", _("Some fields are not valid; see “fields”."), http_status=400, fields=fields
    )


def _generic(exc: exceptions.APIException) -> tuple[str, str]:
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return "unauthenticated", _("A valid API key is needed (Authorization: Bearer …).")
    if isinstance(exc, exceptions.PermissionDenied):
        return "forbidden", _("This API key may not do that.")
    if isinstance(exc, exceptions.NotFound):
        return "not_found", _("Not found.")
    if isinstance(exc, exceptions.Throttled):
        return "throttled", _("Too many requests. Please try again in %(seconds)s seconds.") % {
            "seconds": (exc.wait and int(exc.wait + 0.999)) or 1
        }
    if isinstance(exc, exceptions.MethodNotAllowed):
        return "method_not_allowed", _("This method is not allowed here.")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return "unsupported_media_type", _("This content type is not accepted here.")
    if isinstance(exc, exceptions.NotAcceptable):
        return "not_acceptable", _("This response format is not available.")
    return "invalid", _("The request could not be read.")


def api_exception_handler(exc, context):
    if isinstance(exc, InquiryError):
        exc = ApiError(exc.code, exc.message, http_status=422)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, ApiError):
        return Response(_body(exc), status=exc.status_code, headers=exc.headers)
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        fields = {
            name: [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])]
            for name, msgs in detail.items()
        }
        return Response(_body(invalid(fields)), status=400)
    response = exception_handler(exc, context)
    if response is None:
        return None
    code, message = _generic(exc)
    response.data = {"code": code, "message": message, "fields": {}}
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        response.status_code = status.HTTP_401_UNAUTHORIZED
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _body(error: ApiError) -> dict:
    return {"code": error.code, "message": error.message, "fields": error.fields}
