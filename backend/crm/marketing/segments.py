"""Segment definitions: conditions joined with AND/OR, nested groups, compiled to one query.

A definition is ``{"match": "all" | "any", "conditions": [...]}``; each condition is one of
- a field condition: ``{"field": "email", "op": "contains", "value": "@acme.example"}``, on the
  fields listed in ``FIELDS`` (shared by contacts and leads, or only one of them);
- campaign membership: ``{"type": "campaign", "campaign_id": 3, "status": "Opened"?, "negate": false}``;
- last activity: ``{"type": "last_activity", "op": "within_days" | "not_within_days", "days": 30}``;
- a tag: ``{"type": "tag", "tag_id": 4, "negate": false}`` (has the tag; ``negate``: has not);
- a nested group with its own ``match`` and ``conditions``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.activities.models import Activity
from crm.core.errors import ApplicationError
from crm.records.tags import selectors as tags

from .models import CampaignMember

MAX_CONDITIONS = 50
MAX_DEPTH = 3

# field -> (the objects that have it, kind)
FIELDS: dict[str, tuple[frozenset[str], str]] = {
    "first_name": (frozenset({"contacts", "leads"}), "text"),
    "last_name": (frozenset({"contacts", "leads"}), "text"),
    "email": (frozenset({"contacts", "leads"}), "text"),
    "title": (frozenset({"contacts", "leads"}), "text"),
    "phone": (frozenset({"contacts", "leads"}), "text"),
    "owner_id": (frozenset({"contacts", "leads"}), "number"),
    "created_at": (frozenset({"contacts", "leads"}), "date"),
    "account_id": (frozenset({"contacts"}), "number"),
    "account__name": (frozenset({"contacts"}), "text"),
    "company": (frozenset({"leads"}), "text"),
    "status": (frozenset({"leads"}), "text"),
    "lead_source": (frozenset({"leads"}), "text"),
    "industry": (frozenset({"leads"}), "text"),
}
OPS: dict[str, frozenset[str]] = {
    "text": frozenset({"equals", "not_equals", "contains", "not_contains", "starts_with", "is_empty", "is_not_empty"}),
    "number": frozenset({"equals", "not_equals", "is_empty", "is_not_empty"}),
    "date": frozenset({"before", "after", "within_days"}),
}
WHO = {"contacts": Activity.WhoType.CONTACT, "leads": Activity.WhoType.LEAD}
# The record object each target's rows are tagged as.
TAGGED_AS = {"contacts": "contact", "leads": "lead"}


def _invalid(message: str) -> ApplicationError:
    return ApplicationError("invalid_segment", _("The segment definition is not valid."), {"definition": [message]})


def _field_q(condition: dict[str, Any], target: str) -> Q:
    name, op, value = condition.get("field"), condition.get("op"), condition.get("value")
    if name not in FIELDS:
        raise _invalid(_("Unknown field %(field)s.") % {"field": name})
    objects, kind = FIELDS[name]
    if op not in OPS[kind]:
        raise _invalid(_("The operator %(op)s does not apply to %(field)s.") % {"op": op, "field": name})
    if target not in objects:
        return Q(pk__in=[])  # the other object's field: nobody of this object matches
    if op in ("is_empty", "is_not_empty"):
        empty = Q(**{f"{name}__isnull": True}) if kind == "number" else Q(**{name: ""})
        return empty if op == "is_empty" else ~empty
    if kind == "date":
        try:
            if op == "within_days":
                days = int(value)
                if not 0 <= days <= 36500:
                    raise ValueError
                return Q(**{f"{name}__gte": timezone.now() - datetime.timedelta(days=days)})
            day = datetime.date.fromisoformat(str(value))
        except (TypeError, ValueError):
            raise _invalid(_("Give a date (YYYY-MM-DD) or a number of days for %(field)s.") % {"field": name}) from None
        return Q(**{f"{name}__date__lt" if op == "before" else f"{name}__date__gt": day})
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
            raise _invalid(_("Give a number for %(field)s.") % {"field": name})
        return Q(**{name: value}) if op == "equals" else ~Q(**{name: value})
    if not isinstance(value, str) or len(value) > 255:
        raise _invalid(_("Give a text of at most 255 characters for %(field)s.") % {"field": name})
    lookup = {"equals": "iexact", "not_equals": "iexact", "contains": "icontains", "not_contains": "icontains"}.get(
        op, "istartswith"
    )
    q = Q(**{f"{name}__{lookup}": value})
    return ~q if op in ("not_equals", "not_contains") else q


def _campaign_q(condition: dict[str, Any], target: str) -> Q:
    campaign_id = condition.get("campaign_id")
    if isinstance(campaign_id, bool) or not isinstance(campaign_id, int) or not 0 < campaign_id < 2**63:
        raise _invalid(_("Give the campaign_id of a campaign."))
    column = "contact_id" if target == "contacts" else "lead_id"
    members = CampaignMember.objects.filter(campaign_id=campaign_id, **{column: OuterRef("pk")})
    wanted = condition.get("status")
    if wanted not in (None, ""):
        if wanted not in CampaignMember.Status.values:
            raise _invalid(_("Unknown member status %(status)s.") % {"status": wanted})
        members = members.filter(status=wanted)
    q = Q(Exists(members))
    return ~q if condition.get("negate") else q


def _activity_q(condition: dict[str, Any], target: str) -> Q:
    op, days = condition.get("op"), condition.get("days")
    if op not in ("within_days", "not_within_days"):
        raise _invalid(_("Last activity takes within_days or not_within_days."))
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 36500:
        raise _invalid(_("Give a number of days between 0 and 36500."))
    since = timezone.now() - datetime.timedelta(days=days)
    recent = Activity.objects.filter(who_type=WHO[target], who_id=OuterRef("pk"), is_active=True).filter(
        Q(start_time__gte=since) | Q(start_time__isnull=True, created_at__gte=since)
    )
    q = Q(Exists(recent))
    return q if op == "within_days" else ~q


def _tag_q(condition: dict[str, Any], target: str) -> Q:
    tag_id = condition.get("tag_id")
    if isinstance(tag_id, bool) or not isinstance(tag_id, int) or not 0 < tag_id < 2**63:
        raise _invalid(_("Give the tag_id of a tag."))
    if not tags.tag_exists(tag_id=tag_id):
        raise _invalid(_("No tag with id %(id)s.") % {"id": tag_id})
    q = Q(tags.carries_tag(object_name=TAGGED_AS[target], tag_id=tag_id))
    return ~q if condition.get("negate") else q


def _group_q(group: Any, target: str, depth: int, counter: list[int]) -> Q:
    if not isinstance(group, dict):
        raise _invalid(_("A group is an object with match and conditions."))
    match = group.get("match", "all")
    if match not in ("all", "any"):
        raise _invalid(_("match is all or any."))
    conditions = group.get("conditions", [])
    if not isinstance(conditions, list):
        raise _invalid(_("conditions is a list."))
    if depth > MAX_DEPTH:
        raise _invalid(_("Groups nest at most %(depth)s levels.") % {"depth": MAX_DEPTH})
    parts: list[Q] = []
    for condition in conditions:
        counter[0] += 1
        if counter[0] > MAX_CONDITIONS:
            raise _invalid(_("A segment has at most %(n)s conditions.") % {"n": MAX_CONDITIONS})
        if not isinstance(condition, dict):
            raise _invalid(_("Each condition is an object."))
        kind = condition.get("type", "group" if "conditions" in condition else "field")
        if kind == "field":
            parts.append(_field_q(condition, target))
        elif kind == "campaign":
            parts.append(_campaign_q(condition, target))
        elif kind == "last_activity":
            parts.append(_activity_q(condition, target))
        elif kind == "tag":
            parts.append(_tag_q(condition, target))
        elif kind == "group":
            parts.append(_group_q(condition, target, depth + 1, counter))
        else:
            raise _invalid(_("Unknown condition type %(type)s.") % {"type": kind})
    if not parts:
        return Q()
    combined = parts[0]
    for part in parts[1:]:
        combined = (combined & part) if match == "all" else (combined | part)
    return combined


def segment_q(definition: Any, target: str) -> Q:
    """The filter of ``definition`` for ``target`` ("contacts" or "leads"); ApplicationError when invalid."""
    return _group_q(definition, target, 1, [0])


def segment_validate(definition: Any) -> None:
    for target in ("contacts", "leads"):
        segment_q(definition, target)
