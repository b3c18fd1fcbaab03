from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = _("Inquiries")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from accounts.signals import person_renamed, review_role_ended

        from .receivers import lists_changed, lists_naming_person, release_what_the_person_held

        review_role_ended.connect(release_what_the_person_held, dispatch_uid="inquiries_release")
        person_renamed.connect(lists_naming_person, dispatch_uid="inquiries_lists_naming_person")
        post_save.connect(lists_changed, sender="inquiries.Inquiry", dispatch_uid="inquiries_lists")
