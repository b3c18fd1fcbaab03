"""A person's access stamp (``User.access_stamp``), written by the database itself.

Every row a person's access is read from besides their account (the roles' rows,
``accounts.roles._memberships_query``, and the second factor's devices) gives the people it
concerns a new stamp when it is written, in the same transaction, whatever wrote it: the services,
the admin, a bulk update, SQL typed by hand. A new account gets one too. ``accounts.access_stamp``
answers a request from what its process read at the same stamp, so a change counts at the next
request.

PostgreSQL takes the stamps from a sequence of its own (never given twice, not even after a
rollback, and left alone when tables are emptied); SQLite, the embedded default, from ``random()``
(64 bits).
"""

from django.db import migrations, models

# Each table a person's access is read from: (table, the column naming the person, the columns
# read; None: all). A row added or removed restamps its person; a row changed in those columns
# restamps the person before and after.
PERSON_ROWS = (
    (
        "districts_districtmembership",
        "user_id",
        ("user_id", "district_id", "role", "can_sign", "is_active"),
    ),
    ("counters_officemembership", "user_id", ("user_id", "office_id", "role", "is_active")),
    ("accounts_user_groups", "user_id", ("user_id", "group_id")),
    ("api_institution", "account_id", ("account_id", "is_active", "kind")),
    # The second factor's devices (``accounts.middleware``): any change at all, so a device read at
    # a stamp is the row as it is (its counters and last use too).
    ("otp_totp_totpdevice", "user_id", None),
    ("accounts_backupcodedevice", "user_id", None),
)
# Rows that many people's roles read: (table, the columns the roles read, the table naming those
# people, its column naming this row). Removing such a row removes those people's rows first (or is
# refused), which restamps them above.
SHARED_ROWS = (
    ("counters_counteroffice", ("is_active", "kind"), "counters_officemembership", "office_id"),
    ("auth_group", ("name",), "accounts_user_groups", "group_id"),
)
SEQUENCE = "accounts_access_stamp"


def _changed(columns, differs: str = "IS DISTINCT FROM") -> str:
    """The WHEN clause of an update's trigger: one of ``columns`` changed (any change: none)."""
    if columns is None:
        return ""
    return "WHEN (" + " OR ".join(f"OLD.{c} {differs} NEW.{c}" for c in columns) + ") "


def _postgresql() -> tuple[list[str], list[str]]:
    stamp = f"nextval('{SEQUENCE}')"
    create = [
        f"CREATE SEQUENCE {SEQUENCE}",
        f"""CREATE FUNCTION accounts_access_restamp_person() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                UPDATE accounts_user SET access_stamp = {stamp}
                WHERE id = (to_jsonb(OLD) ->> TG_ARGV[0])::bigint;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                UPDATE accounts_user SET access_stamp = {stamp}
                WHERE id = (to_jsonb(NEW) ->> TG_ARGV[0])::bigint;
            END IF;
            RETURN NULL;
        END $$""",
        f"""CREATE FUNCTION accounts_access_restamp_members() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            EXECUTE format(
                'UPDATE accounts_user SET access_stamp = {stamp.replace("'", "''")} '
                'WHERE id IN (SELECT user_id FROM %I WHERE %I = $1)', TG_ARGV[0], TG_ARGV[1]
            ) USING OLD.id;
            RETURN NULL;
        END $$""",
        f"""CREATE FUNCTION accounts_access_stamp_new() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.access_stamp := {stamp};
            RETURN NEW;
        END $$""",
        "CREATE TRIGGER access_stamp_new BEFORE INSERT ON accounts_user "
        "FOR EACH ROW EXECUTE FUNCTION accounts_access_stamp_new()",
    ]
    drop = [
        "DROP TRIGGER access_stamp_new ON accounts_user",
        "DROP FUNCTION accounts_access_stamp_new()",
    ]
    for table, person, columns in PERSON_ROWS:
        create += [
            f"CREATE TRIGGER access_restamp_added_removed AFTER INSERT OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION accounts_access_restamp_person('{person}')",
            f"CREATE TRIGGER access_restamp_changed AFTER UPDATE ON {table} FOR EACH ROW "
            f"{_changed(columns)}"
            f"EXECUTE FUNCTION accounts_access_restamp_person('{person}')",
        ]
        drop += [
            f"DROP TRIGGER access_restamp_added_removed ON {table}",
            f"DROP TRIGGER access_restamp_changed ON {table}",
        ]
    for table, columns, members, column in SHARED_ROWS:
        create.append(
            f"CREATE TRIGGER access_restamp_changed AFTER UPDATE ON {table} FOR EACH ROW "
            f"{_changed(columns)}"
            f"EXECUTE FUNCTION accounts_access_restamp_members('{members}', '{column}')"
        )
        drop.append(f"DROP TRIGGER access_restamp_changed ON {table}")
    drop += [
        "DROP FUNCTION accounts_access_restamp_person()",
        "DROP FUNCTION accounts_access_restamp_members()",
        f"DROP SEQUENCE {SEQUENCE}",
    ]
    return create, drop


def _sqlite() -> tuple[list[str], list[str]]:
    stamp = "random()"
    create = [
        "CREATE TRIGGER access_stamp_new AFTER INSERT ON accounts_user BEGIN "
        f"UPDATE accounts_user SET access_stamp = {stamp} WHERE id = NEW.id; END"
    ]
    drop = ["DROP TRIGGER access_stamp_new"]
    for table, person, columns in PERSON_ROWS:
        for event, rows in (("INSERT", ("NEW",)), ("DELETE", ("OLD",)), ("UPDATE", ("OLD", "NEW"))):
            name = f"{table}_access_restamp_{event.lower()}"
            when = f" {_changed(columns, 'IS NOT')}" if event == "UPDATE" else " "
            ids = ", ".join(f"{row}.{person}" for row in rows)
            create.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{when} BEGIN "
                f"UPDATE accounts_user SET access_stamp = {stamp} WHERE id IN ({ids}); END"
            )
            drop.append(f"DROP TRIGGER {name}")
    for table, columns, members, column in SHARED_ROWS:
        name = f"{table}_access_restamp_update"
        create.append(
            f"CREATE TRIGGER {name} AFTER UPDATE ON {table} FOR EACH ROW "
            f"{_changed(columns, 'IS NOT')}BEGIN "
            f"UPDATE accounts_user SET access_stamp = {stamp} "
            f"WHERE id IN (SELECT user_id FROM {members} WHERE {column} = OLD.id); END"
        )
        drop.append(f"DROP TRIGGER {name}")
    return create, drop


def _statements(vendor: str) -> tuple[list[str], list[str]]:
    if vendor == "postgresql":
        return _postgresql()
    if vendor == "sqlite":
        return _sqlite()
    raise NotImplementedError(f"access stamps: no triggers written for {vendor}")


def triggers_create(apps, schema_editor):
    for sql in _statements(schema_editor.connection.vendor)[0]:
        schema_editor.execute(sql, None)  # no parameters: the SQL's own % signs stay


def triggers_drop(apps, schema_editor):
    for sql in _statements(schema_editor.connection.vendor)[1]:
        schema_editor.execute(sql, None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_powerchange_institutions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("districts", "0005_kiosk_log_period_index"),
        ("counters", "0002_finding_categories"),
        ("api", "0003_webhook_delivery_given_up"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="access_stamp",
            field=models.BigIntegerField(db_default=0, default=0, editable=False),
        ),
        migrations.RunPython(triggers_create, triggers_drop),
    ]
