"""Helpers for the lists that pages make in Python, row by row: hand-written statements
and addresses made once per list.

Hand-written SQL is for the few reads where building and compiling the ORM's query took
longer than running it (each caller's docstring gives the measurement). Every statement
is parameterised and runs on SQLite and PostgreSQL alike (the tests run on both).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import TypeVar

from django.db import connection
from django.db.models import Model
from django.urls import reverse
from django.utils.dateparse import parse_datetime

_PLACEHOLDER_ID = 987654321
M = TypeVar("M", bound=Model)


def fetch(sql: str, params: Sequence = ()) -> list[tuple]:
    """The rows of one statement; datetime parameters adapted as the ORM would (SQLite
    stores them as UTC text)."""
    adapt = connection.ops.adapt_datetimefield_value
    values = [adapt(value) if isinstance(value, datetime) else value for value in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchall()


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
