"""Serving private files: only after a view has checked who asks, never cached, never sniffed."""

from __future__ import annotations

from django.http import FileResponse


def attachment_response(file, *, filename: str, content_type: str) -> FileResponse:
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # A PDF or image opened from here runs nothing and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
