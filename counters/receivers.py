"""What the counters app does when its own records change (connected in ``apps.py``)."""

from __future__ import annotations

from shahrvand import versions


def offices_changed(sender, *, raw=False, **kwargs) -> None:
    """``post_save`` and ``post_delete`` of an office or anything recorded about it: the offices'
    kept pages are rendered again once the change commits (``shahrvand.kept_lists``)."""
    if raw or not versions.shared():
        return
    versions.bump_on_commit(versions.OFFICES)


def offices_naming_person(sender, *, user, **kwargs) -> None:
    """``accounts.signals.person_renamed``: the offices' kept pages show their operators' and
    inspectors' names (an office's page, the operators filter of its queue), so they are rendered
    again once the save commits when the person is one of those."""
    if not versions.shared():
        return
    from .models import OfficeMembership, OfficeVisit

    if (
        OfficeMembership.objects.filter(user=user).exists()
        or OfficeVisit.objects.filter(inspector=user).exists()
    ):
        versions.bump_on_commit(versions.OFFICES)
