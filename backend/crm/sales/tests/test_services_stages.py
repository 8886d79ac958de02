from __future__ import annotations

import pytest

from crm.records.errors import ApplicationError
from crm.sales.models import DEFAULT_STAGES, OpportunityStage
from crm.sales.services.stages import StageInput, stage_default_open, stages_for_org, stages_replace

from .factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def test_defaults_are_created_once_per_organization(org, other_org):
    first = stages_for_org(organization_id=org.pk)
    again = stages_for_org(organization_id=org.pk)
    assert [s.pk for s in first] == [s.pk for s in again]
    assert [(s.name, s.probability, s.is_closed, s.is_won) for s in first] == DEFAULT_STAGES
    stages_for_org(organization_id=other_org.pk)
    assert OpportunityStage.objects.count() == 2 * len(DEFAULT_STAGES)
    assert stage_default_open(organization_id=org.pk).name == "Qualifying"


def test_replace_keeps_order_and_deletes_unused(admin, org):
    stages = stages_replace(
        actor=admin,
        stages=[
            StageInput("Closed Won", 100, is_closed=True, is_won=True),
            StageInput("Brief", 15),
        ],
    )
    assert [(s.name, s.position) for s in stages] == [("Closed Won", 0), ("Brief", 1)]
    assert stage_default_open(organization_id=org.pk).name == "Brief"


def test_a_used_stage_must_stay(admin, user, org):
    OpportunityFactory(owner=user, stage="Proposal")
    with pytest.raises(ApplicationError) as error:
        stages_replace(actor=admin, stages=[StageInput("Open", 10), StageInput("Won", 100, True, True)])
    assert error.value.code == "stage_in_use"


@pytest.mark.parametrize(
    "stages",
    [
        [StageInput("Open", 10)],
        [StageInput("Won", 100, True, True)],
        [StageInput("Open", 10), StageInput("Won", 100, False, True)],
        [StageInput("Open", 10), StageInput("OPEN", 10), StageInput("Won", 100, True, True)],
        [StageInput("Open", 10, is_active=False), StageInput("Won", 100, True, True)],
    ],
)
def test_invalid_lists_are_refused(admin, stages):
    with pytest.raises(ApplicationError):
        stages_replace(actor=admin, stages=stages)
