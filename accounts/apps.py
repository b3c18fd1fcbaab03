from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from .middleware import session_clock_start
        from .roles import ict_admin_group_sync

        # Not limited to this app: every portal app's permissions join the group once they exist.
        post_migrate.connect(ict_admin_group_sync, dispatch_uid="ict_admin_group_sync")
        # The session's time limits start at every sign-in, whatever signed the person in.
        user_logged_in.connect(session_clock_start, dispatch_uid="session_clock_start")
