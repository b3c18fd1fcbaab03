from django.apps import AppConfig


class ShahrvandConfig(AppConfig):
    name = "shahrvand"
    verbose_name = "Shahrvand"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .versions import kept_copies_renew

        # Sent once per ``migrate`` for this app, which every deploy runs.
        post_migrate.connect(
            kept_copies_renew, sender=self, dispatch_uid="shahrvand_kept_copies_renew"
        )
