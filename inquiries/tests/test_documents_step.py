"""The documents step says what is wrong where it is true: "continue" with a document missing
says so once, at the top, and the upload form below it shows no "required" under fields nobody
was asked to fill (its select already has a value)."""

import re

import pytest

from inquiries.tests.factories import complete_draft

pytestmark = pytest.mark.django_db


def _url(draft) -> str:
    return f"/inquiries/drafts/{draft.pk}/documents/"


def _upload_form(html: str) -> str:
    start = html.index('enctype="multipart/form-data"')
    return html[start : html.index("</form>", start)]


def test_continue_with_a_document_missing_says_so_at_the_top_and_not_under_the_upload_fields(
    client_for, citizen
):
    draft = complete_draft(citizen)
    draft.attachments.all().delete()  # the deed is missing

    page = client_for(citizen).post(_url(draft), {"continue": "1"})
    assert page.status_code == 200
    html = page.content.decode()
    alert = re.search(r'<div class="alert alert-danger">([^<]+)</div>', html)
    assert alert and "مدارک لازم" in alert.group(1), "what is missing is said at the top"
    assert html.index("alert-danger") < html.index('data-testid="required-documents"')
    form = _upload_form(html)
    assert "invalid-feedback" not in form and "is-invalid" not in form
    assert "لازم" not in form


def test_an_upload_without_a_file_still_says_the_file_is_required(client_for, citizen):
    draft = complete_draft(citizen)
    draft.attachments.all().delete()
    html = client_for(citizen).post(_url(draft), {"upload": "", "kind": "deed"}).content.decode()
    form = _upload_form(html)
    assert "invalid-feedback" in form
    # The error is the file's, not the select's: the select has a value.
    kind = form[form.index('name="kind"') :]
    kind = kind[: kind.index("</select>")]
    assert "is-invalid" not in kind


def test_continue_once_the_documents_are_there_goes_to_the_review(client_for, citizen):
    draft = complete_draft(citizen)
    client = client_for(citizen)
    assert client.post(_url(draft), {"continue": "1"})["Location"].endswith("/review/")
