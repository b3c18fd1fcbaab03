"""Admin pieces shared by every app: dates typed and shown in Jalali."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django_jalali.admin.widgets import AdminjDateWidget

from . import jalali
from .forms import JalaliDateField


class AdminJalaliDateWidget(AdminjDateWidget):
    """django-jalali's admin date picker, over a Gregorian DateField."""

    def _format_value(self, value):
        if isinstance(value, dt.date):
            j = jalali.to_jalali(value)
            return f"{j.year:04d}-{j.month:02d}-{j.day:02d}"
        return super()._format_value(value)


class JalaliDatesAdminMixin:
    formfield_overrides = {
        models.DateField: {"form_class": JalaliDateField, "widget": AdminJalaliDateWidget},
    }


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
