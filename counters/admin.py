from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from shahrvand.admin import JalaliDatesAdminMixin, jalali_column

from .models import (
    CounterOffice,
    FindingCategory,
    OfficeMembership,
    OfficeVisit,
    TrainingAttendance,
    TrainingSession,
    VisitFinding,
)


class OfficeMembershipInline(admin.TabularInline):
    model = OfficeMembership
    extra = 0
    fields = ("user", "role", "is_active")
    autocomplete_fields = ("user",)


@admin.register(CounterOffice)
class CounterOfficeAdmin(admin.ModelAdmin):
    list_display = ("kind", "number", "name", "district", "licence", "is_active")
    list_filter = ("kind", "district", "is_active")
    search_fields = ("name", "licence", "address", "number")
    inlines = [OfficeMembershipInline]
    actions = ["deactivate"]
    change_list_template = "admin/counters/counteroffice/change_list.html"

    @admin.action(description=_("Mark the selected offices inactive"))
    def deactivate(self, request, queryset):
        queryset.update(is_active=False)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="counters_counteroffice_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        # The import page of the ICT organisation, reached from the admin too.
        if not self.has_add_permission(request):
            messages.error(request, _("You may not add offices."))
            return redirect(reverse("admin:counters_counteroffice_changelist"))
        return redirect("counters:registry_import")


class TrainingAttendanceInline(admin.TabularInline):
    model = TrainingAttendance
    extra = 1
    autocomplete_fields = ("office",)


@admin.register(TrainingSession)
class TrainingSessionAdmin(JalaliDatesAdminMixin, admin.ModelAdmin):
    list_display = (jalali_column("date", _("date")), "topic", "trainer")
    inlines = [TrainingAttendanceInline]

    def save_model(self, request, obj, form, change):
        if not obj.created_by_id:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class VisitFindingInline(admin.TabularInline):
    model = VisitFinding
    extra = 0
    fields = ("category", "description", "state", "fixing_since", "resolved_on", "resolution")


@admin.register(OfficeVisit)
class OfficeVisitAdmin(JalaliDatesAdminMixin, admin.ModelAdmin):
    list_display = ("office", jalali_column("date", _("date")), "inspector")
    list_filter = ("office__district",)
    inlines = [VisitFindingInline]
    autocomplete_fields = ("office",)


@admin.register(FindingCategory)
class FindingCategoryAdmin(admin.ModelAdmin):
    list_display = ("title", "is_active", "order")
    list_editable = ("is_active", "order")
