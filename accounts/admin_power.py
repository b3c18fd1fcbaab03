"""Admin pieces that change power only through the services: membership inlines whose rows are
checked with ``accounts.services_power``'s rules and saved by the owning app's services, and bulk
actions that loop over a service. Used by the accounts, districts and counters admins."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shahrvand.text import localize_digits

from . import services_power as power
from .services_power import PowerRefused


def refusal_text(error: Exception) -> str:
    if isinstance(error, PowerRefused):
        return str(error.message)
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def run_each(
    request, items: Iterable, call: Callable, *, done: Callable[[int], str], name=str
) -> None:
    """A bulk action: the service once per item, each refusal told by name, then how many were done."""
    count = 0
    for item in items:
        try:
            call(item)
        except (PowerRefused, ValidationError) as error:
            messages.error(request, f"{name(item)}: {refusal_text(error)}")
        else:
            count += 1
    if count:
        messages.success(request, done(count))


def accounts_done(active: bool) -> Callable[[int], str]:
    def message(count: int) -> str:
        if active:
            return ngettext(
                "%(count)s account was activated.", "%(count)s accounts were activated.", count
            ) % {"count": localize_digits(count)}
        return ngettext(
            "%(count)s account was deactivated.", "%(count)s accounts were deactivated.", count
        ) % {"count": localize_digits(count)}

    return message


def memberships_done(active: bool) -> Callable[[int], str]:
    def message(count: int) -> str:
        if active:
            return ngettext(
                "%(count)s membership was activated.",
                "%(count)s memberships were activated.",
                count,
            ) % {"count": localize_digits(count)}
        return ngettext(
            "%(count)s membership was deactivated.",
            "%(count)s memberships were deactivated.",
            count,
        ) % {"count": localize_digits(count)}

    return message


class MembershipFormSet(BaseInlineFormSet):
    """An inline of district or office memberships. ``clean`` asks the services' rules for every row
    that changes (so a refusal is a message on the form); ``save_with_services`` makes the changes
    through the services, one audit row each. ``request`` is set by the admin (``get_formset``)."""

    request = None
    # What an existing row may not change: moving a membership is a removal and a new grant.
    fixed_fields: tuple[str, ...] = ()

    def _target(self, form):
        if self.fk.name == "user":
            return self.instance
        return form.cleaned_data.get("user") or (
            form.instance.user if form.instance.user_id else None
        )

    def clean(self):
        super().clean()
        problems: list[str] = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.errors:
                continue
            existing = form.instance.pk is not None
            deleting = self.can_delete and self._should_delete_form(form)
            if not existing and (deleting or not form.has_changed()):
                continue
            if existing and not deleting and not form.has_changed():
                continue
            if existing and not deleting and set(self.fixed_fields) & set(form.changed_data):
                problems.append(
                    _(
                        "A membership cannot be moved to another place or person; remove it and "
                        "add a new one."
                    )
                )
                continue
            target = self._target(form)
            if target is None:
                continue
            try:
                power.check_manage(self.request.user, target)
            except PowerRefused as refusal:
                problems.append(str(refusal.message))
        if problems:
            raise ValidationError(list(dict.fromkeys(problems)))

    def save_with_services(self) -> None:
        actor = self.request.user
        self.save(commit=False)  # fills new_objects, changed_objects and deleted_objects
        work: list[Callable[[], object]] = []
        for obj in self.deleted_objects:
            work.append(lambda obj=obj: self.remove(actor, obj))
        for obj, changed in self.changed_objects:
            work.append(lambda obj=obj, changed=changed: self.change(actor, obj, changed))
        created = []
        for obj in self.new_objects:
            work.append(lambda obj=obj: created.append(self.grant(actor, obj)))
        for step in work:
            try:
                step()
            except (PowerRefused, ValidationError) as error:
                messages.error(self.request, refusal_text(error))
        self.new_objects = created

    def grant(self, actor, obj):
        raise NotImplementedError

    def change(self, actor, obj, changed: list[str]) -> None:
        raise NotImplementedError

    def remove(self, actor, obj) -> None:
        raise NotImplementedError


def adopt(obj, created) -> None:
    """Let the admin's unsaved object stand for the row a service created (for its redirect and log)."""
    obj.pk = created.pk
    obj._state.adding = False
    obj._state.db = created._state.db
    obj.refresh_from_db()


class PowerCheckedFormMixin:
    """A membership's admin form: the services' rule for the person, as a message on the form."""

    actor = None

    def validate_unique(self):
        super().validate_unique()
        # The person and the place are read-only once a membership exists, so Django leaves them out
        # of its checks; a new role they already hold there must still be a message, not a 500.
        try:
            self.instance.validate_constraints()
        except ValidationError as error:
            self.add_error(None, error)

    def clean(self):
        cleaned = super().clean()
        target = cleaned.get("user") or (self.instance.user if self.instance.user_id else None)
        if target is not None and self.has_changed():
            try:
                power.check_manage(self.actor, target)
            except PowerRefused as refusal:
                raise ValidationError(refusal.message) from None
        return cleaned
