"""A fast read path for list responses: rows built from ``.values()`` instead of model instances.

For a list page, instantiating 50 models (plus their select_related parents) and running every
DRF field's ``get_attribute`` costs far more than the SQL. When every field of the list
serializer maps to a plain column, a column across non-null foreign keys, an annotation or a
foreign key id, the page is fetched with ``.values()`` and each value goes through the same
field's ``to_representation``: the JSON is the same, byte for byte.

A serializer can map other fields to columns with ``row_fields`` ({name: (paths, function)}),
and complete the rows of a page with ``complete_rows(rows)`` (names of linked records, fetched
once per page). Anything else (a method field without a row version, a nested serializer, a
custom ``to_representation``) makes the view use the serializer, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field, Model, QuerySet
from django.utils import timezone
from rest_framework import ISO_8601, relations, serializers
from rest_framework import fields as f
from rest_framework.settings import api_settings

# Field classes whose value comes straight from ``get_attribute`` (no override) and whose
# ``to_representation`` depends only on the value.
PLAIN_FIELDS = (
    f.CharField,
    f.EmailField,
    f.URLField,
    f.SlugField,
    f.UUIDField,
    f.IntegerField,
    f.FloatField,
    f.BooleanField,
    f.DecimalField,
    f.DateField,
    f.DateTimeField,
    f.TimeField,
    f.ChoiceField,
    f.ReadOnlyField,
    *((f.BigIntegerField,) if hasattr(f, "BigIntegerField") else ()),
)


def _identity(value: Any) -> Any:
    return value


def _text(value: Any) -> Any:
    return value if type(value) is str else str(value)


@dataclass(frozen=True)
class RowPlan:
    paths: tuple[str, ...]
    # (output name, converter of the values, index of the value, or a row function over indexes)
    fields: tuple[tuple[str, Callable[[Any], Any] | None, int | tuple[int, ...], Callable[..., Any] | None], ...]
    complete: Callable[[list[dict[str, Any]]], None] | None

    def build(self, values: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
        out = []
        tz = timezone.get_current_timezone()
        for row in values:
            item = {}
            for name, convert, index, function in self.fields:
                if function is not None:
                    item[name] = function(*(row[i] for i in index))  # type: ignore[union-attr]
                    continue
                value = row[index]  # type: ignore[index]
                if value is None:
                    item[name] = None
                elif convert is _ISO_DATETIME:
                    # DateTimeField.to_representation with ISO 8601 output, as DRF writes it.
                    text = value.astimezone(tz).isoformat()
                    item[name] = text[:-6] + "Z" if text.endswith("+00:00") else text
                else:
                    item[name] = convert(value)  # type: ignore[misc]
            out.append(item)
        if self.complete is not None:
            self.complete(out)
        return out


_plans: dict[tuple[Any, ...], RowPlan | None] = {}


def row_plan(serializer_class: type[serializers.BaseSerializer[Any]], queryset: QuerySet[Any]) -> RowPlan | None:
    """The plan for ``serializer_class`` over ``queryset``, or None when the serializer must run."""
    # Private QuerySet state (prefetches asked for, values() fields): the stubs do not declare it.
    if queryset._prefetch_related_lookups or queryset._fields is not None:  # type: ignore[attr-defined]
        return None
    annotations = tuple(sorted(queryset.query.annotations))
    key = (serializer_class, queryset.model, annotations)
    if key not in _plans:
        _plans[key] = _build_plan(serializer_class, queryset.model, set(annotations))
    return _plans[key]


def _ISO_DATETIME(value: Any) -> Any:
    raise NotImplementedError


def _converter(field: f.Field[Any, Any, Any, Any]) -> Callable[[Any], Any]:
    kind = type(field)
    if (
        kind is f.DateTimeField
        and settings.USE_TZ
        and not hasattr(field, "timezone")
        and str(getattr(field, "format", api_settings.DATETIME_FORMAT)).lower() == ISO_8601
    ):
        return _ISO_DATETIME
    if kind in (f.CharField, f.EmailField, f.URLField, f.SlugField):
        return _text  # their to_representation is str(value)
    if kind is f.IntegerField:
        return int
    if kind is f.ReadOnlyField:
        return _identity
    if kind is f.DecimalField:
        return _decimal_converter(cast("f.DecimalField", field))
    return field.to_representation


def _decimal_converter(field: f.DecimalField) -> Callable[[Any], Any]:
    """DecimalField.to_representation quantizes every value to the field's places in a context of
    its own: a value that already has exactly those places (a money column read from the database)
    is written as is, which is the same text; any other value goes through the field."""
    places = field.decimal_places
    coerce = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
    if not coerce or field.localize or getattr(field, "normalize_output", False) or places is None:
        return field.to_representation
    exponent = -places
    represent = field.to_representation

    def convert(value: Any) -> Any:
        if type(value) is Decimal and value.as_tuple().exponent == exponent:
            return format(value, "f")
        return represent(value)

    return convert


def _column_path(model: type[Model], attrs: list[str], annotations: set[str]) -> tuple[str, bool] | None:
    """The ``values()`` path of a dotted source, and whether a NULL join can occur on the way."""
    if len(attrs) == 1 and attrs[0] in annotations:
        return attrs[0], False
    current = model
    parts: list[str] = []
    nullable_join = False
    for position, attr in enumerate(attrs):
        try:
            field = current._meta.get_field(attr)
        except FieldDoesNotExist:
            return None
        if not isinstance(field, Field) or not field.concrete:  # reverse relations are not concrete
            return None
        last = position == len(attrs) - 1
        if last:
            if field.is_relation and attr == field.attname != field.name:
                parts.append(attr if not parts else field.attname)  # the foreign key's own column
                return "__".join(parts), nullable_join
            if field.is_relation:
                return None
            parts.append(field.attname if not parts else field.name)
            return "__".join(parts), nullable_join
        if not (field.is_relation and field.many_to_one):
            return None
        nullable_join = nullable_join or field.null
        parts.append(field.name)
        current = cast("type[Model]", field.related_model)  # a many-to-one field's target model
    return None


def _build_plan(
    serializer_class: type[serializers.BaseSerializer[Any]], model: type[Model], annotations: set[str]
) -> RowPlan | None:
    if (
        not issubclass(serializer_class, serializers.Serializer)
        or serializer_class.to_representation is not serializers.Serializer.to_representation
    ):
        return None
    serializer = serializer_class()
    row_fields: dict[str, tuple[tuple[str, ...], Callable[..., Any]]] = getattr(serializer_class, "row_fields", {})
    paths: list[str] = []
    index: dict[str, int] = {}

    def slot(path: str) -> int:
        if path not in index:
            index[path] = len(paths)
            paths.append(path)
        return index[path]

    plan_fields: list[tuple[str, Callable[[Any], Any] | None, int | tuple[int, ...], Callable[..., Any] | None]] = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        if name in row_fields:
            needed, function = row_fields[name]
            plan_fields.append((name, None, tuple(slot(p) for p in needed), function))
            continue
        if field.source == "*" or type(field).get_attribute is not _get_attribute_of(field):
            return None
        if isinstance(field, relations.PrimaryKeyRelatedField) and not isinstance(field, relations.ManyRelatedField):
            if (
                field.pk_field is not None
                or type(field).to_representation is not relations.PrimaryKeyRelatedField.to_representation
                or not field.use_pk_only_optimization()
                or len(field.source_attrs) != 1
            ):
                return None
            try:
                relation = model._meta.get_field(field.source_attrs[0])
            except FieldDoesNotExist:
                return None
            if not (relation.is_relation and relation.many_to_one and relation.concrete):
                return None
            plan_fields.append((name, _identity, slot(relation.attname), None))
            continue
        # A field that only checks input (``plain_output``) writes its value as its base class does.
        if type(field) not in PLAIN_FIELDS and not getattr(field, "plain_output", False):
            return None
        resolved = _column_path(model, field.source_attrs, annotations)
        if resolved is None:
            return None
        path, nullable_join = resolved
        null_join_gives_none = field.default is None or (field.default is f.empty and field.allow_null)
        if nullable_join and not null_join_gives_none:
            # DRF would skip the key or use a default when the join is NULL; keep its answer.
            return None
        plan_fields.append((name, _converter(field), slot(path), None))
    complete = getattr(serializer_class, "complete_rows", None)
    return RowPlan(tuple(paths), tuple(plan_fields), complete)


def _get_attribute_of(field: f.Field[Any, Any, Any, Any]) -> Any:
    """The stock ``get_attribute`` the field's class is expected to use."""
    if isinstance(field, relations.RelatedField):
        return relations.RelatedField.get_attribute
    return f.Field.get_attribute
