"""The home page: each role's way in, and every district with its open help kiosks."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.roles import roles_of
from districts.selectors import districts_for_home
from shahrvand.kept_pages import kept_for_visitors

from ..presentation import home_places


@kept_for_visitors
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    places = home_places(roles_of(request.user))
    return render(request, "home.html", {"districts": districts_for_home(), "places": places})
