"""Admin pieces shared by every app (dates typed and shown in Jalali, searches with bounds), and
the SMS outbox's read-only page."""

from __future__ import annotations

import datetime as dt

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_replace
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_jalali.admin.widgets import AdminjDateWidget

from . import jalali
from .forms import JalaliDateField
from .sms.backends import mask_mobile
from .sms.models import OutgoingSms
from .text import SEARCH_MAX_LENGTH, normalize_text, to_persian_digits

# Django's admin ORs every word of a search over every search field: a pasted page of text would
# build a query too deep for the database. A few words are all a search needs.
SEARCH_MAX_WORDS = 6


class ReadOnly:
    """For a ModelAdmin or an inline: records nobody adds, changes or deletes by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    """A record nobody adds, changes or deletes by hand (audits, logs, outboxes): read only."""


class BoundedSearchAdminMixin:
    """Every ModelAdmin with ``search_fields`` takes this (a test checks the registry): the term is
    made canonical (Persian digits find Latin ones) and cut to a few words of bounded length."""

    def get_search_results(self, request, queryset, search_term):
        words = normalize_text(search_term)[:SEARCH_MAX_LENGTH].split()[:SEARCH_MAX_WORDS]
        term = " ".join(words)
        results, duplicates = super().get_search_results(request, queryset, term)
        # Free text keeps the digits it was typed with: "کوچه ۱۲" is found by "کوچه 12" too.
        persian = to_persian_digits(term)
        if persian != term:
            more, more_duplicates = super().get_search_results(request, queryset, persian)
            results, duplicates = results | more, duplicates or more_duplicates
        return results, duplicates


class AdminJalaliDateWidget(AdminjDateWidget):
    """django-jalali's admin date picker, over a Gregorian DateField."""

    def _format_value(self, value):
        if isinstance(value, dt.date):
            j = jalali.to_jalali(value)
            return f"{j.year:04d}-{j.month:02d}-{j.day:02d}"
        return super()._format_value(value)


# django-jalali's date picker (an old jQuery UI datepicker) builds its calendar with onclick="..."
# handlers and style="..." attributes. On the add and change forms that show it, and only there,
# the Content-Security-Policy allows inline handlers and style attributes (script-src-attr,
# style-src-attr); inline <script> and <style> stay refused everywhere.
_DATE_PICKER_POLICY = csp_replace(
    {"script-src-attr": [UNSAFE_INLINE], "style-src-attr": [UNSAFE_INLINE]}
)


class JalaliDatesAdminMixin:
    formfield_overrides = {
        models.DateField: {"form_class": JalaliDateField, "widget": AdminJalaliDateWidget},
    }

    def changeform_view(self, request, *args, **kwargs):
        view = _DATE_PICKER_POLICY(super().changeform_view)
        return view(request, *args, **kwargs)


def jalali_column(field_name: str, description: str):
    """A changelist column that prints a date or datetime field in Jalali."""

    def column(obj):
        value = getattr(obj, field_name)
        if isinstance(value, dt.datetime):
            return jalali.format_datetime(value)
        return jalali.format_date(value)

    column.short_description = description
    column.admin_order_field = field_name
    return column


@admin.register(OutgoingSms)
class OutgoingSmsAdmin(ReadOnlyAdmin):
    """The SMS outbox, read-only: how many are owed, sent, expired or refused (the status filter
    counts them). Neither the text nor the whole number is shown."""

    list_display = (
        "id",
        "masked_to",
        "status",
        jalali_column("created_at", _("created at")),
        jalali_column("finished_at", _("finished at")),
        "attempts",
    )
    list_filter = ("status",)
    show_facets = admin.ShowFacets.ALWAYS
    fields = ("id", "masked_to", "status", "created_at", "queued_at", "expires_at", "finished_at")
    readonly_fields = fields

    @admin.display(description=_("mobile number"))
    def masked_to(self, obj: OutgoingSms) -> str:
        return mask_mobile(obj.to)
