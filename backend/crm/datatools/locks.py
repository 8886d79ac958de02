"""Row locks of the data tools, taken only here.

Lock order: an import's row, then (undoing it) its changeset's row, then the records the changeset
wrote (``crm.records.locks``). An import job holds its import's row for each batch it commits.
"""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Changeset, Import


def imports_for_update() -> QuerySet[Import]:
    return Import.objects.select_for_update()


def changesets_for_update() -> QuerySet[Changeset]:
    return Changeset.objects.select_for_update()
