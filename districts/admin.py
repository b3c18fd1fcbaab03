from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from shahrvand.admin import JalaliDatesAdminMixin, jalali_column

from .models import District, DistrictMembership, HelpKiosk, KioskHelpLog, ServiceLevel


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


@admin.register(DistrictMembership)
class DistrictMembershipAdmin(admin.ModelAdmin):
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
