"""A person's new name shows at once on the kept pages that name them (``accounts.signals.
person_renamed``): the staff queue ("held by"), an office's queue ("filed by", the operators
filter) and an office's page (its operators). Only the pages that name the person are drawn again,
and a save that changes no name (a sign-in) draws nothing again."""

import pytest
from django.contrib.auth.models import update_last_login

from accounts.signals import person_renamed
from inquiries import services
from inquiries.tests.factories import InquiryFactory
from shahrvand import versions
from shahrvand.tests.shared_cache import needs_redis, shared_cache

pytestmark = [pytest.mark.django_db, *needs_redis]


@pytest.fixture(autouse=True)
def _shared_cache():
    with shared_cache():
        yield


@pytest.fixture
def renamed():
    """The people ``person_renamed`` was sent for."""
    sent = []

    def receiver(sender, *, user, **kwargs):
        sent.append(user.pk)

    person_renamed.connect(receiver, dispatch_uid="test_renamed")
    yield sent
    person_renamed.disconnect(dispatch_uid="test_renamed")


def test_a_new_name_is_told_and_nothing_else_is(reviewer_d1, renamed, now_commits):
    from accounts.tests.factories import UserFactory

    with now_commits():
        newcomer = UserFactory(first_name="تازه")  # on no page yet
        update_last_login(None, reviewer_d1)  # a sign-in saves only its time
        reviewer_d1.save()  # nothing changed
    assert renamed == []
    with now_commits():
        reviewer_d1.last_name = "نام‌خانوادگی نو"
        reviewer_d1.save()
        newcomer.username = "newcomer-2"
        newcomer.save(update_fields=["username"])
    assert renamed == [reviewer_d1.pk, newcomer.pk]


def test_the_staff_queue_shows_a_holders_new_name_at_once(
    citizen, reviewer_d1, manager_d1, client_for, now_commits
):
    inquiry = InquiryFactory(applicant=citizen)
    with now_commits():
        services.inquiry_review_start(
            actor=reviewer_d1, inquiry=inquiry, expected_version=inquiry.version
        )
    client = client_for(manager_d1)
    assert reviewer_d1.display_name in client.get("/staff/").content.decode()  # kept now
    lists_d3 = versions.current(versions.district_lists(3))
    with now_commits():
        reviewer_d1.first_name, reviewer_d1.last_name = "رضا", "نام‌نو"
        reviewer_d1.save()
    assert "رضا نام‌نو" in client.get("/staff/").content.decode()
    # Only the lists that name them: another district's are kept.
    assert versions.current(versions.district_lists(3)) == lists_d3


def test_an_office_shows_its_operators_new_name_at_once(
    citizen, pishkhan_office, pishkhan_operator, ict_admin, client_for, now_commits
):
    with now_commits():
        InquiryFactory(
            applicant=citizen,
            office=pishkhan_office,
            channel="counter",
            filed_by=pishkhan_operator,
        )
    queue = client_for(pishkhan_operator)
    page = client_for(ict_admin)
    office_url = f"/offices/{pishkhan_office.pk}/"
    assert pishkhan_operator.display_name in queue.get(f"/office/{pishkhan_office.pk}/").text
    assert pishkhan_operator.display_name in page.get(office_url).text
    with now_commits():
        pishkhan_operator.first_name, pishkhan_operator.last_name = "مینا", "نام‌نو"
        pishkhan_operator.save()
    assert "مینا نام‌نو" in queue.get(f"/office/{pishkhan_office.pk}/").text  # filed by
    assert "مینا نام‌نو" in page.get(office_url).text  # the operators


def test_a_citizens_name_filled_in_draws_no_list_again(citizen, now_commits):
    """A citizen whose name is filled in at an office holds nothing and filed nothing for an office:
    no list names them, so none is drawn again (this happens at every first filing in person)."""
    names = [versions.LISTS, versions.OFFICES, versions.district_lists(1)]
    before = [versions.current(name) for name in names]
    with now_commits():
        citizen.first_name = "سارا"
        citizen.save()
    assert [versions.current(name) for name in names] == before
