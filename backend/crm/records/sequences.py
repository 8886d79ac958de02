"""Per-organization number sequences: order, contract and case numbers, and any that follow.

One row per organization and key holds the last value handed out. Taking the next value is a
single atomic increment of that row, so two transactions never get the same value and none is
skipped: on PostgreSQL the UPDATE locks the row until the surrounding transaction commits (a
concurrent taker waits, then reads the committed value), on SQLite the write lock serialises
writers. A rolled-back transaction gives its value back. The row is created race-free on first
use by an insert that ignores a conflict on the unique (organization, key) pair.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from .models import Sequence


@dataclass(frozen=True)
class Numbering:
    """How a sequence's values are written: ``ORD-00001`` is prefix "ORD-", width 5, first 1."""

    key: str
    prefix: str = ""
    width: int = 5
    first: int = 1

    def format(self, value: int) -> str:
        return f"{self.prefix}{value:0{self.width}d}"


@transaction.atomic
def sequence_next(*, key: str, first: int = 1) -> int:
    """The next value of the current organization's sequence ``key`` (``first`` on first use).

    Call it inside the transaction that stores the value: the row stays locked until it commits.
    """
    if not Sequence.objects.filter(key=key).update(last_value=F("last_value") + 1):
        # First use: create the row holding the value before ``first``. Two first takers at
        # once both insert; the unique constraint keeps one row and the other insert does nothing.
        Sequence.objects.bulk_create([Sequence(key=key, last_value=first - 1)], ignore_conflicts=True)
        Sequence.objects.filter(key=key).update(last_value=F("last_value") + 1)
    return Sequence.objects.filter(key=key).values_list("last_value", flat=True).get()


def number_next(numbering: Numbering) -> str:
    """The next formatted number of ``numbering`` in the current organization, e.g. ``ORD-00042``."""
    return numbering.format(sequence_next(key=numbering.key, first=numbering.first))


@transaction.atomic
def sequence_reserve_through(*, key: str, value: int) -> None:
    """Count every value up to ``value`` as handed out (for rows loaded in bulk with their numbers)."""
    Sequence.objects.bulk_create([Sequence(key=key, last_value=0)], ignore_conflicts=True)
    Sequence.objects.filter(key=key, last_value__lt=value).update(last_value=value)
