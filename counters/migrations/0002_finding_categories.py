"""What the ICT organisation's visits to offices most often find (editable in the admin)."""

from django.db import migrations

CATEGORIES = [
    "مدارک نادرست یا ناخوانا بارگذاری می‌شود",
    "کد نوسازی یا پلاک ملک اشتباه وارد می‌شود",
    "اینترنت کند یا ناپایدار است",
    "کارکنان جدید آموزش ندیده‌اند",
    "نام کاربری مشترک میان چند نفر استفاده می‌شود",
    "سایر موارد",
]


def load(apps, schema_editor):
    FindingCategory = apps.get_model("counters", "FindingCategory")
    for order, title in enumerate(CATEGORIES, start=1):
        FindingCategory.objects.get_or_create(title=title, defaults={"order": order})


def unload(apps, schema_editor):
    apps.get_model("counters", "FindingCategory").objects.filter(title__in=CATEGORIES).delete()


class Migration(migrations.Migration):
    dependencies = [("counters", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
