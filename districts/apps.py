from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DistrictsConfig(AppConfig):
    name = "districts"
    verbose_name = _("Districts")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from shahrvand import versions

        from .models import District, HelpKiosk

        def public_pages_changed(sender, **kwargs) -> None:
            # The home page lists the districts and their open kiosks (shahrvand/kept_pages.py).
            versions.bump_on_commit(versions.PUBLIC_PAGES)

        for model in (District, HelpKiosk):
            post_save.connect(public_pages_changed, sender=model, weak=False)
            post_delete.connect(public_pages_changed, sender=model, weak=False)
