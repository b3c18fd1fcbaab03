"""An institution switched on or off, or edited, on its admin page is a change of access: audited
like its keys' issue and revocation (``PowerChange``), one row per change, with before and after."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import PowerChange, PowerChangeKind
from accounts.roles import roles_forget, roles_of
from accounts.tests.admin_forms import change_form_data
from api import services
from api.models import Institution, InstitutionBranch, WebhookEndpoint
from inquiries.models import Bank

from .conftest import key_for

pytestmark = pytest.mark.django_db

Kind = PowerChangeKind


def _page(bank_institution) -> str:
    return f"/admin/api/institution/{bank_institution.pk}/change/"


def _rows(*kinds) -> list[PowerChange]:
    return list(PowerChange.objects.filter(kind__in=kinds).order_by("pk"))


def _save(client, bank_institution, **changes):
    url = _page(bank_institution)
    response = client.post(url, change_form_data(client.get(url), **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_switching_an_institution_off_in_the_admin_is_audited_and_stops_its_keys(
    client_for, ict_admin, bank_institution, api_as
):
    key = key_for(ict_admin, bank_institution)
    assert api_as(key).get("/api/v1/inquiries/").status_code == 200
    _save(client_for(ict_admin), bank_institution, is_active=False)
    [row] = _rows(Kind.INSTITUTION_SWITCHED)
    assert (row.actor, row.target) == (ict_admin, bank_institution.account)
    assert (row.object_type, row.object_id) == ("api.institution", bank_institution.pk)
    assert (row.before, row.after) == ({"is_active": True}, {"is_active": False})
    assert not _rows(Kind.INSTITUTION_CHANGED)  # nothing else changed
    assert api_as(key).get("/api/v1/inquiries/").status_code == 401
    account = bank_institution.account
    roles_forget(account)
    assert roles_of(account).institution_id is None

    _save(client_for(ict_admin), bank_institution, is_active=True)
    rows = _rows(Kind.INSTITUTION_SWITCHED)
    assert [(r.before, r.after) for r in rows][-1] == ({"is_active": False}, {"is_active": True})
    assert api_as(key).get("/api/v1/inquiries/").status_code == 200


def test_editing_an_institutions_fields_is_one_row_with_before_and_after(
    client_for, ict_admin, bank_institution
):
    mellat = Bank.objects.get(code="mellat")
    _save(client_for(ict_admin), bank_institution, name="بانک ملت، ارومیه", bank=mellat.pk)
    [row] = _rows(Kind.INSTITUTION_CHANGED)
    assert row.before == {"name": "بانک ملی، استان آذربایجان غربی", "bank": "melli"}
    assert row.after == {"name": "بانک ملت، ارومیه", "bank": "mellat"}
    assert not _rows(Kind.INSTITUTION_SWITCHED)
    assert Institution.objects.get(pk=bank_institution.pk).bank == mellat


def test_saving_the_page_unchanged_writes_no_row(client_for, ict_admin, bank_institution):
    before = PowerChange.objects.count()
    _save(client_for(ict_admin), bank_institution)
    assert PowerChange.objects.count() == before


def test_branches_and_webhooks_changed_on_the_page_are_audited_and_never_deleted(
    client_for, ict_admin, bank_institution
):
    WebhookEndpoint.objects.create(institution=bank_institution, url="https://bank.example/h")
    client = client_for(ict_admin)
    _save(
        client,
        bank_institution,
        **{
            "branches-0-is_active": False,  # the existing branch 1234
            "branches-1-code": "88",
            "branches-1-name": "شعبه خیام",
            "branches-1-is_active": True,
            "webhooks-0-url": "https://bank.example/new",
        },
    )
    rows = _rows(Kind.INSTITUTION_CHANGED)
    changes = {(r.object_type, r.object_repr): (r.before, r.after) for r in rows}
    assert changes["api.institutionbranch", "1234 — شعبه مرکزی ارومیه"] == (
        {"is_active": True},
        {"is_active": False},
    )
    assert changes["api.institutionbranch", "88 — شعبه خیام"] == (
        {},
        {"code": "88", "name": "شعبه خیام", "is_active": True},
    )
    assert changes["api.webhookendpoint", "https://bank.example/new"] == (
        {"url": "https://bank.example/h"},
        {"url": "https://bank.example/new"},
    )
    assert all(r.target == bank_institution.account for r in rows)
    # No "delete" box: a branch or a webhook is switched off, and its history stays.
    html = client.get(_page(bank_institution)).content.decode()
    assert "branches-0-DELETE" not in html and "webhooks-0-DELETE" not in html
    assert InstitutionBranch.objects.filter(institution=bank_institution).count() == 2


def test_only_the_ict_organisation_changes_an_institution(bank_institution, reviewer_d1):
    bank_institution.is_active = False
    with pytest.raises(PermissionDenied):
        services.institution_change(actor=reviewer_d1, institution=bank_institution)
    assert Institution.objects.get(pk=bank_institution.pk).is_active
    assert not _rows(Kind.INSTITUTION_SWITCHED)
