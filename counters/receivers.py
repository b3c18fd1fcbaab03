"""What the counters app does when its own records change (connected in ``apps.py``)."""

from __future__ import annotations

from shahrvand import versions


def offices_changed(sender, *, raw=False, **kwargs) -> None:
    """``post_save`` and ``post_delete`` of an office or anything recorded about it: the offices'
    kept pages are rendered again once the change commits (``shahrvand.kept_lists``)."""
    if raw or not versions.shared():
        return
    versions.bump_on_commit(versions.OFFICES)
