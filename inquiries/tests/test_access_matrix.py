"""Who may open which page and take which action, persona by persona: every cell of the matrix is a
test of its own, and every refused action leaves the database as it was."""

from urllib.parse import quote

import pytest
from django.test import Client

from accounts.tests.factories import UserFactory
from districts.models import DistrictRole
from districts.tests.factories import DistrictMembershipFactory, district
from inquiries import services
from inquiries.models import Answer, DeficiencyReason, InfoRequest, Inquiry, InquiryEvent
from inquiries.tests.factories import InquiryFactory, complete_draft
from inquiries.workflow import InquiryStatus

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "citizen",
    "other_citizen",
    "reviewer_d1",
    "reviewer_d3",
    "manager_d1",
    "kiosk_clerk",
    "ict_admin",
]

STAFF_LOGIN = "/accounts/login/"
CITIZEN_LOGIN = "/accounts/citizen/"
# Outcomes besides a status code: sent to a sign-in page, or done (back to the staff page).
LOGIN = "login"
CITIZEN_SIGN_IN = "citizen-login"
ANY_SIGN_IN = "sign-in"
DONE = "done"


@pytest.fixture
def as_persona(request, client_for):
    def make(persona: str) -> Client:
        if persona == "anonymous":
            return Client()
        return client_for(request.getfixturevalue(persona))

    return make


def _signed_answer(inquiry, reviewer, manager, *, with_pdf: bool = False):
    inquiry = services.inquiry_review_start(actor=reviewer, inquiry=inquiry)
    answer = services.answer_prepare(
        actor=reviewer, inquiry=inquiry, data={"decision": "no_objection"}, dues=[]
    )
    answer = services.answer_sign(actor=manager, answer=answer)
    if with_pdf:
        from inquiries.answer_pdf import answer_pdf_store

        answer_pdf_store(answer.pk)
    return Answer.objects.get(pk=answer.pk)


def _assert_outcome(response, expected, url: str) -> None:
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"{STAFF_LOGIN}?next={quote(url)}"
    elif expected == CITIZEN_SIGN_IN:
        assert response.status_code == 302
        assert response["Location"] == f"{CITIZEN_LOGIN}?next={quote(url)}"
    elif expected == ANY_SIGN_IN:
        assert response.status_code == 302
        assert response["Location"] in (
            f"{STAFF_LOGIN}?next={quote(url)}",
            f"{CITIZEN_LOGIN}?next={quote(url)}",
        )
    else:
        assert response.status_code == expected


# --- pages -----------------------------------------------------------------------------------------

STAFF_PAGE = {
    "anonymous": LOGIN,
    "citizen": 403,
    "other_citizen": 403,
    "reviewer_d1": 200,
    "reviewer_d3": 404,
    "manager_d1": 200,
    "kiosk_clerk": 403,
    "ict_admin": 403,
}
# The inquiry as its applicant sees it (the district's reviewers and the ICT admin, too; a kiosk
# clerk only sees its status through the kiosk look-up, not its documents).
APPLICANT_PAGE = {
    "anonymous": CITIZEN_SIGN_IN,
    "citizen": 200,
    "other_citizen": 404,
    "reviewer_d1": 200,
    "reviewer_d3": 404,
    "manager_d1": 200,
    "kiosk_clerk": 404,
    "ict_admin": 200,
}
KIOSK_PAGE = {
    "anonymous": LOGIN,
    "citizen": 403,
    "other_citizen": 403,
    "reviewer_d1": 403,
    "reviewer_d3": 403,
    "manager_d1": 403,
    "kiosk_clerk": 200,
    "ict_admin": 403,
}
PAGES = {
    "queue": {**STAFF_PAGE, "reviewer_d3": 200},
    "staff-inquiry": STAFF_PAGE,
    "inquiry": APPLICANT_PAGE,
    "document": APPLICANT_PAGE,
    "answer-pdf": {**APPLICANT_PAGE, "anonymous": ANY_SIGN_IN},
    "kiosk": KIOSK_PAGE,
    "kiosk-lookup": KIOSK_PAGE,
    "new-inquiry": {
        "anonymous": CITIZEN_SIGN_IN,
        "citizen": 200,
        "other_citizen": 200,
        "reviewer_d1": 403,
        "reviewer_d3": 403,
        "manager_d1": 403,
        "kiosk_clerk": 403,
        "ict_admin": 403,
    },
}


@pytest.fixture
def filed(citizen):
    """A district-1 inquiry filed online by the citizen, with its deed."""
    inquiry = services.inquiry_submit(actor=citizen, draft=complete_draft(citizen))
    assert inquiry.district.number == 1
    return inquiry


def _page_request(page: str, persona_client: Client, filed, reviewer, manager):
    code = filed.tracking_code
    if page == "queue":
        return "/staff/", persona_client.get("/staff/")
    if page == "staff-inquiry":
        url = f"/staff/inquiries/{code}/"
    elif page == "inquiry":
        url = f"/inquiries/{code}/"
    elif page == "document":
        url = f"/inquiries/documents/{filed.attachments.get().pk}/"
    elif page == "answer-pdf":
        answer = _signed_answer(filed, reviewer, manager, with_pdf=True)
        url = f"/inquiries/answers/{answer.pk}/pdf/"
    elif page == "kiosk":
        url = "/kiosk/"
    elif page == "kiosk-lookup":
        url = "/kiosk/lookup/"
        return url, persona_client.post(url, {"tracking_code": filed.tracking_code_display()})
    elif page == "new-inquiry":
        url = "/inquiries/new/"
    return url, persona_client.get(url)


@pytest.mark.parametrize(
    ("page", "persona", "expected"),
    [(page, persona, cells[persona]) for page, cells in PAGES.items() for persona in PERSONAS],
    ids=[f"{page}-{persona}" for page, cells in PAGES.items() for persona in PERSONAS],
)
def test_page_access(page, persona, expected, as_persona, filed, reviewer_d1, manager_d1):
    url, response = _page_request(page, as_persona(persona), filed, reviewer_d1, manager_d1)
    _assert_outcome(response, expected, url)


def test_the_kiosk_clerk_sees_the_inquiry_they_looked_up(client_for, kiosk_clerk, filed):
    response = client_for(kiosk_clerk).post(
        "/kiosk/lookup/", {"tracking_code": filed.tracking_code}
    )
    assert response.context["inquiry"] == filed
    assert 'data-testid="kiosk-result"' in response.content.decode()


def test_the_pdf_served_is_the_answers_pdf(client_for, citizen, filed, reviewer_d1, manager_d1):
    answer = _signed_answer(filed, reviewer_d1, manager_d1, with_pdf=True)
    response = client_for(citizen).get(f"/inquiries/answers/{answer.pk}/pdf/")
    assert b"".join(response.streaming_content) == answer.pdf.open("rb").read()


# --- actions ---------------------------------------------------------------------------------------

REFUSED_TO_OUTSIDERS = {
    "anonymous": LOGIN,
    "citizen": 403,
    "other_citizen": 403,
    "reviewer_d3": 404,
    "kiosk_clerk": 403,
    "ict_admin": 403,
}
ACTIONS = {
    "take": {**REFUSED_TO_OUTSIDERS, "reviewer_d1": DONE, "manager_d1": DONE},
    "assign": {**REFUSED_TO_OUTSIDERS, "reviewer_d1": DONE, "manager_d1": DONE},
    "request-info": {**REFUSED_TO_OUTSIDERS, "reviewer_d1": DONE, "manager_d1": DONE},
    "answer": {**REFUSED_TO_OUTSIDERS, "reviewer_d1": DONE, "manager_d1": DONE},
    # Signing and revoking need sign rights, which reviewer-d1 does not have.
    "sign": {**REFUSED_TO_OUTSIDERS, "reviewer_d1": 403, "manager_d1": DONE},
    "revoke": {**REFUSED_TO_OUTSIDERS, "reviewer_d1": 403, "manager_d1": DONE},
}

ANSWER_DATA = {
    "decision": "no_objection",
    "certificate_type": "none",
    "dues-TOTAL_FORMS": "3",
    "dues-INITIAL_FORMS": "0",
    "dues-MIN_NUM_FORMS": "3",
    "dues-MAX_NUM_FORMS": "20",
}


def _prepare_action(action: str, citizen, reviewer, manager) -> tuple[Inquiry, str, dict]:
    """The inquiry in the state the action needs, the URL to post to and what to post."""
    inquiry = InquiryFactory(applicant=citizen)
    code = inquiry.tracking_code
    if action == "take":
        return inquiry, f"/staff/inquiries/{code}/take/", {}
    if action == "revoke":
        answer = _signed_answer(inquiry, reviewer, manager)
        url = f"/staff/inquiries/{code}/answers/{answer.pk}/revoke/"
        return inquiry, url, {"reason": "پلاک اشتباه ثبت شده بود"}
    inquiry = services.inquiry_review_start(actor=reviewer, inquiry=inquiry)
    if action == "assign":
        colleague = UserFactory(username="colleague-d1")
        DistrictMembershipFactory(user=colleague, district=district(1), role=DistrictRole.REVIEWER)
        return inquiry, f"/staff/inquiries/{code}/assign/", {"assignee": colleague.pk}
    if action == "request-info":
        reason = DeficiencyReason.objects.filter(is_active=True).first()
        return (
            inquiry,
            f"/staff/inquiries/{code}/request-info/",
            {"reasons": [reason.pk], "note": "تصویر سند خوانا نیست"},
        )
    if action == "answer":
        return inquiry, f"/staff/inquiries/{code}/answer/", ANSWER_DATA
    if action == "sign":
        answer = services.answer_prepare(
            actor=reviewer, inquiry=inquiry, data={"decision": "no_objection"}, dues=[]
        )
        return inquiry, f"/staff/inquiries/{code}/answers/{answer.pk}/sign/", {"confirm": "on"}
    raise AssertionError(action)


def _snapshot(inquiry: Inquiry) -> dict:
    fresh = Inquiry.objects.get(pk=inquiry.pk)
    return {
        "status": fresh.status,
        "version": fresh.version,
        "assigned_to": fresh.assigned_to_id,
        "events": InquiryEvent.objects.filter(inquiry=fresh).count(),
        "answers": sorted(Answer.objects.filter(inquiry=fresh).values_list("pk", "status")),
        "info_requests": InfoRequest.objects.filter(inquiry=fresh).count(),
    }


@pytest.mark.parametrize(
    ("action", "persona", "expected"),
    [
        (action, persona, cells[persona])
        for action, cells in ACTIONS.items()
        for persona in PERSONAS
    ],
    ids=[f"{action}-{persona}" for action, cells in ACTIONS.items() for persona in PERSONAS],
)
def test_action_access(action, persona, expected, as_persona, citizen, reviewer_d1, manager_d1):
    inquiry, url, data = _prepare_action(action, citizen, reviewer_d1, manager_d1)
    before = _snapshot(inquiry)
    response = as_persona(persona).post(url, {**data, "version": before["version"]})
    after = _snapshot(inquiry)
    if expected == DONE:
        assert response.status_code == 302
        assert response["Location"].startswith(f"/staff/inquiries/{inquiry.tracking_code}/")
        assert after["events"] > before["events"]
        assert after["version"] > before["version"]
    else:
        _assert_outcome(response, expected, url)
        assert after == before


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("take", InquiryStatus.IN_REVIEW),
        ("request-info", InquiryStatus.NEEDS_INFO),
        ("sign", InquiryStatus.ANSWERED),
        ("revoke", InquiryStatus.IN_REVIEW),
    ],
)
def test_a_manager_action_moves_the_inquiry(
    action, status, client_for, citizen, reviewer_d1, manager_d1
):
    inquiry, url, data = _prepare_action(action, citizen, reviewer_d1, manager_d1)
    version = Inquiry.objects.get(pk=inquiry.pk).version
    client_for(manager_d1).post(url, {**data, "version": version})
    assert Inquiry.objects.get(pk=inquiry.pk).status == status


# --- a reviewer of another district ----------------------------------------------------------------


def _district_1_urls(filed, reviewer, manager) -> list[tuple[str, str]]:
    code = filed.tracking_code
    answer = _signed_answer(filed, reviewer, manager, with_pdf=True)
    staff = f"/staff/inquiries/{code}/"
    return [
        ("GET", staff),
        ("POST", f"{staff}take/"),
        ("POST", f"{staff}assign/"),
        ("POST", f"{staff}request-info/"),
        ("GET", f"{staff}answer/"),
        ("POST", f"{staff}answer/"),
        ("GET", f"{staff}answers/{answer.pk}/sign/"),
        ("POST", f"{staff}answers/{answer.pk}/sign/"),
        ("POST", f"{staff}answers/{answer.pk}/revoke/"),
        ("GET", f"/inquiries/{code}/"),
        ("GET", f"/inquiries/{code}/submitted/"),
        ("GET", f"/inquiries/{code}/withdraw/"),
        ("GET", f"/inquiries/{code}/respond/"),
        ("GET", f"/inquiries/documents/{filed.attachments.get().pk}/"),
        ("GET", f"/inquiries/answers/{answer.pk}/pdf/"),
        ("GET", f"/inquiries/answers/{answer.pk}/pdf/status/"),
    ]


def test_reviewer_of_district_3_gets_404_on_every_district_1_inquiry_url(
    client_for, reviewer_d3, reviewer_d1, manager_d1, filed
):
    client = client_for(reviewer_d3)
    urls = _district_1_urls(filed, reviewer_d1, manager_d1)
    before = _snapshot(filed)
    outcomes = {
        (method, url): (client.get(url) if method == "GET" else client.post(url, {})).status_code
        for method, url in urls
    }
    assert outcomes == dict.fromkeys(outcomes, 404)
    assert _snapshot(filed) == before


def test_reviewer_of_district_3_does_not_find_it_in_the_queue_or_by_search(
    client_for, reviewer_d3, citizen, filed
):
    client = client_for(reviewer_d3)
    mine = InquiryFactory(district_number=3)
    for query in (
        {},
        {"status": "all"},
        {"q": filed.tracking_code_display()},
        {"q": citizen.national_id},
        {"q": filed.property.renovation_code},
    ):
        # A search is POSTed (a national ID must not sit in a URL); the list is then a GET.
        response = client.post("/staff/", query, follow=True) if query else client.get("/staff/")
        shown = [i.pk for i in response.context["page"].object_list]
        assert filed.pk not in shown, query
        assert f"/staff/inquiries/{filed.tracking_code}/" not in response.content.decode()
        if "q" in query:
            assert 'data-testid="queue-empty"' in response.content.decode()
    response = client.get("/staff/")
    assert [i.pk for i in response.context["page"].object_list] == [mine.pk]
    assert response.context["counts"] == {"submitted": 1}  # district 1's is not counted


def test_the_other_citizen_gets_404_on_every_page_of_the_inquiry(
    client_for, other_citizen, reviewer_d1, manager_d1, filed
):
    client = client_for(other_citizen)
    answer = _signed_answer(filed, reviewer_d1, manager_d1, with_pdf=True)
    code = filed.tracking_code
    for url in (
        f"/inquiries/{code}/",
        f"/inquiries/{code}/submitted/",
        f"/inquiries/{code}/withdraw/",
        f"/inquiries/{code}/respond/",
        f"/inquiries/documents/{filed.attachments.get().pk}/",
        f"/inquiries/answers/{answer.pk}/pdf/",
        f"/inquiries/answers/{answer.pk}/pdf/status/",
    ):
        assert client.get(url).status_code == 404, url
    assert code not in client.get("/inquiries/").content.decode()


def test_a_kiosk_clerk_cannot_answer_or_sign(client_for, kiosk_clerk, citizen, reviewer_d1):
    inquiry = services.inquiry_review_start(
        actor=reviewer_d1, inquiry=InquiryFactory(applicant=citizen)
    )
    client = client_for(kiosk_clerk)
    staff = f"/staff/inquiries/{inquiry.tracking_code}/"
    assert client.get(f"{staff}answer/").status_code == 403
    response = client.post(f"{staff}answer/", {**ANSWER_DATA, "version": inquiry.version})
    assert response.status_code == 403
    assert not Answer.objects.exists()
    assert Inquiry.objects.get(pk=inquiry.pk).status == InquiryStatus.IN_REVIEW


def test_the_kiosk_lookup_of_a_citizen_is_refused(client_for, citizen, filed):
    response = client_for(citizen).post("/kiosk/lookup/", {"tracking_code": filed.tracking_code})
    assert response.status_code == 403
    assert filed.tracking_code_display() not in response.content.decode()
