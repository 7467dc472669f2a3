"""Helpers for the lists that pages make in Python, row by row: hand-written statements
and addresses made once per list.

Hand-written SQL is for the few reads where building and compiling the ORM's query took
longer than running it (each caller's docstring gives the measurement). Every statement
is parameterised and runs on SQLite and PostgreSQL alike (the tests run on both).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import cache
from hashlib import sha1
from itertools import count
from typing import TypeVar

from django.db import connection
from django.db.models import Model
from django.urls import reverse
from django.utils.dateparse import parse_datetime

_PLACEHOLDER_ID = 987654321
M = TypeVar("M", bound=Model)


def fetch(sql: str, params: Sequence = ()) -> list[tuple]:
    """The rows of one statement; datetime parameters adapted as the ORM would (SQLite
    stores them as UTC text). On PostgreSQL the statement is prepared once per connection
    and executed by name (see `_prepared`)."""
    adapt = connection.ops.adapt_datetimefield_value
    values = [adapt(value) if isinstance(value, datetime) else value for value in params]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            name = _prepared(cursor, sql)
            arguments = f"({', '.join(['%s'] * len(values))})" if values else ""
            cursor.execute(f"EXECUTE {name}{arguments}", values)
        else:
            cursor.execute(sql, values)
        return cursor.fetchall()


def _prepared(cursor, sql: str) -> str:
    """The name of `sql` prepared on this connection (PREPARE once, then EXECUTE).

    Planning was most of PostgreSQL's time for these statements (0.1-0.45 ms each against
    0.02-0.2 ms of execution, bench/README.md); a prepared statement is planned on its
    first executions and then, where PostgreSQL finds a generic plan as good, not again.
    The statements are constant (their parameters vary), so a connection holds a bounded
    set of them; they live as long as the connection (CONN_MAX_AGE) and survive a
    rollback. PostgreSQL re-plans them itself after a migration changes a table. The
    PREPARE goes through the driver's own cursor: it is part of sending the statement,
    not a query of the page, and counting it would make a page's first request on a
    connection look different from the rest."""
    raw = connection.connection
    state = getattr(connection, "_foorumix_prepared", None)
    if state is None or state[0] is not raw:  # a new connection: nothing prepared yet
        state = (raw, set())
        connection._foorumix_prepared = state
    name = f"foorumix_{sha1(sql.encode(), usedforsecurity=False).hexdigest()[:20]}"
    if name not in state[1]:
        numbers = count(1)
        numbered = _PLACEHOLDER.sub(lambda m: "%" if m[0] == "%%" else f"${next(numbers)}", sql)
        cursor.cursor.execute(f"PREPARE {name} AS {numbered}")
        state[1].add(name)
    return name


_PLACEHOLDER = re.compile(r"%s|%%")


def moment(value: datetime | str | None) -> datetime | None:
    """A timestamp read by a hand-written statement, as the ORM gives it: aware, in UTC.
    PostgreSQL returns it so; SQLite a naive UTC datetime for a column, text for an
    aggregate or a subquery."""
    if value is None or isinstance(value, datetime) and value.tzinfo is not None:
        return value
    if isinstance(value, str):
        value = parse_datetime(value)
    return value.replace(tzinfo=UTC)


def in_list(ids: Sequence[int]) -> str:
    """Placeholders for `column IN (...)` with these ids as its parameters (never empty:
    callers skip the statement when there is nothing to look up)."""
    return ", ".join(["%s"] * len(ids))


def address_maker(name: str, kwarg: str) -> Callable[[int], str]:
    """id -> the address of URL `name`, with one reverse() for the whole list (a
    reverse() costs more than the rest of a row), made on the first call only, so a
    list that turns out empty costs none."""
    parts: list[str] = []

    def address(pk: int) -> str:
        if not parts:
            url = reverse(name, kwargs={kwarg: _PLACEHOLDER_ID})
            parts.extend(url.rpartition(str(_PLACEHOLDER_ID))[::2])
        return f"{parts[0]}{pk}{parts[1]}"

    return address


def columns(model: type[Model], alias: str) -> str:
    """The model's columns for a hand-written SELECT, qualified with `alias`, in the order
    `instance` reads them. Names from the model's own metadata, never from input."""
    return ", ".join(f'{alias}."{field.column}"' for field in model._meta.concrete_fields)


def instance(model: type[M], values: Sequence) -> M | None:
    """A model instance from the values `columns(model, …)` selected, converted as the ORM
    converts them (SQLite's datetimes, UUIDs, booleans …); None when the primary key is
    NULL (a LEFT JOIN found no row)."""
    names, pk_index, converting = _reading(model)
    if values[pk_index] is None:
        return None
    converted = list(values)
    for index, col, converters in converting:
        for converter in converters:
            converted[index] = converter(converted[index], col, connection)
    return model.from_db(connection.alias, names, converted)


@cache
def _reading(model: type[Model]) -> tuple[list[str], int, list[tuple]]:
    """(attribute names, index of the primary key, (index, column, the backend's and the
    field's converters) for each field that has any), once per model and process."""
    fields = model._meta.concrete_fields
    converting = []
    for index, field in enumerate(fields):
        col = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if converters:
            converting.append((index, col, converters))
    pk_index = next(i for i, field in enumerate(fields) if field.primary_key)
    return [field.attname for field in fields], pk_index, converting
