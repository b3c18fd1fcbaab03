"""What the inquiries app does when something below it changes (connected in ``apps.py``)."""

from __future__ import annotations

from .services.review import inquiries_release_held_by


def release_what_the_person_held(sender, *, actor, user, district_id=None, **kwargs) -> None:
    """``accounts.signals.review_role_ended``: the inquiries the person held where they no longer
    review go back to their districts' queues."""
    inquiries_release_held_by(actor=actor, user=user, district_id=district_id)
