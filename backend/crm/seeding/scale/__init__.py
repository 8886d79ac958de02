"""Bulk data generation for benchmarks: COPY on PostgreSQL, batched INSERT on SQLite.

Each domain has a module in ``crm.seeding.scale`` with ``generate(ctx: ScaleContext)``; ``seed_scale`` runs
them in the order of its ``DOMAINS``. Rows skip the ORM (and the audit trail) on purpose: a million
ORM saves would take hours, and the benchmark measures reads and single writes.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Model
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

    def record_columns(self) -> tuple[str, ...]:
        return (
            "organization_id",
            "owner_id",
            "is_active",
            "version",
            "created_at",
            "updated_at",
            "created_by_id",
            "updated_by_id",
        )

    def record_values(self, owner_id: int | None = None, created_at: datetime | None = None) -> tuple[Any, ...]:
        owner = owner_id or self.owner()
        stamp = created_at or self.now
        return (self.organization_id, owner, True, 1, stamp, stamp, owner, owner)


def bulk_load(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]], *, batch: int = 20000) -> int:
    """Write rows into the model's table as fast as the database allows; returns the count."""
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({cols}) VALUES ({placeholders})"  # noqa: S608 - names from model meta
        chunk: list[Sequence[Any]] = []
        for row in rows:
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
