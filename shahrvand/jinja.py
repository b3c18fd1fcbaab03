"""The rows of the busiest lists drawn by Jinja2.

A list page repeats the same few cells for each of its rows, and the template language resolves
every variable of every row through its general lookup (about 70 µs a row for the staff queue's
eight cells). The rows' markup is in ``templates/jinja2/``, filled from plain values worked out in
Python (``inquiries.listing.Line``), and the page's own template prints the result; the page
around the rows (headers, filters, pagination, the layout) stays in the template language.

Autoescaping is on, as in the template language, and Django's safe strings stay safe.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.template.backends.jinja2 import Jinja2
from django.utils.safestring import SafeString, mark_safe


@lru_cache(maxsize=1)
def _engine() -> Jinja2:
    return Jinja2(
        {
            "NAME": "rows",
            "DIRS": [settings.BASE_DIR / "templates" / "jinja2"],
            "APP_DIRS": False,
            "OPTIONS": {},
        }
    )


def render(template_name: str, context: dict) -> SafeString:
    """``template_name`` (under ``templates/jinja2/``) rendered with ``context``; no request, no
    context processors: the rows show only what they are given."""
    return mark_safe(_engine().get_template(template_name).render(context))  # nosec B308 B703 - autoescaped
