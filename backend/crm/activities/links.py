"""The polymorphic links of an activity: What (a business record) and Who (a person).

Types are stored by their label (``Opportunity``, ``Contact``) as in seed 003 §1.3.7. The model
behind a label is found through the app registry by its ``object_name``, so an object becomes
linkable as soon as its app defines the model.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Case as DbCase
from django.db.models import CharField, F, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Concat

from .models import Activity

if TYPE_CHECKING:
    from crm.records.models import Record

WHAT_TYPES: tuple[str, ...] = tuple(Activity.WhatType.values)
WHO_TYPES: tuple[str, ...] = tuple(Activity.WhoType.values)
NAME_COLUMNS = 2  # the most name columns of a linkable object (first and last name)
LABELS: dict[str, str] = {label.lower(): label for label in (*WHAT_TYPES, *WHO_TYPES)}


def normalize_type(value: str | None, allowed: Iterable[str]) -> str | None:
    """The stored label for ``value`` (``opportunity`` and ``Opportunity`` both give ``Opportunity``)."""
    if not value:
        return ""
    label = LABELS.get(value.strip().lower())
    return label if label in allowed else None


def label_for(object_name: str) -> str | None:
    return LABELS.get(object_name)


def model_for(label: str) -> type[Record] | None:
    """The model whose ``object_name`` matches ``label``, or None while its app defines none."""
    object_name = label.lower()
    for model in apps.get_models():
        if getattr(model, "object_name", None) == object_name:
            return model
    return None


def _names(links: Iterable[tuple[str, int | None]]) -> dict[tuple[str, int], str]:
    """The display names of linked records (those the user may see): one query for every linked
    type together, never per row. Each type gives its label, id and up to two name columns; the
    name is the record's own ``str`` of them."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for label, pk in links:
        if label and pk is not None:
            wanted[label].add(pk)
    parts: list[QuerySet[Any]] = []
    models: dict[str, type[Record]] = {}
    for label, ids in wanted.items():
        model = model_for(label)
        if model is None:
            continue
        models[label] = model
        columns = [*(model.name_fields or ("name",))][:NAME_COLUMNS]
        columns += [Value("", output_field=CharField())] * (NAME_COLUMNS - len(columns))  # type: ignore[list-item]
        named = {f"name{i}": column if isinstance(column, Value) else F(column) for i, column in enumerate(columns)}
        parts.append(
            model.objects.filter(pk__in=ids)
            .order_by()
            .annotate(link=Value(label, output_field=CharField()), **named)
            .values_list("link", "pk", *named)
        )
    if not parts:
        return {}
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    names: dict[tuple[str, int], str] = {}
    for label, pk, *values in rows:
        model = models[label]
        fields = model.name_fields or ("name",)
        names[(label, pk)] = str(model(pk=pk, **dict(zip(fields, values, strict=False))))
    return names


# The name columns of a linked record travel in one text value, joined by this separator.
_SEPARATOR = "\x1f"


def _packed_name(model: type[Record], column: str) -> Subquery:
    """The name columns of the ``model`` row whose id is in ``column``, if the user may see it."""
    fields = model.name_fields or ("name",)
    packed: Any = F(fields[0])
    if len(fields) > 1:
        pieces: list[Any] = [F(fields[0])]
        for name in fields[1:]:
            pieces += [Value(_SEPARATOR), F(name)]
        packed = Concat(*pieces, output_field=CharField())
    return Subquery(model.objects.filter(pk=OuterRef(column)).annotate(packed=packed).values("packed")[:1])


def with_link_names(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    """Annotate ``what_link`` and ``who_link``: the linked records' names, read with the rows in the
    same query (a subquery per linked type, run only for the rows of that type); see ``link_name``."""
    links = {}
    for attribute, labels in (("what", WHAT_TYPES), ("who", WHO_TYPES)):
        branches = [
            When(**{f"{attribute}_type": label}, then=_packed_name(model, f"{attribute}_id"))
            for label in labels
            if (model := model_for(label)) is not None
        ]
        links[f"{attribute}_link"] = DbCase(*branches, default=Value(None), output_field=CharField())
    return queryset.annotate(**links)


def link_name(label: str, packed: str | None) -> str | None:
    """The display name of a linked record from ``with_link_names`` (None: no link, or not visible)."""
    if not label or packed is None:
        return None
    model = _linked_models.get(label) or _linked_models.setdefault(label, model_for(label))  # type: ignore[arg-type]
    fields = model.name_fields or ("name",)
    return str(model(**dict(zip(fields, packed.split(_SEPARATOR), strict=False))))


_linked_models: dict[str, type[Record]] = {}


def attach_names(rows: Iterable[Activity]) -> None:
    """Set ``what_name`` and ``who_name`` on every row."""
    rows = list(rows)
    names = _names([(row.what_type, row.what_id) for row in rows] + [(row.who_type, row.who_id) for row in rows])
    for row in rows:
        row.what_name = names.get((row.what_type, row.what_id)) if row.what_type else None
        row.who_name = names.get((row.who_type, row.who_id)) if row.who_type else None


def attach_names_to_rows(rows: list[dict]) -> None:
    """The same for list rows built from columns (dicts with the link fields)."""
    names = _names(
        [(row["what_type"], row["what_id"]) for row in rows] + [(row["who_type"], row["who_id"]) for row in rows]
    )
    for row in rows:
        row["what_name"] = names.get((row["what_type"], row["what_id"])) if row["what_type"] else None
        row["who_name"] = names.get((row["who_type"], row["who_id"])) if row["who_type"] else None
