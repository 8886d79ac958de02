"""Workflow conditions: field comparisons on the record, combined with AND (``all``) or OR (``any``).

``{"match": "all", "rules": [{"field": "lead_source", "op": "eq", "value": "Web"},
                             {"match": "any", "rules": [...]}]}``; an empty definition always holds.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext as _

OPERATORS = (
    "eq",
    "ne",
    "gt",
    "gte",
    "lt",
    "lte",
    "contains",
    "not_contains",
    "starts_with",
    "in",
    "is_empty",
    "is_not_empty",
)
NO_VALUE = ("is_empty", "is_not_empty")
MAX_RULES = 50


def condition_field(model: type[models.Model], name: Any) -> models.Field[Any, Any] | None:
    """A concrete column of ``model`` a condition or a step may name (by field name)."""
    if not isinstance(name, str) or name == "organization":
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not isinstance(field, models.Field) or not field.concrete:
        return None
    return field


def coerce(field: models.Field[Any, Any], value: Any) -> Any:
    """``value`` as the column holds it (an id for a link); raises ValidationError when it cannot be."""
    if value is None or value == "":
        return None
    if isinstance(field, models.ForeignKey):
        target = field.target_field
        return target.to_python(value)
    return field.to_python(value)


def _validate_group(
    group: Any, model: type[models.Model], path: str, errors: dict[str, list[str]], count: list[int]
) -> None:
    if not isinstance(group, dict):
        errors[path] = [_("Give a group: match and rules.")]
        return
    if group.get("match", "all") not in ("all", "any"):
        errors[f"{path}.match"] = [_("Pick all or any.")]
    rules = group.get("rules", [])
    if not isinstance(rules, list):
        errors[f"{path}.rules"] = [_("Give a list of rules.")]
        return
    for index, rule in enumerate(rules):
        count[0] += 1
        where = f"{path}.rules.{index}"
        if isinstance(rule, dict) and "rules" in rule:
            _validate_group(rule, model, where, errors, count)
            continue
        if not isinstance(rule, dict):
            errors[where] = [_("Give a rule: field, op and value.")]
            continue
        field = condition_field(model, rule.get("field"))
        if field is None:
            errors[f"{where}.field"] = [_("This object has no such field.")]
            continue
        op = rule.get("op")
        if op not in OPERATORS:
            errors[f"{where}.op"] = [_("Pick one of: %(choices)s.") % {"choices": ", ".join(OPERATORS)}]
            continue
        if op in NO_VALUE:
            continue
        values = rule.get("value")
        if op == "in":
            if not isinstance(values, list) or not values:
                errors[f"{where}.value"] = [_("Give a list of values.")]
                continue
        else:
            values = [values]
        try:
            for value in values:
                if isinstance(value, (dict, list)):
                    raise ValidationError(_("Give a single value."))
                coerce(field, value)
        except ValidationError as exc:
            errors[f"{where}.value"] = [str(message) for message in exc.messages]
    if count[0] > MAX_RULES:
        errors[path] = [_("At most %(count)s rules.") % {"count": MAX_RULES}]


def conditions_validate(conditions: Any, model: type[models.Model]) -> dict[str, list[str]]:
    """Field errors of a conditions definition (empty when it is valid)."""
    if conditions in (None, {}):
        return {}
    errors: dict[str, list[str]] = {}
    _validate_group(conditions, model, "conditions", errors, [0])
    return errors


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _compare(op: str, current: Any, target: Any) -> bool:
    if op == "eq":
        return bool(current == target)
    if op == "ne":
        return bool(current != target)
    if op in ("contains", "not_contains", "starts_with"):
        haystack, needle = _text(current).lower(), _text(target).lower()
        if op == "starts_with":
            return haystack.startswith(needle)
        return (needle in haystack) == (op == "contains")
    if current is None or target is None:
        return False
    try:
        if op == "gt":
            return bool(current > target)
        if op == "gte":
            return bool(current >= target)
        if op == "lt":
            return bool(current < target)
        if op == "lte":
            return bool(current <= target)
    except TypeError:
        return False
    return False


def _rule_holds(rule: dict[str, Any], record: models.Model) -> bool:
    if "rules" in rule:
        return conditions_hold(rule, record)
    field = condition_field(type(record), rule["field"])
    if field is None:
        return False
    current = getattr(record, field.attname)
    op = rule["op"]
    if op in NO_VALUE:
        empty = current is None or current == ""
        return empty if op == "is_empty" else not empty
    if op == "in":
        return current in [coerce(field, value) for value in rule["value"]]
    target = coerce(field, rule.get("value"))
    if (
        isinstance(current, datetime.datetime)
        and isinstance(target, datetime.date)
        and not isinstance(target, datetime.datetime)
    ):
        current = current.date()
    if isinstance(current, Decimal) and isinstance(target, (int, float)):
        try:
            target = Decimal(str(target))
        except InvalidOperation:
            return False
    return _compare(op, current, target)


def conditions_hold(conditions: dict[str, Any] | None, record: models.Model) -> bool:
    """Whether the record meets the (already validated) conditions."""
    if not conditions:
        return True
    rules = conditions.get("rules", [])
    if not rules:
        return True
    results = (_rule_holds(rule, record) for rule in rules)
    return all(results) if conditions.get("match", "all") == "all" else any(results)
