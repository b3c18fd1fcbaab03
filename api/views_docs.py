"""The API's readable documentation: Swagger UI from the bundled drf-spectacular-sidecar files (no
CDN), started by a static script (the Content-Security-Policy refuses inline code)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    return render(request, "api/docs.html")
