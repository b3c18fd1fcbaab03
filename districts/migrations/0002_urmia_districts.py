"""Urmia's five municipal districts and the dates their inquiries went online (source article,
1401/10/25). District 2 was not online yet. One help kiosk ("baje") per online district.

Addresses and hours are starting values for the ICT organisation to correct in the admin.
"""

import datetime as dt

from django.db import migrations

DISTRICTS = [
    # number, name, online since (all three kinds together, as the article reports)
    (1, "منطقه یک", dt.date(2020, 10, 11)),  # 1399/07/20, the pilot
    (2, "منطقه دو", None),  # not online: infrastructure being prepared
    (3, "منطقه سه", dt.date(2021, 5, 25)),  # 1400/03/04
    (4, "منطقه چهار", dt.date(2022, 10, 15)),  # 1401/07/23
    (5, "منطقه پنج", dt.date(2020, 11, 10)),  # 1399/08/20
]
OFFICE_HOURS = "شنبه تا چهارشنبه، ساعت ۷:۳۰ تا ۱۴:۰۰"


def load(apps, schema_editor):
    District = apps.get_model("districts", "District")
    HelpKiosk = apps.get_model("districts", "HelpKiosk")
    for number, name, since in DISTRICTS:
        district, _created = District.objects.update_or_create(
            number=number,
            defaults={
                "name": name,
                "transfer_online_since": since,
                "bank_online_since": since,
                "agency_online_since": since,
                "address": f"ارومیه، ساختمان شهرداری {name}",
                "office_hours": OFFICE_HOURS,
            },
        )
        if since is not None and not HelpKiosk.objects.filter(district=district).exists():
            HelpKiosk.objects.create(
                district=district,
                name=f"باجه راهنمای {name}",
                location=f"ساختمان شهرداری {name}، طبقه همکف، کنار ورودی",
                hours=OFFICE_HOURS,
            )


def unload(apps, schema_editor):
    District = apps.get_model("districts", "District")
    HelpKiosk = apps.get_model("districts", "HelpKiosk")
    numbers = [number for number, _name, _since in DISTRICTS]
    HelpKiosk.objects.filter(district__number__in=numbers).delete()
    District.objects.filter(number__in=numbers).delete()


class Migration(migrations.Migration):
    dependencies = [("districts", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
