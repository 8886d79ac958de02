"""Row locks of the shared record layer, taken only here.

Lock order: the records a bulk change writes, in id order (two bulk changes of overlapping records
then wait for each other instead of deadlocking); callers hold no other record lock of that table.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from .models import Record


def records_for_update(*, model: type[Record], organization_id: int, ids: Iterable[int]) -> QuerySet[Any]:
    return model.all_orgs.select_for_update().filter(organization_id=organization_id, pk__in=list(ids)).order_by("pk")
