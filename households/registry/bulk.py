"""Fast bulk inserts for the write stage: `executemany` on SQLite, `COPY` on PostgreSQL.

The ORM's `bulk_create` builds a model instance per row and is ten times slower for the
100,000 rows a county registry holds; values here are already clean and typed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence, Sized
from decimal import Decimal
from itertools import islice
from operator import itemgetter
from typing import Any

from django.db import connection, models
from psycopg2 import DatabaseError

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


class CopyStream:
    """Rows as PostgreSQL's COPY … (FORMAT csv) reads them, made a slice at a time as it reads.

    psycopg2 pulls the data with `read()`; producing it lazily lets the PostgreSQL backend insert
    one slice (and maintain the indexes) while Python builds and formats the next: on two cores
    the table's COPY and the rows' making overlap instead of following each other.

    QUOTE_STRINGS quotes every str, so an empty string arrives as "" while None (an unquoted empty
    field) arrives as NULL; dates, numbers and booleans go as their str(), which COPY parses."""

    ROWS_PER_READ = 2000

    def __init__(self, rows: Iterable[Sequence[Any]], json_columns: list[int]) -> None:
        self._rows = iter(rows)
        self._json_columns = json_columns
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, quoting=csv.QUOTE_STRINGS, lineterminator="\n")
        self.count = 0
        self.error: Exception | None = None  # raised while making the rows

    def read(self, size: int = -1) -> str:
        """The next slice of rows; psycopg2 takes a longer answer than `size`, and "" as the end."""
        try:
            slice_ = list(islice(self._rows, self.ROWS_PER_READ))
        except Exception as error:  # psycopg2 would report it as a cancelled COPY only
            self.error = error
            raise
        self.count += len(slice_)
        if self._json_columns:
            slice_ = [self._with_json(row) for row in slice_]
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerows(slice_)
        return self._buffer.getvalue()

    def _with_json(self, row: Sequence[Any]) -> list[Any]:
        row = list(row)
        for index in self._json_columns:  # a str is JSON text already (the audit's changes)
            if isinstance(row[index], list | dict):
                row[index] = json.dumps(row[index], ensure_ascii=False)
        return row


# Fields whose values sqlite3 cannot take as they are (a DateTimeField is a DateField too).
_CONVERTED = (models.DateField, models.JSONField, models.DecimalField)


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert `rows` (values in `fields` order, as the model stores them) into `model`'s table;
    return how many. `rows` may be a generator: on PostgreSQL it is consumed while COPY runs."""
    if isinstance(rows, Sized) and not len(rows):
        return 0
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(_column(model, name)) for name in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            json_columns = [
                index
                for index, name in enumerate(fields)
                if isinstance(model._meta.get_field(name), models.JSONField)
            ]
            stream = CopyStream(rows, json_columns)
            try:
                cursor.cursor.copy_expert(
                    f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)", stream
                )
            except DatabaseError:
                if stream.error:
                    raise stream.error from None
                raise
            return stream.count
        else:
            marks = ", ".join("?" for _ in fields)
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
            converted = [
                index
                for index, name in enumerate(fields)
                if isinstance(model._meta.get_field(name), _CONVERTED)
            ]
            count = 0
            for batch in chunks(rows, 20_000):
                cursor.executemany(sql, _sqlite_rows(batch, converted))
                count += len(batch)
            return count


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
