"""Queries that every signed-in request runs, with their SQL built once per process.

A signed-in request reads its session, its second-factor device and its roles, always with the
same SQL and one different value. Django's ORM builds that SQL afresh each time, which costs more
than the database takes to answer (about 0.2 ms a query here). ``compiled`` builds it once per
process and database, from the query written with a stand-in for the value, and ``one_row`` reads
a row by one column and makes it a model as the ORM does (the same converters, ``Model.from_db``),
with what that takes worked out once too.

Only for queries that never change with the data (the same joins and columns for every value).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Model, QuerySet

# Values no table holds, put where the real value goes while the SQL is built (the integer fits a
# 32-bit key: PostgreSQL's backend gives no SQL for a value out of its column's range).
STAND_INS: dict[type, object] = {int: -2_143_107_311, str: "\x1fstand-in\x1f"}


@dataclass(frozen=True)
class _Made:
    """How a row of the query becomes one model: its columns (their positions in the row, in the
    order the ORM's own reading takes them) and where its primary key is among them, if it is."""

    model: type[Model]
    attnames: tuple[str, ...]
    start: int
    end: int
    pk_at: int | None


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    # How the row becomes the model the query reads, and each one it joins (``select_related``)
    # by the name of its foreign key; the converters the ORM applies to the row's columns.
    made: _Made | None
    joined: dict[str, _Made]
    converters: tuple


_COMPILED: dict[tuple, _Compiled] = {}


def _compile(name: str, model: type[Model], build: Callable[[object], QuerySet], stand_in):
    alias = router.db_for_read(model)
    key = (name, alias, connections[alias].vendor)
    found = _COMPILED.get(key)
    if found is None:
        compiler = build(stand_in).using(alias).query.get_compiler(alias)
        sql, params = compiler.as_sql()  # also works out what it selects (compiler.select)
        if stand_in not in params:
            raise ValueError(f"{name}: the query does not use its stand-in value")
        made, joined, converters = None, {}, ()
        if compiler.klass_info:  # rows of a model (not values): what one_row makes of them
            columns = [column for column, _sql, _alias in compiler.select]
            made = _made(compiler.klass_info, columns)
            joined = {
                info["field"].name: _made(info, columns)
                for info in compiler.klass_info.get("related_klass_infos", ())
            }
            converters = tuple(compiler.get_converters(columns).items())
        found = _COMPILED[key] = _Compiled(
            sql=sql, params=tuple(params), made=made, joined=joined, converters=converters
        )
    return alias, found


def _made(klass_info: dict, columns: list) -> _Made:
    fields = klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    attnames = tuple(column.target.attname for column in columns[start:end])
    model = klass_info["model"]
    pk = model._meta.pk.attname
    return _Made(model, attnames, start, end, attnames.index(pk) if pk in attnames else None)


def compiled(name: str, model: type[Model], build: Callable[[object], QuerySet], stand_in):
    """The SQL and parameters of ``build(stand_in)`` on ``model``'s database for reading, built
    the first time this process asks for ``name`` there. Returns (alias, sql, params)."""
    alias, found = _compile(name, model, build, stand_in)
    return alias, found.sql, found.params


def with_value(params: tuple, stand_in, value) -> list:
    """The parameters with ``value`` wherever the stand-in was."""
    return [value if param == stand_in else param for param in params]


def one_row(model: type[Model], column: str, value) -> Model | None:
    """``model.objects.filter(<column>=value).first()`` for a unique column, without building the
    SQL again; None when no row has the value. The row becomes a model as the ORM makes it (its
    converters, ``Model.from_db``), with what was worked out once. A value of a type without a
    stand-in goes through the ORM as usual."""
    return one_row_with(model, column, value)[0]


def one_row_with(model: type[Model], column: str, value, *related: str) -> tuple:
    """``one_row`` of ``model.objects.select_related(*related)``, in one query: the row's model,
    then the model of each of ``related`` (None where the row names none), or a tuple of None when
    no row has the value. ``related`` names foreign keys of ``model`` itself (not of a model it
    joins)."""
    stand_in = STAND_INS.get(type(value))
    if stand_in is None:
        found = model._default_manager.select_related(*related).filter(**{column: value}).first()
        return found, *(getattr(found, name, None) for name in related)
    alias, found = _compile(
        f"{model._meta.label}.{column}:{type(value).__name__}+{','.join(related)}",
        model,
        lambda stand_in: model._default_manager.select_related(*related).filter(
            **{column: stand_in}
        ),
        stand_in,
    )
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(found.sql, with_value(found.params, stand_in, value))
        row = cursor.fetchone()
    if row is None:
        return (None,) * (1 + len(related))
    row = list(row)
    for position, (converters, expression) in found.converters:
        read = row[position]
        for converter in converters:
            read = converter(read, expression, connection)
        row[position] = read
    return tuple(
        made.model.from_db(alias, made.attnames, row[made.start : made.end])
        if made is found.made or row[made.start + made.pk_at] is not None  # a left join found none
        else None
        for made in (found.made, *(found.joined[name] for name in related))
    )
