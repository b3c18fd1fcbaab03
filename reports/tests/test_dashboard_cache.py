"""With a shared cache (Redis), the dashboard's figures are kept under the version of the figures:
read once, served again to whoever may see the same districts, and never again once a write they
count has committed. Needs Redis on loopback (``.ci/run`` starts it); skipped without it."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from districts.models import District, DistrictRole
from districts.services import kiosk_help_record
from districts.tests.factories import DistrictMembershipFactory
from inquiries.tests.factories import InquiryFactory
from shahrvand.tests.shared_cache import needs_redis, shared_cache

pytestmark = [pytest.mark.django_db, *needs_redis]


@pytest.fixture(autouse=True)
def _shared_cache():
    with shared_cache():
        yield


def _summary_reads(queries) -> int:
    return sum('"inquiries_monthfigures"' in q["sql"] for q in queries)


def test_figures_are_kept_and_renewed_by_a_write_they_count(
    citizen, client_for, django_capture_on_commit_callbacks
):
    InquiryFactory(applicant=citizen)
    client = client_for(UserFactory(ict_admin=True))
    first = client.get("/reports/")
    with CaptureQueriesContext(connection) as again:
        second = client.get("/reports/")
    assert _summary_reads(again) == 0  # served from the cache
    assert not [q for q in again if '"districts_district"' in q["sql"]]  # nor the districts
    assert second.context["body_html"] == first.context["body_html"]
    assert b"<svg" in second.content and b"&lt;svg" not in second.content  # kept as markup

    with django_capture_on_commit_callbacks(execute=True):
        InquiryFactory(applicant=citizen)
    with CaptureQueriesContext(connection) as after_write:
        third = client.get("/reports/")
    assert _summary_reads(after_write) > 0  # a new version: counted again
    assert third.context["body_html"] != second.context["body_html"]


def test_a_kiosk_visit_renews_the_figures(
    citizen, kiosk_clerk, client_for, django_capture_on_commit_callbacks
):
    client = client_for(UserFactory(ict_admin=True))
    client.get("/reports/")
    with django_capture_on_commit_callbacks(execute=True):
        kiosk_help_record(
            actor=kiosk_clerk,
            district=District.objects.get(number=1),
            topic="other",
            resolution="راهنمایی شد",
            minutes=5,
        )
    with CaptureQueriesContext(connection) as after:
        client.get("/reports/")
    assert _summary_reads(after) > 0


def test_a_district_manager_never_gets_the_ict_organisations_page(citizen, client_for):
    InquiryFactory(applicant=citizen)
    InquiryFactory(applicant=citizen, district_number=3)
    ict = client_for(UserFactory(ict_admin=True)).get("/reports/")
    assert b'data-testid="published-figures"' in ict.content
    manager = UserFactory()
    DistrictMembershipFactory(
        user=manager, district=District.objects.get(number=3), role=DistrictRole.MANAGER
    )
    own = client_for(manager).get("/reports/")
    assert b'data-testid="published-figures"' not in own.content
    districts = {row.district.number for row in own.context["report"].rows}
    assert districts == {3}


def test_with_the_cache_down_the_figures_are_counted_and_shown(citizen, client_for):
    InquiryFactory(applicant=citizen)
    down = {
        "default": {
            "BACKEND": "shahrvand.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    with override_settings(CACHES=down):
        response = client_for(UserFactory(ict_admin=True)).get("/reports/")
    assert response.status_code == 200
    assert response.context["report"].totals.total == 1


def test_the_kept_page_offers_each_manager_only_their_own_districts(citizen, client_for):
    """The form is kept with the figures: two managers asking for the same district share the
    figures' key only when they may pick the same districts."""
    InquiryFactory(applicant=citizen, district_number=3)
    both, one = UserFactory(), UserFactory()
    for number in (1, 3):
        DistrictMembershipFactory(
            user=both, district=District.objects.get(number=number), role=DistrictRole.MANAGER
        )
    DistrictMembershipFactory(
        user=one, district=District.objects.get(number=3), role=DistrictRole.MANAGER
    )
    name_1 = District.objects.get(number=1).name
    first = client_for(both).get("/reports/", {"district": 3})
    assert name_1 in first.content.decode()
    second = client_for(one).get("/reports/", {"district": 3})
    assert second.status_code == 200
    assert name_1 not in second.content.decode()


def test_a_district_renamed_shows_at_once(citizen, client_for, django_capture_on_commit_callbacks):
    InquiryFactory(applicant=citizen)
    client = client_for(UserFactory(ict_admin=True))
    client.get("/reports/")
    with django_capture_on_commit_callbacks(execute=True):
        one = District.objects.get(number=1)
        one.name = "منطقه یک (تازه)"
        one.save()
    assert "منطقه یک (تازه)" in client.get("/reports/").content.decode()


def _manager_of(*numbers):
    manager = UserFactory()
    for number in numbers:
        DistrictMembershipFactory(
            user=manager, district=District.objects.get(number=number), role=DistrictRole.MANAGER
        )
    return manager


def test_a_kept_report_for_a_district_is_served_without_checking_the_filters_again(
    citizen, client_for
):
    InquiryFactory(applicant=citizen, district_number=3)
    client = client_for(_manager_of(1, 3))
    first = client.get("/reports/", {"district": 3})
    with CaptureQueriesContext(connection) as again:
        second = client.get("/reports/", {"district": 3})
    assert second.context["body_html"] == first.context["body_html"]
    assert not [q for q in again if '"districts_district"' in q["sql"]]


def test_a_district_no_longer_managed_is_refused_though_its_report_was_kept(
    citizen, client_for, django_capture_on_commit_callbacks
):
    InquiryFactory(applicant=citizen, district_number=3)
    manager = _manager_of(1, 3)
    client = client_for(manager)
    name_3 = District.objects.get(number=3).name
    kept = client.get("/reports/", {"district": 3})
    assert b'data-testid="by-district"' in kept.content
    with django_capture_on_commit_callbacks(execute=True):
        manager.district_memberships.filter(district__number=3).update(is_active=False)
    refused = client.get("/reports/", {"district": 3}).content.decode()
    assert 'data-testid="by-district"' not in refused
    assert "is-invalid" in refused or "invalid-feedback" in refused
    assert client.get("/reports/districts.csv", {"district": 3}).status_code == 400
    assert name_3 not in client.get("/reports/").content.decode()


def test_a_kept_csv_keeps_its_name_and_refused_filters_are_never_kept(citizen, client_for):
    InquiryFactory(applicant=citizen)
    client = client_for(UserFactory(ict_admin=True))
    period = {"date_from": "1405/08/01", "date_to": "1405/08/30"}
    names = [client.get("/reports/districts.csv", period)["Content-Disposition"] for _ in range(2)]
    assert (
        names[0] == names[1] == 'attachment; filename="shahrvand-districts-14050801-14050830.csv"'
    )
    wrong = {"date_from": "1405/08/30", "date_to": "1405/08/01"}
    assert [client.get("/reports/districts.csv", wrong).status_code for _ in range(2)] == [400, 400]
