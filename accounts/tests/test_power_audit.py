"""Every change of power writes exactly one append-only audit row: who, when, what, before -> after."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client

from accounts import services_power as power
from accounts.models import PowerChange, PowerChangeKind
from accounts.roles import ICT_ADMIN_GROUP
from accounts.tests.admin_forms import change_form_data
from accounts.tests.factories import UserFactory
from counters import services as counter_services
from counters.models import CounterOffice, OfficeMembership
from districts.models import DistrictMembership
from districts.tests.factories import DistrictMembershipFactory, district
from shahrvand.append_only import AppendOnlyError

pytestmark = pytest.mark.django_db

Kind = PowerChangeKind


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def newcomer(db):
    return UserFactory(username="newcomer")


def only_row(kind=None) -> PowerChange:
    rows = list(PowerChange.objects.all())
    assert len(rows) == 1, [(r.kind, r.before, r.after) for r in rows]
    if kind is not None:
        assert rows[0].kind == kind
    return rows[0]


def membership_of(user) -> DistrictMembership:
    return DistrictMembership.objects.get(user=user)


# --- Accounts ---------------------------------------------------------------------------------------


def test_deactivating_an_account_writes_one_row(ict_admin, reviewer_d1):
    power.user_set_active(actor=ict_admin, user=reviewer_d1, active=False)
    power.user_set_active(actor=ict_admin, user=reviewer_d1, active=False)  # no change, no row
    row = only_row(Kind.ACCOUNT_ACTIVE)
    assert (row.actor, row.target) == (ict_admin, reviewer_d1)
    assert (row.before, row.after) == ({"is_active": True}, {"is_active": False})


def test_activating_an_account_writes_one_row(ict_admin, reviewer_d1):
    reviewer_d1.is_active = False
    reviewer_d1.save()
    power.user_set_active(actor=ict_admin, user=reviewer_d1, active=True)
    row = only_row(Kind.ACCOUNT_ACTIVE)
    assert (row.before, row.after) == ({"is_active": False}, {"is_active": True})


def test_deactivating_an_account_ends_its_sessions_for_good(client_for, ict_admin, reviewer_d1):
    reviewer = client_for(reviewer_d1)
    assert reviewer.get("/staff/").status_code == 200
    admin = client_for(ict_admin)
    for action in ("deactivate_selected", "activate_selected"):
        admin.post(
            "/admin/accounts/user/", {"action": action, "_selected_action": [reviewer_d1.pk]}
        )
    reviewer_d1.refresh_from_db()
    assert reviewer_d1.is_active
    # Active again, but the session opened before the deactivation stays ended.
    response = reviewer.get("/staff/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    fresh = Client()
    assert fresh.login(username="reviewer-d1", password="secret-pass-1401")
    assert fresh.get("/staff/").status_code == 200
    assert [r.after for r in PowerChange.objects.order_by("pk")] == [
        {"is_active": False},
        {"is_active": True},
    ]


def test_an_account_created_in_the_admin_writes_one_row(client_for, ict_admin):
    client = client_for(ict_admin)
    data = change_form_data(
        client.get("/admin/accounts/user/add/"),
        username="new-reviewer",
        usable_password="true",
        password1="Golestan!1405",
        password2="Golestan!1405",
    )
    assert client.post("/admin/accounts/user/add/", data).status_code == 302
    row = only_row(Kind.ACCOUNT_CREATED)
    assert row.target.username == "new-reviewer" and row.actor == ict_admin
    assert row.after == {"is_active": True, "password": "set", "must_change_password": True}


def test_a_password_set_by_another_person_writes_one_row(ict_admin, reviewer_d1):
    power.user_set_password_by_admin(actor=ict_admin, user=reviewer_d1, raw_password="N0o-Rooz!x")
    row = only_row(Kind.PASSWORD_SET)
    assert row.before == {"password": "set", "must_change_password": False}
    assert row.after == {"password": "set", "must_change_password": True}
    assert "pbkdf2" not in str(row.after) and "md5" not in str(row.after)


@pytest.mark.parametrize(
    ("call", "kind", "before", "after"),
    [
        (
            lambda a, u: power.user_set_superuser(actor=a, user=u, value=True),
            Kind.SUPERUSER,
            {"is_superuser": False},
            {"is_superuser": True},
        ),
        (
            lambda a, u: power.user_set_staff(actor=a, user=u, value=True),
            Kind.STAFF,
            {"is_staff": False},
            {"is_staff": True},
        ),
        (
            lambda a, u: power.user_grant_ict_admin(actor=a, user=u),
            Kind.GROUPS,
            {"groups": []},
            {"groups": [ICT_ADMIN_GROUP]},
        ),
        (
            lambda a, u: power.user_set_permissions(
                actor=a, user=u, permissions=Permission.objects.filter(codename="view_district")
            ),
            Kind.PERMISSIONS,
            {"permissions": []},
            {"permissions": ["districts.view_district"]},
        ),
    ],
    ids=["superuser", "staff", "ict-admin-group", "permissions"],
)
def test_each_admin_right_granted_writes_one_row(superuser, newcomer, call, kind, before, after):
    call(superuser, newcomer)
    call(superuser, newcomer)  # the same again changes nothing and writes nothing
    row = only_row(kind)
    assert (row.actor, row.target, row.before, row.after) == (superuser, newcomer, before, after)


def test_revoking_the_ict_admin_group_writes_one_row(superuser, ict_admin):
    power.user_revoke_ict_admin(actor=superuser, user=ict_admin)
    row = only_row(Kind.GROUPS)
    assert (row.before, row.after) == ({"groups": [ICT_ADMIN_GROUP]}, {"groups": []})
    assert not ict_admin.groups.exists()


def test_a_groups_permissions_changed_in_the_admin_write_one_row(client_for, superuser):
    group = Group.objects.create(name="auditors")
    client = client_for(superuser)
    page = client.get(f"/admin/auth/group/{group.pk}/change/")
    permission = Permission.objects.get(codename="view_powerchange")
    response = client.post(
        f"/admin/auth/group/{group.pk}/change/",
        change_form_data(page, permissions=[permission.pk]),
    )
    assert response.status_code == 302
    row = only_row(Kind.GROUP_PERMISSIONS)
    assert row.target is None and row.object_repr == "auditors"
    assert row.after == {"permissions": ["accounts.view_powerchange"]}


def test_a_group_with_members_is_not_deleted(client_for, superuser, ict_admin):
    response = client_for(superuser).post(
        f"/admin/auth/group/{Group.objects.get(name=ICT_ADMIN_GROUP).pk}/delete/",
        {"post": "yes"},
        follow=True,
    )
    assert response.status_code == 200
    assert Group.objects.filter(name=ICT_ADMIN_GROUP).exists()


# --- District memberships ---------------------------------------------------------------------------


def test_a_district_membership_added_on_the_users_page_writes_one_row(
    client_for, ict_admin, newcomer
):
    client = client_for(ict_admin)
    url = f"/admin/accounts/user/{newcomer.pk}/change/"
    data = change_form_data(client.get(url))
    data.update(
        {
            "district_memberships-TOTAL_FORMS": "1",
            "district_memberships-0-district": str(district(2).pk),
            "district_memberships-0-role": "reviewer",
            "district_memberships-0-can_sign": "on",
            "district_memberships-0-is_active": "on",
        }
    )
    assert client.post(url, data).status_code == 302
    membership = membership_of(newcomer)
    row = only_row(Kind.DISTRICT_GRANTED)
    assert (row.actor, row.target, row.object_id) == (ict_admin, newcomer, membership.pk)
    assert row.after == {
        "district": district(2).pk,
        "role": "reviewer",
        "can_sign": True,
        "is_active": True,
    }
    assert row.object_repr == str(district(2))


def test_a_district_membership_added_in_its_own_admin_writes_one_row(
    client_for, ict_admin, newcomer
):
    response = client_for(ict_admin).post(
        "/admin/districts/districtmembership/add/",
        {"user": newcomer.pk, "district": district(1).pk, "role": "kiosk", "is_active": "on"},
    )
    assert response.status_code == 302
    assert only_row(Kind.DISTRICT_GRANTED).after["role"] == "kiosk"


def test_a_role_change_writes_one_row(client_for, ict_admin, reviewer_d1):
    membership = membership_of(reviewer_d1)
    url = f"/admin/districts/districtmembership/{membership.pk}/change/"
    client = client_for(ict_admin)
    assert client.post(url, change_form_data(client.get(url), role="manager")).status_code == 302
    row = only_row(Kind.DISTRICT_ROLE)
    assert (row.before, row.after) == ({"role": "reviewer"}, {"role": "manager"})
    assert row.object_id == membership.pk


def test_a_signing_right_given_writes_one_row(client_for, ict_admin, reviewer_d1):
    membership = membership_of(reviewer_d1)
    url = f"/admin/districts/districtmembership/{membership.pk}/change/"
    client = client_for(ict_admin)
    assert client.post(url, change_form_data(client.get(url), can_sign=True)).status_code == 302
    row = only_row(Kind.SIGNING_RIGHT)
    assert (row.before, row.after) == ({"can_sign": False}, {"can_sign": True})
    membership.refresh_from_db()
    assert membership.can_sign


def test_a_signing_right_taken_on_the_users_page_writes_one_row(client_for, ict_admin, manager_d1):
    client = client_for(ict_admin)
    url = f"/admin/accounts/user/{manager_d1.pk}/change/"
    data = change_form_data(client.get(url))
    data.pop("district_memberships-0-can_sign")
    assert client.post(url, data).status_code == 302
    row = only_row(Kind.SIGNING_RIGHT)
    assert (row.before, row.after) == ({"can_sign": True}, {"can_sign": False})


def test_a_membership_deactivated_by_bulk_action_writes_one_row_each(
    client_for, ict_admin, reviewer_d1, kiosk_clerk
):
    selected = [membership_of(reviewer_d1).pk, membership_of(kiosk_clerk).pk]
    client_for(ict_admin).post(
        "/admin/districts/districtmembership/",
        {"action": "deactivate_selected", "_selected_action": selected},
    )
    assert not DistrictMembership.objects.filter(pk__in=selected, is_active=True).exists()
    rows = PowerChange.objects.filter(kind=Kind.DISTRICT_ACTIVE)
    assert sorted(rows.values_list("object_id", flat=True)) == sorted(selected)
    assert all(row.after == {"is_active": False} for row in rows)
    assert PowerChange.objects.count() == 2


def test_a_membership_removed_in_the_admin_writes_one_row(client_for, ict_admin, reviewer_d1):
    membership = membership_of(reviewer_d1)
    response = client_for(ict_admin).post(
        f"/admin/districts/districtmembership/{membership.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not DistrictMembership.objects.filter(pk=membership.pk).exists()
    row = only_row(Kind.DISTRICT_REMOVED)
    assert row.object_id == membership.pk and row.target == reviewer_d1
    assert row.before == {
        "district": district(1).pk,
        "role": "reviewer",
        "can_sign": False,
        "is_active": True,
    }
    assert row.after == {}


def test_a_role_the_person_already_holds_there_is_refused_on_the_form(
    client_for, ict_admin, reviewer_d1
):
    DistrictMembershipFactory(user=reviewer_d1, district=district(1), role="kiosk")
    membership = DistrictMembership.objects.get(user=reviewer_d1, role="reviewer")
    url = f"/admin/districts/districtmembership/{membership.pk}/change/"
    client = client_for(ict_admin)
    page = client.post(url, change_form_data(client.get(url), role="kiosk"))
    assert page.status_code == 200
    assert page.context["adminform"].form.non_field_errors()
    membership.refresh_from_db()
    assert membership.role == "reviewer"
    assert not PowerChange.objects.exists()


def test_a_membership_cannot_be_moved_to_another_district(client_for, ict_admin, reviewer_d1):
    client = client_for(ict_admin)
    url = f"/admin/accounts/user/{reviewer_d1.pk}/change/"
    data = change_form_data(client.get(url))
    data["district_memberships-0-district"] = str(district(3).pk)
    response = client.post(url, data)
    assert response.status_code == 200
    assert membership_of(reviewer_d1).district == district(1)
    assert not PowerChange.objects.exists()


# --- Office memberships and offices ------------------------------------------------------------------


def test_an_operator_created_by_the_office_manager_is_audited(pishkhan_manager, pishkhan_office):
    membership = counter_services.operator_create(
        actor=pishkhan_manager,
        office=pishkhan_office,
        username="op-audited",
        first_name="مینا",
        last_name="کریمی",
        password="Daryache!1405",
    )
    rows = {row.kind: row for row in PowerChange.objects.all()}
    assert set(rows) == {Kind.ACCOUNT_CREATED, Kind.OFFICE_GRANTED}
    assert rows[Kind.ACCOUNT_CREATED].after["must_change_password"] is True
    assert rows[Kind.OFFICE_GRANTED].after == {
        "office": pishkhan_office.pk,
        "role": "operator",
        "is_active": True,
    }
    assert all(r.actor == pishkhan_manager and r.target == membership.user for r in rows.values())
    assert membership.user.must_change_password


def test_an_operators_last_role_ended_ends_the_account_with_one_row_each(
    pishkhan_manager, pishkhan_operator
):
    membership = OfficeMembership.objects.get(user=pishkhan_operator)
    counter_services.operator_set_active(
        actor=pishkhan_manager, membership=membership, active=False
    )
    rows = {row.kind: row for row in PowerChange.objects.all()}
    assert set(rows) == {Kind.OFFICE_ACTIVE, Kind.ACCOUNT_ACTIVE}
    assert rows[Kind.OFFICE_ACTIVE].after == {"is_active": False}
    assert rows[Kind.ACCOUNT_ACTIVE].after == {"is_active": False}
    pishkhan_operator.refresh_from_db()
    assert not pishkhan_operator.is_active and pishkhan_operator.session_epoch == 1


def test_an_office_membership_added_on_the_offices_page_writes_one_row(
    client_for, ict_admin, pishkhan_office, newcomer
):
    client = client_for(ict_admin)
    url = f"/admin/counters/counteroffice/{pishkhan_office.pk}/change/"
    data = change_form_data(client.get(url))
    data.update(
        {
            "memberships-TOTAL_FORMS": "1",
            "memberships-0-user": str(newcomer.pk),
            "memberships-0-role": "operator",
            "memberships-0-is_active": "on",
        }
    )
    assert client.post(url, data).status_code == 302
    row = only_row(Kind.OFFICE_GRANTED)
    assert row.target == newcomer and row.object_repr == str(pishkhan_office)


def test_an_office_role_change_and_removal_write_one_row_each(
    client_for, ict_admin, pishkhan_operator, pishkhan_office
):
    client = client_for(ict_admin)
    url = f"/admin/counters/counteroffice/{pishkhan_office.pk}/change/"
    data = change_form_data(client.get(url), **{"memberships-0-role": "manager"})
    assert client.post(url, data).status_code == 302
    row = only_row(Kind.OFFICE_ROLE)
    assert (row.before, row.after) == ({"role": "operator"}, {"role": "manager"})

    data = change_form_data(client.get(url), **{"memberships-0-DELETE": True})
    assert client.post(url, data).status_code == 302
    assert not OfficeMembership.objects.filter(user=pishkhan_operator).exists()
    removed = PowerChange.objects.get(kind=Kind.OFFICE_REMOVED)
    assert removed.before["role"] == "manager" and removed.after == {}


def test_an_office_deactivated_in_the_admin_writes_one_row(
    client_for, ict_admin, pishkhan_office, pishkhan_operator
):
    client_for(ict_admin).post(
        "/admin/counters/counteroffice/",
        {"action": "deactivate", "_selected_action": [pishkhan_office.pk]},
    )
    assert not CounterOffice.objects.get(pk=pishkhan_office.pk).is_active
    row = only_row(Kind.OFFICE_SWITCHED)
    assert row.target is None and row.object_id == pishkhan_office.pk
    assert (row.before, row.after) == ({"is_active": True}, {"is_active": False})


# --- The audit itself -------------------------------------------------------------------------------


@pytest.fixture
def row(ict_admin, reviewer_d1) -> PowerChange:
    power.user_set_active(actor=ict_admin, user=reviewer_d1, active=False)
    return PowerChange.objects.get()


def test_audit_rows_cannot_be_changed_or_deleted(row):
    row.after = {"is_active": True}
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        PowerChange.objects.filter(pk=row.pk).update(after={})
    with pytest.raises(AppendOnlyError):
        PowerChange.objects.all().delete()
    assert PowerChange.objects.get().after == {"is_active": False}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (run by .ci/run)")
def test_the_database_refuses_to_change_audit_rows(row):
    from django.db import DatabaseError, transaction

    for sql in (
        "UPDATE accounts_powerchange SET after = '{}'",
        "DELETE FROM accounts_powerchange",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert PowerChange.objects.get().after == {"is_active": False}


def test_a_person_with_a_history_of_access_cannot_be_deleted(row, reviewer_d1):
    from django.db.models import ProtectedError

    membership_of(reviewer_d1).delete()
    with pytest.raises(ProtectedError):
        reviewer_d1.delete()


@pytest.mark.parametrize("persona", ["superuser", "ict_admin"])
def test_the_admin_shows_audit_rows_read_only(client_for, request, persona, row):
    client = client_for(request.getfixturevalue(persona))
    page = client.get(f"/admin/accounts/powerchange/{row.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    for field in ("kind", "actor", "target", "before", "after", "created_at"):
        assert f'name="{field}"' not in html
    assert client.post(f"/admin/accounts/powerchange/{row.pk}/change/", {}).status_code == 403
    assert client.get(f"/admin/accounts/powerchange/{row.pk}/delete/").status_code == 403
    assert (
        client.post(f"/admin/accounts/powerchange/{row.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert client.get("/admin/accounts/powerchange/add/").status_code == 403
    assert PowerChange.objects.get().after == {"is_active": False}


def test_the_audit_list_filters_and_searches_by_username_never_national_id(
    client_for, superuser, row, reviewer_d1
):
    reviewer_d1.national_id = "0013542419"
    reviewer_d1.save()
    client = client_for(superuser)
    listed = client.get("/admin/accounts/powerchange/", {"q": "reviewer-d1"})
    assert list(listed.context["cl"].result_list) == [row]
    assert not list(
        client.get("/admin/accounts/powerchange/", {"q": "0013542419"}).context["cl"].result_list
    )
    filtered = client.get("/admin/accounts/powerchange/", {"kind__exact": Kind.SIGNING_RIGHT})
    assert not list(filtered.context["cl"].result_list)
    assert "0013542419" not in listed.content.decode()
