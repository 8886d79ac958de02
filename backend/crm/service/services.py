"""Case numbers and the create/update path that keeps ``closed_at`` in step with the status."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from crm.records.sequences import Numbering, number_next
from crm.records.services import record_create, record_update

from .models import Case

if TYPE_CHECKING:
    from crm.identity.models import User


CASE_NUMBERS = Numbering(key="case", width=8, first=1001)


def _closed_at_for(status: str, current: Case | None) -> Any:
    if status != Case.Status.CLOSED:
        return None
    if current is not None and current.status == Case.Status.CLOSED and current.closed_at is not None:
        return current.closed_at
    return timezone.now()


@transaction.atomic
def case_create(*, data: dict[str, Any], actor: User) -> Case:
    values = dict(data)
    values.setdefault("status", Case.Status.NEW)
    values["closed_at"] = _closed_at_for(values["status"], None)
    number = number_next(CASE_NUMBERS)
    return record_create(model=Case, data={**values, "case_number": number}, actor=actor)


@transaction.atomic
def case_update(*, case: Case, data: dict[str, Any], expected_version: int, actor: User) -> Case:
    values = dict(data)
    if "status" in values:
        values["closed_at"] = _closed_at_for(values["status"], case)
    return record_update(record=case, data=values, expected_version=expected_version, actor=actor)
