"""An ICT admin manages people within limits; superusers are managed only by superusers."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from accounts import services_power as power
from accounts.models import PowerChange, PowerChangeKind, User
from accounts.roles import ICT_ADMIN_GROUP
from accounts.tests.admin_forms import change_form_data
from accounts.tests.factories import UserFactory
from districts import services_power as district_power
from districts.models import DistrictMembership
from districts.tests.factories import DistrictMembershipFactory, district

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-1401"
NEW_PASSWORD = "Anar-Sorkh!1405"


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def other_ict_admin(db):
    return UserFactory(username="ict-admin-2", ict_admin=True)


def user_page(user) -> str:
    return f"/admin/accounts/user/{user.pk}/change/"


def password_page(user) -> str:
    return f"/admin/accounts/user/{user.pk}/password/"


def password_data(password: str = NEW_PASSWORD) -> dict:
    return {"usable_password": "true", "password1": password, "password2": password}


# --- The superuser is out of an ICT admin's reach ---------------------------------------------------


def test_ict_admin_sees_the_superuser_read_only(client_for, ict_admin, superuser):
    page = client_for(ict_admin).get(user_page(superuser))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="username"' not in html
    assert 'name="is_active"' not in html
    assert password_page(superuser) not in html


def test_ict_admin_cannot_post_changes_to_the_superusers_record(client_for, ict_admin, superuser):
    client = client_for(ict_admin)
    data = {"username": "taken-over", "first_name": "x", "last_name": "y", "email": ""}
    response = client.post(user_page(superuser), data)
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.username == "root" and superuser.is_active
    assert not PowerChange.objects.exists()


def test_ict_admin_cannot_open_the_superusers_password_page(client_for, ict_admin, superuser):
    assert client_for(ict_admin).get(password_page(superuser)).status_code == 403


def test_ict_admin_cannot_set_the_superusers_password(client_for, ict_admin, superuser):
    response = client_for(ict_admin).post(password_page(superuser), password_data())
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.check_password(PASSWORD)
    assert not superuser.must_change_password
    assert not PowerChange.objects.exists()


def test_ict_admin_cannot_deactivate_a_superuser_with_the_bulk_action(
    client_for, ict_admin, superuser, reviewer_d1
):
    response = client_for(ict_admin).post(
        "/admin/accounts/user/",
        {"action": "deactivate_selected", "_selected_action": [superuser.pk, reviewer_d1.pk]},
        follow=True,
    )
    assert response.status_code == 200
    superuser.refresh_from_db()
    reviewer_d1.refresh_from_db()
    assert superuser.is_active
    assert not reviewer_d1.is_active  # the rest of the selection is still done
    shown = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("root:") for m in shown)
    assert list(PowerChange.objects.values_list("target__username", flat=True)) == ["reviewer-d1"]


def test_ict_admin_cannot_delete_the_superuser(client_for, ict_admin, superuser):
    client = client_for(ict_admin)
    assert client.get(f"/admin/accounts/user/{superuser.pk}/delete/").status_code == 403
    assert client.post(f"/admin/accounts/user/{superuser.pk}/delete/", {"post": "yes"}).status_code
    assert User.objects.filter(pk=superuser.pk).exists()


def test_ict_admin_cannot_change_another_ict_admin(client_for, ict_admin, other_ict_admin):
    client = client_for(ict_admin)
    assert client.post(password_page(other_ict_admin), password_data()).status_code == 403
    response = client.post(
        "/admin/accounts/user/",
        {"action": "deactivate_selected", "_selected_action": [other_ict_admin.pk]},
    )
    assert response.status_code == 302
    other_ict_admin.refresh_from_db()
    assert other_ict_admin.is_active and other_ict_admin.check_password(PASSWORD)


def test_ict_admin_cannot_set_superuser_staff_or_groups_on_anyone(
    client_for, ict_admin, reviewer_d1
):
    client = client_for(ict_admin)
    page = client.get(user_page(reviewer_d1))
    html = page.content.decode()
    for field in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert f'name="{field}"' not in html
    group = Group.objects.get(name=ICT_ADMIN_GROUP)
    data = change_form_data(
        page, first_name="رضا", is_superuser=True, is_staff=True, groups=[group.pk]
    )
    response = client.post(user_page(reviewer_d1), data)
    assert response.status_code == 302
    reviewer_d1.refresh_from_db()
    assert reviewer_d1.first_name == "رضا"  # what an ICT admin may change is saved
    assert not reviewer_d1.is_superuser and not reviewer_d1.is_staff
    assert not reviewer_d1.groups.exists()
    assert not PowerChange.objects.exists()


def test_ict_admin_cannot_create_an_account_with_admin_rights(client_for, ict_admin):
    client = client_for(ict_admin)
    data = change_form_data(
        client.get("/admin/accounts/user/add/"),
        username="new-staff",
        usable_password="true",
        password1=NEW_PASSWORD,
        password2=NEW_PASSWORD,
        is_superuser=True,
        is_staff=True,
    )
    assert client.post("/admin/accounts/user/add/", data).status_code == 302
    created = User.objects.get(username="new-staff")
    assert not created.is_superuser and not created.is_staff
    assert created.must_change_password


def test_ict_admin_cannot_deactivate_themselves(client_for, ict_admin):
    client_for(ict_admin).post(
        "/admin/accounts/user/",
        {"action": "deactivate_selected", "_selected_action": [ict_admin.pk]},
    )
    ict_admin.refresh_from_db()
    assert ict_admin.is_active


def test_ict_admin_cannot_give_themselves_a_district_role(client_for, ict_admin):
    response = client_for(ict_admin).post(
        "/admin/districts/districtmembership/add/",
        {"user": ict_admin.pk, "district": district(1).pk, "role": "manager", "is_active": "on"},
    )
    assert response.status_code == 200
    with translation.override("fa"):
        with pytest.raises(power.PowerRefused) as refusal:
            power.check_manage(ict_admin, ict_admin)
        expected = str(refusal.value.message)
    assert response.context["adminform"].form.non_field_errors() == [expected]
    assert expected in response.content.decode()
    assert not DistrictMembership.objects.filter(user=ict_admin).exists()


def test_memberships_of_a_superuser_are_read_only_for_an_ict_admin(
    client_for, ict_admin, superuser
):
    membership = DistrictMembershipFactory(user=superuser, role="manager")
    client = client_for(ict_admin)
    url = f"/admin/districts/districtmembership/{membership.pk}/change/"
    assert client.post(url, {"role": "kiosk", "is_active": ""}).status_code == 403
    client.post(
        "/admin/districts/districtmembership/",
        {"action": "deactivate_selected", "_selected_action": [membership.pk]},
    )
    membership.refresh_from_db()
    assert membership.is_active and membership.role == "manager"


def test_an_ict_admin_cannot_pick_an_administrator_for_a_membership(
    client_for, ict_admin, superuser, other_ict_admin, reviewer_d1
):
    response = client_for(ict_admin).get(
        "/admin/autocomplete/",
        {
            "app_label": "districts",
            "model_name": "districtmembership",
            "field_name": "user",
            "term": "",
        },
    )
    ids = {int(item["id"]) for item in response.json()["results"]}
    assert reviewer_d1.pk in ids
    assert not ids & {superuser.pk, other_ict_admin.pk, ict_admin.pk}


# --- What a superuser may do ------------------------------------------------------------------------


def test_superuser_grants_admin_rights_with_one_audit_row_each(client_for, superuser, reviewer_d1):
    client = client_for(superuser)
    page = client.get(user_page(reviewer_d1))
    group = Group.objects.get(name=ICT_ADMIN_GROUP)
    response = client.post(
        user_page(reviewer_d1), change_form_data(page, is_staff=True, groups=[group.pk])
    )
    assert response.status_code == 302
    reviewer_d1.refresh_from_db()
    assert reviewer_d1.is_staff and reviewer_d1.groups.filter(pk=group.pk).exists()
    rows = {row.kind: row for row in PowerChange.objects.all()}
    assert set(rows) == {PowerChangeKind.STAFF, PowerChangeKind.GROUPS}
    assert rows[PowerChangeKind.GROUPS].before == {"groups": []}
    assert rows[PowerChangeKind.GROUPS].after == {"groups": [ICT_ADMIN_GROUP]}
    assert all(row.actor == superuser and row.target == reviewer_d1 for row in rows.values())


def test_superuser_sets_another_superusers_password(client_for, superuser):
    other = UserFactory(username="root-2", is_superuser=True, is_staff=True)
    response = client_for(superuser).post(password_page(other), password_data())
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.check_password(NEW_PASSWORD) and other.must_change_password


def test_superuser_deactivates_an_ict_admin_with_the_bulk_action(client_for, superuser, ict_admin):
    client_for(superuser).post(
        "/admin/accounts/user/",
        {"action": "deactivate_selected", "_selected_action": [ict_admin.pk]},
    )
    ict_admin.refresh_from_db()
    assert not ict_admin.is_active


def test_the_last_superuser_cannot_lock_themselves_out(superuser):
    with pytest.raises(PermissionDenied):
        power.user_set_superuser(actor=superuser, user=superuser, value=False)
    with pytest.raises(PermissionDenied):
        power.user_set_active(actor=superuser, user=superuser, active=False)


# --- The services refuse too (defence in depth) -----------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        lambda actor, user: power.user_set_superuser(actor=actor, user=user, value=True),
        lambda actor, user: power.user_set_staff(actor=actor, user=user, value=True),
        lambda actor, user: power.user_grant_ict_admin(actor=actor, user=user),
        lambda actor, user: power.user_set_permissions(actor=actor, user=user, permissions=[]),
    ],
    ids=["superuser", "staff", "ict-admin-group", "permissions"],
)
def test_services_refuse_an_ict_admin_granting_admin_rights(ict_admin, reviewer_d1, change):
    with pytest.raises(power.PowerRefused):
        change(ict_admin, reviewer_d1)
    assert not PowerChange.objects.exists()


def test_services_refuse_an_ict_admin_touching_the_superuser(ict_admin, superuser):
    with pytest.raises(power.PowerRefused):
        power.user_set_password_by_admin(actor=ict_admin, user=superuser, raw_password="x")
    with pytest.raises(power.PowerRefused):
        power.user_set_active(actor=ict_admin, user=superuser, active=False)
    with pytest.raises(power.PowerRefused):
        district_power.district_membership_grant(
            actor=ict_admin, user=superuser, district=district(1), role="manager"
        )
    superuser.refresh_from_db()
    assert superuser.check_password(PASSWORD) and superuser.is_active


@pytest.mark.parametrize("persona", ["reviewer_d1", "manager_d1", "pishkhan_manager"])
def test_services_refuse_people_who_are_not_ict_admins(request, persona, citizen):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        power.user_set_password_by_admin(actor=actor, user=citizen, raw_password=NEW_PASSWORD)
    with pytest.raises(PermissionDenied):
        district_power.district_membership_grant(
            actor=actor, user=citizen, district=district(1), role="reviewer"
        )


# --- A password set by someone else ----------------------------------------------------------------


def test_ict_admin_resets_a_reviewers_password_and_the_reviewer_must_change_it(
    client_for, ict_admin, reviewer_d1
):
    response = client_for(ict_admin).post(password_page(reviewer_d1), password_data(), follow=True)
    assert response.status_code == 200
    with translation.override("fa"):
        told = gettext("The password was set. Its owner must change it when they next sign in.")
    assert [str(m) for m in response.context["messages"]] == [told]
    row = PowerChange.objects.get()
    assert (row.kind, row.actor, row.target) == (
        PowerChangeKind.PASSWORD_SET,
        ict_admin,
        reviewer_d1,
    )
    assert row.before == {"password": "set", "must_change_password": False}
    assert row.after == {"password": "set", "must_change_password": True}

    reviewer = Client()
    signed_in = reviewer.post(
        "/accounts/login/", {"username": "reviewer-d1", "password": NEW_PASSWORD}, follow=True
    )
    assert signed_in.redirect_chain[-1][0].startswith("/accounts/password/")
    assert "accounts/password_change.html" in [t.name for t in signed_in.templates]
    assert 'data-testid="password-change-required"' in signed_in.content.decode()
    # Every other page sends them back, until they choose their own.
    assert reviewer.get("/staff/")["Location"] == "/accounts/password/?next=%2Fstaff%2F"
    changed = reviewer.post(
        "/accounts/password/",
        {
            "old_password": NEW_PASSWORD,
            "new_password1": "Kooh-Sahand!1405",
            "new_password2": "Kooh-Sahand!1405",
            "next": "/staff/",
        },
    )
    assert changed.status_code == 302 and changed["Location"] == "/staff/"
    reviewer_d1.refresh_from_db()
    assert not reviewer_d1.must_change_password
    assert reviewer_d1.check_password("Kooh-Sahand!1405")
    assert reviewer.get("/staff/").status_code == 200  # still signed in, now free to work
    assert PowerChange.objects.count() == 1  # the owner's own change is not an audit row


def test_the_forced_change_refuses_the_password_someone_else_chose(client_for, reviewer_d1):
    reviewer_d1.must_change_password = True
    reviewer_d1.save()
    page = client_for(reviewer_d1).post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert page.status_code == 200
    assert page.context["form"].errors["new_password2"]
    reviewer_d1.refresh_from_db()
    assert reviewer_d1.must_change_password


def test_an_htmx_request_is_told_to_load_the_password_page(client_for, reviewer_d1):
    reviewer_d1.must_change_password = True
    reviewer_d1.save()
    response = client_for(reviewer_d1).get("/staff/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == "/accounts/password/"


def test_signing_out_stays_open_while_a_change_is_due(client_for, reviewer_d1):
    reviewer_d1.must_change_password = True
    reviewer_d1.save()
    client = client_for(reviewer_d1)
    assert client.post("/accounts/logout/")["Location"] == "/"
    assert client.get("/").status_code == 200


def test_disabling_a_password_does_not_force_a_change(client_for, ict_admin, reviewer_d1):
    client_for(ict_admin).post(
        password_page(reviewer_d1), {"usable_password": "false", "unset-password": "1"}
    )
    reviewer_d1.refresh_from_db()
    assert not reviewer_d1.has_usable_password() and not reviewer_d1.must_change_password
    row = PowerChange.objects.get()
    assert row.after == {"password": "unusable", "must_change_password": False}


# --- Deleting -------------------------------------------------------------------------------------


def test_an_account_with_memberships_is_deactivated_not_deleted(client_for, ict_admin, reviewer_d1):
    response = client_for(ict_admin).post(
        f"/admin/accounts/user/{reviewer_d1.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert User.objects.filter(pk=reviewer_d1.pk).exists()
    assert DistrictMembership.objects.filter(user=reviewer_d1).exists()
    with translation.override("fa"):
        with pytest.raises(power.PowerRefused) as refusal:
            power.check_delete_user(actor=ict_admin, user=reviewer_d1)
        expected = str(refusal.value.message)
    assert [str(m) for m in response.context["messages"]] == [expected]


# --- Every page of the admin's people and access opens for both kinds of admin ----------------------


@pytest.mark.parametrize("persona", ["superuser", "ict_admin"])
def test_the_people_and_access_pages_open_for_both_kinds_of_admin(
    client_for, request, persona, superuser, ict_admin, reviewer_d1, pishkhan_operator
):
    actor = request.getfixturevalue(persona)
    office = pishkhan_operator.office_memberships.get().office
    membership = DistrictMembership.objects.get(user=reviewer_d1)
    power.user_set_active(actor=actor, user=reviewer_d1, active=False)
    client = client_for(actor)
    for url in (
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        user_page(actor),
        user_page(superuser),
        user_page(reviewer_d1),
        password_page(reviewer_d1),
        "/admin/districts/districtmembership/",
        "/admin/districts/districtmembership/add/",
        f"/admin/districts/districtmembership/{membership.pk}/change/",
        f"/admin/counters/counteroffice/{office.pk}/change/",
        "/admin/accounts/powerchange/",
        "/admin/accounts/powerchange/?kind__exact=account_active",
        f"/admin/accounts/powerchange/{PowerChange.objects.get().pk}/change/",
    ):
        assert client.get(url).status_code == 200, url
    groups = client.get("/admin/auth/group/").status_code
    assert groups == (200 if persona == "superuser" else 403)
