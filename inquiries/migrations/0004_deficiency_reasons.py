"""Standard reasons for asking the applicant for more information, as district reviewers see them
most often (editable in the admin). Kept in Persian: they are data, shown as written."""

from django.db import migrations

REASONS = [
    "تصویر سند مالکیت خوانا نیست یا کامل نیست",
    "سند مالکیت بارگذاری نشده یا متعلق به ملک دیگری است",
    "کد نوسازی با سند یا نشانی ملک مطابقت ندارد",
    "وکالت‌نامه بارگذاری نشده، ناقص است یا اعتبار ندارد",
    "نامه بانک یا اداره بارگذاری نشده یا شماره و تاریخ آن نادرست است",
    "مساحت یا پلاک ثبتی با سند مطابقت ندارد",
    "تصویر کارت ملی مالک یا متقاضی لازم است",
    "گواهی پایان کار یا عدم خلاف قبلی لازم است",
]


def load(apps, schema_editor):
    DeficiencyReason = apps.get_model("inquiries", "DeficiencyReason")
    for order, title in enumerate(REASONS, start=1):
        DeficiencyReason.objects.get_or_create(title=title, defaults={"order": order})


def unload(apps, schema_editor):
    apps.get_model("inquiries", "DeficiencyReason").objects.filter(title__in=REASONS).delete()


class Migration(migrations.Migration):
    dependencies = [("inquiries", "0003_answers_and_review")]

    operations = [migrations.RunPython(load, unload)]
