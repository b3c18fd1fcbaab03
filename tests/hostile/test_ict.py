"""Hostile inputs to what the ICT organisation submits: the office registry's search, training
sessions (a formset), visits with findings (a formset), following findings up, the lists' filters,
the reports (page and CSV) and the admin's search boxes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from counters import services as counter_services
from counters.models import FindingCategory

from .harness import HTML_CASES, Form, attack, persona_client, send
from .world import a_while_ago, jalali_days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def ict_client(ict_admin):
    return persona_client(ict_admin)


def _show_when_html(url):
    def then(client, response, case, name):
        return send(client, "get", url, {}) if case.label in HTML_CASES else None

    return then


def test_registry_search_and_filters_survive_hostile_input(report, ict_client, pishkhan_office):
    form = Form(
        key="registry",
        persona="ICT admin",
        client=ict_client,
        url=reverse("counters:registry"),
        data={"q": "پیشخوان", "kind": "counter", "district": "", "active": "1", "page": "1"},
        keep=("q",),
        success="render",
        method="get",
    )
    attack(report, form)
    report.assert_clean()


def test_training_form_survives_hostile_dates_names_offices_and_forged_totals(
    report, ict_client, pishkhan_office
):
    form = Form(
        key="training",
        persona="ICT admin",
        client=ict_client,
        url=reverse("counters:training_new"),
        data={
            "date": jalali_days_ago(),
            "trainer": "مهندس رحیمی",
            "topic": "آشنایی با سامانه استعلام",
            "notes": "",
            "offices-TOTAL_FORMS": "2",
            "offices-INITIAL_FORMS": "0",
            "offices-MIN_NUM_FORMS": "0",
            "offices-MAX_NUM_FORMS": "200",
            "offices-0-office": str(pishkhan_office.pk),
            "offices-0-people": "3",
            "offices-1-office": "",
            "offices-1-people": "",
        },
        keep=("trainer", "topic"),
        then=_show_when_html(reverse("counters:training_list")),
    )
    attack(report, form)
    report.assert_clean()


def test_training_list_filters_survive_hostile_input(report, ict_client):
    form = Form(
        key="training-list",
        persona="ICT admin",
        client=ict_client,
        url=reverse("counters:training_list"),
        data={"district": "1", "kind": "counter"},
        success="render",
        method="get",
    )
    attack(report, form)
    report.assert_clean()


@pytest.fixture
def category():
    return FindingCategory.objects.filter(is_active=True).first()


def test_visit_form_survives_hostile_dates_notes_categories_and_forged_totals(
    report, ict_client, pishkhan_office, category
):
    url = reverse("counters:visit_new", args=[pishkhan_office.pk])
    form = Form(
        key="visit",
        persona="ICT admin",
        client=ict_client,
        url=url,
        data={
            "date": jalali_days_ago(),
            "notes": "بازدید دوره‌ای",
            "findings-TOTAL_FORMS": "2",
            "findings-INITIAL_FORMS": "0",
            "findings-MIN_NUM_FORMS": "0",
            "findings-MAX_NUM_FORMS": "50",
            "findings-0-category": str(category.pk),
            "findings-0-description": "تابلوی تعرفه نصب نشده",
            "findings-1-category": "",
            "findings-1-description": "",
        },
        keep=("notes", "findings-0-description"),
        then=_show_when_html(reverse("counters:office_detail", args=[pishkhan_office.pk])),
    )
    attack(report, form)
    report.assert_clean()


@pytest.fixture
def finding(ict_admin, pishkhan_office, category):
    visit = counter_services.visit_record(
        actor=ict_admin,
        office=pishkhan_office,
        date=a_while_ago(),
        findings=[(category, "تابلوی تعرفه نصب نشده")],
    )
    return visit.findings.get()


def test_findings_filters_survive_hostile_input(report, ict_client, finding):
    form = Form(
        key="findings",
        persona="ICT admin",
        client=ict_client,
        url=reverse("counters:findings"),
        data={"district": "1", "state": "open"},
        success="render",
        method="get",
    )
    attack(report, form)
    report.assert_clean()


def test_following_a_finding_up_survives_hostile_states_notes_and_next_addresses(
    report, ict_client, finding
):
    form = Form(
        key="finding-update",
        persona="ICT admin",
        client=ict_client,
        url=reverse("counters:finding_update", args=[finding.pk]),
        data={"state": "resolved", "note": "تابلو نصب شد", "next": "/offices/findings/"},
        keep=("note",),
        then=_show_when_html(reverse("counters:office_detail", args=[finding.visit.office_id])),
    )
    attack(report, form)
    report.assert_clean()


def test_scorecard_filters_survive_hostile_input(report, ict_client, pishkhan_office):
    form = Form(
        key="scorecards",
        persona="ICT admin",
        client=ict_client,
        url=reverse("counters:scorecards"),
        data={"district": "1", "kind": "counter", "sort": "-filed"},
        success="render",
        method="get",
    )
    attack(report, form)
    report.assert_clean()


def test_reports_period_survives_hostile_dates(report, ict_client, submitted):
    form = Form(
        key="reports",
        persona="ICT admin",
        client=ict_client,
        url=reverse("reports:dashboard"),
        data={"date_from": jalali_days_ago(30), "date_to": jalali_days_ago(1)},
        keep=("date_from", "date_to"),
        success="render",
        method="get",
    )
    attack(report, form)
    report.assert_clean()


def test_reports_csv_survives_hostile_dates(report, manager_d1, submitted):
    form = Form(
        key="reports-csv",
        persona="district manager",
        client=persona_client(manager_d1),
        url=reverse("reports:dashboard_csv"),
        data={"date_from": jalali_days_ago(30), "date_to": jalali_days_ago(1)},
        success="render",
        method="get",
    )
    attack(report, form)
    report.assert_clean()


def test_admin_user_search_survives_hostile_input(report, ict_client, citizen):
    form = Form(
        key="admin-user-search",
        persona="ICT admin",
        client=ict_client,
        url=reverse("admin:accounts_user_changelist"),
        data={"q": "احمدی"},
        success="render",
        method="get",
    )
    attack(report, form)
    report.assert_clean()


def test_admin_office_search_survives_hostile_input(report, ict_client, pishkhan_office):
    form = Form(
        key="admin-office-search",
        persona="ICT admin",
        client=ict_client,
        url=reverse("admin:counters_counteroffice_changelist"),
        data={"q": "پیشخوان"},
        success="render",
        method="get",
    )
    attack(report, form)
    report.assert_clean()
