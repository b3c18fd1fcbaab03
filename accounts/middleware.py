"""A person whose password was chosen by someone else changes it before they see any other page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


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
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not self._is_open(request.path_info)
        ):
            target = reverse("accounts:password_change")
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            if request.method == "GET":
                target = f"{target}?{urlencode({'next': request.get_full_path()})}"
            return redirect(target)
        return self.get_response(request)
