"""What the accounts app does when a person's record is saved (connected in ``apps.py``)."""

from __future__ import annotations

from shahrvand import versions

from .signals import person_renamed

# What ``User.display_name`` is made of.
NAMED_BY = ("first_name", "last_name", "username")


def name_before_save(sender, *, instance, raw=False, update_fields=None, **kwargs) -> None:
    """``pre_save`` of a person already on file: their name as stored, when this save may change it
    and a shared cache keeps pages that show names (``shahrvand.versions``). A new person is on no
    page yet; a save of other fields only (the last sign-in) reads nothing."""
    instance._name_before_save = None
    if raw or instance._state.adding or instance.pk is None or not versions.shared():
        return
    if update_fields is not None and not set(update_fields) & set(NAMED_BY):
        return
    instance._name_before_save = (
        sender._base_manager.filter(pk=instance.pk).values_list(*NAMED_BY).first()
    )


def name_after_save(sender, *, instance, raw=False, **kwargs) -> None:
    """``post_save``: ``person_renamed`` when the name is no longer the one stored before."""
    before = getattr(instance, "_name_before_save", None)
    instance._name_before_save = None
    if raw or before is None:
        return
    if before != tuple(getattr(instance, name) for name in NAMED_BY):
        person_renamed.send(sender=sender, user=instance)
