"""Queries every signed-in request runs are built once per process (``shahrvand.compiled``) and
read the same rows, with the same values, as the ORM."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UserFactory
from shahrvand import compiled
from shahrvand.models import Session

pytestmark = pytest.mark.django_db


def test_one_row_reads_what_the_orm_reads_and_none_for_a_missing_key():
    user = UserFactory(first_name="مریم", last_name="احمدی")
    expires = timezone.now() + dt.timedelta(hours=1)
    Session.objects.create(session_key="k" * 32, session_data="data", expire_date=expires)

    read, orm_read = compiled.one_row(User, "pk", user.pk), User.objects.get(pk=user.pk)
    assert read == user
    # The same values of the same types (a SQLite boolean is a bool, not 1), as saved.
    values = {f.attname: getattr(read, f.attname) for f in User._meta.concrete_fields}
    assert values == {f.attname: getattr(orm_read, f.attname) for f in User._meta.concrete_fields}
    assert {name: type(value) for name, value in values.items()} == {
        f.attname: type(getattr(orm_read, f.attname)) for f in User._meta.concrete_fields
    }
    user.refresh_from_db(fields=["access_stamp"])  # the database's own, given as the row went in
    assert values == {f.attname: getattr(user, f.attname) for f in User._meta.concrete_fields}
    assert read._state.adding is False and read._state.db == orm_read._state.db
    session = compiled.one_row(Session, "session_key", "k" * 32)
    assert session.session_data == "data"
    assert session.expire_date == expires and timezone.is_aware(session.expire_date)

    assert compiled.one_row(User, "pk", 987_654_321) is None
    assert compiled.one_row(Session, "session_key", "z" * 32) is None
    # A value its stand-in could be mistaken for still reads nothing.
    assert compiled.one_row(User, "pk", compiled.STAND_INS[int]) is None


def test_the_sql_is_built_once_per_name():
    built = []

    def build(stand_in):
        built.append(stand_in)
        return User.objects.filter(pk=stand_in)

    stand_in = compiled.STAND_INS[int]
    first = compiled.compiled("test.once", User, build, stand_in)
    second = compiled.compiled("test.once", User, build, stand_in)
    assert first == second and built == [stand_in]


def test_a_query_without_its_stand_in_is_refused():
    with pytest.raises(ValueError):
        compiled.compiled(
            "test.no-stand-in", User, lambda _s: User.objects.filter(pk=1), compiled.STAND_INS[int]
        )


def test_one_row_with_reads_a_joined_row_as_select_related_does():
    user = UserFactory(first_name="مریم")
    expires = timezone.now() + dt.timedelta(hours=1)
    Session.objects.create(session_key="j" * 32, session_data="d", expire_date=expires, user=user)
    Session.objects.create(session_key="n" * 32, session_data="d", expire_date=expires)

    session, person = compiled.one_row_with(Session, "session_key", "j" * 32, "user")
    orm = Session.objects.select_related("user").get(pk="j" * 32)
    assert (session.pk, session.user_id, session.expire_date) == (
        orm.pk,
        orm.user_id,
        orm.expire_date,
    )
    fields = User._meta.concrete_fields
    assert {f.attname: getattr(person, f.attname) for f in fields} == {
        f.attname: getattr(orm.user, f.attname) for f in fields
    }
    assert person._state.adding is False

    # A row naming no one, and a row naming someone gone (no constraint): the person is None.
    assert compiled.one_row_with(Session, "session_key", "n" * 32, "user")[1] is None
    Session.objects.filter(pk="n" * 32).update(user_id=987_654_321)
    session, person = compiled.one_row_with(Session, "session_key", "n" * 32, "user")
    assert session.user_id == 987_654_321 and person is None
    assert compiled.one_row_with(Session, "session_key", "z" * 32, "user") == (None, None)
