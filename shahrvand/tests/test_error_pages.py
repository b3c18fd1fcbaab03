from django.test import Client


def test_a_bad_request_gets_the_persian_error_page(db):
    response = Client().get("/", HTTP_HOST="bad host name")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'dir="rtl"' in page and "درخواست خوانده نشد" in page


def test_a_filter_with_a_long_raw_value_redirects_with_the_accepted_value_only(
    client_for, reviewer_d1
):
    response = client_for(reviewer_d1).post("/staff/", {"overdue": "آزمون " * 10_000})
    assert response.status_code == 302
    assert response["Location"] == "/staff/?overdue=on"
