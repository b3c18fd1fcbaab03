import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from shahrvand.settings.env import env_bool, env_int, env_list, parse_database_url


def test_booleans_accept_the_usual_spellings(monkeypatch):
    for raw, expected in [("1", True), ("yes", True), ("On", True), ("0", False), ("false", False)]:
        monkeypatch.setenv("SOME_FLAG", raw)
        assert env_bool("SOME_FLAG", not expected) is expected


def test_a_misspelt_boolean_stops_start_up(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG", False)


def test_integers_fail_loudly(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER"):
        env_int("SOME_NUMBER", 1)
    monkeypatch.setenv("SOME_NUMBER", "-1")
    with pytest.raises(ImproperlyConfigured, match="minimum"):
        env_int("SOME_NUMBER", 1, minimum=0)
    monkeypatch.delenv("SOME_NUMBER")
    assert env_int("SOME_NUMBER", 7) == 7


def test_lists_split_on_commas(monkeypatch):
    monkeypatch.setenv("SOME_HOSTS", " a.example , b.example,,")
    assert env_list("SOME_HOSTS", []) == ["a.example", "b.example"]


def test_postgres_url_gives_persistent_connections_with_health_checks():
    db = parse_database_url(
        "postgres://app:p%40ss@db.local:5433/shahrvand?sslmode=require", conn_max_age=600
    )
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "shahrvand",
        "app",
        "p@ss",
        "db.local",
        "5433",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}
    assert db["CONN_MAX_AGE"] == 600
    assert db["CONN_HEALTH_CHECKS"] is True


def test_sqlite_urls():
    assert parse_database_url("sqlite:////tmp/x.db", conn_max_age=0)["NAME"] == "/tmp/x.db"
    assert parse_database_url("sqlite:///var/x.db", conn_max_age=0)["NAME"] == "var/x.db"


@pytest.mark.parametrize("url", ["mysql://root@localhost/x", "postgres://localhost/", "nonsense"])
def test_unsupported_database_urls_fail_loudly(url):
    with pytest.raises(ImproperlyConfigured):
        parse_database_url(url, conn_max_age=0)


def _import_production(**env) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "REDIS", "CELERY", "SECRET"))
    }
    return subprocess.run(
        [sys.executable, "-c", "import shahrvand.settings.production"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_production_settings_refuse_the_embedded_defaults():
    result = _import_production(SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr
    result = _import_production(SECRET_KEY="short", DATABASE_URL="postgres://h/db")
    assert "SECRET_KEY" in result.stderr
    result = _import_production(SECRET_KEY="x" * 60, DATABASE_URL="postgres://h/db")
    assert "broker" in result.stderr


def test_production_settings_load_when_complete():
    result = _import_production(
        SECRET_KEY="x" * 60, DATABASE_URL="postgres://h/db", REDIS_URL="redis://127.0.0.1:6379/0"
    )
    assert result.returncode == 0, result.stderr


def _private_storage_of(**env) -> subprocess.CompletedProcess:
    complete = {"SECRET_KEY": "x" * 60, "DATABASE_URL": "postgres://h/db", "REDIS_URL": "redis://h"}
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("FILES_", "S3_"))}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from shahrvand.settings import production as s; "
            "print(json.dumps(s.STORAGES['private'], default=str))",
        ],
        env={**clean, **complete, **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def _production_value(name: str, module: str = "production", **env) -> subprocess.CompletedProcess:
    complete = {
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "postgres://h/db",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "REDIS", "CELERY", "SECRET", "STAFF_", "SESSION_"))
    }
    return subprocess.run(
        [sys.executable, "-c", f"import shahrvand.settings.{module} as s; print(s.{name})"],
        env={**clean, **complete, **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_files_stay_in_the_local_folder_by_default():
    import json

    result = _private_storage_of()
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["BACKEND"].endswith("FileSystemStorage")


def test_files_storage_s3_puts_the_private_files_in_a_private_bucket():
    import json

    result = _private_storage_of(
        FILES_STORAGE="s3",
        S3_BUCKET="urmia-shahrvand",
        S3_ENDPOINT_URL="https://objects.example.invalid",
        S3_ACCESS_KEY_ID="key-id",
        S3_SECRET_ACCESS_KEY="secret",
        S3_REGION="ir-urmia-1",
    )
    assert result.returncode == 0, result.stderr
    storage = json.loads(result.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "urmia-shahrvand"
    assert options["endpoint_url"] == "https://objects.example.invalid"
    assert (options["access_key"], options["secret_key"]) == ("key-id", "secret")
    assert options["region_name"] == "ir-urmia-1" and options["location"] == "private"
    assert options["default_acl"] is None and options["querystring_auth"] is True


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"FILES_STORAGE": "s3"}, "S3_BUCKET"),
        ({"FILES_STORAGE": "bucket"}, "FILES_STORAGE"),
        ({"FILES_STORAGE": "s3", "S3_BUCKET": "b", "S3_ADDRESSING_STYLE": "x"}, "ADDRESSING"),
    ],
)
def test_a_wrong_files_storage_stops_start_up(env, message):
    result = _private_storage_of(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_asks_for_the_second_factor_unless_told_not_to():
    assert _production_value("STAFF_SECOND_FACTOR").stdout.strip() == "True"
    off = _production_value("STAFF_SECOND_FACTOR", STAFF_SECOND_FACTOR="0")
    assert off.stdout.strip() == "False"
    misspelt = _production_value("STAFF_SECOND_FACTOR", STAFF_SECOND_FACTOR="sure")
    assert misspelt.returncode != 0 and "STAFF_SECOND_FACTOR" in misspelt.stderr


def test_the_embedded_default_and_the_tests_ask_for_no_second_factor():
    assert settings.STAFF_SECOND_FACTOR is False
    assert _production_value("STAFF_SECOND_FACTOR", module="base").stdout.strip() == "False"
    assert (settings.SESSION_IDLE_SECONDS, settings.SESSION_ABSOLUTE_SECONDS) == (1800, 36000)
    limits = _production_value("SESSION_IDLE_SECONDS", SESSION_IDLE_SECONDS="30")
    assert limits.returncode != 0 and "minimum" in limits.stderr
