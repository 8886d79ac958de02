"""Reads of activities: the chronological key and the timeline of a record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import DateTimeField, Model, Q
from django.db.models.functions import Cast, Coalesce

from crm.records.listing.sql import id_in

from .links import WHAT_TYPES, WHO_TYPES, label_for, link_name, model_for, with_link_names
from .models import Activity

if TYPE_CHECKING:
    from django.db.models import Expression, QuerySet

    from crm.records.models import Record

TIMELINE_LIMIT = 50


class DayStart(Cast):
    """A date as the start of that day. SQLite keeps date-times as text: there the day is written as
    ``datetime()`` writes it, the form stored date-times and query parameters have, so the keyset
    cursors of a list ordered by it compare like with like (``CAST`` adds milliseconds and made a
    page repeat its own last row)."""

    def __init__(self, expression: Any) -> None:
        super().__init__(expression, DateTimeField())

    # Django 5.2 hands parameters on as lists (callers extend them); the stubs declare tuples.
    def as_sqlite(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"datetime({sql})", list(params)


def activity_when() -> Expression:
    """When an activity happens: an event's start, else a task's due date, else its creation."""
    return Coalesce("start_time", DayStart("due_date"), "created_at", output_field=DateTimeField())


def _has_account(model: type[Model]) -> bool:
    try:
        model._meta.get_field("account")
    except FieldDoesNotExist:
        return False
    return True


def timeline_condition(record: Record) -> Q:
    """Activities linked to ``record``; an account also gathers those of its people and its records."""
    label = label_for(record.object_name)
    is_person = label in WHO_TYPES
    condition = Q(who_type=label, who_id=record.pk) if is_person else Q(what_type=label, what_id=record.pk)
    if label == Activity.WhatType.ACCOUNT:
        contact = model_for(Activity.WhoType.CONTACT)
        # On PostgreSQL the linked ids go in as ``= ANY(ARRAY(subquery))``: read once, they let
        # the (organization, what_type, what_id) index answer every branch of the OR, where an
        # IN (subquery) made the database scan every activity of the organization.
        if contact is not None:
            # Models found at run time: the lookups go in a Q, which the type checker does not resolve.
            people = contact.objects.filter(Q(account_id=record.pk)).values("pk")
            condition |= Q(who_type=Activity.WhoType.CONTACT) & id_in("who_id", people)
        for what in WHAT_TYPES:
            model = model_for(what)
            if what == label or model is None or not _has_account(model):
                continue
            condition |= Q(what_type=what) & id_in(
                "what_id", model.objects.filter(Q(account_id=record.pk)).values("pk")
            )
    return condition


def timeline_rows(*, record: Record, limit: int = TIMELINE_LIMIT) -> QuerySet[Activity]:
    """The newest ``limit`` active activities of ``record`` with their What/Who names
    (``with_link_names``), not yet read: a serializer reads the columns it needs."""
    return (
        with_link_names(Activity.objects.filter(timeline_condition(record), is_active=True))
        .select_related("assigned_to")
        .annotate(when=activity_when())
        .order_by("-when", "-id")[:limit]
    )


def activity_timeline(*, record: Record, limit: int = TIMELINE_LIMIT) -> list[Activity]:
    """The newest ``limit`` active activities of ``record``, with What/Who names, in one query."""
    rows: list[Activity] = list(timeline_rows(record=record, limit=limit))
    for row in rows:
        row.what_name = link_name(row.what_type, row.what_link)  # type: ignore[attr-defined]
        row.who_name = link_name(row.who_type, row.who_link)  # type: ignore[attr-defined]
    return rows
