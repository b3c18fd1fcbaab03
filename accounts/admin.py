from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from counters.models import OfficeMembership
from districts.models import DistrictMembership

from .models import User


class DistrictMembershipInline(admin.TabularInline):
    model = DistrictMembership
    extra = 0
    fields = ("district", "role", "can_sign", "is_active")


class OfficeMembershipInline(admin.TabularInline):
    model = OfficeMembership
    extra = 0
    fields = ("office", "role", "is_active")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "get_full_name", "national_id", "mobile", "is_active", "is_staff")
    search_fields = ("username", "first_name", "last_name", "national_id", "mobile")
    inlines = [DistrictMembershipInline, OfficeMembershipInline]
    fieldsets = (
        *DjangoUserAdmin.fieldsets[:1],
        (
            _("Personal info"),
            {"fields": ("first_name", "last_name", "national_id", "mobile", "email")},
        ),
        *DjangoUserAdmin.fieldsets[2:],
    )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # An ICT admin manages people, but cannot hand out powers beyond their own.
            readonly += ["is_superuser", "groups", "user_permissions"]
        return readonly
