"""What the applicant does after filing: withdraw, answer a request for more information."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..models import Attachment, Inquiry
from ..uploads import InspectedUpload
from ..workflow import Action
from .common import InquiryError, channel_of, store_upload, transition


@transaction.atomic
def inquiry_withdraw(*, actor, inquiry: Inquiry, note: str = "") -> Inquiry:
    inquiry, _event = transition(
        actor=actor,
        inquiry=inquiry,
        action=Action.WITHDRAW,
        channel=channel_of(actor, inquiry),
        note=note,
    )
    return inquiry


@transaction.atomic
def inquiry_resubmit(
    *,
    actor,
    inquiry: Inquiry,
    note: str,
    uploads: Iterable[tuple[str, InspectedUpload]],
) -> Inquiry:
    """The applicant's answer to "more information needed": documents (at least one) and a note."""
    uploads = list(uploads)
    if not uploads:
        raise InquiryError(_("Upload at least one document with your answer."), code="no_documents")
    if inquiry.attachments.count() + len(uploads) > settings.ATTACHMENTS_PER_INQUIRY:
        raise InquiryError(
            _("An inquiry can have at most %(count)s documents.")
            % {"count": settings.ATTACHMENTS_PER_INQUIRY},
            code="too_many",
        )
    inquiry, _event = transition(
        actor=actor,
        inquiry=inquiry,
        action=Action.RESUBMIT,
        channel=channel_of(actor, inquiry),
        note=note,
    )
    for kind, upload in uploads:
        store_upload(Attachment(inquiry=inquiry, kind=kind, uploaded_by=actor), upload)
    return inquiry
