"""Workflows and tags: the "tag added" trigger and the "add a tag" step."""

from __future__ import annotations

import pytest

from crm.automation.models import WorkflowRun
from crm.core.scoping import org_scope
from crm.records.models import Tagging
from crm.records.tags.services import tag_create
from crm.sales.tests.factories import LeadFactory

from .factories import make_workflow

pytestmark = pytest.mark.django_db

BODY = {
    "name": "Tagged hot",
    "object_name": "lead",
    "trigger": {"type": "tag_added"},
    "steps": [{"type": "create_task", "subject": "Call {record}", "due_in_days": 0}],
}


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _tag(actor, name):
    with org_scope(actor.organization_id):
        return tag_create(name=name, actor=actor)


def test_tag_added_fires_for_its_tag_only(admin, admin_api, user, api, commit):
    hot, cold = _tag(admin, "Hot"), _tag(admin, "Cold")
    created = admin_api.post(
        "/api/v1/workflows", {**BODY, "trigger": {"type": "tag_added", "tag_id": hot.pk}}, format="json"
    )
    assert created.status_code == 201, created.data
    lead = LeadFactory(owner=user)
    with commit():
        api.post(f"/api/v1/leads/{lead.pk}/tags", {"tag": cold.pk}, format="json")
    assert not WorkflowRun.all_orgs.exists()
    with commit():
        api.post(f"/api/v1/leads/{lead.pk}/tags", {"tag": "hot"}, format="json")
    [run] = WorkflowRun.all_orgs.all()
    assert (run.status, run.record_id, run.trigger_event["type"]) == ("succeeded", lead.pk, "tag.added")
    assert run.trigger_event["extra"]["tag_id"] == hot.pk
    # tagging again (the lead carries it already) publishes nothing
    with commit():
        api.post(f"/api/v1/leads/{lead.pk}/tags", {"tag": hot.pk}, format="json")
    assert WorkflowRun.all_orgs.count() == 1


def test_tag_added_without_a_tag_fires_for_any_tag(admin, user, api, commit):
    make_workflow(admin, trigger={"type": "tag_added"})
    lead = LeadFactory(owner=user)
    with commit():
        api.post(f"/api/v1/leads/{lead.pk}/tags", {"tag": "Anything"}, format="json")
    assert WorkflowRun.all_orgs.filter(status="succeeded").count() == 1


def test_the_add_a_tag_step_tags_the_record(admin, admin_api, user, api, commit):
    vip = _tag(admin, "VIP")
    body = {**BODY, "trigger": {"type": "record_created"}, "steps": [{"type": "add_tag", "tag_id": vip.pk}]}
    assert admin_api.post("/api/v1/workflows", body, format="json").status_code == 201
    with commit():
        created = api.post(
            "/api/v1/leads", {"last_name": "Ivanova", "company": "Ivanova Ltd", "status": "New"}, format="json"
        )
    assert created.status_code == 201, created.data
    [run] = WorkflowRun.all_orgs.all()
    assert run.status == "succeeded", run.error
    [step] = run.step_runs.all()
    assert step.result == {"tag_id": vip.pk, "tag_name": "VIP", "added": True}
    assert [tag["name"] for tag in api.get(f"/api/v1/leads/{created.data['id']}").data["tags"]] == ["VIP"]


def test_a_workflow_tag_fires_tag_added_workflows_one_level_deeper(admin, user, api, commit):
    vip = _tag(admin, "VIP")
    make_workflow(admin, trigger={"type": "record_created"}, steps=[{"type": "add_tag", "tag_id": vip.pk}])
    follow_up = make_workflow(admin, trigger={"type": "tag_added", "tag_id": vip.pk})
    with commit():
        api.post("/api/v1/leads", {"last_name": "Petrov", "company": "Petrov Ltd", "status": "New"}, format="json")
    [run] = WorkflowRun.all_orgs.filter(workflow=follow_up)
    assert (run.status, run.depth) == ("succeeded", 1)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"trigger": {"type": "tag_added", "tag_id": 999_999}}, "trigger.tag_id"),
        ({"trigger": {"type": "tag_added", "tag_id": "Hot"}}, "trigger.tag_id"),
        ({"steps": [{"type": "add_tag", "tag_id": 999_999}]}, "steps.0.tag_id"),
        ({"steps": [{"type": "add_tag"}]}, "steps.0.tag_id"),
        ({"steps": [{"type": "add_tag", "tag_id": True}]}, "steps.0.tag_id"),
    ],
)
def test_unknown_tags_are_refused_with_a_field_message(admin_api, change, field):
    response = admin_api.post("/api/v1/workflows", {**BODY, **change}, format="json")
    assert response.status_code == 400, response.data
    assert field in response.data["errors"]


def test_another_organizations_tag_is_unknown(admin_api, other_user):
    theirs = _tag(other_user, "Theirs")
    response = admin_api.post(
        "/api/v1/workflows", {**BODY, "steps": [{"type": "add_tag", "tag_id": theirs.pk}]}, format="json"
    )
    assert response.status_code == 400 and "steps.0.tag_id" in response.data["errors"]


def test_a_deleted_tag_fails_the_step_with_a_message(admin, admin_api, user, api, commit):
    gone = _tag(admin, "Gone")
    make_workflow(admin, steps=[{"type": "add_tag", "tag_id": gone.pk}])
    assert admin_api.delete(f"/api/v1/tags/{gone.pk}").status_code == 204
    with commit():
        api.post("/api/v1/leads", {"last_name": "Kolev", "company": "Kolev Ltd", "status": "New"}, format="json")
    [run] = WorkflowRun.all_orgs.all()
    assert run.status == "failed"
    assert not Tagging.all_orgs.exists()
