from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts import services_power as power
from accounts.admin import UserAdmin, UserMembershipInline
from accounts.admin_power import (
    MembershipFormSet,
    PowerCheckedFormMixin,
    adopt,
    memberships_done,
    run_each,
)
from shahrvand.admin import BoundedSearchAdminMixin, JalaliDatesAdminMixin, jalali_column

from . import services_power
from .models import District, DistrictMembership, HelpKiosk, KioskHelpLog, ServiceLevel


def district_membership_save_changes(actor, obj, changed: list[str]) -> None:
    """``obj`` carries the form's values; the services read the row's old ones under a lock."""
    if "role" in changed or "can_sign" in changed:
        services_power.district_membership_change(
            actor=actor, membership=obj, role=obj.role, can_sign=obj.can_sign
        )
    if "is_active" in changed:
        services_power.district_membership_set_active(
            actor=actor, membership=obj, active=obj.is_active
        )


class DistrictMembershipFormSet(MembershipFormSet):
    fixed_fields = ("district", "user")

    def grant(self, actor, obj):
        return services_power.district_membership_grant(
            actor=actor,
            user=obj.user,
            district=obj.district,
            role=obj.role,
            can_sign=obj.can_sign,
            is_active=obj.is_active,
        )

    def change(self, actor, obj, changed):
        district_membership_save_changes(actor, obj, changed)

    def remove(self, actor, obj):
        services_power.district_membership_remove(actor=actor, membership=obj)


class UserDistrictMembershipInline(UserMembershipInline):
    model = DistrictMembership
    formset = DistrictMembershipFormSet
    fields = ("district", "role", "can_sign", "is_active")


# On a person's page, first their district memberships (INSTALLED_APPS order: offices come next).
UserAdmin.inlines = [*UserAdmin.inlines, UserDistrictMembershipInline]


class HelpKioskInline(admin.TabularInline):
    model = HelpKiosk
    extra = 0


@admin.register(District)
class DistrictAdmin(JalaliDatesAdminMixin, admin.ModelAdmin):
    list_display = (
        "number",
        "name",
        jalali_column("transfer_online_since", _("transfer online since")),
        jalali_column("bank_online_since", _("bank online since")),
        jalali_column("agency_online_since", _("agency online since")),
        "phone",
    )
    list_display_links = ("number", "name")
    inlines = [HelpKioskInline]
    fieldsets = (
        (None, {"fields": ("number", "name")}),
        (
            _("Online since (empty = not online; citizens are sent to the office)"),
            {"fields": ("transfer_online_since", "bank_online_since", "agency_online_since")},
        ),
        (_("Contact"), {"fields": ("address", "phone", "email", "office_hours")}),
    )


@admin.register(HelpKiosk)
class HelpKioskAdmin(admin.ModelAdmin):
    list_display = ("name", "district", "location", "hours", "is_active")
    list_filter = ("district", "is_active")


class DistrictMembershipForm(PowerCheckedFormMixin, forms.ModelForm):
    class Meta:
        model = DistrictMembership
        fields = ("user", "district", "role", "can_sign", "is_active")


@admin.register(DistrictMembership)
class DistrictMembershipAdmin(BoundedSearchAdminMixin, admin.ModelAdmin):
    """Every change goes through ``districts.services_power`` (an audit row each; removing or
    deactivating also releases what the person holds). A membership is never moved to another
    person or district: remove it and add a new one."""

    form = DistrictMembershipForm
    list_display = (
        "user",
        "district",
        "role",
        "can_sign",
        "is_active",
        jalali_column("created_at", _("created at")),
    )
    list_filter = ("district", "role", "is_active")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ("user",)
    actions = ["activate_selected", "deactivate_selected"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "user", "district"] if obj is not None else readonly

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or power.may_manage_user(request.user, obj.user))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or power.may_manage_user(request.user, obj.user))

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Removing in bulk would skip the release of held inquiries; remove one at a time.
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        if change:
            district_membership_save_changes(request.user, obj, form.changed_data)
            obj.refresh_from_db()
            return
        created = services_power.district_membership_grant(
            actor=request.user,
            user=obj.user,
            district=obj.district,
            role=obj.role,
            can_sign=obj.can_sign,
            is_active=obj.is_active,
        )
        adopt(obj, created)

    def delete_model(self, request, obj):
        services_power.district_membership_remove(actor=request.user, membership=obj)

    def _set_active(self, request, queryset, active: bool):
        run_each(
            request,
            queryset.select_related("user", "district"),
            lambda membership: services_power.district_membership_set_active(
                actor=request.user, membership=membership, active=active
            ),
            done=memberships_done(active),
        )

    @admin.action(description=_("Activate the selected memberships"), permissions=["change"])
    def activate_selected(self, request, queryset):
        self._set_active(request, queryset, True)

    @admin.action(description=_("Deactivate the selected memberships"), permissions=["change"])
    def deactivate_selected(self, request, queryset):
        self._set_active(request, queryset, False)


@admin.register(ServiceLevel)
class ServiceLevelAdmin(admin.ModelAdmin):
    list_display = ("district", "kind", "working_days")
    list_editable = ("working_days",)
    list_filter = ("district", "kind")


@admin.register(KioskHelpLog)
class KioskHelpLogAdmin(admin.ModelAdmin):
    list_display = (jalali_column("created_at", _("when")), "district", "topic", "minutes", "staff")
    list_filter = ("district", "topic")

    def has_change_permission(self, request, obj=None):
        return False
