"""Accounts stored before the one digit normaliser with a national ID or mobile in other scripts'
digits (full-width, Bengali, ...) are look-alikes of a real citizen's identifiers: the lock-out
attack of full-width national IDs made them. They are switched off and lose the look-alike values,
so they can neither sign in as the citizen nor block the citizen's own sign-in."""

import re

from django.db import migrations

_NATIONAL_ID = re.compile(r"[0-9]{10}", re.ASCII)
_MOBILE = re.compile(r"09[0-9]{9}", re.ASCII)


def switch_off_lookalikes(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(national_id__isnull=True).only(
        "national_id", "mobile", "is_active"
    ):
        if _NATIONAL_ID.fullmatch(user.national_id or ""):
            continue
        user.national_id = None
        user.is_active = False
        user.save(update_fields=["national_id", "is_active"])
    for user in User.objects.exclude(mobile="").only("mobile", "is_active"):
        if _MOBILE.fullmatch(user.mobile):
            continue
        user.mobile = ""
        user.is_active = False
        user.save(update_fields=["mobile", "is_active"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_power_changes")]

    operations = [migrations.RunPython(switch_off_lookalikes, migrations.RunPython.noop)]
