"""What an office, a training session and a visit print as (admin lists, choices, history lines)
reads in the reader's digits: Persian digits in Persian, Latin ones in English."""

import datetime as dt

import pytest
from django.utils import translation

from counters.models import OfficeKind, OfficeVisit, TrainingSession
from counters.tests.factories import OfficeFactory

pytestmark = pytest.mark.django_db


def test_an_office_prints_its_number_in_persian_digits_in_persian():
    office = OfficeFactory(kind=OfficeKind.NOTARY, number=5, name="ارومیه")
    with translation.override("fa"):
        assert str(office) == "دفتر اسناد رسمی ۵ — ارومیه"


def test_an_office_prints_its_number_in_latin_digits_in_english():
    office = OfficeFactory(kind=OfficeKind.NOTARY, number=5, name="Urmia")
    with translation.override("en"):
        assert str(office) == "Notary office 5 — Urmia"


def test_a_visit_and_a_training_print_their_jalali_date_in_the_reader_digits(ict_admin):
    office = OfficeFactory(kind=OfficeKind.NOTARY, number=12, name="ارومیه")
    visit = OfficeVisit.objects.create(
        office=office, date=dt.date(2023, 1, 15), inspector=ict_admin
    )
    session = TrainingSession.objects.create(
        date=dt.date(2023, 1, 15), trainer="t", topic="ثبت", created_by=ict_admin
    )
    with translation.override("fa"):
        assert str(visit) == "دفتر اسناد رسمی ۱۲ — ارومیه (۱۴۰۱/۱۰/۲۵)"
        assert str(session) == "ثبت (۱۴۰۱/۱۰/۲۵)"
    with translation.override("en"):
        assert str(visit) == "Notary office 12 — ارومیه (1401/10/25)"
        assert str(session) == "ثبت (1401/10/25)"
