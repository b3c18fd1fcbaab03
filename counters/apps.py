from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountersConfig(AppConfig):
    name = "counters"
    verbose_name = _("Offices")

    # Whatever the registry, an office's page or the scorecards show of the offices.
    SHOWN = (
        "CounterOffice",
        "OfficeMembership",
        "TrainingSession",
        "TrainingAttendance",
        "FindingCategory",
        "OfficeVisit",
        "VisitFinding",
    )

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from accounts.signals import person_renamed

        from .receivers import offices_changed, offices_naming_person

        person_renamed.connect(offices_naming_person, dispatch_uid="counters_offices_naming_person")

        for name in self.SHOWN:
            for signal in (post_save, post_delete):
                signal.connect(
                    offices_changed,
                    sender=f"counters.{name}",
                    dispatch_uid=f"counters_offices_changed_{name}",
                )
