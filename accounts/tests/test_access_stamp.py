"""A person's access stamp (``User.access_stamp``) is renewed by the database with every change to what
their roles and their second factor are read from, whatever makes the change; a request answers
them from what the process read at the stamp it saw, so a role or a device taken away (by a
service, the admin or a bulk update) counts at the next request, and nothing else is read again
while nothing changed."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import roles as roles_module
from accounts.backends import UserBackend
from accounts.middleware import STAMPED_DEVICES
from accounts.models import BackupCodeDevice, User
from accounts.roles import ICT_ADMIN_GROUP, roles_forget, roles_of
from accounts.tests.factories import UserFactory
from accounts.tests.sessions import with_second_factor
from api.models import Institution
from counters.models import CounterOffice, OfficeMembership
from districts.models import DistrictMembership
from inquiries.models import Bank

pytestmark = pytest.mark.django_db


def _stamp(user) -> int:
    return User.objects.values_list("access_stamp", flat=True).get(pk=user.pk)


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
    earlier.save(update_fields=["first_name", "access_stamp"])
    assert _stamp(reviewer_d1) == current
    assert User.objects.get(pk=reviewer_d1.pk).first_name == "نام تازه"
    # Read with some fields only, as Django saves it: those fields, and never the stamp.
    partial = User.objects.only("first_name", "access_stamp").get(pk=reviewer_d1.pk)
    DistrictMembership.objects.filter(user=reviewer_d1).update(is_active=True)
    current = _stamp(reviewer_d1)
    partial.first_name = "نام دیگر"
    with CaptureQueriesContext(connection) as queries:
        partial.save()
    assert len(queries) == 1 and _stamp(reviewer_d1) == current
    assert User.objects.get(pk=reviewer_d1.pk).first_name == "نام دیگر"


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
    monkeypatch.setattr(roles_module._AT_STAMP, "most", 2)
    roles_module._AT_STAMP.clear()
    for _ in range(3):
        DistrictMembership.objects.filter(user=reviewer_d1).update(
            can_sign=_stamp(reviewer_d1) % 2 == 0
        )
        roles_of(_for_request(reviewer_d1))
    assert len(roles_module._AT_STAMP) <= 2


# --- the second factor's devices ----------------------------------------------------------------


def _reads_devices(queries) -> bool:
    return any("otp_totp_totpdevice" in q["sql"] for q in queries)


def test_every_write_to_a_device_restamps_its_person(reviewer_d1, reviewer_d3):
    assert _restamped(
        reviewer_d1,
        lambda: TOTPDevice.objects.create(user=reviewer_d1, name="app", confirmed=False),
    )
    devices = TOTPDevice.objects.filter(user=reviewer_d1)
    assert _restamped(reviewer_d1, lambda: devices.update(confirmed=True))
    assert _restamped(reviewer_d1, lambda: devices.update(last_t=12345))  # a code used
    assert _restamped(reviewer_d1, lambda: devices.update(throttling_failure_count=1))
    before = _stamp(reviewer_d3)
    assert _restamped(reviewer_d1, lambda: devices.update(user=reviewer_d3))
    assert _stamp(reviewer_d3) != before
    assert _restamped(reviewer_d3, lambda: TOTPDevice.objects.filter(user=reviewer_d3).delete())
    codes = BackupCodeDevice.objects.create(user=reviewer_d1, name="codes", code_hashes=["x"])
    rows = BackupCodeDevice.objects.filter(pk=codes.pk)
    assert _restamped(reviewer_d1, lambda: rows.update(code_hashes=[]))
    assert _restamped(reviewer_d1, lambda: rows.delete())


def test_every_kind_of_device_restamps_or_is_read_every_time():
    """A kind of device added later is not kept at a stamp until its table has the triggers."""
    from django.apps import apps

    kinds = {m._meta.label_lower: m for m in apps.get_models() if issubclass(m, Device)}
    assert set(STAMPED_DEVICES) <= set(kinds)
    for label in STAMPED_DEVICES:
        table = kinds[label]._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                    [table],
                )
            else:
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                    [table],
                )
            names = [row[0] for row in cursor.fetchall()]
        assert sum("access_restamp" in name for name in names) >= 2, (table, names)


def test_a_device_is_read_again_only_at_a_new_stamp(settings, reviewer_d1):
    settings.STAFF_SECOND_FACTOR = True
    device = TOTPDevice.objects.create(user=reviewer_d1, name="app", confirmed=True)
    client = with_second_factor(reviewer_d1, device.persistent_id)
    assert client.get("/staff/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/staff/").status_code == 200
    assert not _reads_devices(queries) and not _reads_memberships(queries)

    # Taken away without a service: the next request owes the second factor again.
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=False)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/staff/")
    assert response.status_code == 302 and response["Location"].startswith(
        "/accounts/second-factor/"
    )
    assert _reads_devices(queries)


def test_a_device_deleted_counts_at_the_next_request(settings, reviewer_d1):
    settings.STAFF_SECOND_FACTOR = True
    device = TOTPDevice.objects.create(user=reviewer_d1, name="app", confirmed=True)
    client = with_second_factor(reviewer_d1, device.persistent_id)
    assert client.get("/staff/").status_code == 200
    assert client.get("/staff/").status_code == 200
    TOTPDevice.objects.filter(pk=device.pk).delete()
    response = client.get("/staff/")
    assert response.status_code == 302 and response["Location"].startswith(
        "/accounts/second-factor/"
    )


def test_a_device_kept_is_a_copy_of_its_own(settings, reviewer_d1):
    settings.STAFF_SECOND_FACTOR = True
    codes = BackupCodeDevice.objects.create(
        user=reviewer_d1, name="codes", confirmed=True, code_hashes=["a", "b"]
    )
    client = with_second_factor(reviewer_d1, codes.persistent_id)
    first = client.get("/staff/").wsgi_request.user.otp_device
    second = client.get("/staff/").wsgi_request.user.otp_device
    assert first is not second and first.pk == second.pk == codes.pk
    second.code_hashes.append("c")
    third = client.get("/staff/").wsgi_request.user.otp_device
    assert third.code_hashes == ["a", "b"] and third._state.adding is False


def test_forgetting_the_stamp_reaches_through_a_lazy_request_user(reviewer_d1):
    from django.utils.functional import SimpleLazyObject

    from accounts import access_stamp

    person = _for_request(reviewer_d1)
    lazy = SimpleLazyObject(lambda: person)
    assert access_stamp.is_fresh(lazy)
    roles_forget(lazy)
    assert not access_stamp.is_fresh(person)
    roles_forget(lazy)  # twice: nothing to forget
