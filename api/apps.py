from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Institution API")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from inquiries.models import InquiryEvent

        from .receivers import event_written

        post_save.connect(event_written, sender=InquiryEvent, dispatch_uid="api_webhooks")
