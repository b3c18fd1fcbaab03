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
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shahrvand.admin import BoundedSearchAdminMixin, ReadOnlyAdmin
from shahrvand.text import localize_digits

from . import services
from .models import (
    ApiCall,
    ApiCredential,
    DeliveryState,
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
        given_up = obj.webhook_deliveries.given_up().count()
        resend = (
            format_html(
                '<p><a href="{}?institution__id__exact={}&amp;state=given_up">{}</a></p>',
                reverse("admin:api_webhookdelivery_changelist"),
                obj.pk,
                ngettext(
                    "%(count)s given up: choose it there to send it again.",
                    "%(count)s given up: choose them there to send them again.",
                    given_up,
                )
                % {"count": localize_digits(given_up)},
            )
            if given_up
            else ""
        )
        return format_html(
            "{}<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>"
            "<th>{}</th></tr></thead><tbody>{}</tbody></table>",
            resend,
            _("event"),
            _("created at"),
            _("attempts"),
            _("last status"),
            _("state"),
            _("when"),
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        d.event_type,
                        d.created_at,
                        d.attempts,
                        d.last_status or d.last_error or "—",
                        DeliveryState(d.state()).label,
                        d.delivered_at or d.given_up_at or d.next_attempt_at,
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


class DeliveryStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return DeliveryState.choices

    def queryset(self, request, queryset):
        return {
            DeliveryState.DELIVERED: queryset.delivered,
            DeliveryState.OWED: queryset.owed,
            DeliveryState.GIVEN_UP: queryset.given_up,
        }.get(self.value(), queryset.all)()


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "institution",
        "event_type",
        "attempts",
        "last_status",
        "state_label",
        "delivered_at",
        "given_up_at",
    )
    list_filter = (DeliveryStateFilter, "institution", "event_type")
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    actions = ["resend"]

    @admin.display(description=_("state"))
    def state_label(self, obj):
        return DeliveryState(obj.state()).label

    @admin.action(description=_("Send the selected given-up deliveries again"))
    def resend(self, request, queryset):
        count = services.deliveries_resend(actor=request.user, deliveries=queryset)
        skipped = queryset.count() - count
        messages.success(
            request,
            ngettext(
                "%(count)s delivery will be sent again.",
                "%(count)s deliveries will be sent again.",
                count,
            )
            % {"count": localize_digits(count)},
        )
        if skipped:
            messages.warning(
                request,
                ngettext(
                    "%(count)s of the selected was not given up (delivered, or still being "
                    "tried) and was left as it was.",
                    "%(count)s of the selected were not given up (delivered, or still being "
                    "tried) and were left as they were.",
                    skipped,
                )
                % {"count": localize_digits(skipped)},
            )
