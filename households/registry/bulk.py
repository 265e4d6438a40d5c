"""Fast bulk inserts for the write stage: `executemany` on SQLite, `COPY` on PostgreSQL.

The ORM's `bulk_create` builds a model instance per row and is ten times slower for the
100,000 rows a county registry holds; values here are already clean and typed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import connection, models

from households.registry.stored import chunks


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        return str(value)
    return value


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value: Any) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False)
    return str(value).translate(_COPY_ESCAPES)


# Fields whose values sqlite3 cannot take as they are (a DateTimeField is a DateField too).
_CONVERTED = (models.DateField, models.JSONField, models.DecimalField)


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert `rows` (values in `fields` order, as the model stores them) into `model`'s table."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(_column(model, name)) for name in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            for row in rows:
                buffer.write("\t".join(map(_copy_value, row)))
                buffer.write("\n")
            buffer.seek(0)
            cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
        else:
            marks = ", ".join("?" for _ in fields)
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
            converted = [
                index
                for index, name in enumerate(fields)
                if isinstance(model._meta.get_field(name), _CONVERTED)
            ]
            for batch in chunks(rows, 20_000):
                cursor.executemany(sql, _sqlite_rows(batch, converted))


def _sqlite_rows(rows: list[Sequence[Any]], converted: list[int]) -> list[Sequence[Any]]:
    if not converted:
        return rows
    ready: list[Sequence[Any]] = []
    for row in rows:
        row = list(row)
        for index in converted:
            value = row[index]
            if value is not None and not isinstance(value, str):
                row[index] = _sqlite_value(value)
        ready.append(row)
    return ready


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column
    return field.column


def ids_by(model: type[models.Model], field: str, values: Sequence[str]) -> dict[str, int]:
    """Primary keys of freshly inserted rows, by a unique field."""
    found: dict[str, int] = {}
    manager = model._default_manager
    for batch in chunks(values):
        found.update(manager.filter(**{f"{field}__in": batch}).values_list(field, "pk"))
    return found
