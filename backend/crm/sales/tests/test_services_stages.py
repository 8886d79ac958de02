from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps

from crm.core.errors import ApplicationError
from crm.core.organizations import organization_initialise
from crm.core.scoping import org_scope
from crm.records.testing import count_queries
from crm.sales.models import DEFAULT_STAGES, OpportunityStage
from crm.sales.selectors import stage_list
from crm.sales.services.stages import StageInput, stage_default_open, stages_replace

from .factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def test_defaults_are_created_once_per_organization(org, other_org):
    # given two organizations, each initialised when it was created
    with org_scope(org.pk):
        first = stage_list()
    # when the initialisers run again
    organization_initialise(organization_id=org.pk)
    # then nothing is added
    with org_scope(org.pk):
        again = stage_list()
        assert stage_default_open().name == "Qualifying"
    assert [s.pk for s in first] == [s.pk for s in again]
    assert [(s.name, s.probability, s.is_closed, s.is_won) for s in first] == DEFAULT_STAGES
    assert OpportunityStage.all_orgs.filter(organization=other_org).count() == len(DEFAULT_STAGES)
    assert OpportunityStage.all_orgs.count() == 2 * len(DEFAULT_STAGES)


def test_an_organization_created_by_the_service_has_the_default_stages(db):
    from crm.identity.services import organization_create

    owner = organization_create(name="New Agency", admin_email="new@agency.example", admin_password=None)
    names = OpportunityStage.all_orgs.filter(organization_id=owner.organization_id).values_list("name", flat=True)
    assert list(names.order_by("position")) == [name for name, *_ in DEFAULT_STAGES]


def test_replace_keeps_order_and_deletes_unused(admin, org, in_org):
    stages = stages_replace(
        actor=admin,
        stages=[
            StageInput("Closed Won", 100, is_closed=True, is_won=True),
            StageInput("Brief", 15),
        ],
    )
    assert [(s.name, s.position) for s in stages] == [("Closed Won", 0), ("Brief", 1)]
    assert stage_default_open().name == "Brief"


def test_a_used_stage_must_stay(admin, user, org, in_org):
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
def test_invalid_lists_are_refused(admin, stages, in_org):
    with pytest.raises(ApplicationError) as error:
        stages_replace(actor=admin, stages=stages)
    assert error.value.code == "invalid_stages"


def _inserts(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]


@pytest.mark.parametrize(
    "url", ["/api/v1/opportunity-stages", "/api/v1/opportunities/pipeline", "/api/v1/meta/objects"]
)
def test_reading_stages_writes_nothing(api, org, url):
    # given an organization with its stages, and one whose stages are all gone
    for _ in range(2):
        # when the stages are read
        with count_queries() as queries:
            response = api.get(url)
        # then nothing is inserted (stages are never created on first read)
        assert response.status_code == 200, response.data
        assert _inserts(queries) == []
        OpportunityStage.all_orgs.filter(organization=org).delete()
    assert not OpportunityStage.all_orgs.filter(organization=org).exists()


def test_the_migration_gives_organizations_without_stages_the_defaults(org, other_org):
    # given an organization that lost its stages and one that changed them
    OpportunityStage.all_orgs.filter(organization=org).delete()
    OpportunityStage.all_orgs.filter(organization=other_org, name="Proposal").update(probability=40)
    migration = importlib.import_module("crm.sales.migrations.0006_default_stages_for_existing_organizations")

    # when the data migration runs
    migration.forwards(django_apps, None)

    # then the first gets the defaults and the second keeps its own
    with org_scope(org.pk):
        assert [(s.name, s.probability, s.is_closed, s.is_won) for s in stage_list()] == DEFAULT_STAGES
    with org_scope(other_org.pk):
        assert {s.name: s.probability for s in stage_list()}["Proposal"] == 40
        assert len(stage_list()) == len(DEFAULT_STAGES)
