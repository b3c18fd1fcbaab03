import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import PowerChange, PowerChangeKind
from accounts.roles import roles_of
from api import services
from api.models import ApiCall, ApiCredential

from .conftest import key_for

pytestmark = pytest.mark.django_db

LIST = "/api/v1/inquiries/"


def test_registering_an_institution_gives_it_an_account_that_files_only_through_the_api(
    bank_institution,
):
    account = bank_institution.account
    assert not account.has_usable_password()
    roles = roles_of(account)
    assert roles.institution_id == bank_institution.pk
    assert roles.may_file("institution_api") and not roles.may_file("web")
    assert not roles.is_citizen and not roles.is_ict_admin
    assert PowerChange.objects.filter(kind=PowerChangeKind.ACCOUNT_CREATED, target=account).exists()


def test_only_the_ict_organisation_registers_institutions_and_issues_keys(
    bank_institution, reviewer_d1
):
    from api.models import Institution

    with pytest.raises(PermissionDenied):
        services.institution_register(
            actor=reviewer_d1, institution=Institution(kind="court", name="x")
        )
    with pytest.raises(PermissionDenied):
        key_for(reviewer_d1, bank_institution)


def test_a_key_is_shown_once_and_only_its_hash_is_kept(ict_admin, bank_institution, api_as):
    key = key_for(ict_admin, bank_institution)
    credential = ApiCredential.objects.get(institution=bank_institution)
    assert key.startswith(f"shv_{credential.prefix}_")
    secret = key.split("_", 2)[2]
    assert secret not in credential.secret_sha256
    assert PowerChange.objects.filter(
        kind=PowerChangeKind.API_KEY_ISSUED, object_id=credential.pk
    ).exists()
    assert api_as(key).get(LIST).status_code == 200


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer shv_nope_nope", "Basic abc", "Bearer shv_{prefix}_wrongsecret"],
)
def test_a_missing_or_wrong_key_is_401_in_the_error_shape(
    header, ict_admin, bank_institution, client
):
    key_for(ict_admin, bank_institution)
    prefix = ApiCredential.objects.get().prefix
    extra = {"HTTP_AUTHORIZATION": header.format(prefix=prefix)} if header else {}
    response = client.get(LIST, **extra)
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "unauthenticated" and body["fields"] == {}
    assert "کلید" in body["message"]
    call = ApiCall.objects.get()
    assert (call.status_code, call.result, call.credential) == (401, "unauthenticated", None)


def test_a_revoked_key_stops_working_and_the_revocation_is_audited(
    ict_admin, bank_institution, api_as
):
    key = key_for(ict_admin, bank_institution)
    credential = ApiCredential.objects.get()
    services.credential_revoke(actor=ict_admin, credential=credential)
    assert api_as(key).get(LIST).status_code == 401
    assert PowerChange.objects.filter(kind=PowerChangeKind.API_KEY_REVOKED).count() == 1


def test_an_expired_key_stops_working(ict_admin, bank_institution, api_as):
    key = key_for(ict_admin, bank_institution)
    ApiCredential.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api_as(key).get(LIST).status_code == 401


def test_a_switched_off_institution_has_no_access(ict_admin, bank_institution, api_as):
    key = key_for(ict_admin, bank_institution)
    bank_institution.is_active = False
    bank_institution.save()
    assert api_as(key).get(LIST).status_code == 401


def test_a_key_without_the_scope_is_refused_with_403(ict_admin, bank_institution, api_as):
    key = key_for(ict_admin, bank_institution, scopes=["verify"])
    response = api_as(key).get(LIST)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    call = ApiCall.objects.get()
    assert call.credential.institution == bank_institution and call.result == "forbidden"
    assert call.endpoint == "inquiries" and call.method == "GET"


def test_calls_are_rate_limited_per_client(
    ict_admin, bank_institution, other_bank, api_as, settings
):
    settings.API_CALLS_PER_CLIENT = 3
    key = key_for(ict_admin, bank_institution)
    other = key_for(ict_admin, other_bank)
    codes = [api_as(key).get(LIST).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = api_as(key).get(LIST)
    assert response.json()["code"] == "throttled" and "Retry-After" in response
    # Another institution's client has its own count.
    assert api_as(other).get(LIST).status_code == 200
    assert ApiCall.objects.filter(result="throttled").count() == 2


def test_the_ict_admin_issues_a_key_in_the_admin_and_sees_it_once(
    ict_admin, bank_institution, client_for, api_as
):
    admin = client_for(ict_admin)
    response = admin.post(
        "/admin/api/apicredential/add/",
        {
            "institution": bank_institution.pk,
            "label": "core banking",
            "scopes": ["read", "verify"],
            "valid_days": "90",
        },
    )
    assert response.status_code == 200
    key = response.context["key"]
    assert key in response.content.decode()
    credential = ApiCredential.objects.get(label="core banking")
    assert credential.scopes == ["read", "verify"] and credential.created_by == ict_admin
    assert api_as(key).get(LIST).status_code == 200
    # Never shown again: the credential's own page has its prefix, not the key.
    page = admin.get(f"/admin/api/apicredential/{credential.pk}/change/").content.decode()
    assert credential.prefix in page and key not in page
    admin.post(
        "/admin/api/apicredential/",
        {"action": "revoke", "_selected_action": [credential.pk]},
    )
    assert api_as(key).get(LIST).status_code == 401


def test_the_ict_admin_registers_an_institution_in_the_admin(ict_admin, client_for):
    from api.models import Institution
    from inquiries.models import Bank

    response = client_for(ict_admin).post(
        "/admin/api/institution/add/",
        {
            "kind": "bank",
            "name": "بانک تجارت",
            "bank": Bank.objects.get(code="tejarat").pk,
            "is_active": "on",
            "branches-TOTAL_FORMS": "1",
            "branches-INITIAL_FORMS": "0",
            "branches-0-code": "501",
            "branches-0-name": "شعبه ارومیه",
            "branches-0-is_active": "on",
            "webhooks-TOTAL_FORMS": "1",
            "webhooks-INITIAL_FORMS": "0",
            "webhooks-0-url": "https://bank.example/hooks/shahrvand",
            "webhooks-0-is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    institution = Institution.objects.get(name="بانک تجارت")
    assert institution.account.pk and institution.branches.get().code == "501"
    webhook = institution.webhooks.get()
    assert webhook.url == "https://bank.example/hooks/shahrvand" and len(webhook.secret) >= 40
