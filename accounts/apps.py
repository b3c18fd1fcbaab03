from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.conf import settings
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate, post_save, pre_save

        from .middleware import session_clock_start
        from .receivers import name_after_save, name_before_save
        from .roles import ict_admin_group_sync

        # Not limited to this app: every portal app's permissions join the group once they exist.
        post_migrate.connect(ict_admin_group_sync, dispatch_uid="ict_admin_group_sync")
        # The session's time limits start at every sign-in, whatever signed the person in.
        user_logged_in.connect(session_clock_start, dispatch_uid="session_clock_start")
        # A person's new name shows at once on the kept pages that name them (``person_renamed``).
        pre_save.connect(
            name_before_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts_name_before"
        )
        post_save.connect(
            name_after_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts_name_after"
        )
