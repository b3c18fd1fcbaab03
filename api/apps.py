from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Institution API")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from inquiries.models import InquiryEvent
        from inquiries.signals import answer_pdf_stored

        from . import receivers

        post_save.connect(receivers.event_written, sender=InquiryEvent, dispatch_uid="api_webhooks")
        answer_pdf_stored.connect(receivers.answer_pdf_stored, dispatch_uid="api_webhooks_pdf")
