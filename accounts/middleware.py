"""A person whose password was chosen by someone else changes it before they see any other page,
when they signed in with that password. A citizen signs in by a code sent by SMS and has no
password journey: a password set on their account by the ICT admin does not stop them."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

# Set in the session when it was opened by a code sent by SMS rather than by a password.
SIGNED_IN_BY_CODE = "signed_in_by_code"


def mark_signed_in_by_code(request: HttpRequest) -> None:
    """Call right after ``login()`` for a sign-in by SMS code."""
    request.session[SIGNED_IN_BY_CODE] = True


def mark_signed_in_by_password(request: HttpRequest) -> None:
    """Call right after ``login()`` for a sign-in by password (the same person signing in again
    keeps their session's data)."""
    request.session.pop(SIGNED_IN_BY_CODE, None)


def password_change_forced(request: HttpRequest) -> bool:
    """Must this person change their password before anything else? Only when someone else chose
    it and this session was opened with a password (staff, operators), never an SMS code."""
    user = getattr(request, "user", None)
    return bool(
        user is not None
        and user.is_authenticated
        and getattr(user, "must_change_password", False)
        and not request.session.get(SIGNED_IN_BY_CODE, False)
    )


class PasswordChangeRequiredMiddleware:
    """After AuthenticationMiddleware. Signing out, the change page itself and static files stay
    reachable; everything else sends the person to the change page (an htmx request is told to
    load it as a whole page)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths: tuple[str, ...] | None = None

    def _is_open(self, path: str) -> bool:
        if self._open_paths is None:
            self._open_paths = (
                reverse("accounts:password_change"),
                reverse("accounts:logout"),
                reverse("admin:logout"),
                reverse("set_language"),
                settings.STATIC_URL,
                settings.MEDIA_URL,
            )
        return path.startswith(self._open_paths)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if password_change_forced(request) and not self._is_open(request.path_info):
            target = reverse("accounts:password_change")
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            if request.method == "GET":
                target = f"{target}?{urlencode({'next': request.get_full_path()})}"
            return redirect(target)
        return self.get_response(request)
