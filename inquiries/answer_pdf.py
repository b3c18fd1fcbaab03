"""The official PDF of a signed answer: built once, stored privately with its SHA-256, never
rebuilt (a correction is a new answer with a PDF of its own)."""

from __future__ import annotations

import base64
import hashlib
import io
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from shahrvand.pdf import pdf_render
from shahrvand.text import localize_digits

from .kinds import InquiryKind
from .models import Answer

logger = logging.getLogger(__name__)
STYLESHEETS = ("css/print/letterhead.css", "css/print/answer.css")


def verify_url(answer: Answer) -> str:
    return settings.SITE_URL + reverse("inquiries:verify_code", args=[answer.verification_code])


def qr_png_data_uri(payload: str) -> str:
    """The QR code as an inline PNG: drawn by our code, so the renderer fetches nothing for it.
    One grey pixel per module: the letter scales it up without smoothing (``image-rendering:
    pixelated``), so it prints sharp, and the renderer has almost nothing to re-encode."""
    import qrcode

    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=1,
        border=2,
        # Any of the eight masks is valid; trying all eight to score them costs more than the
        # rest of the QR code, and readers decode every one (the tests decode it with zbar).
        mask_pattern=2,
    )
    code.add_data(payload)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().get_image().convert("L").save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _requester(answer: Answer) -> tuple[str, dict | None]:
    """Who asked, and their letter: every kind's details carry one (none on a transfer filed
    without a notary office's letter: a citizen's, an old one)."""
    inquiry = answer.inquiry
    details = inquiry.details()
    letter = (
        {"number": details.letter_number, "date": details.letter_date}
        if details.letter_number
        else None
    )
    if inquiry.kind == InquiryKind.BANK:
        return f"{details.bank.name_fa} — {details.branch_name}", letter
    if inquiry.kind == InquiryKind.AGENCY:
        return details.agency_name, letter
    if details.notary_office_number:
        return gettext("Notary office no. %(number)s") % {
            "number": localize_digits(details.notary_office_number)
        }, letter
    return inquiry.applicant_name(), letter


def answer_pdf_context(answer: Answer) -> dict:
    requester, letter = _requester(answer)
    url = verify_url(answer)
    return {
        "answer": answer,
        "inquiry": answer.inquiry,
        "dues": list(answer.dues.all()),
        "requester": requester,
        "letter": letter,
        "verify_url": url,
        "qr_payload": url,
        "qr_image": qr_png_data_uri(url),
    }


def answer_pdf_bytes(answer: Answer) -> bytes:
    """The letter is Persian whatever language the signer reads the site in: the record holds
    codes (decision, the signer's role, ...), put into Persian words here."""
    with translation.override("fa"):
        context = answer_pdf_context(answer)
        return pdf_render("pdf/answer.html", context, stylesheets=STYLESHEETS)


def answer_for_pdf(answer_id: int) -> Answer:
    """The answer with everything its letter shows, in as few queries as possible."""
    return (
        Answer.objects.select_related(
            "inquiry__district",
            "inquiry__property",
            "inquiry__transfer",
            "inquiry__bank__bank",
            "inquiry__agency",
            "signed_by",
            "supersedes",
        )
        .prefetch_related("dues")
        .get(pk=answer_id)
    )


def answer_pdf_store(answer_id: int) -> str:
    """Render and store the answer's PDF unless it exists. Safe to run twice, or at once in two
    workers: the row lock decides which one stores, the other's work is dropped."""
    answer = answer_for_pdf(answer_id)
    if answer.pdf_rendered_at:
        return "exists"
    if not answer.signed_at:
        return "not signed"
    content = answer_pdf_bytes(answer)  # outside the transaction: rendering takes a while
    with transaction.atomic():
        locked = Answer.objects.select_for_update().get(pk=answer_id)
        if locked.pdf_rendered_at:
            return "exists"
        name = locked.pdf.field.generate_filename(locked, "answer.pdf")
        storage = locked.pdf.storage
        if storage.exists(name):
            # Left by a worker that died before its commit: replace it, keep one file.
            storage.delete(name)
        locked.pdf.save(name, ContentFile(content), save=False)
        locked.pdf_sha256 = hashlib.sha256(content).hexdigest()
        locked.pdf_rendered_at = timezone.now()
        locked.save(update_fields=["pdf", "pdf_sha256", "pdf_rendered_at"])
        from . import notifications
        from .signals import answer_pdf_stored

        notifications.answer_pdf_ready(locked)
        answer_pdf_stored.send(sender=Answer, answer=locked)
    return "rendered"
