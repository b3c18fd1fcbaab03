"""Every role's home page and filing confirmation lead to that role's own pages: an office never
lands on the citizen's filing page, a kiosk clerk goes back to the kiosk, staff to their queue."""

import re

import pytest
from django.test import Client

from inquiries.tests.factories import InquiryFactory
from inquiries.workflow import Channel

pytestmark = pytest.mark.django_db


def _links(html: str, testid: str) -> list[str]:
    links = re.findall(rf'<a href="([^"]+)"[^>]*data-testid="{testid}"', html)
    assert links, f"no {testid} links on the page"
    return links


def _assert_all_open(client: Client, links: list[str]) -> None:
    for url in links:
        response = client.get(url, follow=True)
        assert response.status_code == 200, f"{url} gives {response.status_code}"


PERSONAS = [
    "citizen",
    "pishkhan_operator",
    "notary_operator",
    "kiosk_clerk",
    "reviewer_d1",
    "manager_d1",
    "ict_admin",
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_link_on_the_home_page_opens_for_the_role(request, client_for, persona):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    _assert_all_open(client, _links(client.get("/").content.decode(), "home-place"))


def test_every_link_on_the_home_page_opens_for_an_anonymous_visitor(client):
    links = _links(client.get("/").content.decode(), "home-place")
    assert "/inquiries/new/" in links
    _assert_all_open(client, links)


@pytest.mark.parametrize("persona", ["pishkhan_operator", "notary_operator"])
def test_an_office_home_page_offers_filing_for_a_citizen_from_the_office(
    request, client_for, persona
):
    operator = request.getfixturevalue(persona)
    html = client_for(operator).get("/").content.decode()
    links = _links(html, "home-place")
    assert "/inquiries/new/" not in links
    office_id = operator.office_memberships.get().office_id
    assert links[0] == f"/office/{office_id}/file/"


def test_the_kiosk_home_page_offers_the_kiosk_filing(client_for, kiosk_clerk):
    links = _links(client_for(kiosk_clerk).get("/").content.decode(), "home-place")
    assert links[0] == "/kiosk/file/" and "/inquiries/new/" not in links


def test_staff_home_page_leads_to_the_review_queue(client_for, reviewer_d1):
    links = _links(client_for(reviewer_d1).get("/").content.decode(), "home-place")
    assert links[0] == "/staff/" and "/inquiries/new/" not in links


def _office_inquiry(operator):
    office = operator.office_memberships.get().office
    return InquiryFactory(channel=office.channel, office=office, filed_by=operator)


@pytest.mark.parametrize("persona", ["pishkhan_operator", "notary_operator"])
def test_the_office_confirmation_leads_to_the_office_pages_in_office_wording(
    request, client_for, persona
):
    operator = request.getfixturevalue(persona)
    inquiry = _office_inquiry(operator)
    client = client_for(operator)
    html = client.get(f"/inquiries/{inquiry.tracking_code}/submitted/").content.decode()
    links = _links(html, "submitted-place")
    assert f"/office/{inquiry.office_id}/" in links
    assert f"/office/{inquiry.office_id}/file/" in links
    assert "/inquiries/new/" not in links and "/inquiries/" not in links
    _assert_all_open(client, links)
    assert "ارسال شد" in html and "استعلام شما" not in html
    assert "متقاضی" in html


def test_the_kiosk_confirmation_leads_back_to_the_kiosk(client_for, kiosk_clerk, citizen):
    inquiry = InquiryFactory(applicant=citizen, channel=Channel.KIOSK, filed_by=kiosk_clerk)
    client = client_for(kiosk_clerk)
    html = client.get(f"/inquiries/{inquiry.tracking_code}/submitted/").content.decode()
    links = _links(html, "submitted-place")
    assert "/kiosk/" in links and "/kiosk/file/" in links
    assert "/inquiries/new/" not in links
    _assert_all_open(client, links)
    assert "استعلام شما" not in html


def test_the_citizen_confirmation_leads_to_my_inquiries_and_filing_again(client_for, citizen):
    inquiry = InquiryFactory(applicant=citizen)
    client = client_for(citizen)
    html = client.get(f"/inquiries/{inquiry.tracking_code}/submitted/").content.decode()
    links = _links(html, "submitted-place")
    assert links == [f"/inquiries/{inquiry.tracking_code}/", "/inquiries/", "/inquiries/new/"]
    _assert_all_open(client, links)
    assert "استعلام شما" in html


@pytest.mark.parametrize("persona", ["reviewer_d1", "manager_d1", "ict_admin"])
def test_staff_opening_a_confirmation_get_only_their_own_pages(request, client_for, persona):
    user = request.getfixturevalue(persona)
    inquiry = InquiryFactory()
    client = client_for(user)
    html = client.get(f"/inquiries/{inquiry.tracking_code}/submitted/").content.decode()
    links = _links(html, "submitted-place")
    assert "/inquiries/new/" not in links and "/inquiries/" not in links
    _assert_all_open(client, links)


@pytest.mark.parametrize(
    ("persona", "words"),
    [
        ("pishkhan_operator", "به دفتر شما می‌آیند"),
        ("notary_operator", "به دفتر شما می‌آیند"),
        ("kiosk_clerk", "باجهٔ راهنمای منطقه"),
        ("reviewer_d1", "کارهای شما در صفحه‌های زیر"),
    ],
)
def test_office_kiosk_and_staff_home_pages_speak_to_them_not_to_the_citizen(
    request, client_for, persona, words
):
    html = client_for(request.getfixturevalue(persona)).get("/").content.decode()
    assert words in html
    assert "با کد ملی خود وارد شوید" not in html and 'id="steps-heading"' not in html


def test_the_citizen_home_page_keeps_how_it_works(client_for, citizen):
    html = client_for(citizen).get("/").content.decode()
    assert 'id="steps-heading"' in html and "به دفتر شما می‌آیند" not in html
