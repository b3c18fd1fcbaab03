"""The form renderer (``FORM_RENDERER``): Django's own widget and form templates drawn by Jinja2
from the copies Django ships for it (the same markup, in about half the time of the template
language, which shows on the pages with a filter form above a list); any template Django has no
Jinja2 copy of (the admin's and django.contrib.auth's widgets) by the default renderer."""

from __future__ import annotations

from functools import cached_property

from django.forms import renderers
from django.template import TemplateDoesNotExist


class WidgetRenderer(renderers.Jinja2):
    @cached_property
    def _fallback(self) -> renderers.DjangoTemplates:
        return renderers.DjangoTemplates()

    def get_template(self, template_name: str):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self._fallback.get_template(template_name)
