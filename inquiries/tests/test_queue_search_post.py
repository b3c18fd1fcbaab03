"""Searches that may carry a national ID are POSTed: no URL — the address bar, history, links,
redirects, the server's access log — ever holds the term. Filters and pages keep working."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from inquiries.tests.factories import InquiryFactory
from inquiries.workflow import Channel
from shahrvand.search import SESSION_KEY, TERM_MAX_KEPT
from shahrvand.text import to_persian_digits

pytestmark = pytest.mark.django_db

HREF = re.compile(r'(?:href|action|hx-get|hx-post)="([^"]*)"')


def _codes(response) -> list[str]:
    return [inquiry.tracking_code for inquiry in response.context["page"].object_list]


def _links(response) -> list[str]:
    return HREF.findall(response.content.decode())


def _assert_nowhere_in_urls(response, secret: str) -> None:
    for url in [response.request["PATH_INFO"] + "?" + response.request.get("QUERY_STRING", "")]:
        assert secret not in url
    for _url, _status in getattr(response, "redirect_chain", []):
        assert secret not in _url
    for link in _links(response):
        assert secret not in link, link
    title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)
    assert secret not in title


def test_the_queue_search_form_is_a_post_with_csrf(client_for, reviewer_d1):
    html = client_for(reviewer_d1).get("/staff/").content.decode()
    form = re.search(r'<form method="post" action="/staff/"[^>]*role="search"', html)
    assert form is not None
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'autocomplete="off"' in html


def test_a_search_by_national_id_is_posted_and_no_url_holds_the_id(
    client_for, reviewer_d1, citizen, other_citizen
):
    wanted = InquiryFactory(applicant=citizen)
    InquiryFactory(applicant=other_citizen)
    client = client_for(reviewer_d1)
    posted = client.post("/staff/", {"q": citizen.national_id, "status": "all"})
    assert posted.status_code == 302
    location = posted["Location"]
    assert citizen.national_id not in location
    query = parse_qs(urlsplit(location).query)
    assert query["status"] == ["all"] and len(query["s"]) == 1 and "q" not in query

    page = client.get(location)
    assert _codes(page) == [wanted.tracking_code]
    _assert_nowhere_in_urls(page, citizen.national_id)
    # The box still shows what was searched, and there is a way to clear it.
    assert f'value="{citizen.national_id}"' in page.content.decode()
    clear = re.search(r'href="([^"]*)" data-testid="clear-search"', page.content.decode())
    assert clear.group(1) == "/staff/?status=all"
    assert len(_codes(client.get(clear.group(1)))) == 2


def test_the_same_in_persian_digits(client_for, reviewer_d1, citizen, other_citizen):
    wanted = InquiryFactory(applicant=citizen)
    InquiryFactory(applicant=other_citizen)
    typed = to_persian_digits(citizen.national_id)
    page = client_for(reviewer_d1).post("/staff/", {"q": typed}, follow=True)
    assert _codes(page) == [wanted.tracking_code]
    _assert_nowhere_in_urls(page, typed)
    _assert_nowhere_in_urls(page, citizen.national_id)


def test_a_national_id_in_the_url_is_not_a_search_and_leaves_the_url(
    client_for, reviewer_d1, citizen, other_citizen
):
    InquiryFactory(applicant=citizen)
    InquiryFactory(applicant=other_citizen)
    client = client_for(reviewer_d1)
    response = client.get("/staff/", {"q": citizen.national_id, "status": "all"})
    assert response.status_code == 302 and response["Location"] == "/staff/?status=all"
    page = client.get(response["Location"])
    assert len(_codes(page)) == 2
    assert citizen.national_id not in page.content.decode()


def test_pages_of_a_search_carry_the_token_never_the_term(client_for, reviewer_d1, citizen):
    mine = {InquiryFactory(applicant=citizen).tracking_code for _ in range(27)}
    others = {InquiryFactory().tracking_code for _ in range(3)}
    client = client_for(reviewer_d1)
    first = client.post("/staff/", {"q": citizen.national_id}, follow=True)
    assert first.context["page"].paginator.count == 27
    next_link = next(link for link in _links(first) if "page=2" in link)
    assert citizen.national_id not in next_link and "s=" in next_link
    second = client.get("/staff/" + next_link.replace("&amp;", "&"))
    _assert_nowhere_in_urls(second, citizen.national_id)
    shown = set(_codes(first)) | set(_codes(second))
    assert shown == mine and not shown & others
    assert second.context["page"].number == 2


def test_filters_other_than_the_search_stay_in_the_url(client_for, reviewer_d1, citizen):
    waiting = InquiryFactory(applicant=citizen, needs_info=True)
    InquiryFactory(applicant=citizen)
    client = client_for(reviewer_d1)
    posted = client.post("/staff/", {"q": citizen.national_id, "status": "needs_info"})
    assert parse_qs(urlsplit(posted["Location"]).query)["status"] == ["needs_info"]
    assert _codes(client.get(posted["Location"])) == [waiting.tracking_code]
    # Filtering without a search term: no token, only the filters.
    plain = client.post("/staff/", {"q": "", "status": "needs_info"})
    assert plain["Location"] == "/staff/?status=needs_info"


def test_a_search_token_means_nothing_in_another_session(
    client_for, reviewer_d1, manager_d1, citizen
):
    InquiryFactory(applicant=citizen)
    InquiryFactory()
    location = client_for(reviewer_d1).post("/staff/", {"q": citizen.national_id})["Location"]
    page = client_for(manager_d1).get(location)
    assert len(_codes(page)) == 2  # no search applied, nothing revealed
    assert 'data-testid="clear-search"' not in page.content.decode()


def test_two_searches_in_two_tabs_both_keep_their_pages(
    client_for, reviewer_d1, citizen, other_citizen
):
    first = InquiryFactory(applicant=citizen)
    second = InquiryFactory(applicant=other_citizen)
    client = client_for(reviewer_d1)
    tab_one = client.post("/staff/", {"q": citizen.national_id})["Location"]
    tab_two = client.post("/staff/", {"q": other_citizen.national_id})["Location"]
    assert _codes(client.get(tab_one)) == [first.tracking_code]
    assert _codes(client.get(tab_two)) == [second.tracking_code]


def test_the_session_keeps_a_few_terms_per_list_only(client_for, reviewer_d1):
    client = client_for(reviewer_d1)
    for n in range(12):
        client.post("/staff/", {"q": f"term {n}"})
    assert len(client.session[SESSION_KEY]["review-queue"]) <= 5


def test_a_megabyte_search_is_answered_in_place_and_not_kept(client_for, reviewer_d1):
    InquiryFactory()
    client = client_for(reviewer_d1)
    response = client.post("/staff/", {"q": "۱" * (TERM_MAX_KEPT + 1) * 4000})
    assert response.status_code == 200
    assert _codes(response) == []
    assert "حداکثر ۱۰۰ نویسه" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_the_queue_refuses_other_methods(client_for, reviewer_d1):
    assert client_for(reviewer_d1).put("/staff/").status_code == 405


# --- The office's queue ---------------------------------------------------------------------------


def test_the_office_queue_search_is_posted_too(
    client_for, pishkhan_operator, pishkhan_office, citizen, other_citizen
):
    ours = InquiryFactory(
        applicant=citizen,
        office=pishkhan_office,
        filed_by=pishkhan_operator,
        channel=Channel.COUNTER_OFFICE,
    )
    InquiryFactory(
        applicant=other_citizen,
        office=pishkhan_office,
        filed_by=pishkhan_operator,
        channel=Channel.COUNTER_OFFICE,
    )
    client = client_for(pishkhan_operator)
    url = f"/office/{pishkhan_office.pk}/"
    html = client.get(url).content.decode()
    assert f'<form method="post" action="{url}"' in html
    posted = client.post(url, {"q": to_persian_digits(citizen.national_id), "status": ""})
    assert posted.status_code == 302
    assert citizen.national_id not in posted["Location"]
    assert posted["Location"].startswith(f"{url}?s=")
    page = client.get(posted["Location"])
    assert _codes(page) == [ours.tracking_code]
    _assert_nowhere_in_urls(page, citizen.national_id)


def test_the_office_queue_pages_through_a_search(
    client_for, pishkhan_operator, pishkhan_office, citizen
):
    for _ in range(27):
        InquiryFactory(
            applicant=citizen,
            office=pishkhan_office,
            filed_by=pishkhan_operator,
            channel=Channel.COUNTER_OFFICE,
        )
    client = client_for(pishkhan_operator)
    url = f"/office/{pishkhan_office.pk}/"
    first = client.post(url, {"q": citizen.national_id}, follow=True)
    next_link = next(link for link in _links(first) if "page=2" in link)
    assert citizen.national_id not in next_link
    second = client.get(url + next_link.replace("&amp;", "&"))
    assert len(_codes(first)) + len(_codes(second)) == 27
    # Each office's searches are its own.
    assert list(client.session[SESSION_KEY]) == [f"office-queue:{pishkhan_office.pk}"]
