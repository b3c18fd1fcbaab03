"""A person's roles stamp (``User.roles_stamp``) is renewed by the database with every change to what
their roles are read from, whatever makes the change; a request answers its roles from what the
process read last at the stamp it saw, so a role taken away (by a service, the admin or a bulk
update) counts at the next request, and nothing else is read again while nothing changed."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts import roles as roles_module
from accounts.backends import UserBackend
from accounts.models import User
from accounts.roles import ICT_ADMIN_GROUP, roles_forget, roles_of
from accounts.tests.factories import UserFactory
from api.models import Institution
from counters.models import CounterOffice, OfficeMembership
from districts.models import DistrictMembership
from inquiries.models import Bank

pytestmark = pytest.mark.django_db


def _stamp(user) -> int:
    return User.objects.values_list("roles_stamp", flat=True).get(pk=user.pk)


def _restamped(user, change) -> bool:
    before = _stamp(user)
    change()
    return _stamp(user) != before


def _reads_memberships(queries) -> bool:
    return any("districts_districtmembership" in q["sql"] for q in queries)


def test_a_new_account_has_a_stamp_of_its_own():
    first, second = UserFactory(), UserFactory()
    assert _stamp(first) != _stamp(second)
    assert _stamp(first) != 0


def test_every_change_to_a_district_membership_restamps_its_person(reviewer_d1, reviewer_d3):
    membership = DistrictMembership.objects.get(user=reviewer_d1)
    rows = DistrictMembership.objects.filter(pk=membership.pk)
    assert _restamped(reviewer_d1, lambda: rows.update(role="manager"))
    assert _restamped(reviewer_d1, lambda: rows.update(can_sign=True))
    assert _restamped(reviewer_d1, lambda: rows.update(is_active=False))
    assert _restamped(
        reviewer_d1, lambda: rows.update(district=reviewer_d3.district_memberships.get().district)
    )
    # Handed to another person: both are restamped.
    before = _stamp(reviewer_d3)
    assert _restamped(reviewer_d1, lambda: rows.update(user=reviewer_d3))
    assert _stamp(reviewer_d3) != before
    assert _restamped(reviewer_d3, lambda: rows.delete())
    assert _restamped(
        reviewer_d1,
        lambda: DistrictMembership.objects.create(
            user=reviewer_d1, district=membership.district, role="kiosk"
        ),
    )
    # A column the roles do not read is no change of roles.
    assert not _restamped(
        reviewer_d1,
        lambda: DistrictMembership.objects.filter(user=reviewer_d1).update(
            created_at=membership.created_at
        ),
    )


def test_office_memberships_and_the_office_itself_restamp_its_people(
    pishkhan_operator, pishkhan_manager
):
    office = CounterOffice.objects.get(memberships__user=pishkhan_operator)
    membership = OfficeMembership.objects.filter(user=pishkhan_operator)
    assert _restamped(pishkhan_operator, lambda: membership.update(role="manager"))
    assert _restamped(pishkhan_operator, lambda: membership.update(is_active=False))
    # The office switched off or of another kind: every one of its people.
    offices = CounterOffice.objects.filter(pk=office.pk)
    for change in (lambda: offices.update(is_active=False), lambda: offices.update(kind="notary")):
        operator, manager = _stamp(pishkhan_operator), _stamp(pishkhan_manager)
        change()
        assert _stamp(pishkhan_operator) != operator and _stamp(pishkhan_manager) != manager
    assert not _restamped(pishkhan_manager, lambda: offices.update(name="دفتر دیگر"))
    assert _restamped(pishkhan_operator, lambda: membership.delete())


def test_the_ict_group_and_an_institution_restamp_their_people(ict_admin):
    person = UserFactory()
    group = Group.objects.get(name=ICT_ADMIN_GROUP)
    assert _restamped(person, lambda: person.groups.add(group))
    assert _restamped(ict_admin, lambda: Group.objects.filter(pk=group.pk).update(name="renamed"))
    assert _restamped(person, lambda: person.groups.remove(group))

    account = UserFactory(username="institution-bank")
    bank = Institution(kind="bank", name="بانک ملی", bank=Bank.objects.get(code="melli"))
    assert _restamped(account, lambda: (setattr(bank, "account", account), bank.save()))
    rows = Institution.objects.filter(pk=bank.pk)
    assert _restamped(account, lambda: rows.update(is_active=False))
    other = UserFactory(username="institution-other")
    assert _restamped(account, lambda: rows.update(account=other))
    assert _stamp(other) != 0


def test_saving_an_account_read_earlier_keeps_the_current_stamp(reviewer_d1):
    earlier = User.objects.get(pk=reviewer_d1.pk)
    DistrictMembership.objects.filter(user=reviewer_d1).update(is_active=False)
    current = _stamp(reviewer_d1)
    earlier.first_name = "نام تازه"
    earlier.save()
    earlier.save(update_fields=["first_name", "roles_stamp"])
    assert _stamp(reviewer_d1) == current
    assert User.objects.get(pk=reviewer_d1.pk).first_name == "نام تازه"


def _for_request(user) -> User:
    """The person as a request reads them (``UserBackend.get_user``)."""
    return UserBackend().get_user(user.pk)


def test_a_request_reads_memberships_again_only_at_a_new_stamp(reviewer_d1):
    assert roles_of(_for_request(reviewer_d1)).reviews_in(
        reviewer_d1.district_memberships.get().district_id
    )
    with CaptureQueriesContext(connection) as queries:
        assert roles_of(_for_request(reviewer_d1)).is_reviewer_or_manager
    assert not _reads_memberships(queries)

    DistrictMembership.objects.filter(user=reviewer_d1).update(is_active=False)  # no service
    with CaptureQueriesContext(connection) as queries:
        assert not roles_of(_for_request(reviewer_d1)).is_district_staff
    assert _reads_memberships(queries)


def test_a_person_not_read_for_a_request_is_always_read_afresh(reviewer_d1):
    held = _for_request(reviewer_d1)
    roles_of(held)
    kept = User.objects.get(pk=reviewer_d1.pk)  # e.g. in a task or a service
    DistrictMembership.objects.filter(user=reviewer_d1).update(is_active=False)
    roles_forget(kept)
    assert not roles_of(kept).is_district_staff
    # The request's own copy, told its roles changed (``roles_forget``), reads them again too.
    roles_forget(held)
    assert not roles_of(held).is_district_staff


def test_a_change_rolled_back_leaves_no_roles_behind(reviewer_d1):
    with pytest.raises(RuntimeError), transaction.atomic():
        DistrictMembership.objects.filter(user=reviewer_d1).update(is_active=False)
        assert not roles_of(_for_request(reviewer_d1)).is_district_staff
        raise RuntimeError("rolled back")
    assert roles_of(_for_request(reviewer_d1)).is_reviewer_or_manager


def test_a_role_taken_away_counts_at_the_next_request(client_for, reviewer_d1):
    client = client_for(reviewer_d1)
    assert client.get("/staff/").status_code == 200
    assert client.get("/staff/").status_code == 200  # from what was read at the same stamp
    DistrictMembership.objects.filter(user=reviewer_d1).update(is_active=False)
    assert client.get("/staff/").status_code == 403


def test_what_is_kept_is_bounded(reviewer_d1, monkeypatch):
    monkeypatch.setattr(roles_module, "_AT_STAMP_MOST", 2)
    roles_module._AT_STAMP.clear()
    for _ in range(3):
        DistrictMembership.objects.filter(user=reviewer_d1).update(
            can_sign=_stamp(reviewer_d1) % 2 == 0
        )
        roles_of(_for_request(reviewer_d1))
    assert len(roles_module._AT_STAMP) <= 2
