"""Every change of power — who may do what — and who may make it.

Each function changes one thing and writes one append-only ``PowerChange`` row in the same
transaction (who, when, what, before -> after): account activation, passwords set by another person,
superuser and admin-site flags, groups and individual permissions. The admin and the offices' own
pages call these; nothing else changes power. The memberships are the apps' that own them
(``districts.services_power``, ``counters.services``): they ask ``check_manage`` here and write
their rows with ``power_change_record``.

Who may (the one home of this rule; the admin asks the same predicates):
- a superuser may change anyone, except lock themselves out;
- an ICT admin manages people who hold no admin rights, never themselves;
- only a superuser grants admin rights (superuser, admin-site access, groups, permissions) or touches
  a person who holds them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shahrvand.logging import security_logger

from .models import PowerChange, PowerChangeKind
from .roles import ICT_ADMIN_GROUP, roles_of
from .signals import review_role_ended

User = get_user_model()
Kind = PowerChangeKind


class PowerRefused(PermissionDenied):
    """A refusal with a message the person can act on."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# --- Who may ---------------------------------------------------------------------------------------


def holds_admin_rights(user) -> bool:
    """Superuser, admin-site access, any group (groups carry permissions) or individual permissions."""
    if user.is_superuser or user.is_staff:
        return True
    if user.pk is None:
        return False
    return user.groups.exists() or user.user_permissions.exists()


def may_grant_admin_rights(actor) -> bool:
    return bool(actor.is_active and actor.is_superuser)


def may_manage_user(actor, target) -> bool:
    """Change the target's account, password, activation or memberships."""
    if not (actor.is_active and roles_of(actor).is_ict_admin):
        return False
    if actor.is_superuser:
        return True
    return target.pk != actor.pk and not holds_admin_rights(target)


def check_manage(actor, target) -> None:
    if not (actor.is_active and roles_of(actor).is_ict_admin):
        raise PowerRefused(_("Only the ICT organisation manages accounts and memberships."))
    if actor.is_superuser:
        return
    if target.pk is not None and target.pk == actor.pk:
        raise PowerRefused(
            _("You cannot change your own account or access; ask another administrator.")
        )
    if holds_admin_rights(target):
        raise PowerRefused(
            _(
                "Only a superuser may change the account, password or access of a person who "
                "holds admin rights."
            )
        )


def check_grant_admin_rights(actor) -> None:
    if not may_grant_admin_rights(actor):
        raise PowerRefused(
            _(
                "Only a superuser may grant or remove admin rights (superuser, admin-site access, "
                "groups, permissions)."
            )
        )


def _active_superusers_besides(user) -> bool:
    return User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk).exists()


def check_set_active(actor, user, active: bool) -> None:
    check_manage(actor, user)
    if active:
        return
    if user.pk == actor.pk:
        raise PowerRefused(_("You cannot deactivate your own account."))
    if user.is_superuser and not _active_superusers_besides(user):
        raise PowerRefused(_("This is the last active superuser; it cannot be deactivated."))


def check_set_flag(actor, user, flag: str, value: bool) -> None:
    """``flag`` is "is_superuser" or "is_staff"."""
    check_grant_admin_rights(actor)
    if not value and user.pk == actor.pk:
        raise PowerRefused(_("You cannot remove your own admin rights; ask another superuser."))
    if flag == "is_superuser" and not value and not _active_superusers_besides(user):
        raise PowerRefused(_("This is the last active superuser; keep at least one."))


def check_user_changes(*, actor, user, changes: dict) -> None:
    """What the admin's user form is about to change, checked with the services' own rules:
    ``changes`` maps is_active / is_superuser / is_staff / groups / user_permissions to new values."""
    check_manage(actor, user)
    for flag in ("is_superuser", "is_staff"):
        if flag in changes:
            check_set_flag(actor, user, flag, bool(changes[flag]))
    if "groups" in changes or "user_permissions" in changes:
        check_grant_admin_rights(actor)
    if "is_active" in changes:
        check_set_active(actor, user, bool(changes["is_active"]))


# --- The record ------------------------------------------------------------------------------------


def describe(obj) -> tuple[str, int | None, str]:
    if obj is None:
        return "", None, ""
    label = obj._meta.label_lower
    # A membership is named by its district or office: the person is the row's target, and a
    # citizen's username is their national ID, which an audit row never repeats.
    place = getattr(obj, "district", None) or getattr(obj, "office", None)
    if label in ("districts.districtmembership", "counters.officemembership") and place:
        return label, obj.pk, str(place)[:200]
    return label, obj.pk, str(obj)[:200]


def power_change_record(
    *,
    actor,
    kind: str,
    target=None,
    obj=None,
    described: tuple[str, int | None, str] | None = None,
    before: dict,
    after: dict,
) -> PowerChange:
    """The audit row; call it inside the transaction that makes the change. ``described`` names an
    object that is gone (taken with ``describe`` before it was deleted)."""
    object_type, object_id, object_repr = described or describe(obj)
    return PowerChange.objects.create(
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        target=target,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        before=before,
        after=after,
    )


def _locked_user(user):
    return User.objects.select_for_update().get(pk=user.pk)


# --- Accounts --------------------------------------------------------------------------------------


@transaction.atomic
def user_create(*, actor, user) -> User:
    """A new account from the admin's add form (``user`` unsaved, its password already hashed or
    unusable). A password chosen by the creator must be changed by its owner at the first sign-in."""
    check_manage(actor, user)
    if holds_admin_rights(user):
        check_grant_admin_rights(actor)
    user.must_change_password = user.has_usable_password()
    user.full_clean(exclude=["password"])
    user.save()
    power_change_record(
        actor=actor,
        kind=Kind.ACCOUNT_CREATED,
        target=user,
        before={},
        after=_account_state(user),
    )
    return user


def account_created_record(*, actor, user) -> None:
    """For services that create accounts under their own rule (an office manager's operators)."""
    power_change_record(
        actor=actor, kind=Kind.ACCOUNT_CREATED, target=user, before={}, after=_account_state(user)
    )


def check_delete_user(*, actor, user) -> None:
    check_manage(actor, user)
    if user.pk == actor.pk:
        raise PowerRefused(_("You cannot delete your own account."))
    if user.is_superuser and not _active_superusers_besides(user):
        raise PowerRefused(_("This is the last active superuser; it cannot be deleted."))
    if user.district_memberships.exists() or user.office_memberships.exists():
        raise PowerRefused(
            _(
                "This account still has district or office memberships. Remove them first, or "
                "deactivate the account instead."
            )
        )


@transaction.atomic
def user_delete(*, actor, user) -> None:
    """Only an account without memberships: deleting would drop them without an audit row. An
    account with a history of access cannot be deleted at all (its audit rows protect it); it is
    deactivated instead."""
    check_delete_user(actor=actor, user=user)
    user.delete()


def _account_state(user) -> dict:
    return {
        "is_active": user.is_active,
        "password": "set" if user.has_usable_password() else "unusable",
        "must_change_password": user.must_change_password,
    }


@transaction.atomic
def user_set_active(*, actor, user, active: bool) -> User:
    """Activate or deactivate an account. Deactivating ends every session of the account at once,
    and they stay ended if it is activated again."""
    check_set_active(actor, user, active)
    return user_active_write(actor=actor, user=user, active=active)


@transaction.atomic
def user_active_write(*, actor, user, active: bool) -> User:
    """The write behind ``user_set_active``, for services that checked who may under their own rule
    (an office manager ending an operator's last role). Nothing is written when nothing changes."""
    user = _locked_user(user)
    if user.is_active == active:
        return user
    user.is_active = active
    fields = ["is_active"]
    if not active:
        user.session_epoch += 1
        fields.append("session_epoch")
    user.save(update_fields=fields)
    if not active:
        # A switched-off account holds nothing: its inquiries go back to their districts' queues.
        review_role_ended.send(sender=type(user), actor=actor, user=user, district_id=None)
    power_change_record(
        actor=actor,
        kind=Kind.ACCOUNT_ACTIVE,
        target=user,
        before={"is_active": not active},
        after={"is_active": active},
    )
    return user


@transaction.atomic
def user_set_password_by_admin(*, actor, user, raw_password: str | None) -> User:
    """Set (or, with ``None``, disable) someone's password. Set by another person, it is audited and
    its owner must change it at the next sign-in; their open sessions end (the password hash signs
    them). Setting one's own password is neither audited nor forced."""
    if actor.pk == user.pk:
        user = _locked_user(user)
        if raw_password is None:
            user.set_unusable_password()
        else:
            user.set_password(raw_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        return user
    check_manage(actor, user)
    user = _locked_user(user)
    before = {
        "password": "set" if user.has_usable_password() else "unusable",
        "must_change_password": user.must_change_password,
    }
    if raw_password is None:
        user.set_unusable_password()
        user.must_change_password = False
    else:
        user.set_password(raw_password)
        user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    power_change_record(
        actor=actor,
        kind=Kind.PASSWORD_SET,
        target=user,
        before=before,
        after={
            "password": "set" if raw_password is not None else "unusable",
            "must_change_password": user.must_change_password,
        },
    )
    return user


@transaction.atomic
def user_change_own_password(*, user, raw_password: str) -> User:
    """The owner chose a new password: the forced change is done."""
    user = _locked_user(user)
    user.set_password(raw_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    return user


def _set_flag(*, actor, user, flag: str, value: bool, kind: str) -> User:
    check_set_flag(actor, user, flag, value)
    user = _locked_user(user)
    if getattr(user, flag) == value:
        return user
    setattr(user, flag, value)
    user.save(update_fields=[flag])
    power_change_record(
        actor=actor, kind=kind, target=user, before={flag: not value}, after={flag: value}
    )
    return user


@transaction.atomic
def user_set_superuser(*, actor, user, value: bool) -> User:
    return _set_flag(actor=actor, user=user, flag="is_superuser", value=value, kind=Kind.SUPERUSER)


@transaction.atomic
def user_set_staff(*, actor, user, value: bool) -> User:
    """Admin-site access (Django's ``is_staff``)."""
    return _set_flag(actor=actor, user=user, flag="is_staff", value=value, kind=Kind.STAFF)


@transaction.atomic
def user_set_groups(*, actor, user, groups: Iterable[Group]) -> User:
    check_grant_admin_rights(actor)
    user = _locked_user(user)
    before = sorted(user.groups.values_list("name", flat=True))
    wanted = list({group.pk: group for group in groups}.values())
    after = sorted(group.name for group in wanted)
    if before == after:
        return user
    user.groups.set(wanted)
    power_change_record(
        actor=actor,
        kind=Kind.GROUPS,
        target=user,
        before={"groups": before},
        after={"groups": after},
    )
    return user


def _ict_group() -> Group:
    return Group.objects.get_or_create(name=ICT_ADMIN_GROUP)[0]


@transaction.atomic
def user_grant_ict_admin(*, actor, user) -> User:
    """The ICT admin group. Reaching the admin site also needs ``user_set_staff``."""
    return user_set_groups(actor=actor, user=user, groups=[*user.groups.all(), _ict_group()])


@transaction.atomic
def user_revoke_ict_admin(*, actor, user) -> User:
    return user_set_groups(actor=actor, user=user, groups=user.groups.exclude(name=ICT_ADMIN_GROUP))


def _codenames(permissions) -> list[str]:
    return sorted(f"{p.content_type.app_label}.{p.codename}" for p in permissions)


@transaction.atomic
def user_set_permissions(*, actor, user, permissions: Iterable[Permission]) -> User:
    check_grant_admin_rights(actor)
    user = _locked_user(user)
    wanted = list(permissions)
    before = _codenames(user.user_permissions.select_related("content_type"))
    after = _codenames(wanted)
    if before == after:
        return user
    user.user_permissions.set(wanted)
    power_change_record(
        actor=actor,
        kind=Kind.PERMISSIONS,
        target=user,
        before={"permissions": before},
        after={"permissions": after},
    )
    return user


@transaction.atomic
def group_set_permissions(*, actor, group: Group, permissions: Iterable[Permission]) -> Group:
    """What every member of the group may do."""
    check_grant_admin_rights(actor)
    wanted = list(permissions)
    before = _codenames(group.permissions.select_related("content_type"))
    after = _codenames(wanted)
    if before == after:
        return group
    group.permissions.set(wanted)
    power_change_record(
        actor=actor,
        kind=Kind.GROUP_PERMISSIONS,
        obj=group,
        before={"permissions": before},
        after={"permissions": after},
    )
    return group


# --- Sign-in ---------------------------------------------------------------------------------------


@transaction.atomic
def user_second_factor_reset(*, actor, user) -> User:
    """Remove the person's second factor (the authenticator app and the backup codes): they enrol
    again at their next sign-in, themselves; nobody else ever sees the secret. Their open sessions
    end (a lost phone is the usual reason)."""
    from .second_factor import is_enrolled, second_factor_remove

    check_manage(actor, user)
    user = _locked_user(user)
    before = {"second_factor": "enrolled" if is_enrolled(user) else "none"}
    second_factor_remove(user=user)
    user.session_epoch += 1
    user.save(update_fields=["session_epoch"])
    power_change_record(
        actor=actor,
        kind=Kind.SECOND_FACTOR_RESET,
        target=user,
        before=before,
        after={"second_factor": "none"},
    )
    security_logger.info(
        "second_factor_reset user_id=%s actor_id=%s", user.pk, getattr(actor, "pk", None)
    )
    return user


@transaction.atomic
def user_unlock(*, actor, user) -> User:
    """Lift the lockout after repeated failures of the password or the code (``accounts.lockout``)."""
    from .lockout import is_locked, lockout_clear

    check_manage(actor, user)
    before = {"locked": is_locked(user.get_username())}
    lockout_clear(user.get_username())
    power_change_record(
        actor=actor,
        kind=Kind.ACCOUNT_UNLOCKED,
        target=user,
        before=before,
        after={"locked": False},
    )
    security_logger.info(
        "account_unlocked user_id=%s actor_id=%s", user.pk, getattr(actor, "pk", None)
    )
    return user
