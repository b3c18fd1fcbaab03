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
class _Compiled:
    sql: str
    params: tuple
    # How a row of the query becomes a model: the model's columns (their positions in the row, in
    # the order the ORM's own reading takes them) and the converters the ORM applies to them.
    attnames: tuple[str, ...]
    start: int
    end: int
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
        start = end = 0
        attnames, converters = (), ()
        if compiler.klass_info:  # rows of a model (not values): what one_row makes of them
            columns = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
            fields = compiler.klass_info["select_fields"]
            start, end = fields[0], fields[-1] + 1
            attnames = tuple(column.target.attname for column in columns[start:end])
            converters = tuple(compiler.get_converters(columns).items())
        found = _COMPILED[key] = _Compiled(
            sql=sql,
            params=tuple(params),
            attnames=attnames,
            start=start,
            end=end,
            converters=converters,
        )
    return alias, found


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
    stand_in = STAND_INS.get(type(value))
    if stand_in is None:
        return model._default_manager.filter(**{column: value}).first()
    alias, found = _compile(
        f"{model._meta.label}.{column}:{type(value).__name__}",
        model,
        lambda stand_in: model._default_manager.filter(**{column: stand_in}),
        stand_in,
    )
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(found.sql, with_value(found.params, stand_in, value))
        row = cursor.fetchone()
    if row is None:
        return None
    row = list(row)
    for position, (converters, expression) in found.converters:
        read = row[position]
        for converter in converters:
            read = converter(read, expression, connection)
        row[position] = read
    return model.from_db(alias, found.attnames, row[found.start : found.end])
