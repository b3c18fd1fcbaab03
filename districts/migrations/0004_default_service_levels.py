"""Starting service levels: working days to answer each kind, in every district. The municipality's
own targets (the law asks for an instant answer); the ICT organisation tunes them in the admin."""

from django.db import migrations

WORKING_DAYS = {"transfer": 3, "bank": 5, "agency": 7}


def load(apps, schema_editor):
    District = apps.get_model("districts", "District")
    ServiceLevel = apps.get_model("districts", "ServiceLevel")
    for district in District.objects.all():
        for kind, days in WORKING_DAYS.items():
            ServiceLevel.objects.get_or_create(
                district=district, kind=kind, defaults={"working_days": days}
            )


def unload(apps, schema_editor):
    apps.get_model("districts", "ServiceLevel").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("districts", "0003_service_levels_kiosk_logs")]

    operations = [migrations.RunPython(load, unload)]
