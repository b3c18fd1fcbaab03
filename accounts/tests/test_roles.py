import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from accounts.roles import (
    CHANNEL_INSTITUTION,
    CHANNEL_KIOSK,
    CHANNEL_OF_KIND,
    CHANNEL_WEB,
    roles_of,
)

pytestmark = pytest.mark.django_db


def test_roles_come_from_memberships(reviewer_d1, manager_d1, kiosk_clerk, citizen, ict_admin):
    assert roles_of(reviewer_d1).districts_with("reviewer") == {
        reviewer_d1.district_memberships.get().district_id
    }
    assert roles_of(reviewer_d1).is_reviewer_or_manager
    assert not roles_of(reviewer_d1).is_kiosk_staff
    assert roles_of(kiosk_clerk).is_kiosk_staff
    assert not roles_of(kiosk_clerk).is_reviewer_or_manager
    assert roles_of(citizen).is_citizen
    assert not roles_of(reviewer_d1).is_citizen
    assert roles_of(ict_admin).is_ict_admin
    assert not roles_of(citizen).is_ict_admin


def test_inactive_membership_gives_no_role(reviewer_d1):
    reviewer_d1.district_memberships.update(is_active=False)
    fresh = User.objects.get(pk=reviewer_d1.pk)
    assert not roles_of(fresh).is_district_staff


def test_anonymous_has_no_roles():
    from django.contrib.auth.models import AnonymousUser

    assert not roles_of(AnonymousUser()).is_authenticated


def test_user_clean_normalises_identifiers():
    user = User(username="x", national_id="۰۰۱۲۳۴۵۶۷۹", mobile="+98 912 000 0001")
    user.full_clean(exclude=["password"])
    assert user.national_id == "0012345679"
    assert user.mobile == "09120000001"


def test_user_with_bad_national_id_is_refused():
    user = User(username="x", national_id="0012345678")
    with pytest.raises(ValidationError) as error:
        user.full_clean(exclude=["password"])
    assert "national_id" in error.value.message_dict


def test_navigation_adapts_to_role(
    client, client_for, citizen, reviewer_d1, manager_d1, kiosk_clerk, ict_admin
):
    def nav(c):
        html = c.get("/").content.decode()
        return html.split('id="main-nav"', 1)[1].split("</ul>", 1)[0]

    anonymous = nav(client)
    assert "/inquiries/new/" in anonymous and "/staff/" not in anonymous
    assert 'href="/inquiries/"' in nav(client_for(citizen))
    assert 'href="/inquiries/"' not in anonymous
    reviewer = nav(client_for(reviewer_d1))
    assert "/staff/" in reviewer and "/kiosk/" not in reviewer and "/admin/" not in reviewer
    assert "/reports/" not in reviewer
    manager = nav(client_for(manager_d1))
    assert "/staff/" in manager and "/reports/" in manager and "/offices/" not in manager
    kiosk = nav(client_for(kiosk_clerk))
    assert "/kiosk/" in kiosk and "/staff/" not in kiosk
    admin = nav(client_for(ict_admin))
    assert "/admin/" in admin and "/reports/" in admin and "/offices/" in admin


def test_the_filing_channels_the_roles_name_are_the_workflows_and_the_offices():
    from counters.models import CounterOffice, OfficeKind
    from inquiries.workflow import Channel

    assert set(CHANNEL_OF_KIND) == set(OfficeKind.values)
    assert set(CHANNEL_OF_KIND.values()) | {CHANNEL_WEB, CHANNEL_KIOSK, CHANNEL_INSTITUTION} == set(
        Channel.values
    )
    assert CounterOffice(kind=OfficeKind.NOTARY).channel == Channel.NOTARY_OFFICE
    assert CounterOffice(kind=OfficeKind.COUNTER).channel == Channel.COUNTER_OFFICE


def test_every_role_of_a_person_is_read_in_one_query(
    django_assert_num_queries, pishkhan_office, notary_office
):
    """District roles (with the right to sign), offices of both kinds and the ICT group: one
    query per request, whatever the person holds."""
    from counters.tests.factories import OperatorFactory
    from districts.models import DistrictRole
    from districts.tests.factories import DistrictMembershipFactory, district

    from .factories import UserFactory

    person = UserFactory(ict_admin=True)
    DistrictMembershipFactory(user=person, district=district(1), role=DistrictRole.REVIEWER)
    DistrictMembershipFactory(
        user=person, district=district(3), role=DistrictRole.REVIEWER, can_sign=True
    )
    DistrictMembershipFactory(user=person, district=district(3), role=DistrictRole.KIOSK)
    OperatorFactory(user=person, office=pishkhan_office, role="manager")
    OperatorFactory(user=person, office=notary_office)
    person = User.objects.get(pk=person.pk)
    with django_assert_num_queries(1):
        roles = roles_of(person)
    assert roles.is_ict_admin
    assert roles.reviews_in(district(1).pk) and roles.reviews_in(district(3).pk)
    assert roles.may_sign(district(3).pk) and not roles.may_sign(district(1).pk)
    assert roles.is_kiosk_staff
    assert roles.office_ids == {pishkhan_office.pk, notary_office.pk}
    assert roles.managed_office_ids == {pishkhan_office.pk}
    assert roles.office_channel_of == {
        pishkhan_office.pk: "counter_office",
        notary_office.pk: "notary_office",
    }
