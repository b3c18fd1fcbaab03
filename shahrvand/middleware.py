from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from .http import safe_next_url


class PersianFirstLocaleMiddleware:
    """Persian unless the person chose another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and most browsers here ask
    for English; the portal is Persian first, so only an explicit choice (the language cookie) counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, settings.LANGUAGE_CODE)
        if language not in self.available:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class HtmxSignInRedirectMiddleware:
    """An htmx request sent to sign-in navigates the whole window there, not the fragment.

    When the session has run out, ``login_required`` (and every decorator built on it) answers a
    302 to the sign-in page. htmx would follow it and swap the sign-in page into the box that asked
    (the answer-PDF status polls every two seconds). For htmx requests such a redirect becomes
    ``HX-Redirect``; "next" is the page the person was on (htmx's ``HX-Current-URL``), not the
    fragment. One place for every htmx endpoint, present and future.
    """

    SIGN_IN_URL_NAMES = (settings.LOGIN_URL, "accounts:citizen_login")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.headers.get("HX-Request") != "true":
            return response
        target = self._sign_in_target(response)
        if target is None:
            return response
        current = safe_next_url(request, request.headers.get("HX-Current-URL"))
        if current:
            parts = urlsplit(current)
            target_next = urlunsplit(("", "", parts.path or "/", parts.query, ""))
        else:
            target_next = parse_qs(urlsplit(response["Location"]).query).get("next", [""])[0]
        location = target if not target_next else f"{target}?{urlencode({'next': target_next})}"
        converted = HttpResponse(status=200)
        converted["HX-Redirect"] = location
        add_never_cache_headers(converted)
        patch_vary_headers(converted, ["HX-Request"])
        return converted

    def _sign_in_target(self, response) -> str | None:
        """The sign-in path a redirect leads to, or None for any other response."""
        if response.status_code not in (301, 302, 303, 307, 308) or "Location" not in response:
            return None
        path = urlsplit(response["Location"]).path
        sign_in_paths = {resolve_url(name) for name in self.SIGN_IN_URL_NAMES}
        return path if path in sign_in_paths else None


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; no-store on every response that may carry personal data.

    The browser features the portal never uses (camera, microphone, location, payment, ...) are turned
    off for it and anything it might embed. A page for a signed-in person, or for a visitor whose
    session holds something (the phone number between asking for a sign-in code and entering it), is
    never kept by the browser or a proxy: the back button on a shared kiosk or office computer must not
    show the last person's inquiries. Anonymous pages with an empty session (home, verify, static files)
    stay cacheable.
    """

    PERMISSIONS_POLICY = ", ".join(
        f"{feature}=()"
        for feature in (
            "accelerometer",
            "autoplay",
            "camera",
            "display-capture",
            "geolocation",
            "gyroscope",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "usb",
            "xr-spatial-tracking",
        )
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        if self._personal(request) and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response

    @staticmethod
    def _personal(request) -> bool:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return True
        session = getattr(request, "session", None)
        return session is not None and not session.is_empty()
