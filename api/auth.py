"""Who calls: an API key in ``Authorization: Bearer shv_…``; what it may do: its scopes; how often:
the project's fixed-window counters (``shahrvand.ratelimit``), per client."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from inquiries.views.answers import VERIFY_SCOPE
from shahrvand.ratelimit import client_ip, rate_limit_hit

from .models import ApiCredential
from .services import credential_authenticate

CLIENT_SCOPE = "api-client"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """``request.user`` is the institution's account, ``request.auth`` the credential."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        kind, _, key = header.partition(" ")
        if kind.lower() != "bearer" or not key.strip():
            raise exceptions.AuthenticationFailed()
        credential = credential_authenticate(key.strip())
        if credential is None:
            raise exceptions.AuthenticationFailed()
        return credential.institution.account, credential

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": _("The institution's API key: Authorization: Bearer shv_…"),
        }


def credential_of(request) -> ApiCredential | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiCredential) else None


class HasScope(permissions.BasePermission):
    """The view's ``required_scope`` must be among the credential's scopes. A view with
    ``public = True`` is open without a key too (a key, if sent, still needs the scope)."""

    def has_permission(self, request, view) -> bool:
        credential = credential_of(request)
        if credential is None:
            if getattr(view, "public", False):
                return True
            raise exceptions.NotAuthenticated()
        return view.required_scope in credential.scopes


class ClientThrottle(throttling.BaseThrottle):
    """Per credential (``API_CALLS_PER_CLIENT`` a window); an anonymous caller of a public endpoint
    (verification) shares the public verification page's counter per address."""

    def allow_request(self, request, view) -> bool:
        credential = credential_of(request)
        if credential is not None:
            limit = rate_limit_hit(
                CLIENT_SCOPE,
                credential.prefix,
                limit=settings.API_CALLS_PER_CLIENT,
                window=settings.API_CALLS_WINDOW_SECONDS,
            )
        else:
            limit = rate_limit_hit(
                VERIFY_SCOPE,
                client_ip(request),
                limit=settings.VERIFY_LOOKUPS_PER_IP,
                window=settings.VERIFY_LOOKUPS_WINDOW_SECONDS,
            )
        self._wait = limit.retry_after
        return limit.allowed

    def wait(self):
        return self._wait or None
