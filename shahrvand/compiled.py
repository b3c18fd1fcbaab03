"""Queries that every signed-in request runs, with their SQL built once per process.

A signed-in request reads its session, its second-factor device and its roles, always with the
same SQL and one different value. Django's ORM builds that SQL afresh each time, which costs more
than the database takes to answer (about 0.2 ms a query here). ``compiled`` builds it once per
process and database, from the query written with a stand-in for the value, and ``one_row`` reads
a row by one column through ``raw()``, which converts the values as the ORM does.

Only for queries that never change with the data (the same joins and columns for every value).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connections, router
from django.db.models import Model, QuerySet

# Values no table holds, put where the real value goes while the SQL is built (the integer fits a
# 32-bit key: PostgreSQL's backend gives no SQL for a value out of its column's range).
STAND_INS: dict[type, object] = {int: -2_143_107_311, str: "\x1fstand-in\x1f"}

_COMPILED: dict[tuple, tuple[str, tuple]] = {}


def compiled(name: str, model: type[Model], build: Callable[[object], QuerySet], stand_in):
    """The SQL and parameters of ``build(stand_in)`` on ``model``'s database for reading, built
    the first time this process asks for ``name`` there. Returns (alias, sql, params)."""
    alias = router.db_for_read(model)
    key = (name, alias, connections[alias].vendor)
    found = _COMPILED.get(key)
    if found is None:
        query = build(stand_in).using(alias).query
        sql, params = query.get_compiler(alias).as_sql()
        if stand_in not in params:
            raise ValueError(f"{name}: the query does not use its stand-in value")
        found = _COMPILED[key] = (sql, tuple(params))
    return (alias, *found)


def with_value(params: tuple, stand_in, value) -> list:
    """The parameters with ``value`` wherever the stand-in was."""
    return [value if param == stand_in else param for param in params]


def one_row(model: type[Model], column: str, value) -> Model | None:
    """``model.objects.filter(<column>=value).first()`` for a unique column, without building the
    SQL again; None when no row has the value. A value of a type without a stand-in goes through
    the ORM as usual."""
    stand_in = STAND_INS.get(type(value))
    if stand_in is None:
        return model._default_manager.filter(**{column: value}).first()
    alias, sql, params = compiled(
        f"{model._meta.label}.{column}:{type(value).__name__}",
        model,
        lambda stand_in: model._default_manager.filter(**{column: stand_in}),
        stand_in,
    )
    rows = model._default_manager.db_manager(alias).raw(sql, with_value(params, stand_in, value))
    return next(iter(rows), None)
