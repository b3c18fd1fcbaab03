"""Signals of the inquiries app, for the apps above it (the API), so that inquiries need not know
them."""

from django.dispatch import Signal

# Sent inside the transaction that stored an answer's PDF (``answer_pdf.answer_pdf_store``), once
# per answer. Keyword argument: ``answer``. The API listens (``api/receivers.py``) and owes the
# institution that filed the inquiry an ``answer.pdf_ready`` webhook, written in that transaction.
answer_pdf_stored = Signal()
