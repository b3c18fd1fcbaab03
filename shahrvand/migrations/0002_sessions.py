import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def sessions_copy(apps, schema_editor):
    """The sessions open at the deploy, copied as they are: nobody is signed out by it. Their
    person column stays empty until each is saved again; until then the person is read by the id in
    the session's data (``shahrvand.sessions``)."""
    quote = schema_editor.connection.ops.quote_name
    columns = ", ".join(quote(name) for name in ("session_key", "session_data", "expire_date"))
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote('shahrvand_session')} ({columns}) "  # nosec B608 - no input
            f"SELECT {columns} FROM {quote('django_session')}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("shahrvand", "0001_sms_outbox"),
        ("sessions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Session",
            fields=[
                (
                    "session_key",
                    models.CharField(
                        max_length=40, primary_key=True, serialize=False, verbose_name="session key"
                    ),
                ),
                ("session_data", models.TextField(verbose_name="session data")),
                ("expire_date", models.DateTimeField(db_index=True, verbose_name="expire date")),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
                "db_table": "shahrvand_session",
                "abstract": False,
            },
        ),
        migrations.RunPython(sessions_copy, migrations.RunPython.noop, elidable=True),
    ]
