from django.apps import AppConfig


class ShahrvandConfig(AppConfig):
    name = "shahrvand"
    verbose_name = "Shahrvand"
