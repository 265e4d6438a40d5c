"""Fast bulk inserts for the write stage: `executemany` on SQLite, `COPY` on PostgreSQL.

The ORM's `bulk_create` builds a model instance per row and is ten times slower for the
100,000 rows a county registry holds; values here are already clean and typed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.db import connection, models

from households.registry.stored import chunks, matching


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


def _copy_buffer(rows: Sequence[Sequence[Any]], json_columns: list[int]) -> io.StringIO:
    """Rows as PostgreSQL's COPY … (FORMAT csv) reads them, written by the csv module (C).

    QUOTE_STRINGS quotes every str, so an empty string arrives as "" while None (an unquoted empty
    field) arrives as NULL; dates, numbers and booleans go as their str(), which COPY parses."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_STRINGS, lineterminator="\n")
    if not json_columns:
        writer.writerows(rows)
    else:
        for row in rows:
            row = list(row)
            for index in json_columns:  # a str is JSON text already (the audit's changes)
                if isinstance(row[index], list | dict):
                    row[index] = json.dumps(row[index], ensure_ascii=False)
            writer.writerow(row)
    buffer.seek(0)
    return buffer


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
            json_columns = [
                index
                for index, name in enumerate(fields)
                if isinstance(model._meta.get_field(name), models.JSONField)
            ]
            buffer = _copy_buffer(rows, json_columns)
            cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)", buffer)
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
    rows = model._default_manager.values_list(field, "pk")
    return dict(matching(rows, field, values, itemgetter(0)))
