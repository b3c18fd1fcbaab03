from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .roles import ict_admin_group_sync

        # Not limited to this app: every portal app's permissions join the group once they exist.
        post_migrate.connect(ict_admin_group_sync, dispatch_uid="ict_admin_group_sync")
