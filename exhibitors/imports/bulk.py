"""Bulk writes for large imports.

``insert_rows`` is ``bulk_create`` without model instances: for 100,000 products Django's
per-object and per-value work (``Model.__init__``, ``pre_save``, ``get_db_prep_save`` on
every field) costs several times more than the database itself. Values of plain column
types go to the driver as they are; every other field is prepared by Django as usual, and
fields a row does not give get their model default, so new model fields keep working.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, models
from django.utils import timezone

UPDATE_BATCH = 500  # bulk_update writes one CASE per field and row; larger batches get slower
MAX_ROWS_PER_INSERT = 1000
MAX_PARAMS = 30_000  # below SQLite's default limit (32,766) and PostgreSQL's (65,535)

# Exact classes only: a subclass (Oscar's NullCharField, JSONField) converts values on the way in.
PLAIN_FIELDS = frozenset(
    {
        models.CharField,
        models.TextField,
        models.IntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.SmallIntegerField,
        models.BigIntegerField,
        models.BooleanField,
        models.DecimalField,
        models.ForeignKey,
        models.OneToOneField,
    }
)
_MISSING = object()
CONSTANT, AS_IS, PREPARED = "constant", "as is", "prepared"


def _max_params() -> int:
    if connection.vendor == "sqlite":
        try:
            import sqlite3

            connection.ensure_connection()
            return min(MAX_PARAMS, connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
        except (AttributeError, ImportError):
            return connection.features.max_query_params or 999
    return MAX_PARAMS


def insert_rows(
    model: type[models.Model], rows: list[dict[str, Any]], *, returning: bool = False
) -> list[int]:
    """Insert ``rows`` (dicts by field attname) in multi-row INSERTs; new keys in order if asked.

    Like ``bulk_create``, no signals are sent and ``save()`` is not called.
    """
    if not rows:
        return []
    if returning and not connection.features.can_return_rows_from_bulk_insert:
        objects = model.objects.bulk_create([model(**row) for row in rows])
        return [obj.pk for obj in objects]
    meta = model._meta
    given = set().union(*(row.keys() for row in rows))
    now = timezone.now()
    columns: list[str] = []
    plan: list[tuple[str, str, Any, Any]] = []  # (attname, how, field, constant or prepared default)
    for field in meta.concrete_fields:
        name = field.attname
        if field.primary_key and name not in given:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            plan.append((name, CONSTANT, field, field.get_db_prep_save(now, connection)))
        elif name in given:
            default = (
                None if field.has_db_default() else field.get_db_prep_save(field.get_default(), connection)
            )
            plan.append((name, AS_IS if type(field) in PLAIN_FIELDS else PREPARED, field, default))
        elif field.has_db_default():
            continue
        else:
            plan.append((name, CONSTANT, field, field.get_db_prep_save(field.get_default(), connection)))
        columns.append(connection.ops.quote_name(field.column))

    fields = [field for _name, _how, field, _constant in plan]
    head = f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({', '.join(columns)}) "
    tail = f" RETURNING {connection.ops.quote_name(meta.pk.column)}" if returning else ""
    unnest = _unnest_types(fields)
    if unnest:
        # One array per column, as Django's own bulk_create does on PostgreSQL: the statement
        # stays small, so neither psycopg nor the server spends time on thousands of placeholders.
        sql = head + "SELECT * FROM UNNEST(" + ", ".join(f"(%s)::{t}[]" for t in unnest) + ")" + tail
        batch = MAX_ROWS_PER_INSERT
    else:
        batch = max(1, min(MAX_ROWS_PER_INSERT, _max_params() // len(columns)))
        placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    keys: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            values = [_row_values(row, plan) for row in chunk]
            if unnest:
                cursor.execute(sql, [list(column) for column in zip(*values, strict=True)])
            else:
                params = [value for row_values in values for value in row_values]
                cursor.execute(head + "VALUES " + ", ".join([placeholder] * len(chunk)) + tail, params)
            if returning:
                keys.extend(pk for (pk,) in cursor.fetchall())
    return keys


def _row_values(row: dict[str, Any], plan: list[tuple[str, str, Any, Any]]) -> list[Any]:
    values = []
    for name, how, field, constant in plan:
        value = _MISSING if how is CONSTANT else row.get(name, _MISSING)
        if value is _MISSING:
            values.append(constant)
        elif how is AS_IS:
            values.append(value)
        else:
            values.append(field.get_db_prep_save(value, connection))
    return values


def _unnest_types(fields: list[models.Field]) -> list[str] | None:
    """PostgreSQL array types for an UNNEST insert, or None where Django would not use one either."""
    if connection.vendor != "postgresql":
        return None
    types = []
    for field in fields:
        target = field.target_field if field.is_relation else field
        if hasattr(field, "get_placeholder") or target.get_internal_type() not in connection.data_types:
            return None
        types.append(field.db_type(connection).split("(")[0])
    return types


def bulk_update_changed(
    model: type[models.Model],
    items: list[tuple[int, dict[str, Any], dict[str, Any]]],
    *,
    stamp: str | None = None,
) -> None:
    """``bulk_update`` of ``(pk, changed values, current values)``; every object carries every
    field that changed anywhere in the batch, taken from its current values where it did not."""
    if not items:
        return
    fields = sorted({name for _pk, changed, _current in items for name in changed})
    now = timezone.now()
    objects = []
    for pk, changed, current in items:
        obj = model(pk=pk)
        for name in fields:
            setattr(obj, name, changed[name] if name in changed else current[name])
        if stamp:
            setattr(obj, stamp, now)
        objects.append(obj)
    written = fields + ([stamp] if stamp else [])
    if written:
        model.objects.bulk_update(objects, written, batch_size=UPDATE_BATCH)
