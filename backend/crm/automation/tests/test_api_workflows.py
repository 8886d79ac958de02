"""The workflows and run-history API: happy paths, validation, permissions, tenancy and versions."""

from __future__ import annotations

import pytest

from crm.automation.models import Workflow, WorkflowRun
from crm.sales.tests.factories import LeadFactory

from .factories import make_workflow

pytestmark = pytest.mark.django_db

BODY = {
    "name": "New web lead follow-up",
    "object_name": "lead",
    "trigger": {"type": "form_submitted"},
    "conditions": {"match": "all", "rules": [{"field": "lead_source", "op": "eq", "value": "Web"}]},
    "steps": [{"type": "create_task", "subject": "Call {record}", "due_in_days": 1, "assign_to": "owner"}],
    "debounce_seconds": 0,
}


def test_an_admin_creates_a_workflow_with_its_first_version(admin_api, admin):
    response = admin_api.post("/api/v1/workflows", BODY, format="json")
    assert response.status_code == 201, response.data
    data = response.data
    assert (data["version"], data["current_version"], data["run_as_id"]) == (1, 1, admin.pk)
    assert data["trigger"] == {"type": "form_submitted"} and data["steps"] == BODY["steps"]
    versions = admin_api.get(f"/api/v1/workflows/{data['id']}/versions")
    assert [v["number"] for v in versions.data] == [1]
    assert versions.data[0]["definition"]["steps"] == BODY["steps"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"object_name": "spaceship"}, "object_name"),
        ({"trigger": {"type": "moon_phase"}}, "trigger.type"),
        ({"trigger": {"type": "field_changed", "field": "nope", "value": 1}}, "trigger.field"),
        ({"trigger": {"type": "stage_changed"}, "object_name": "account"}, "trigger.type"),
        ({"trigger": {"type": "date_relative", "field": "company", "offset_days": 1}}, "trigger.field"),
        ({"steps": []}, "steps"),
        ({"steps": [{"type": "launch_rocket"}]}, "steps.0.type"),
        ({"steps": [{"type": "create_task", "subject": "", "due_in_days": 1}]}, "steps.0.subject"),
        ({"steps": [{"type": "create_task", "subject": "x", "due_in_days": -1}]}, "steps.0.due_in_days"),
        ({"steps": [{"type": "update_field", "field": "organization", "value": 1}]}, "steps.0.field"),
        ({"steps": [{"type": "update_field", "field": "email", "value": "not-an-email"}]}, "steps.0.value"),
        ({"steps": [{"type": "wait", "minutes": 0}]}, "steps.0.minutes"),
        ({"steps": [{"type": "wait", "minutes": 5, "days": 1}]}, "steps.0.minutes"),
        ({"steps": [{"type": "call_webhook", "webhook_id": 999999}]}, "steps.0.webhook_id"),
        ({"steps": [{"type": "assign_round_robin", "user_ids": []}]}, "steps.0.user_ids"),
        (
            {"conditions": {"match": "all", "rules": [{"field": "lead_source", "op": "resembles", "value": "x"}]}},
            "conditions.rules.0.op",
        ),
        ({"debounce_seconds": -5}, "debounce_seconds"),
        ({"steps": "not a list"}, "steps"),
    ],
)
def test_bad_definitions_are_refused_field_by_field(admin_api, change, field):
    response = admin_api.post("/api/v1/workflows", {**BODY, **change}, format="json")
    assert response.status_code == 400, response.data
    assert field in response.data["errors"], response.data
    assert not Workflow.all_orgs.exists()


def test_a_round_robin_of_another_organizations_users_is_refused(admin_api, other_user):
    body = {**BODY, "steps": [{"type": "assign_round_robin", "user_ids": [other_user.pk]}]}
    response = admin_api.post("/api/v1/workflows", body, format="json")
    assert response.status_code == 400 and "steps.0.user_ids" in response.data["errors"]


def test_editing_makes_a_new_version_and_needs_the_current_one(admin_api, admin):
    workflow = make_workflow(admin)
    steps = [{"type": "create_task", "subject": "Changed", "due_in_days": 3}]
    response = admin_api.patch(f"/api/v1/workflows/{workflow.pk}", {"steps": steps, "version": 1}, format="json")
    assert response.status_code == 200, response.data
    assert (response.data["version"], response.data["current_version"]) == (2, 2)
    stale = admin_api.patch(f"/api/v1/workflows/{workflow.pk}", {"name": "Late", "version": 1}, format="json")
    assert stale.status_code == 409
    bad = admin_api.patch(f"/api/v1/workflows/{workflow.pk}", {"steps": [], "version": 2}, format="json")
    assert bad.status_code == 400
    assert Workflow.all_orgs.get(pk=workflow.pk).steps == steps


def test_workflows_and_runs_are_for_administrators(api, admin):
    workflow = make_workflow(admin)
    assert api.get("/api/v1/workflows").status_code == 403
    assert api.post("/api/v1/workflows", BODY, format="json").status_code == 403
    assert api.get("/api/v1/workflow-runs").status_code == 403
    assert api.post(f"/api/v1/workflows/{workflow.pk}/run", {"record_id": 1}, format="json").status_code == 403


def test_another_organization_sees_none_of_it(other_api, admin, django_capture_on_commit_callbacks):
    workflow = make_workflow(admin, trigger={"type": "manual"})
    lead = LeadFactory(owner=admin)
    from conftest import client_for

    with django_capture_on_commit_callbacks(execute=True):
        run_id = (
            client_for(admin)
            .post(f"/api/v1/workflows/{workflow.pk}/run", {"record_id": lead.pk}, format="json")
            .data["id"]
        )
    assert other_api.get(f"/api/v1/workflows/{workflow.pk}").status_code == 404
    assert (
        other_api.patch(f"/api/v1/workflows/{workflow.pk}", {"name": "x", "version": 1}, format="json").status_code
        == 404
    )
    assert other_api.get(f"/api/v1/workflow-runs/{run_id}").status_code == 404
    assert other_api.post(f"/api/v1/workflow-runs/{run_id}/replay", {"from_step": 0}, format="json").status_code == 404
    assert other_api.get("/api/v1/workflow-runs").data["results"] == []
    # and a record of the first organization cannot be run from the second's workflow
    own = make_workflow(other_api.user, trigger={"type": "manual"})
    response = other_api.post(f"/api/v1/workflows/{own.pk}/run", {"record_id": lead.pk}, format="json")
    assert response.status_code == 400 and "record_id" in response.data["errors"]


def test_a_manual_run_and_the_history_of_a_record(admin_api, admin, django_capture_on_commit_callbacks):
    workflow = make_workflow(admin, trigger={"type": "manual"})
    lead, other = LeadFactory(owner=admin), LeadFactory(owner=admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post(f"/api/v1/workflows/{workflow.pk}/run", {"record_id": lead.pk}, format="json")
        admin_api.post(f"/api/v1/workflows/{workflow.pk}/run", {"record_id": other.pk}, format="json")
    assert response.status_code == 201, response.data
    history = admin_api.get("/api/v1/workflow-runs", {"object": "lead", "record_id": lead.pk})
    assert [row["id"] for row in history.data["results"]] == [response.data["id"]]
    assert history.data["results"][0]["status"] == "succeeded"
    by_workflow = admin_api.get("/api/v1/workflow-runs", {"workflow": workflow.pk})
    assert len(by_workflow.data["results"]) == 2
    detail = admin_api.get(f"/api/v1/workflow-runs/{response.data['id']}")
    [step] = detail.data["step_runs"]
    assert step["step_type"] == "create_task" and step["status"] == "succeeded" and step["result"]["task_id"]
    assert detail.data["steps"] == workflow.steps
    missing = admin_api.post(f"/api/v1/workflows/{workflow.pk}/run", {"record_id": 2**40}, format="json")
    assert missing.status_code == 400


@pytest.mark.parametrize("params", [{"workflow": "x"}, {"record_id": str(2**64)}, {"status": "exploded"}])
def test_bad_history_filters_answer_400(admin_api, params):
    response = admin_api.get("/api/v1/workflow-runs", params)
    assert response.status_code == 400 and set(params) <= set(response.data["errors"])


def test_retry_needs_a_version(admin_api, admin):
    workflow = make_workflow(admin)
    lead = LeadFactory(owner=admin)
    run = WorkflowRun.all_orgs.create(
        organization=admin.organization,
        workflow=workflow,
        workflow_version=workflow.current,
        object_name="lead",
        record_id=lead.pk,
    )
    response = admin_api.post(f"/api/v1/workflow-runs/{run.pk}/retry", {}, format="json")
    assert response.status_code == 400 and "version" in response.data["errors"]
