"""An inquiry filed through the API reads "institution API" wherever channels are shown: the staff
queue's filter and rows, the inquiry's page, the reports' dashboard and exports, and the kept
counts behind them."""

import csv
import io

import pytest
from django.core.management import call_command

from inquiries.models.summary import DayFigures, QueueCount

from .test_reading import filed

pytestmark = pytest.mark.django_db

LABEL = "API نهادها"


def test_the_staff_queue_filters_by_the_institution_api_channel(
    api_as, bank_key, reviewer_d1, client_for, citizen
):
    from inquiries.tests.factories import InquiryFactory

    inquiry = filed(api_as, bank_key)
    other = InquiryFactory(applicant=citizen)
    page = client_for(reviewer_d1).get("/staff/", {"channel": "institution_api"})
    html = page.content.decode()
    assert 'value="institution_api"' in html and LABEL in html
    assert inquiry.tracking_code_display() in html
    assert other.tracking_code_display() not in html
    staff_page = client_for(reviewer_d1).get(f"/staff/inquiries/{inquiry.tracking_code}/")
    assert LABEL in staff_page.content.decode()


def test_reports_and_summaries_count_the_institution_api_channel(
    api_as, bank_key, client_for, ict_admin
):
    filed(api_as, bank_key)
    assert QueueCount.objects.get(channel="institution_api").n == 1
    assert DayFigures.objects.get(channel="institution_api").filed == 1
    client = client_for(ict_admin)
    page = client.get("/reports/", {"channel": "institution_api"})
    html = page.content.decode()
    assert LABEL in html
    assert html.split('data-testid="headline-filed">')[1].split("<")[0] == "۱"
    rows = list(csv.reader(io.StringIO(client.get("/reports/districts.csv").content.decode())))
    assert any(LABEL in cell for cell in rows[0])
    # The kept counts agree with a recount of the inquiries.
    call_command("summaries_check")
