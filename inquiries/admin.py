"""The ICT organisation's view of inquiries: read-only (every change goes through the services and
leaves an event), except reference data such as the list of banks."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from shahrvand.admin import BoundedSearchAdminMixin, ReadOnly, ReadOnlyAdmin, jalali_column

from .models import (
    AgencyDetails,
    Attachment,
    Bank,
    BankDetails,
    DeficiencyReason,
    Inquiry,
    InquiryEvent,
    Property,
    TransferDetails,
    VerificationLog,
)


class InquiryEventInline(admin.TabularInline):
    model = InquiryEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "action", "from_status", "to_status", "actor", "channel", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    can_delete = False
    fields = ("kind", "original_name", "content_type", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class _DetailsInline(ReadOnly, admin.StackedInline):
    """The kind's details as filed (the requesting institution and its letter among them), read
    only like the inquiry."""

    extra = 0
    can_delete = False


class TransferDetailsInline(_DetailsInline):
    model = TransferDetails


class BankDetailsInline(_DetailsInline):
    model = BankDetails


class AgencyDetailsInline(_DetailsInline):
    model = AgencyDetails


@admin.register(Inquiry)
class InquiryAdmin(BoundedSearchAdminMixin, ReadOnlyAdmin):
    list_display = (
        "tracking_code",
        "kind",
        "status",
        "district",
        "channel",
        jalali_column("submitted_at", _("submitted at")),
    )
    list_filter = ("kind", "status", "district", "channel")
    # No national ID: the admin's search is a GET and would put it in the URL and the log; staff
    # find an inquiry by national ID through the review queue's posted search.
    search_fields = ("tracking_code", "property__renovation_code")
    list_select_related = ("district",)
    inlines = [AttachmentInline, InquiryEventInline]
    details_inlines = {
        "transfer": TransferDetailsInline,
        "bank": BankDetailsInline,
        "agency": AgencyDetailsInline,
    }

    def get_inlines(self, request, obj):
        # Only the inquiry's own kind has a details row.
        if obj is None:
            return self.inlines
        return [self.details_inlines[obj.kind], *self.inlines]


@admin.register(Property)
class PropertyAdmin(BoundedSearchAdminMixin, ReadOnlyAdmin):
    list_display = (
        "renovation_code",
        "district",
        "plate_main",
        "plate_sub",
        "registration_section",
    )
    list_filter = ("district",)
    search_fields = ("renovation_code", "address")


@admin.register(Bank)
class BankAdmin(BoundedSearchAdminMixin, admin.ModelAdmin):
    list_display = ("name_fa", "name_en", "code", "is_active", "order")
    list_editable = ("is_active", "order")
    search_fields = ("name_fa", "name_en", "code")


@admin.register(DeficiencyReason)
class DeficiencyReasonAdmin(admin.ModelAdmin):
    list_display = ("title", "is_active", "order")
    list_editable = ("is_active", "order")


@admin.register(VerificationLog)
class VerificationLogAdmin(ReadOnlyAdmin):
    list_display = (jalali_column("created_at", _("when")), "method", "query", "result", "ip")
    list_filter = ("result", "method")
