"""The ICT organisation registers institutions and issues their API credentials here. Registering,
editing (switching on or off, kind, bank, office, branches, webhooks), issuing and revoking go
through ``api.services`` (audited as changes of access); a new key is shown once, on the page that
follows the form, and never again."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from shahrvand.admin import BoundedSearchAdminMixin, ReadOnlyAdmin

from . import services
from .models import (
    ApiCall,
    ApiCredential,
    Institution,
    InstitutionBranch,
    Scope,
    WebhookDelivery,
    WebhookEndpoint,
)


class WebhookInline(admin.TabularInline):
    model = WebhookEndpoint
    extra = 0
    max_num = 5
    # Switched off, not deleted: its deliveries (what was owed and sent) stay.
    can_delete = False
    fields = ("url", "is_active", "secret")
    readonly_fields = ("secret",)
    # An address typed without a scheme is taken as https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class BranchInline(admin.TabularInline):
    model = InstitutionBranch
    extra = 1
    max_num = 500
    # Switched off, not deleted: the change is audited like any other.
    can_delete = False


@admin.register(Institution)
class InstitutionAdmin(BoundedSearchAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "bank", "office", "is_active", "created_at")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    inlines = [BranchInline, WebhookInline]
    raw_id_fields = ("office",)
    readonly_fields = ("delivery_log",)

    def get_inlines(self, request, obj):
        # Branches are a bank's.
        if obj is None or obj.kind == "bank":
            return [BranchInline, WebhookInline]
        return [WebhookInline]

    def get_fields(self, request, obj=None):
        fields = ["kind", "name", "bank", "office", "is_active"]
        return [*fields, "delivery_log"] if obj is not None else fields

    @admin.display(description=_("Webhook deliveries (latest 20)"))
    def delivery_log(self, obj):
        rows = obj.webhook_deliveries.select_related("endpoint")[:20]
        if not rows:
            return _("None yet.")
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>"
            "</thead><tbody>{}</tbody></table>",
            _("event"),
            _("created at"),
            _("attempts"),
            _("last status"),
            _("delivered at"),
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        d.event_type,
                        d.created_at,
                        d.attempts,
                        d.last_status or d.last_error or "—",
                        d.delivered_at or _("owed"),
                    )
                    for d in rows
                ),
            ),
        )

    def save_model(self, request, obj, form, change):
        if change:
            services.institution_change(actor=request.user, institution=obj)
        else:
            services.institution_register(actor=request.user, institution=obj)

    def save_formset(self, request, form, formset, change):
        # Branches and webhooks added or changed: each saved and audited by the service.
        for part in formset.save(commit=False):
            services.institution_part_save(actor=request.user, part=part)


class CredentialIssueForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=730, initial=365
    )

    class Meta:
        model = ApiCredential
        fields = ("institution", "label")


@admin.register(ApiCredential)
class ApiCredentialAdmin(admin.ModelAdmin):
    list_display = ("institution", "label", "prefix", "scopes", "expires_at", "revoked_at")
    list_filter = ("institution",)
    actions = ["revoke"]
    readonly_fields = (
        "institution",
        "label",
        "prefix",
        "scopes",
        "expires_at",
        "created_at",
        "created_by",
        "revoked_at",
        "revoked_by",
        "last_used_at",
    )

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = CredentialIssueForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("institution", "label", "scopes", "valid_days")
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        issued = services.credential_issue(
            actor=request.user,
            institution=form.cleaned_data["institution"],
            label=form.cleaned_data["label"],
            scopes=form.cleaned_data["scopes"],
            expires_at=timezone.now() + dt.timedelta(days=form.cleaned_data["valid_days"]),
        )
        obj.pk = issued.credential.pk
        request._issued_key = issued.key

    def save_related(self, request, form, formsets, change):
        pass

    def response_add(self, request, obj, post_url_continue=None):
        return TemplateResponse(
            request,
            "admin/api/credential_issued.html",
            {
                **self.admin_site.each_context(request),
                "title": _("API credential issued"),
                "credential": ApiCredential.objects.get(pk=obj.pk),
                "key": request._issued_key,
            },
        )

    @admin.action(description=_("Revoke the selected credentials"))
    def revoke(self, request, queryset):
        for credential in queryset:
            services.credential_revoke(actor=request.user, credential=credential)
        messages.success(request, _("The credentials were revoked."))


@admin.register(ApiCall)
class ApiCallAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "institution", "method", "endpoint", "status_code", "result")
    list_filter = ("institution", "status_code")
    date_hierarchy = None


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "institution",
        "event_type",
        "attempts",
        "last_status",
        "delivered_at",
    )
    list_filter = ("institution", "event_type")
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
