"""What a query parameter or a list cursor may hold: values the database and our arithmetic can take.

A value out of range used to travel into the query and fail there (a 500): an id beyond a 64-bit
integer overflows the driver, ``?end_date=9999-12-31`` overflows the day added to it, a tampered
cursor puts text where an id belongs. Every list filter and every cursor passes through here first,
and a value out of range answers 400 naming the parameter:

- ``bound_filters(filterset)`` (run by the filter backend on every FilterSet, declared or generated)
  puts limits on each filter's form field: integers fit a signed 64-bit id, dates and date-times
  lie inside ``EARLIEST_DATE``..``LATEST_DATE``;
- ``UserRefField`` / ``UserRefParam``: ``me`` or a user id, for filters and query serializers;
- ``cursor_values(queryset, terms, values)`` turns the decoded values of a keyset cursor into
  values of the ordering columns' types, or refuses the cursor.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1
# A year of room on either side of what Python's dates hold, for the arithmetic applied to a
# date (a day added for "until the end of that day", a shift between time zones).
EARLIEST_DATE = datetime.date(2, 1, 1)
LATEST_DATE = datetime.date(9998, 12, 31)
DATE_MESSAGE = gettext_lazy("Use a date between %(earliest)s and %(latest)s.")
DATE_RANGE = {"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()}
INTEGER_MESSAGE = f"Use a whole number between {BIGINT_MIN} and {BIGINT_MAX}."
# Decimal values of columns that do not say their size (annotations) stay below this.
DECIMAL_LIMIT = decimal.Decimal(10) ** 30


# --- single values ----------------------------------------------------------------------------


def date_in_range(value: datetime.date) -> bool:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            try:
                value = value.astimezone(datetime.UTC)
            except OverflowError:
                return False
        value = value.date()
    return EARLIEST_DATE <= value <= LATEST_DATE


def validate_date(value: datetime.date | None) -> None:
    """A form validator for dates and date-times."""
    if value is not None and not date_in_range(value):
        raise DjangoValidationError(DATE_MESSAGE, code="date_out_of_range", params=DATE_RANGE)


def int_in_range(value: int) -> bool:
    return BIGINT_MIN <= value <= BIGINT_MAX


def user_ref(value: str) -> str | int:
    """``me`` or a user id (ValueError otherwise)."""
    value = value.strip()
    if value == "me":
        return value
    if not value.isdigit() or not value.isascii():
        raise ValueError(_("Use a user id or 'me'."))
    number = int(value)
    if not int_in_range(number):
        raise ValueError(_("Use a user id up to %(limit)s or 'me'.") % {"limit": BIGINT_MAX})
    return number


class UserRefField(forms.CharField):
    """Form field of a filter that takes ``me`` or a user id."""

    def clean(self, value: Any) -> str | int | None:
        value = super().clean(value)
        if value in (None, ""):
            return None
        try:
            return user_ref(value)
        except ValueError as exc:
            raise DjangoValidationError(str(exc), code="invalid") from None


class UserRefParam(serializers.CharField):
    """Query serializer field that takes ``me`` or a user id; ``me`` becomes the caller's id."""

    # A CharField on the way in that hands out a user id.
    def to_internal_value(self, data: Any) -> int:  # type: ignore[override]
        try:
            ref = user_ref(super().to_internal_value(data))
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None
        if ref == "me":
            user_id: int = self.context["request"].user.pk
            return user_id
        return ref  # type: ignore[return-value]


# --- filters ----------------------------------------------------------------------------------


def bound_filters(filterset: Any) -> Any:
    """Limit every filter of ``filterset`` (an instance, before its form is built) to values the
    database and the filters' own arithmetic can take. Returns the filterset."""
    for declared in filterset.filters.values():
        field_class = getattr(declared, "field_class", None)
        if field_class is None:
            continue
        extra = declared.extra
        if issubclass(field_class, forms.IntegerField):  # also DecimalField and FloatField
            extra.setdefault("min_value", BIGINT_MIN)
            extra.setdefault("max_value", BIGINT_MAX)
        elif issubclass(field_class, (forms.DateField, forms.DateTimeField)):
            validators = list(extra.get("validators", ()))
            if validate_date not in validators:
                extra["validators"] = [*validators, validate_date]
        else:
            continue
        declared.__dict__.pop("_field", None)  # built again with the limits
    return filterset


# --- cursors ----------------------------------------------------------------------------------


def invalid_cursor() -> ValidationError:
    return ValidationError({"cursor": [_("Invalid cursor.")]})


def field_path(model: type[models.Model], path: str) -> list[Any] | None:
    """The model fields a lookup path (``account__owner__name``) walks through, in order; None when a
    part is no field of the model reached so far (an annotation, or a step past a plain column)."""
    fields: list[Any] = []
    current: type[models.Model] | None = model
    for part in path.split("__"):
        if current is None:
            return None
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        fields.append(field)
        current = field.related_model if field.is_relation else None
    return fields


def _output_field(queryset: QuerySet[Any], path: str) -> models.Field[Any, Any] | None:
    """The field whose values the ordering term ``path`` compares (a column or an annotation)."""
    annotation = queryset.query.annotations.get(path)
    if annotation is not None:
        return getattr(annotation, "output_field", None)
    fields = field_path(queryset.model, path)
    if not fields:
        return None
    field = fields[-1]
    column: models.Field[Any, Any] = field.target_field if field.is_relation else field
    return column


def _cursor_value(value: Any, field: models.Field[Any, Any] | None) -> Any:
    """``value`` as the type of ``field``; ValueError when it cannot be one."""
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise ValueError("not a scalar")
    if isinstance(field, models.BooleanField):
        if not isinstance(value, bool):
            raise ValueError("not a boolean")
        return value
    if isinstance(value, bool):
        raise ValueError("boolean where none belongs")
    if isinstance(value, float) and not isinstance(field, models.FloatField):
        raise ValueError("fraction")
    if field is None:
        if isinstance(value, int) and not int_in_range(value):
            raise ValueError("integer out of range")
        return value
    try:
        python = field.to_python(value)
    except (DjangoValidationError, TypeError, ArithmeticError):
        raise ValueError("not of the column's type") from None
    if isinstance(python, int) and not int_in_range(python):
        raise ValueError("integer out of range")
    # A cursor holds a stored value, which may lie anywhere in the calendar; it is only compared,
    # never calculated with. A date-time is compared in UTC, so it must have a UTC equivalent.
    if isinstance(python, datetime.datetime):
        if python.tzinfo is None:
            raise ValueError("date-time without a time zone")
        try:
            python = python.astimezone(datetime.UTC)
        except OverflowError:
            raise ValueError("date-time out of range") from None
    if isinstance(python, decimal.Decimal):
        digits = getattr(field, "max_digits", None)
        places = getattr(field, "decimal_places", None) or 0
        limit = decimal.Decimal(10) ** (digits - places) if digits else DECIMAL_LIMIT
        if not python.is_finite() or abs(python) >= limit:
            raise ValueError("number out of range")
    return python


def cursor_values(queryset: QuerySet[Any], terms: Sequence[Any], values: Any) -> list[Any]:
    """The decoded values of a cursor, typed as the ordering columns of ``terms`` (each with a
    ``path`` and a ``nullable`` flag); a 400 on ``cursor`` for anything a cursor of ours cannot
    hold (tampered, or from another ordering)."""
    if not isinstance(values, list) or len(values) != len(terms):
        raise invalid_cursor()
    typed = []
    for term, value in zip(terms, values, strict=True):
        if value is None and not term.nullable:
            raise invalid_cursor()
        try:
            typed.append(_cursor_value(value, _output_field(queryset, term.path)))
        except ValueError:
            raise invalid_cursor() from None
    return typed
