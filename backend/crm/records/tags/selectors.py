"""Reads of tags: a record's tags, the tags of a page of records in one query, the records with tags."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Aggregate, CharField, Count, Exists, OuterRef, Q, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Cast, Concat, Lower

from ..models import Tag, Tagging

TagRow = dict[str, Any]

_COLUMNS = ("tag_id", "tag__name", "tag__colour")


def _row(tag_id: int, name: str, colour: str) -> TagRow:
    return {"id": tag_id, "name": name, "colour": colour}


def tag_list() -> QuerySet[Tag]:
    """The organization's tags by name, each with ``usage_count`` (the records carrying it)."""
    return Tag.objects.annotate(usage_count=Count("taggings")).order_by(Lower("name"), "id")


def tag_get(*, tag_id: int) -> Tag | None:
    return tag_list().filter(pk=tag_id).first()


def tag_by_name(*, name: str) -> Tag | None:
    return Tag.objects.filter(name__iexact=name.strip()).first()


def record_tags(*, object_name: str, record_id: int) -> list[TagRow]:
    """One record's tags by name (one query)."""
    rows = (
        Tagging.objects.filter(object_name=object_name, record_id=record_id)
        .order_by(Lower("tag__name"), "tag_id")
        .values_list(*_COLUMNS)
    )
    return [_row(*row) for row in rows]


def tags_by_record(*, object_name: str, record_ids: Iterable[int]) -> dict[int, list[TagRow]]:
    """The tags of many records of one object (a list page), in one query."""
    ids = list(record_ids)
    out: dict[int, list[TagRow]] = {pk: [] for pk in ids}
    if not ids:
        return out
    rows = (
        Tagging.objects.filter(object_name=object_name, record_id__in=ids)
        .order_by(Lower("tag__name"), "tag_id")
        .values_list("record_id", *_COLUMNS)
    )
    for record_id, *tag in rows:
        out[record_id].append(_row(*tag))
    return out


def tags_named(refs: Sequence[int | str]) -> QuerySet[Tag]:
    """The organization's tags named by id or by name (any case); unknown ones are left out."""
    query: Q | None = None
    for ref in refs:
        one = Q(pk=ref) if isinstance(ref, int) else Q(name__iexact=ref.strip())
        query = one if query is None else query | one
    return Tag.objects.filter(query) if query is not None else Tag.objects.none()


def tagged_record_ids(*, object_name: str, tags: QuerySet[Tag]) -> QuerySet[Tagging, Any]:
    """A subquery of the ids of the records of ``object_name`` that carry any of ``tags``."""
    return Tagging.objects.filter(object_name=object_name, tag__in=tags.values("pk")).values("record_id")


# --- a record's tags as one column of its own row ----------------------------------------------------

# The column of list and detail queries that carries the row's tags: no query of its own.
TAGS_COLUMN = "tags_packed"
# Separators a tag's name cannot hold (names are cleaned of whitespace, and these count as such).
_FIELD_SEP = "\x1f"
_TAG_SEP = "\x1e"


class _JoinedText(Aggregate):
    """The texts of a group joined by a separator: STRING_AGG on PostgreSQL, GROUP_CONCAT on SQLite."""

    function = "STRING_AGG"
    output_field = TextField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


def packed_tags(object_name: str) -> Subquery:
    """A correlated subquery giving each record of ``object_name`` its tags as one text
    (read back with ``unpack_tags``); the unique (object, record, tag) index answers it."""
    one = Concat(
        Cast("tag_id", output_field=CharField()),
        Value(_FIELD_SEP),
        "tag__colour",
        Value(_FIELD_SEP),
        "tag__name",
        output_field=TextField(),
    )
    joined = (
        Tagging.objects.filter(object_name=object_name, record_id=OuterRef("pk"))
        .order_by()
        .values("record_id")
        .annotate(packed=_JoinedText(one, Value(_TAG_SEP)))
        .values("packed")
    )
    return Subquery(joined, output_field=TextField())


def unpack_tags(value: str | None) -> list[TagRow]:
    """The tags of ``packed_tags``, by name."""
    if not value:
        return []
    tags = []
    for item in value.split(_TAG_SEP):
        tag_id, colour, name = item.split(_FIELD_SEP, 2)
        tags.append(_row(int(tag_id), name, colour))
    tags.sort(key=lambda tag: (tag["name"].lower(), tag["id"]))
    return tags


def tag_exists(*, tag_id: int) -> bool:
    return Tag.objects.filter(pk=tag_id).exists()


def carries_tag(*, object_name: str, tag_id: int) -> Exists:
    """A condition on records of ``object_name`` (the outer query's rows): the row carries the tag."""
    return Exists(Tagging.objects.filter(tag_id=tag_id, object_name=object_name, record_id=OuterRef("pk")))
