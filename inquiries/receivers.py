"""What the inquiries app does when something below it changes (connected in ``apps.py``)."""

from __future__ import annotations

from shahrvand import versions

from .services.review import inquiries_release_held_by


def lists_changed(sender, *, instance, raw=False, **kwargs) -> None:
    """``post_save`` of an inquiry: the lists it is on (its district's, its office's, its filer's
    and its applicant's own) are rendered again once the save commits (``shahrvand.kept_lists``)."""
    if raw or not versions.shared():
        return
    versions.bump_on_commit(versions.district_lists(instance.district_id))
    if instance.office_id is not None:
        versions.bump_on_commit(versions.office_lists(instance.office_id))
    if instance.filed_by_id is not None:
        versions.bump_on_commit(versions.filer_lists(instance.filed_by_id))
    if instance.applicant_national_id:
        versions.bump_on_commit(versions.applicant_lists(instance.applicant_national_id))


def release_what_the_person_held(sender, *, actor, user, district_id=None, **kwargs) -> None:
    """``accounts.signals.review_role_ended``: the inquiries the person held where they no longer
    review go back to their districts' queues."""
    inquiries_release_held_by(actor=actor, user=user, district_id=district_id)


def lists_naming_person(sender, *, user, **kwargs) -> None:
    """``accounts.signals.person_renamed``: the lists that show the person's name are rendered again
    once the save commits: their districts' queues where they hold an inquiry ("held by"), and the
    queues of the offices they filed for ("filed by")."""
    if not versions.shared():
        return
    from .models import Inquiry

    held_in = Inquiry.objects.filter(assigned_to=user).order_by().values_list("district_id")
    filed_for = (
        Inquiry.objects.filter(filed_by=user, office__isnull=False)
        .order_by()
        .values_list("office_id")
    )
    names = {versions.district_lists(d) for (d,) in held_in.distinct()}
    names |= {versions.office_lists(o) for (o,) in filed_for.distinct()}
    for name in sorted(names):
        versions.bump_on_commit(name)
