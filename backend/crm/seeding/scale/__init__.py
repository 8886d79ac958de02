"""Bulk data generation for benchmarks: COPY on PostgreSQL, batched INSERT on SQLite.

Each domain has a module in ``crm.seeding.scale`` with ``generate(ctx: ScaleContext)``; ``seed_scale`` runs
them in the order of its ``DOMAINS``. Rows skip the ORM (and the audit trail) on purpose: a million
ORM saves would take hours, and the benchmark measures reads and single writes.
"""

from __future__ import annotations

import functools
import itertools
import operator
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from django.db import connection
from django.db.models import Field as DjangoField
from django.db.models import JSONField, Model
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone


@dataclass
class ScaleContext:
    organization_id: int
    user_ids: list[int]
    scale: float
    rng: random.Random
    now: datetime = field(default_factory=timezone.now)
    ids: dict[str, list[int]] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)  # generated rows later generators build on
    report: Callable[[str], None] = print

    def size(self, full: int) -> int:
        return max(1, int(full * self.scale))

    def owner(self) -> int:
        return self.rng.choice(self.user_ids)

    def record(self, owner_id: int | None = None, created_at: datetime | None = None) -> dict[str, Any]:
        """The values every ``Record`` row shares: organization, owner, version, stamps, creator and updater."""
        owner = owner_id or self.owner()
        stamp = created_at or self.now
        return {
            "organization_id": self.organization_id,
            "owner_id": owner,
            "is_active": True,
            "version": 1,
            "created_at": stamp,
            "updated_at": stamp,
            "created_by_id": owner,
            "updated_by_id": owner,
        }


_REQUIRED = object()  # the default of a column every row must give


@dataclass(frozen=True)
class _Column:
    """How one column's value is found in a row dict."""

    field: DjangoField
    keys: tuple[str, ...]  # attname first, then the name when it differs ("account_id", "account")
    default: Any  # _REQUIRED when the field has no default and is not nullable, or a callable one
    factory: Callable[[], Any] | None  # a callable default, called for each row that leaves the field out
    adapt: Callable[[Any], Any] | None  # for a JSON column, which the drivers do not take as a Python value


def _default_value(model_field: DjangoField) -> Any:
    value = model_field.get_default()
    return value.value if isinstance(value, Enum) else value  # a choice is written as its value


def _columns(model: type[Model]) -> list[_Column]:
    """The model's concrete fields as the loader writes them, the auto primary key left to the database."""
    columns = []
    for model_field in model._meta.concrete_fields:
        if isinstance(model_field, AutoFieldMixin):
            continue
        attname, name = model_field.attname, model_field.name
        keys = (attname,) if attname == name else (attname, name)
        factory = None
        if model_field.has_default():
            if callable(model_field.default):
                default, factory = _REQUIRED, functools.partial(_default_value, model_field)
            else:
                default = _default_value(model_field)
        elif model_field.null:
            default = None
        else:
            default = _REQUIRED
        adapt = None
        if isinstance(model_field, JSONField):
            adapt = functools.partial(model_field.get_db_prep_save, connection=connection)
        columns.append(_Column(model_field, keys, default, factory, adapt))
    return columns


def _required_error(model: type[Model], field: DjangoField) -> ValueError:
    return ValueError(f"{model._meta.label}: field {field.name!r} is required (it has no default and is not nullable)")


def _check_keys(model: type[Model], columns: list[_Column], row: dict[str, Any]) -> None:
    """Refuse a key that is not a field, a field given twice, or a required field left out."""
    known = {key for column in columns for key in column.keys}
    unknown = [key for key in row if key not in known]
    if unknown:
        raise ValueError(f"{model._meta.label} has no field {', '.join(map(repr, unknown))}")
    for column in columns:
        given = [key for key in column.keys if key in row]
        if len(given) > 1:
            raise ValueError(f"{model._meta.label}: field {column.field.name!r} is given both as {' and '.join(given)}")
        if not given and column.default is _REQUIRED and column.factory is None:
            raise _required_error(model, column.field)


def _row_maker(model: type[Model], columns: list[_Column]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """A function turning a row dict into its tuple of column values, with lookups prepared once.

    Per row: the defaults merged under the row's values, a foreign key given by name moved to its
    attname, callable defaults called for what is still missing, then one C-level itemgetter.
    """
    attnames = [column.keys[0] for column in columns]
    defaults = {column.keys[0]: column.default for column in columns if column.default is not _REQUIRED}
    aliases = [(column.keys[1], column.keys[0]) for column in columns if len(column.keys) > 1]
    factories = [(column.keys[0], column.factory) for column in columns if column.factory]
    adapters = [(i, column.adapt) for i, column in enumerate(columns) if column.adapt]
    by_attname = {column.keys[0]: column.field for column in columns}
    pick = operator.itemgetter(*attnames)
    if len(attnames) == 1:  # itemgetter of one key returns the value itself

        def pick(values: dict[str, Any], one: Callable[[dict[str, Any]], Any] = pick) -> tuple[Any, ...]:
            return (one(values),)

    def make(row: dict[str, Any]) -> tuple[Any, ...]:
        values = {**defaults, **row}
        for name, attname in aliases:
            if name in row:
                values[attname] = row[name]
        for attname, factory in factories:
            if attname not in values:
                values[attname] = factory()
        try:
            picked = pick(values)
        except KeyError as missing:
            raise _required_error(model, by_attname[missing.args[0]]) from None
        if adapters:
            adapted = list(picked)
            for i, adapt in adapters:
                adapted[i] = adapt(adapted[i])
            picked = tuple(adapted)
        return picked

    return make


def bulk_load(model: type[Model], rows: Iterable[dict[str, Any]], *, batch: int = 20000) -> int:
    """Write rows into the model's table as fast as the database allows; returns the count.

    Each row is a dict keyed by field name or attname (``"account"`` or ``"account_id"`` for a
    foreign key's id). The columns are the model's concrete fields but an auto primary key; a field
    a row leaves out takes its default (a choice as its value, a callable called per row), or None
    when nullable. Values are written as given, except JSON ones, which are adapted.

    The first row's keys are checked, for speed: a key that is not a field, or a field given both
    by name and attname, raises ValueError naming the model and the field. A required field (no
    default, not nullable) missing from any row raises ValueError too.
    """
    columns = _columns(model)
    make = _row_maker(model, columns)
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    _check_keys(model, columns, first)
    tuples = map(make, itertools.chain((first,), rows))
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(column.field.column) for column in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in tuples:
                    copy.write_row(row)
                    count += 1
            return count
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({cols}) VALUES ({placeholders})"  # noqa: S608 - names from model meta
        chunk: list[tuple[Any, ...]] = []
        for row in tuples:
            chunk.append(row)
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def ids_of(model: type[Model], organization_id: int) -> list[int]:
    return list(
        model._default_manager.filter(organization_id=organization_id).order_by("id").values_list("id", flat=True)
    )


class Timer:
    def __init__(self, ctx: ScaleContext, label: str) -> None:
        self.ctx, self.label = ctx, label

    def __enter__(self) -> Timer:
        self.ctx.report(f"  {self.label} ...")
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.ctx.report(f"  {self.label}: {time.perf_counter() - self.started:.1f}s")
