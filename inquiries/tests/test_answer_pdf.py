import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from inquiries import services
from inquiries.answer_pdf import answer_pdf_bytes, answer_pdf_context, answer_pdf_store, verify_url
from inquiries.models import Answer
from inquiries.tasks import render_answer_pdf, sweep_answer_pdfs
from inquiries.tests.factories import InquiryFactory
from shahrvand.pdf import AssetRefused, asset_fetch, asset_path

pytestmark = pytest.mark.django_db

DATA = {
    "decision": "violations",
    "building_status": "completed",
    "certificate_type": "none",
    "land_use_plan": "residential",
    "road_widening": "not_affected",
    "conditions": "",
}
DUES = [("عوارض تخلف ساختمانی", 12_345_000), ("عوارض نوسازی", 655_000)]


@pytest.fixture
def signed(citizen, reviewer_d1, manager_d1, django_capture_on_commit_callbacks):
    inquiry = services.inquiry_review_start(
        actor=reviewer_d1, inquiry=InquiryFactory(applicant=citizen)
    )
    answer = services.answer_prepare(actor=reviewer_d1, inquiry=inquiry, data=DATA, dues=DUES)
    with django_capture_on_commit_callbacks(execute=True):  # the (eager) PDF task runs
        answer = services.answer_sign(actor=manager_d1, answer=answer)
    return Answer.objects.get(pk=answer.pk)


def _text(pdf: bytes) -> str:
    """The PDF's text in reading order. pypdf returns Persian words in logical order but each run of
    digits inside right-to-left text in visual (reversed) order; such runs are turned back."""
    import re

    raw = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"[۰-۹][۰-۹٬/\-]*[۰-۹]", lambda m: m.group(0)[::-1], raw)


def _fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_pdf_reads_back_in_persian_with_the_facts(signed):
    text = _text(answer_pdf_bytes(signed))
    inquiry = signed.inquiry
    for expected in [
        "شهرداری ارومیه",
        "منطقه یک",
        inquiry.tracking_code_display(),
        signed.verification_code,
        "۱۲٬۳۴۵٬۰۰۰",  # the first due
        "۱۳٬۰۰۰٬۰۰۰",  # the total
        "عوارض تخلف ساختمانی",
        "دارای تخلف",  # the decision
        signed.letter_number.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")),
    ]:
        assert expected in text, expected
    # Persian words come out in logical (reading) order, not reversed glyph order.
    assert "شهرداری" in text and "یرادرهش" not in text


def test_a_long_letter_moves_its_signature_and_verification_block_whole_to_the_next_page(signed):
    """Long conditions push the footer past the first page: it must move whole, never be clipped,
    and every page must name the letter."""
    Answer.objects.filter(pk=signed.pk).update(
        conditions="\n".join(
            f"شرط شماره {n}: " + "متن بلند شرط برای شکستن سطرها. " * 8 for n in range(6)
        )
    )
    answer = Answer.objects.get(pk=signed.pk)
    pages = PdfReader(io.BytesIO(answer_pdf_bytes(answer))).pages
    assert len(pages) == 2
    last = pages[1].extract_text()
    assert answer.verification_code in last and verify_url(answer) in last
    assert "مدیر منطقه" in last  # the signer's role, in Persian
    for page in pages:  # the running footer: tracking code and page number
        assert answer.inquiry.tracking_code_display() in page.extract_text()


def test_the_font_embedded_is_vazirmatn(signed):
    fonts = _fonts(answer_pdf_bytes(signed))
    assert fonts and all("Vazirmatn" in name for name in fonts), fonts


def test_a_missing_font_fails_loudly(signed, settings, tmp_path):
    """If the font file cannot be read, WeasyPrint silently uses another font; the check above must
    notice. Render with an asset folder that has no fonts."""
    import shutil

    from shahrvand import pdf

    shutil.copytree(settings.PDF_ASSET_ROOT / "css", tmp_path / "css")
    shutil.copytree(settings.PDF_ASSET_ROOT / "img", tmp_path / "img")
    settings.PDF_ASSET_ROOT = tmp_path
    pdf._stylesheet.cache_clear()
    pdf._font_config.cache_clear()
    try:
        fonts = _fonts(answer_pdf_bytes(signed))
    finally:
        pdf._stylesheet.cache_clear()
        pdf._font_config.cache_clear()
    assert not any("Vazirmatn" in name for name in fonts)


def test_qr_encodes_the_verification_url(signed):
    context = answer_pdf_context(signed)
    assert context["qr_payload"] == verify_url(signed)
    assert context["qr_payload"].endswith(f"/verify/{signed.verification_code}/")
    assert context["qr_image"].startswith("data:image/png;base64,")
    # The QR in the PDF encodes exactly that payload (decoded back with a QR reader if present).
    _assert_qr_decodes_to(context["qr_image"], context["qr_payload"])


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:1/x.css",
        "https://example.invalid/font.ttf",
        "file:///etc/passwd",
        "file://evil.example/share/x.png",
        "ftp://127.0.0.1/x",
        "data:text/plain,hello",
    ],
)
def test_the_renderer_fetches_only_bundled_files(url):
    with pytest.raises(AssetRefused):
        asset_fetch(url)


def test_the_qr_printed_on_the_letter_decodes_to_the_verification_url(signed):
    """The page as a printer or a phone camera sees it: rasterised at 150 dpi, then decoded. The QR
    is one pixel per module scaled up without smoothing, so this also checks that it stays sharp."""
    import subprocess

    pdftoppm = _tool("pdftoppm", "poppler-utils")
    page = subprocess.run(
        [pdftoppm, "-r", "150", "-png", "-singlefile", "-"],
        input=answer_pdf_bytes(signed),
        capture_output=True,
        check=True,
    ).stdout
    assert _qr_decode(page) == verify_url(signed)


def _tool(name: str, package: str) -> str:
    """A command-line tool the test needs: .ci/run installs it; elsewhere the test is skipped."""
    import os
    import shutil

    path = shutil.which(name)
    if path is None:
        if os.environ.get("REQUIRE_E2E"):
            pytest.fail(f"{name} is needed here (apt-get install {package})")
        pytest.skip(f"{name} not installed")
    return path


def _qr_decode(png: bytes) -> str:
    import subprocess

    zbarimg = _tool("zbarimg", "zbar-tools")
    result = subprocess.run(
        [zbarimg, "--raw", "-q", "-"], input=png, capture_output=True, check=True
    )
    return result.stdout.decode().strip()


def _assert_qr_decodes_to(data_uri: str, payload: str) -> None:
    """Decode the inline QR image itself (scaled up, as zbar wants a few pixels per module)."""
    import base64

    from PIL import Image

    image = Image.open(io.BytesIO(base64.b64decode(data_uri.split(",", 1)[1])))
    big = io.BytesIO()
    image.resize((image.width * 8, image.height * 8), Image.NEAREST).save(big, "PNG")
    assert _qr_decode(big.getvalue()) == payload


def test_the_print_user_agent_stylesheet_drops_only_the_rules_that_match_everything():
    from shahrvand.pdf import user_agent_css_text

    css = user_agent_css_text()
    for line in css.splitlines():
        assert not line.startswith(("::footnote", "::note", "::marker")), line
    # The rest of WeasyPrint's HTML defaults stay: list markers, headings, counter styles.
    assert "li::marker {" in css
    assert "@counter-style disc" in css and "h1 {" in css


def test_the_renderer_uses_the_lighter_user_agent_stylesheet(monkeypatch):
    """If a WeasyPrint upgrade stopped calling the hook, letters would silently render slower."""
    from shahrvand import pdf

    calls = []
    document_class = pdf._document_class()
    real = document_class._ua_stylesheets
    monkeypatch.setattr(
        document_class, "_ua_stylesheets", lambda self, forms=False: calls.append(1) or real(self)
    )
    pdf.html_to_pdf("<p>سلام</p>")
    assert calls


def test_fonts_are_subset_by_harfbuzz():
    """Without HarfBuzz's subsetter (Debian: libharfbuzz-subset0) WeasyPrint falls back to
    fontTools and every letter takes about three times as long."""
    import os

    from weasyprint.text.ffi import harfbuzz_subset

    if harfbuzz_subset is None:
        if os.environ.get("REQUIRE_E2E"):
            pytest.fail("libharfbuzz-subset0 is needed for PDF speed (apt-get install it)")
        pytest.skip("libharfbuzz-subset0 not installed")


def test_the_renderer_refuses_to_climb_out_of_the_assets(settings):
    root = settings.PDF_ASSET_ROOT.resolve()
    with pytest.raises(AssetRefused):
        asset_path((root / ".." / "manage.py").as_uri())
    assert asset_path((root / "css" / "print" / "answer.css").as_uri()).is_file()


def test_hostile_text_in_an_inquiry_fetches_nothing(signed, monkeypatch):
    fetched = []
    import shahrvand.pdf as pdf

    real = pdf.asset_fetch

    def spy(url):
        fetched.append(url)
        return real(url)

    monkeypatch.setattr(pdf, "asset_fetch", spy)
    inquiry = signed.inquiry
    inquiry.property_declared = {
        "address": '<img src="http://127.0.0.1:1/track.png"><link rel=stylesheet href="file:///etc/passwd">'
    }
    inquiry.save(update_fields=["property_declared"])
    signed.refresh_from_db()
    answer_pdf_bytes(Answer.objects.get(pk=signed.pk))
    assert fetched, "the spy saw nothing"
    for url in fetched:
        assert (url.startswith("file://") and "/static/" in url) or url.startswith(
            "data:image/png;base64,"
        ), url


def test_the_task_twice_makes_one_pdf(signed):
    first_name = Answer.objects.get(pk=signed.pk).pdf.name
    digest = Answer.objects.get(pk=signed.pk).pdf_sha256
    assert render_answer_pdf.apply(args=[signed.pk]).get() == "exists"
    answer = Answer.objects.get(pk=signed.pk)
    assert answer.pdf.name == first_name and answer.pdf_sha256 == digest
    folder = answer.pdf.storage.path(answer.pdf.name).rsplit("/", 1)[0]
    import os

    assert [n for n in os.listdir(folder) if signed.verification_code in n] == [
        first_name.rsplit("/", 1)[1]
    ]


def test_store_replaces_a_file_left_by_a_dead_worker(signed):
    answer = Answer.objects.get(pk=signed.pk)
    name, storage = answer.pdf.name, answer.pdf.storage
    Answer.objects.filter(pk=signed.pk).update(pdf="", pdf_sha256="", pdf_rendered_at=None)
    assert storage.exists(name)  # the orphan a crashed worker would leave
    assert answer_pdf_store(signed.pk) == "rendered"
    answer = Answer.objects.get(pk=signed.pk)
    assert answer.pdf.name == name  # the same name, not name_XXXX.pdf


def test_the_sweeper_re_enqueues_what_is_owed(signed, settings, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    Answer.objects.filter(pk=signed.pk).update(
        pdf="",
        pdf_rendered_at=None,
        signed_at=timezone.now() - dt.timedelta(minutes=10),
        pdf_requested_at=None,
    )
    sent = []
    monkeypatch.setattr(render_answer_pdf, "apply_async", lambda args, kwargs: sent.append(args[0]))
    assert sweep_answer_pdfs() == 1
    assert sent == [signed.pk]
    # Asked again only after another interval, not at every sweep.
    assert sweep_answer_pdfs() == 0


def test_nobody_else_downloads_the_pdf(
    signed, client_for, citizen, other_citizen, reviewer_d1, reviewer_d3
):
    url = f"/inquiries/answers/{signed.pk}/pdf/"
    response = client_for(citizen).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client_for(reviewer_d1).get(url).status_code == 200
    assert client_for(other_citizen).get(url).status_code == 404
    assert client_for(reviewer_d3).get(url).status_code == 404


def test_pdf_status_fragment_polls_until_ready(signed, client_for, citizen):
    client = client_for(citizen)
    html = client.get(f"/inquiries/answers/{signed.pk}/pdf/status/").content.decode()
    assert "answer-pdf-download" in html and "hx-trigger" not in html
    Answer.objects.filter(pk=signed.pk).update(pdf_rendered_at=None)
    html = client.get(f"/inquiries/answers/{signed.pk}/pdf/status/").content.decode()
    assert 'hx-trigger="every 2s"' in html


def test_pdf_status_fragment_stops_polling_when_the_answer_is_out_of_reach(
    signed, client_for, other_citizen
):
    """htmx keeps polling after a 403/404; status 286 stops it, and the box says to reload."""
    client = client_for(other_citizen)
    url = f"/inquiries/answers/{signed.pk}/pdf/status/"
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 286
    assert "hx-get" not in response.content.decode()
    assert client.get(url).status_code == 404  # a plain request: the usual 404


def test_the_notary_office_that_asked_is_named_with_persian_digits(signed):
    details = signed.inquiry.transfer
    details.notary_office_number = 12
    details.save()
    with translation.override("fa"):
        context = answer_pdf_context(Answer.objects.get(pk=signed.pk))
    assert "۱۲" in context["requester"] and "12" not in context["requester"]
