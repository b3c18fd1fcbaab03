import pytest

pytestmark = pytest.mark.django_db


def test_ict_admin_reaches_the_admin_and_districts(client_for, ict_admin):
    client = client_for(ict_admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/districts/district/").status_code == 200


def test_ict_admin_cannot_make_anyone_superuser(client_for, ict_admin, citizen):
    response = client_for(ict_admin).get(f"/admin/accounts/user/{citizen.pk}/change/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="is_superuser"' not in html


@pytest.mark.parametrize("persona", ["citizen", "reviewer_d1", "kiosk_clerk"])
def test_others_are_kept_out_of_the_admin(client_for, request, persona):
    response = client_for(request.getfixturevalue(persona)).get("/admin/districts/district/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
