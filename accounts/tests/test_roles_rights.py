"""``Roles`` answers every "may they?" about signing and filing: the services refuse by the same
predicate the pages offer their buttons by."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import User
from accounts.roles import roles_of
from accounts.tests.factories import UserFactory
from districts.models import DistrictRole
from districts.tests.factories import DistrictMembershipFactory, district
from inquiries import services
from inquiries.models import InquiryDraft
from inquiries.tests.factories import InquiryFactory
from inquiries.workflow import Channel

pytestmark = pytest.mark.django_db

ANSWER = {
    "decision": "no_objection",
    "building_status": "completed",
    "certificate_type": "none",
    "land_use_plan": "residential",
    "road_widening": "not_affected",
}


def _staff(username, role, *, number=1, can_sign=False, is_active=True):
    user = UserFactory(username=username)
    DistrictMembershipFactory(
        user=user, district=district(number), role=role, can_sign=can_sign, is_active=is_active
    )
    return User.objects.get(pk=user.pk)


def test_a_manager_may_sign_in_their_district_only(manager_d1):
    roles = roles_of(manager_d1)
    assert roles.may_sign(district(1).pk)
    assert not roles.may_sign(district(3).pk)


def test_a_reviewer_signs_only_where_the_district_allowed_it(reviewer_d1):
    assert not roles_of(reviewer_d1).may_sign(district(1).pk)
    allowed = _staff("allowed-reviewer", DistrictRole.REVIEWER, can_sign=True)
    assert roles_of(allowed).may_sign(district(1).pk)


def test_a_kiosk_clerk_never_signs_even_with_the_box_ticked():
    clerk = _staff("kiosk-signing", DistrictRole.KIOSK, can_sign=True)
    assert not roles_of(clerk).may_sign(district(1).pk)


def test_a_switched_off_signing_membership_signs_nothing():
    former = _staff("former-manager", DistrictRole.MANAGER, can_sign=True, is_active=False)
    assert not roles_of(former).may_sign(district(1).pk)


def test_citizens_and_operators_sign_nothing(citizen, pishkhan_operator):
    assert not roles_of(citizen).may_sign(district(1).pk)
    assert not roles_of(pishkhan_operator).may_sign(district(1).pk)


def test_the_sign_page_offers_signing_by_the_same_answer_the_service_refuses_by(
    client_for, citizen, reviewer_d1, manager_d1
):
    inquiry = services.inquiry_review_start(
        actor=reviewer_d1, inquiry=InquiryFactory(applicant=citizen)
    )
    answer = services.answer_prepare(actor=reviewer_d1, inquiry=inquiry, data=ANSWER, dues=[])
    url = reverse("inquiries:staff_sign", args=[inquiry.tracking_code, answer.pk])
    refused = client_for(reviewer_d1).get(url).content.decode()
    assert 'name="confirm"' not in refused
    assert "پاسخ ذخیره شد" in refused  # "a manager (or a reviewer allowed to sign) will sign it"
    with pytest.raises(PermissionDenied):
        services.answer_sign(actor=reviewer_d1, answer=answer)
    offered = client_for(manager_d1).get(url).content.decode()
    assert 'name="confirm"' in offered


def test_who_may_file_through_which_channel(
    citizen, kiosk_clerk, pishkhan_operator, pishkhan_office, notary_office, reviewer_d1
):
    assert roles_of(citizen).may_file(Channel.WEB)
    assert not roles_of(citizen).may_file(Channel.KIOSK)
    assert not roles_of(citizen).may_file(Channel.COUNTER_OFFICE, pishkhan_office.pk)
    assert roles_of(kiosk_clerk).may_file(Channel.KIOSK)
    assert not roles_of(kiosk_clerk).may_file(Channel.WEB)
    operator = roles_of(pishkhan_operator)
    assert operator.may_file(Channel.COUNTER_OFFICE, pishkhan_office.pk)
    assert not operator.may_file(Channel.NOTARY_OFFICE, pishkhan_office.pk)  # not its channel
    assert not operator.may_file(Channel.NOTARY_OFFICE, notary_office.pk)  # not their office
    assert not operator.may_file(Channel.COUNTER_OFFICE)  # an office must be named
    assert not operator.may_file(Channel.WEB)
    assert not roles_of(reviewer_d1).may_file(Channel.WEB)


@pytest.mark.parametrize(
    ("persona", "channel"),
    [
        ("reviewer_d1", Channel.WEB),
        ("pishkhan_operator", Channel.WEB),
        ("citizen", Channel.KIOSK),
        ("reviewer_d1", Channel.KIOSK),
    ],
)
def test_the_filing_service_refuses_whoever_may_not_file_through_the_channel(
    request, persona, channel
):
    """Before, only the page checked the citizen: the service started an online draft for anyone."""
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.draft_start(actor=actor, kind="transfer", channel=channel)
    assert not InquiryDraft.objects.exists()


def test_an_operator_cannot_file_for_an_office_they_do_not_work_for(
    pishkhan_operator, notary_office
):
    with pytest.raises(PermissionDenied):
        services.draft_start(
            actor=pishkhan_operator,
            kind="transfer",
            channel=Channel.NOTARY_OFFICE,
            office=notary_office,
        )


def test_each_filer_starts_a_draft_through_their_own_channel(
    citizen, kiosk_clerk, pishkhan_operator, pishkhan_office
):
    assert services.draft_start(actor=citizen, kind="transfer", channel=Channel.WEB).pk
    assert services.draft_start(actor=kiosk_clerk, kind="transfer", channel=Channel.KIOSK).pk
    draft = services.draft_start(
        actor=pishkhan_operator,
        kind="transfer",
        channel=Channel.COUNTER_OFFICE,
        office=pishkhan_office,
    )
    assert draft.office == pishkhan_office


@pytest.mark.parametrize(
    ("persona", "status"),
    [("citizen", 200), ("kiosk_clerk", 403), ("pishkhan_operator", 403), ("reviewer_d1", 403)],
)
def test_the_online_filing_page_opens_by_the_same_rule(request, client_for, persona, status):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("inquiries:new")).status_code == status


def test_reviewing_in_a_district_is_for_its_reviewers_and_managers(
    reviewer_d1, manager_d1, kiosk_clerk, citizen
):
    one, three = district(1).pk, district(3).pk
    assert roles_of(reviewer_d1).reviews_in(one) and not roles_of(reviewer_d1).reviews_in(three)
    assert roles_of(manager_d1).reviews_in(one)
    assert not roles_of(kiosk_clerk).reviews_in(one)
    assert not roles_of(citizen).reviews_in(one)


def test_the_staff_pages_read_their_rights_from_roles(reviewer_d1, manager_d1):
    from inquiries.services.answers import staff_roles

    one = district(1).pk
    assert staff_roles(reviewer_d1, one) == {"reviewer": True, "manager": False, "signer": False}
    assert staff_roles(manager_d1, one) == {"reviewer": True, "manager": True, "signer": True}
    assert staff_roles(manager_d1, district(3).pk) == {
        "reviewer": False,
        "manager": False,
        "signer": False,
    }
