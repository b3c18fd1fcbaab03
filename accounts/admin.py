from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_totp.models import TOTPDevice

from shahrvand.admin import BoundedSearchAdminMixin, ReadOnlyAdmin, jalali_column
from shahrvand.text import localize_digits

from . import services_power as power
from .admin_power import accounts_done, run_each
from .lockout import is_locked
from .models import PowerChange, SignInEvent, User
from .roles import ICT_ADMIN_GROUP
from .second_factor import backup_codes_left, is_enrolled

# The fields of the user form that carry power; the services change them, never the form.
POWER_FLAGS = ("is_active", "is_superuser", "is_staff")
POWER_M2M = ("groups", "user_permissions")


class UserMembershipInline(admin.TabularInline):
    """A person's memberships of one kind on their page, changed only by someone who may manage
    them. Each app that holds memberships adds its own to ``UserAdmin.inlines`` in its admin module
    (districts, counters), so accounts need not know them."""

    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request = request
        return formset

    def _may(self, request, obj) -> bool:
        return obj is None or power.may_manage_user(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._may(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may(request, obj)


@admin.register(User)
class UserAdmin(BoundedSearchAdminMixin, DjangoUserAdmin):
    """ICT admins manage people who hold no admin rights; superusers manage everyone. Every change
    of power on this page goes through ``accounts.services_power`` (one audit row each)."""

    list_display = ("username", "get_full_name", "national_id", "mobile", "is_active", "is_staff")
    # The admin's search is a GET: a national ID or mobile typed here would land in the URL, the
    # browser's history and the server log. Staff are found by username or name; a citizen by the
    # kiosk's look-up.
    search_fields = ("username", "first_name", "last_name")
    inlines: list = []  # the memberships' apps add theirs (UserMembershipInline)
    actions = [
        "activate_selected",
        "deactivate_selected",
        "second_factor_reset_selected",
        "unlock_selected",
    ]
    fieldsets = (
        *DjangoUserAdmin.fieldsets[:1],
        (
            _("Personal info"),
            {"fields": ("first_name", "last_name", "national_id", "mobile", "email")},
        ),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "sign_in_state",
                    "must_change_password",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        *DjangoUserAdmin.fieldsets[3:],
    )

    # --- Who may -----------------------------------------------------------------------------------

    def get_readonly_fields(self, request, obj=None):
        readonly = [
            *super().get_readonly_fields(request, obj),
            "must_change_password",
            "sign_in_state",
            "last_login",
            "date_joined",
        ]
        if not power.may_grant_admin_rights(request.user):
            # An ICT admin manages people, but cannot hand out powers beyond their own.
            readonly += ["is_superuser", "is_staff", *POWER_M2M]
        return readonly

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or power.may_manage_user(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or power.may_manage_user(request.user, obj))

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not power.may_grant_admin_rights(request.user) and "autocomplete" in request.path:
            # Choosing a person for a membership: only people the ICT admin may manage.
            queryset = queryset.filter(
                is_superuser=False, is_staff=False, groups=None, user_permissions=None
            )
        return queryset, may_have_duplicates

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Deleting people in bulk would drop their memberships without an audit row.
        actions.pop("delete_selected", None)
        return actions

    # --- The forms ---------------------------------------------------------------------------------

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            return form
        actor = request.user

        def clean(self):
            cleaned = form.clean(self)
            changes = {
                name: cleaned[name]
                for name in (*POWER_FLAGS, *POWER_M2M)
                if name in self.changed_data and name in cleaned
            }
            try:
                power.check_user_changes(actor=actor, user=self.instance, changes=changes)
            except power.PowerRefused as refusal:
                raise ValidationError(refusal.message) from None
            return cleaned

        return type(form.__name__, (form,), {"clean": clean})

    def save_model(self, request, obj, form, change):
        if not change:
            power.user_create(actor=request.user, user=obj)
            return
        stored = User.objects.get(pk=obj.pk)
        wanted = {flag: getattr(obj, flag) for flag in POWER_FLAGS if flag in form.changed_data}
        for flag in POWER_FLAGS:
            setattr(obj, flag, getattr(stored, flag))
        plain = [
            name
            for name in form.changed_data
            if name not in (*POWER_FLAGS, *POWER_M2M) and name in form.base_fields
        ]
        if plain:
            obj.save(update_fields=plain)
        actor = request.user
        if "is_superuser" in wanted:
            power.user_set_superuser(actor=actor, user=obj, value=wanted["is_superuser"])
        if "is_staff" in wanted:
            power.user_set_staff(actor=actor, user=obj, value=wanted["is_staff"])
        if "is_active" in wanted:
            power.user_set_active(actor=actor, user=obj, active=wanted["is_active"])
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # Instead of form.save_m2m(): groups and permissions are the only many-to-many fields.
        cleaned = form.cleaned_data
        if "groups" in form.changed_data and "groups" in cleaned:
            power.user_set_groups(actor=request.user, user=form.instance, groups=cleaned["groups"])
        if "user_permissions" in form.changed_data and "user_permissions" in cleaned:
            power.user_set_permissions(
                actor=request.user, user=form.instance, permissions=cleaned["user_permissions"]
            )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        formset.save_with_services()

    @admin.display(description=_("second factor and lockout"))
    def sign_in_state(self, obj) -> str:
        """What the reset and unlock actions would change; never the secret."""
        if obj is None or obj.pk is None:
            return "-"
        enrolled = is_enrolled(obj)
        parts = [
            gettext("second factor set up") if enrolled else gettext("no second factor yet"),
        ]
        if enrolled:
            parts.append(
                gettext("%(count)s backup codes left")
                % {"count": localize_digits(backup_codes_left(obj))}
            )
        if is_locked(obj.get_username()):
            parts.append(gettext("locked after failed sign-ins"))
        return " · ".join(parts)

    # --- Pages -------------------------------------------------------------------------------------

    @method_decorator(sensitive_post_parameters())
    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        if user is not None and not self.has_change_permission(request, user):
            raise PermissionDenied
        if user is not None and request.method == "POST":
            form = self.change_password_form(user, request.POST)
            if form.is_valid() and (
                form.cleaned_data["set_usable_password"] or "unset-password" in request.POST
            ):
                raw = (
                    form.cleaned_data["password1"]
                    if form.cleaned_data["set_usable_password"]
                    else None
                )
                user = power.user_set_password_by_admin(
                    actor=request.user, user=user, raw_password=raw
                )
                self.log_change(request, user, self.construct_change_message(request, form, None))
                if user.pk == request.user.pk:
                    update_session_auth_hash(request, user)
                    messages.success(request, gettext("Password changed successfully."))
                elif raw is None:
                    messages.success(
                        request, gettext("Password-based authentication was disabled.")
                    )
                else:
                    messages.success(
                        request,
                        gettext(
                            "The password was set. Its owner must change it when they next sign in."
                        ),
                    )
                return HttpResponseRedirect(reverse("admin:accounts_user_change", args=(user.pk,)))
        # GET, an invalid form or a conflicting submission: Django's page says what to fix.
        return super().user_change_password(request, id, form_url)

    def delete_view(self, request, object_id, extra_context=None):
        user = self.get_object(request, unquote(object_id))
        if user is not None and self.has_delete_permission(request, user):
            try:
                power.check_delete_user(actor=request.user, user=user)
            except power.PowerRefused as refusal:
                messages.error(request, refusal.message)
                return redirect("admin:accounts_user_change", user.pk)
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        power.user_delete(actor=request.user, user=obj)

    # --- Bulk actions ------------------------------------------------------------------------------

    def _set_active(self, request, queryset, active: bool):
        run_each(
            request,
            queryset,
            lambda user: power.user_set_active(actor=request.user, user=user, active=active),
            done=accounts_done(active),
            name=lambda user: user.get_username(),
        )

    @admin.action(description=_("Activate the selected accounts"), permissions=["change"])
    def activate_selected(self, request, queryset):
        self._set_active(request, queryset, True)

    @admin.action(description=_("Deactivate the selected accounts"), permissions=["change"])
    def deactivate_selected(self, request, queryset):
        self._set_active(request, queryset, False)

    @admin.action(
        description=_("Reset the second factor of the selected accounts"), permissions=["change"]
    )
    def second_factor_reset_selected(self, request, queryset):
        """Their owners enrol again at the next sign-in; the admin never sees a secret."""
        run_each(
            request,
            queryset,
            lambda user: power.user_second_factor_reset(actor=request.user, user=user),
            done=lambda count: (
                ngettext(
                    "The second factor of %(count)s account was reset; its owner sets it up again "
                    "at the next sign-in.",
                    "The second factor of %(count)s accounts was reset; their owners set it up again "
                    "at the next sign-in.",
                    count,
                )
                % {"count": localize_digits(count)}
            ),
            name=lambda user: user.get_username(),
        )

    @admin.action(
        description=_("Lift the sign-in lockout of the selected accounts"), permissions=["change"]
    )
    def unlock_selected(self, request, queryset):
        run_each(
            request,
            queryset,
            lambda user: power.user_unlock(actor=request.user, user=user),
            done=lambda count: (
                ngettext(
                    "%(count)s account may sign in again.",
                    "%(count)s accounts may sign in again.",
                    count,
                )
                % {"count": localize_digits(count)}
            ),
            name=lambda user: user.get_username(),
        )


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BoundedSearchAdminMixin, DjangoGroupAdmin):
    """Only superusers reach groups (the ICT admin group's permissions are an app's, not the
    group's). A group's permissions change through the service, with an audit row."""

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.name == ICT_ADMIN_GROUP:
            readonly.append("name")  # the portal finds its ICT admins by this name
        return readonly

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_related(self, request, form, formsets, change):
        if "permissions" in form.changed_data:
            power.group_set_permissions(
                actor=request.user,
                group=form.instance,
                permissions=form.cleaned_data["permissions"],
            )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_view(self, request, object_id, extra_context=None):
        group = self.get_object(request, unquote(object_id))
        if group is not None and group.user_set.exists():
            messages.error(
                request,
                _("This group still has members; take it from each of them first (on their page)."),
            )
            return redirect("admin:auth_group_change", group.pk)
        return super().delete_view(request, object_id, extra_context)


@admin.register(PowerChange)
class PowerChangeAdmin(BoundedSearchAdminMixin, ReadOnlyAdmin):
    """The audit of power: read-only for everyone, superusers included."""

    list_display = (
        jalali_column("created_at", _("when")),
        "kind",
        "actor",
        "target",
        "object_repr",
        "before",
        "after",
    )
    list_filter = ("kind", "created_at")
    # By username only: a citizen's national ID is never a search key here.
    search_fields = ("actor__username", "target__username")
    list_select_related = ("actor", "target")
    fields = (
        "created_at",
        "kind",
        "actor",
        "target",
        "object_type",
        "object_id",
        "object_repr",
        "before",
        "after",
    )
    readonly_fields = fields


@admin.register(SignInEvent)
class SignInEventAdmin(BoundedSearchAdminMixin, ReadOnlyAdmin):
    """The record of signing in (accounts.audit): read-only for everyone, superusers included."""

    list_display = (
        jalali_column("created_at", _("when")),
        "kind",
        "user",
        "ip",
        "detail",
        "request_id",
    )
    list_filter = ("kind", "created_at")
    # By username only: a citizen's national ID is never a search key here.
    search_fields = ("user__username",)
    list_select_related = ("user",)
    fields = ("created_at", "kind", "user", "ip", "request_id", "detail")
    readonly_fields = fields


# django-otp's own admin pages would show the authenticator secrets (and their QR codes): the
# second factor is set up by its owner and reset with the user action above, never edited here.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
