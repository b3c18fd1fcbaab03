"""A signed-in request reads its session and its person in one query (``shahrvand.sessions``), and
the person is still the one the session's data names, read as it is now."""

import importlib
import weakref

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session as SessionBefore
from django.core.signals import request_finished, request_started
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UserFactory
from shahrvand import sessions
from shahrvand.models import Session

pytestmark = pytest.mark.django_db

PAGE = "/inquiries/"


@pytest.fixture(autouse=True)
def _forced_sessions(settings):
    settings.STAFF_SECOND_FACTOR = False  # the sessions here are forced, not by SMS


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _reads_of_people(queries) -> list[str]:
    """The person read by their id (not the roles, whose union also reads the person's stamp)."""
    return [q["sql"] for q in queries if q["sql"].startswith('SELECT "accounts_user"."id"')]


def test_the_session_and_its_person_are_read_in_one_query(citizen):
    client = _signed_in(citizen)
    assert Session.objects.get(pk=client.session.session_key).user_id == citizen.pk
    with CaptureQueriesContext(connection) as queries:
        page = client.get(PAGE)
    assert page.status_code == 200
    first = queries[0]["sql"]
    assert '"shahrvand_session"' in first and 'JOIN "accounts_user"' in first
    assert _reads_of_people(queries) == []  # no second read of the person


def test_the_person_is_read_as_they_are_now(citizen):
    client = _signed_in(citizen)
    assert client.get(PAGE).status_code == 200
    User.objects.filter(pk=citizen.pk).update(is_active=False)
    signed_out = client.get(PAGE)
    assert signed_out.status_code == 302 and signed_out["Location"].startswith("/accounts/")


def test_a_session_without_its_person_or_naming_another_reads_the_one_in_its_data(
    citizen, other_citizen
):
    client = _signed_in(citizen)
    key = client.session.session_key
    # Copied at the deploy, before the column was filled: the person read by the id, as before.
    Session.objects.filter(pk=key).update(user=None)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE).status_code == 200
    assert len(_reads_of_people(queries)) == 1
    # A column naming someone else never makes the reader them: the data names the person.
    Session.objects.filter(pk=key).update(user=other_citizen)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(PAGE)
    assert page.status_code == 200 and page.wsgi_request.user == citizen
    assert len(_reads_of_people(queries)) == 1
    # A person deleted since reads no one.
    Session.objects.filter(pk=key).update(user_id=987_654_321)
    assert client.get(PAGE).wsgi_request.user == citizen


def test_a_saved_session_names_its_person_and_nothing_else():
    store = sessions.SessionStore()
    store["something"] = "else"
    store.save()
    assert Session.objects.get(pk=store.session_key).user_id is None
    cases = (
        ("42", 42),
        (42, 42),
        ("not an id", None),
        (None, None),
        (str(2**63), None),  # more than the column holds: the session is still saved
        ("-1", None),
        (True, None),
    )
    for value, column in cases:
        store[SESSION_KEY] = value
        store.save()
        assert Session.objects.get(pk=store.session_key).user_id == column, value


def test_the_person_read_with_a_session_is_taken_once_and_never_outlives_the_request(citizen):
    client = _signed_in(citizen)
    key = client.session.session_key
    sessions.SessionStore(key).load()
    assert sessions.read_with(citizen.pk + 1) is None  # someone else's id: not theirs
    assert sessions.read_with(citizen.pk) == citizen
    assert sessions.read_with(citizen.pk) is None  # taken

    sessions.SessionStore(key).load()
    assert Client().get("/healthz").status_code in (200, 503)  # another request, no session
    assert sessions.read_with(citizen.pk) is None
    for signal in (request_started, request_finished):  # and when a request ends
        connected = [r() if isinstance(r, weakref.ref) else r for _k, r, _a in signal.receivers]
        assert sessions._forget in connected

    sessions.SessionStore(key).load()
    Session.objects.filter(pk=key).update(expire_date=timezone.now())
    assert sessions.SessionStore(key).load() == {}  # an expired session: no one is kept
    assert sessions.read_with(citizen.pk) is None


def test_the_sessions_open_at_the_deploy_are_copied():
    migration = importlib.import_module("shahrvand.migrations.0002_sessions")
    expires = timezone.now() + timezone.timedelta(hours=1)
    SessionBefore.objects.create(session_key="a" * 32, session_data="data", expire_date=expires)

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.sessions_copy(None, editor)
    copied = Session.objects.get(pk="a" * 32)
    assert (copied.session_data, copied.expire_date, copied.user_id) == ("data", expires, None)


def test_a_person_with_a_session_can_still_be_deleted():
    user = UserFactory()
    client = _signed_in(user)
    user.delete()
    assert Session.objects.filter(pk=client.session.session_key).exists()
    assert client.get(PAGE).status_code == 302


def test_sessions_past_their_expiry_are_purged_on_schedule(citizen, settings):
    from accounts.tasks import sessions_purge_task

    current, ended = _signed_in(citizen), _signed_in(citizen)
    Session.objects.filter(pk=ended.session.session_key).update(
        expire_date=timezone.now() - timezone.timedelta(seconds=1)
    )
    assert sessions_purge_task() == 1
    assert list(Session.objects.values_list("pk", flat=True)) == [current.session.session_key]
    assert current.get(PAGE).status_code == 200
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "accounts.tasks.sessions_purge" in scheduled
