from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin import UserAdmin, UserMembershipInline
from accounts.admin_power import MembershipFormSet, run_each
from shahrvand.admin import BoundedSearchAdminMixin, JalaliDatesAdminMixin, jalali_column
from shahrvand.text import localize_digits

from . import services
from .models import (
    CounterOffice,
    FindingCategory,
    OfficeMembership,
    OfficeVisit,
    TrainingAttendance,
    TrainingSession,
    VisitFinding,
)


class OfficeMembershipFormSet(MembershipFormSet):
    fixed_fields = ("office", "user")

    def grant(self, actor, obj):
        return services.office_membership_grant(
            actor=actor, user=obj.user, office=obj.office, role=obj.role, is_active=obj.is_active
        )

    def change(self, actor, obj, changed):
        if "role" in changed:
            services.office_membership_change(actor=actor, membership=obj, role=obj.role)
        if "is_active" in changed:
            services.office_membership_set_active(actor=actor, membership=obj, active=obj.is_active)

    def remove(self, actor, obj):
        services.office_membership_remove(actor=actor, membership=obj)


class UserOfficeMembershipInline(UserMembershipInline):
    model = OfficeMembership
    formset = OfficeMembershipFormSet
    fields = ("office", "role", "is_active")


# On a person's page, after their district memberships.
UserAdmin.inlines = [*UserAdmin.inlines, UserOfficeMembershipInline]


class OfficeMembershipInline(admin.TabularInline):
    """Each row is checked and saved through ``counters.services`` (an audit row each)."""

    model = OfficeMembership
    formset = OfficeMembershipFormSet
    extra = 0
    fields = ("user", "role", "is_active")
    autocomplete_fields = ("user",)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request = request
        return formset


@admin.register(CounterOffice)
class CounterOfficeAdmin(BoundedSearchAdminMixin, admin.ModelAdmin):
    list_display = ("kind", "number", "name", "district", "licence", "is_active")
    list_filter = ("kind", "district", "is_active")
    search_fields = ("name", "licence", "address", "number")
    inlines = [OfficeMembershipInline]
    actions = ["deactivate"]
    change_list_template = "admin/counters/counteroffice/change_list.html"

    @admin.action(description=_("Mark the selected offices inactive"), permissions=["change"])
    def deactivate(self, request, queryset):
        # An inactive office gives its operators no access: each one is a change of power.
        run_each(
            request,
            queryset,
            lambda office: services.office_set_active(
                actor=request.user, office=office, active=False
            ),
            done=lambda count: (
                ngettext(
                    "%(count)s office was marked inactive.",
                    "%(count)s offices were marked inactive.",
                    count,
                )
                % {"count": localize_digits(count)}
            ),
        )

    def save_model(self, request, obj, form, change):
        if change and "is_active" in form.changed_data:
            wanted = obj.is_active
            obj.is_active = not wanted
            obj.save()
            services.office_set_active(actor=request.user, office=obj, active=wanted)
            obj.is_active = wanted
            return
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is OfficeMembership:
            formset.save_with_services()
        else:
            super().save_formset(request, form, formset, change)

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
