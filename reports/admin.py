"""The monthly reports in the admin: read-only. Reports are asked for on the reports pages or by
the ``monthly_reports`` command, and rendered by a worker; nobody edits one by hand."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from shahrvand.admin import ReadOnlyAdmin, jalali_column

from .models import MonthlyReport


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAdmin):
    list_display = (
        "year",
        "month",
        "district",
        "status",
        "size",
        jalali_column("requested_at", _("requested at")),
        jalali_column("rendered_at", _("rendered at")),
    )
    list_filter = ("status", "year", "district")
    readonly_fields = (
        "year",
        "month",
        "district",
        "status",
        "pdf",
        "requested_at",
        "rendered_at",
        "sha256",
        "size",
        "error",
    )
