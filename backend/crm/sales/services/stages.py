"""Per-organization opportunity stages: the defaults of a new organization, validated replacement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from crm.audit import services as audit
from crm.audit.models import AuditEvent
from crm.core.errors import ApplicationError

from .. import locks
from ..models import DEFAULT_STAGES, Opportunity, OpportunityStage
from ..selectors import stage_list

if TYPE_CHECKING:
    from crm.identity.models import User


@dataclass(frozen=True)
class StageInput:
    name: str
    probability: int
    is_closed: bool = False
    is_won: bool = False
    is_active: bool = True


def stages_create_defaults() -> None:
    """Give the current organization the default stage set, unless it has stages already.

    Registered as an organization initialiser (see crm.core.organizations), so it runs when
    an organization is created; reads never create stages.
    """
    if OpportunityStage.objects.exists():
        return
    OpportunityStage.objects.bulk_create(
        [
            OpportunityStage(
                name=name,
                probability=probability,
                position=position,
                is_closed=is_closed,
                is_won=is_won,
            )
            for position, (name, probability, is_closed, is_won) in enumerate(DEFAULT_STAGES)
        ],
        # Two initialisations at once: the unique name per organization keeps one set.
        ignore_conflicts=True,
    )


def stage_get_active(*, name: str) -> OpportunityStage | None:
    for stage in stage_list():
        if stage.name == name and stage.is_active:
            return stage
    return None


def stage_default_open() -> OpportunityStage:
    """The first active stage that is not closed: where a new deal starts."""
    for stage in stage_list():
        if stage.is_active and not stage.is_closed:
            return stage
    raise ApplicationError("no_open_stage", _("The organization has no open opportunity stage."))


def _validate(stages: Sequence[StageInput]) -> None:
    errors: dict[str, list[str]] = {}
    seen: dict[str, int] = {}
    for index, stage in enumerate(stages):
        key = stage.name.strip().casefold()
        if key in seen:
            errors[f"{index}.name"] = [_("The name '%(name)s' is used twice.") % {"name": stage.name}]
        seen[key] = index
        if stage.is_won and not stage.is_closed:
            errors[f"{index}.is_won"] = [_("A won stage must also be closed.")]
    active = [s for s in stages if s.is_active]
    if not any(not s.is_closed for s in active):
        errors.setdefault("non_field_errors", []).append(_("Keep at least one active open stage."))
    if not any(s.is_won for s in active):
        errors.setdefault("non_field_errors", []).append(_("Keep at least one active won stage."))
    if errors:
        raise ApplicationError("invalid_stages", _("The stage list is not valid."), errors)


@transaction.atomic(durable=True)
def stages_replace(*, actor: User, stages: Sequence[StageInput]) -> list[OpportunityStage]:
    """Replace the organization's stage list, in the given order.

    A stage left out is deleted, unless opportunities still use it: then nothing changes and the
    answer asks to keep it with ``is_active: false`` instead.
    """
    _validate(stages)
    current = {row.name: row for row in locks.stages_for_update()}
    wanted = {s.name.strip() for s in stages}
    removed = [name for name in current if name not in wanted]
    if removed:
        in_use = sorted(set(Opportunity.objects.filter(stage__in=removed).values_list("stage", flat=True)))
        if in_use:
            names = ", ".join(f"'{name}'" for name in in_use)
            raise ApplicationError(
                "stage_in_use",
                _("Opportunities still use %(names)s; keep the stage with is_active false instead of removing it.")
                % {"names": names},
                {
                    "non_field_errors": [
                        _("Stage %(name)s is used by opportunities.") % {"name": repr(name)} for name in in_use
                    ]
                },
            )
        OpportunityStage.objects.filter(name__in=removed).delete()

    before = {name: _snapshot(row) for name, row in current.items()}
    for position, stage in enumerate(stages):
        name = stage.name.strip()
        row = current.get(name) or OpportunityStage(name=name)
        row.probability = stage.probability
        row.is_closed = stage.is_closed
        row.is_won = stage.is_won
        row.is_active = stage.is_active
        row.position = position
        row.save()
    result = stage_list()
    after = {row.name: _snapshot(row) for row in result}
    if before != after:
        _audit_stages(actor=actor, before=before, after=after)
    return result


def _snapshot(row: OpportunityStage) -> dict[str, object]:
    return {
        "position": row.position,
        "probability": row.probability,
        "is_closed": row.is_closed,
        "is_won": row.is_won,
        "is_active": row.is_active,
    }


def _audit_stages(*, actor: User, before: dict[str, dict[str, object]], after: dict[str, dict[str, object]]) -> None:
    """Stage settings have no record of their own; the change is logged against the organization."""
    AuditEvent.all_orgs.create(
        organization_id=actor.organization_id,
        object_type="sales.opportunitystage",
        object_id=actor.organization_id,
        action=AuditEvent.Action.ACTION,
        name="opportunity_stages.replace",
        changes={"stages": [audit.json_value(before), audit.json_value(after)]},
        actor=actor,
    )
