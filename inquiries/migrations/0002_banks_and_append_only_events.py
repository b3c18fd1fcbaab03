"""Reference data: Iranian banks and credit institutions (the ICT organisation keeps the list current
in the admin). And on PostgreSQL, a trigger that refuses to change or delete inquiry events, so the
audit trail stays append-only even for a hand-written SQL statement."""

from django.db import migrations

BANKS = [
    ("melli", "بانک ملی ایران", "Bank Melli Iran"),
    ("sepah", "بانک سپه", "Bank Sepah"),
    ("mellat", "بانک ملت", "Bank Mellat"),
    ("tejarat", "بانک تجارت", "Tejarat Bank"),
    ("saderat", "بانک صادرات ایران", "Bank Saderat Iran"),
    ("keshavarzi", "بانک کشاورزی", "Bank Keshavarzi (Agriculture)"),
    ("maskan", "بانک مسکن", "Bank Maskan (Housing)"),
    ("refah", "بانک رفاه کارگران", "Refah Kargaran Bank"),
    ("post", "پست بانک ایران", "Post Bank of Iran"),
    ("sanat-madan", "بانک صنعت و معدن", "Bank of Industry and Mine"),
    ("tosee-saderat", "بانک توسعه صادرات ایران", "Export Development Bank of Iran"),
    ("tosee-taavon", "بانک توسعه تعاون", "Tose'e Ta'avon Bank"),
    ("pasargad", "بانک پاسارگاد", "Bank Pasargad"),
    ("parsian", "بانک پارسیان", "Parsian Bank"),
    ("saman", "بانک سامان", "Saman Bank"),
    ("eghtesad-novin", "بانک اقتصاد نوین", "EN Bank (Eghtesad Novin)"),
    ("sina", "بانک سینا", "Sina Bank"),
    ("shahr", "بانک شهر", "Bank Shahr"),
    ("karafarin", "بانک کارآفرین", "Karafarin Bank"),
    ("sarmayeh", "بانک سرمایه", "Sarmayeh Bank"),
    ("day", "بانک دی", "Day Bank"),
    ("gardeshgari", "بانک گردشگری", "Tourism Bank"),
    ("khavarmianeh", "بانک خاورمیانه", "Middle East Bank"),
    ("iran-zamin", "بانک ایران زمین", "Iran Zamin Bank"),
    ("resalat", "بانک قرض‌الحسنه رسالت", "Resalat Qarz al-Hasaneh Bank"),
    ("mehr-iran", "بانک قرض‌الحسنه مهر ایران", "Mehr Iran Qarz al-Hasaneh Bank"),
    ("iran-venezuela", "بانک مشترک ایران و ونزوئلا", "Iran-Venezuela Bi-National Bank"),
    ("melal", "موسسه اعتباری ملل", "Melal Credit Institution"),
    ("noor", "موسسه اعتباری نور", "Noor Credit Institution"),
    ("tosee", "موسسه اعتباری توسعه", "Tose'e Credit Institution"),
]

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION inquiries_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'inquiry events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER inquiries_event_append_only
    BEFORE UPDATE OR DELETE ON inquiries_inquiryevent
    FOR EACH ROW EXECUTE FUNCTION inquiries_event_append_only();
"""
DROP_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS inquiries_event_append_only ON inquiries_inquiryevent;
DROP FUNCTION IF EXISTS inquiries_event_append_only();
"""


def load_banks(apps, schema_editor):
    Bank = apps.get_model("inquiries", "Bank")
    for order, (code, name_fa, name_en) in enumerate(BANKS, start=1):
        Bank.objects.update_or_create(
            code=code, defaults={"name_fa": name_fa, "name_en": name_en, "order": order}
        )


def unload_banks(apps, schema_editor):
    apps.get_model("inquiries", "Bank").objects.filter(code__in=[b[0] for b in BANKS]).delete()


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER_SQL)


class Migration(migrations.Migration):
    dependencies = [("inquiries", "0001_initial")]

    operations = [
        migrations.RunPython(load_banks, unload_banks),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
