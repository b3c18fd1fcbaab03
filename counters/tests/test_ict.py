"""The ICT organisation's pages: training sessions, visits with findings, and following findings up
until they are resolved. Only the ICT organisation may use them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from counters import services
from counters.models import (
    CounterOffice,
    FindingCategory,
    FindingState,
    OfficeVisit,
    TrainingSession,
    VisitFinding,
)
from districts.models import District
from shahrvand import jalali

pytestmark = pytest.mark.django_db


def _office(number: int, *, district: int = 1, kind: str = "counter", **fields) -> CounterOffice:
    return CounterOffice.objects.create(
        kind=kind,
        number=number,
        name=fields.pop("name", f"دفتر پیشخوان {number}"),
        licence=f"L-{number}",
        district=District.objects.get(number=district),
        address="ارومیه، خیابان امام",
        **fields,
    )


def _categories() -> list[FindingCategory]:
    return list(FindingCategory.objects.filter(is_active=True))


def _visit_with_finding(actor, office, description="اسناد ناخوانا بارگذاری می‌شود") -> VisitFinding:
    visit = services.visit_record(
        actor=actor,
        office=office,
        date=timezone.localdate() - dt.timedelta(days=5),
        findings=[(_categories()[0], description)],
    )
    return visit.findings.get()


@pytest.fixture
def office(db):
    return _office(101)


@pytest.fixture
def finding(ict_admin, office):
    return _visit_with_finding(ict_admin, office)


def _formset(prefix: str, rows: list[dict], extra_empty: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + extra_empty),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data  # rows past the given ones arrive empty, as a browser sends untouched rows


def _training_post(rows: list[dict], *, date="1403/01/15", extra_empty: int = 1) -> dict:
    return {
        "date": date,
        "trainer": "مهندس کاظمی",
        "topic": "بارگذاری درست مدارک",
        "notes": "",
        **_formset("offices", rows, extra_empty),
    }


# --- who may open the pages -----------------------------------------------------------------------


def _urls(office, finding) -> list[str]:
    return [
        reverse("counters:training_list"),
        reverse("counters:training_new"),
        reverse("counters:visit_new", args=[office.pk]),
        reverse("counters:findings"),
        reverse("counters:finding_update", args=[finding.pk]),
        reverse("counters:scorecards"),
    ]


def test_ict_admin_opens_every_ict_page(client_for, ict_admin, office, finding):
    client = client_for(ict_admin)
    for url in _urls(office, finding):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["citizen", "reviewer_d1", "kiosk_clerk"])
def test_anyone_but_the_ict_organisation_is_refused(request, client_for, persona, office, finding):
    client = client_for(request.getfixturevalue(persona))
    for url in _urls(office, finding):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("counters:finding_update", args=[finding.pk])).status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client, office, finding):
    for url in _urls(office, finding):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


def test_pages_refuse_other_methods(client_for, ict_admin, office, finding):
    client = client_for(ict_admin)
    assert client.post(reverse("counters:findings")).status_code == 405
    assert client.post(reverse("counters:scorecards")).status_code == 405
    assert client.delete(reverse("counters:visit_new", args=[office.pk])).status_code == 405


# --- training sessions ----------------------------------------------------------------------------


def test_recording_a_training_session_creates_attendances_and_office_is_no_longer_untrained(
    client_for, ict_admin
):
    trained, other = _office(11), _office(12)
    client = client_for(ict_admin)
    listing = client.get(reverse("counters:training_list"))
    assert set(listing.context["untrained"]) == {trained, other}

    response = client.post(
        reverse("counters:training_new"),
        _training_post([{"office": trained.pk, "people": "۳"}], extra_empty=4),
        follow=True,
    )

    assert response.redirect_chain == [(reverse("counters:training_list"), 302)]
    session = TrainingSession.objects.get()
    assert (session.trainer, session.topic, session.created_by) == (
        "مهندس کاظمی",
        "بارگذاری درست مدارک",
        ict_admin,
    )
    assert list(session.attendances.values_list("office", "people")) == [(trained.pk, 3)]
    assert list(response.context["untrained"]) == [other]
    assert list(response.context["page"].object_list) == [session]
    untrained_html = response.content.decode().split('data-testid="untrained-offices"')[1]
    assert 'data-office="12"' in untrained_html and 'data-office="11"' not in untrained_html


def test_training_with_the_same_office_twice_is_refused(client_for, ict_admin):
    office = _office(11)
    response = client_for(ict_admin).post(
        reverse("counters:training_new"),
        _training_post(
            [{"office": office.pk, "people": "3"}, {"office": office.pk, "people": "2"}]
        ),
    )
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    assert 'data-testid="formset-errors"' in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_training_without_any_office_is_refused(client_for, ict_admin):
    response = client_for(ict_admin).post(
        reverse("counters:training_new"),
        {**_training_post([]), **_formset("offices", [{"office": "", "people": ""}] * 3)},
    )
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    assert not TrainingSession.objects.exists()


def test_training_row_with_an_office_but_no_people_is_refused(client_for, ict_admin):
    office = _office(11)
    response = client_for(ict_admin).post(
        reverse("counters:training_new"), _training_post([{"office": office.pk, "people": ""}])
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["people"]
    assert not TrainingSession.objects.exists()


def test_training_date_typed_in_persian_digits_is_stored_as_gregorian(client_for, ict_admin):
    office = _office(11)
    client_for(ict_admin).post(
        reverse("counters:training_new"),
        _training_post([{"office": office.pk, "people": "2"}], date="۱۴۰۳/۰۱/۰۱"),
    )
    assert TrainingSession.objects.get().date == dt.date(2024, 3, 20)  # Nowruz 1403


def test_training_date_in_the_future_is_refused(client_for, ict_admin):
    office = _office(11)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client_for(ict_admin).post(
        reverse("counters:training_new"),
        _training_post(
            [{"office": office.pk, "people": "2"}], date=jalali.format_date(tomorrow, "short")
        ),
    )
    assert response.context["form"].errors["date"]
    assert not TrainingSession.objects.exists()


def test_inactive_office_cannot_be_chosen_for_training(client_for, ict_admin):
    closed = _office(11, is_active=False)
    response = client_for(ict_admin).post(
        reverse("counters:training_new"), _training_post([{"office": closed.pk, "people": "2"}])
    )
    assert response.context["formset"].forms[0].errors["office"]
    assert not TrainingSession.objects.exists()


def test_training_list_shows_sessions_newest_first_with_people_per_office(client_for, ict_admin):
    first, second = _office(11), _office(12)
    older = services.training_record(
        actor=ict_admin,
        date=dt.date(2024, 1, 10),
        trainer="الف",
        topic="قدیمی",
        attendances=[(first, 2)],
    )
    newer = services.training_record(
        actor=ict_admin,
        date=dt.date(2024, 5, 10),
        trainer="ب",
        topic="جدید",
        attendances=[(first, 1), (second, 4)],
    )
    response = client_for(ict_admin).get(reverse("counters:training_list"))
    sessions = list(response.context["page"].object_list)
    assert sessions == [newer, older]
    assert sessions[0].people == 5
    assert [(a.office.number, a.people) for a in sessions[0].attendances.all()] == [
        (11, 1),
        (12, 4),
    ]


def test_untrained_offices_filter_by_district_and_kind_and_leave_out_inactive(
    client_for, ict_admin
):
    d1_counter = _office(11)
    d3_counter = _office(12, district=3)
    d1_notary = _office(13, kind="notary")
    _office(14, is_active=False)
    client = client_for(ict_admin)
    district_3 = District.objects.get(number=3)

    def untrained(**params):
        return set(client.get(reverse("counters:training_list"), params).context["untrained"])

    assert untrained() == {d1_counter, d3_counter, d1_notary}
    assert untrained(district=district_3.pk) == {d3_counter}
    assert untrained(kind="notary") == {d1_notary}


# --- visits and findings --------------------------------------------------------------------------


def test_recording_a_visit_with_two_findings_and_an_empty_row_keeps_two_open_findings(
    client_for, ict_admin, office
):
    slow, wrong_docs = _categories()[2], _categories()[0]
    data = {
        "date": "1403/02/10",
        "notes": "بازدید دوره‌ای",
        **_formset(
            "findings",
            [
                {"category": slow.pk, "description": "اینترنت قطع و وصل می‌شود"},
                {"category": "", "description": ""},
                {"category": wrong_docs.pk, "description": "سند بدون صفحه دوم"},
            ],
        ),
    }
    response = client_for(ict_admin).post(reverse("counters:visit_new", args=[office.pk]), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("counters:office_detail", args=[office.pk])
    visit = OfficeVisit.objects.get()
    assert (visit.office, visit.inspector, visit.date) == (office, ict_admin, dt.date(2024, 4, 29))
    findings = list(visit.findings.order_by("pk"))
    assert [(f.category, f.description, f.state) for f in findings] == [
        (slow, "اینترنت قطع و وصل می‌شود", FindingState.OPEN),
        (wrong_docs, "سند بدون صفحه دوم", FindingState.OPEN),
    ]


def test_a_visit_may_find_nothing(client_for, ict_admin, office):
    data = {"date": "1403/02/10", "notes": "", **_formset("findings", [], extra_empty=3)}
    response = client_for(ict_admin).post(reverse("counters:visit_new", args=[office.pk]), data)
    assert response.status_code == 302
    assert OfficeVisit.objects.get().findings.count() == 0


def test_a_finding_described_without_a_category_is_refused(client_for, ict_admin, office):
    data = {
        "date": "1403/02/10",
        **_formset("findings", [{"category": "", "description": "چیزی پیدا شد"}]),
    }
    response = client_for(ict_admin).post(reverse("counters:visit_new", args=[office.pk]), data)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["category"]
    assert not OfficeVisit.objects.exists()


def test_visit_to_an_unknown_office_is_not_found(client_for, ict_admin):
    assert client_for(ict_admin).get(reverse("counters:visit_new", args=[999])).status_code == 404


def test_finding_moves_to_being_fixed_then_resolved_with_a_note_and_leaves_the_list(
    client_for, ict_admin, finding
):
    client = client_for(ict_admin)
    url = reverse("counters:finding_update", args=[finding.pk])
    today = timezone.localdate()

    response = client.post(url, {"state": FindingState.FIXING})
    assert response.status_code == 302
    assert response["Location"] == reverse("counters:findings")
    finding.refresh_from_db()
    assert (finding.state, finding.fixing_since, finding.resolved_on) == (
        FindingState.FIXING,
        today,
        None,
    )
    listed = client.get(reverse("counters:findings")).context["page"].object_list
    assert [f.state for f in listed] == [FindingState.FIXING]

    refused = client.post(url, {"state": FindingState.RESOLVED, "note": "  "})
    assert refused.status_code == 200
    assert refused.context["form"].errors["note"]
    finding.refresh_from_db()
    assert finding.state == FindingState.FIXING

    client.post(url, {"state": FindingState.RESOLVED, "note": "اینترنت فیبر نوری وصل شد"})
    finding.refresh_from_db()
    assert (finding.state, finding.resolved_on, finding.resolution, finding.updated_by) == (
        FindingState.RESOLVED,
        today,
        "اینترنت فیبر نوری وصل شد",
        ict_admin,
    )
    page = client.get(reverse("counters:findings"))
    assert list(page.context["page"].object_list) == []
    assert 'data-testid="findings-empty"' in page.content.decode()


def test_finding_update_goes_back_to_a_local_next_address_only(client_for, ict_admin, finding):
    client = client_for(ict_admin)
    url = reverse("counters:finding_update", args=[finding.pk])
    local = reverse("counters:findings") + "?district=1&state=open"
    response = client.post(url, {"state": FindingState.FIXING, "next": local})
    assert response["Location"] == local
    response = client.post(url, {"state": FindingState.OPEN, "next": "https://evil.example/"})
    assert response["Location"] == reverse("counters:findings")
    response = client.post(url, {"state": FindingState.FIXING, "next": "//evil.example/x"})
    assert response["Location"] == reverse("counters:findings")


def test_finding_update_page_shows_the_dates(client_for, ict_admin, finding):
    services.finding_move(actor=ict_admin, finding=finding, state=FindingState.FIXING)
    response = client_for(ict_admin).get(reverse("counters:finding_update", args=[finding.pk]))
    html = response.content.decode()
    assert 'data-testid="fixing-since"' in html
    assert response.context["form"].initial["state"] == FindingState.FIXING


def test_findings_list_filters_by_district_and_state(client_for, ict_admin):
    in_d1 = _visit_with_finding(ict_admin, _office(11))
    in_d3 = _visit_with_finding(ict_admin, _office(12, district=3))
    fixing_d3 = _visit_with_finding(ict_admin, _office(13, district=3))
    services.finding_move(actor=ict_admin, finding=fixing_d3, state=FindingState.FIXING)
    resolved = _visit_with_finding(ict_admin, _office(14))
    services.finding_move(actor=ict_admin, finding=resolved, state="resolved", note="درست شد")
    client = client_for(ict_admin)
    district_3 = District.objects.get(number=3).pk

    def listed(**params):
        response = client.get(reverse("counters:findings"), params)
        return list(response.context["page"].object_list)

    assert listed() == [in_d1, in_d3, fixing_d3]  # by district, then office
    assert listed(district=district_3) == [in_d3, fixing_d3]
    assert listed(district=district_3, state="open") == [in_d3]
    assert listed(state="fixing") == [fixing_d3]


def test_findings_page_links_each_finding_to_its_update_form(client_for, ict_admin, finding):
    html = client_for(ict_admin).get(reverse("counters:findings")).content.decode()
    assert reverse("counters:finding_update", args=[finding.pk]) + "?next=" in html


def test_finding_moves_follow_the_table_and_are_kept(ict_admin, finding):
    from django.core.exceptions import ValidationError

    from counters.models import FindingEvent

    with pytest.raises(ValidationError):
        services.finding_move(actor=ict_admin, finding=finding, state=FindingState.OPEN)
    services.finding_move(actor=ict_admin, finding=finding, state=FindingState.RESOLVED, note="ok")
    with pytest.raises(ValidationError):
        services.finding_move(
            actor=ict_admin, finding=finding, state=FindingState.RESOLVED, note="x"
        )
    reopened = services.finding_move(actor=ict_admin, finding=finding, state=FindingState.OPEN)
    assert reopened.resolution == "" and reopened.resolved_on is None
    moves = list(FindingEvent.objects.filter(finding=finding).values_list("from_state", "to_state"))
    assert moves == [("open", "resolved"), ("resolved", "open")]
