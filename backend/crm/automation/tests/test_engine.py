"""The workflow engine: triggers, conditions, debounce, loop protection, versions, waits, retry, replay."""

from __future__ import annotations

import datetime
import threading

import pytest
from conftest import make_user
from django.db import connection, connections
from django.test import override_settings
from django.utils import timezone

from crm.activities.models import Activity
from crm.automation.models import Workflow, WorkflowRun, WorkflowStepRun
from crm.automation.services import workflows
from crm.automation.services.conditions import conditions_hold, conditions_validate
from crm.core.scoping import org_scope
from crm.identity.models import Role, User
from crm.sales.models import Lead
from crm.sales.services.leads import lead_create, lead_update
from crm.sales.services.opportunities import opportunity_update
from crm.sales.tests.factories import LeadFactory, OpportunityFactory

from .factories import DEFAULT_FIELDS, WebFormFactory, WebhookFactory, make_workflow
from .stand_in import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks (jobs run at once in tests) of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _new_lead(actor, **values):
    with org_scope(actor.organization_id):
        return lead_create(data={"last_name": "Novak", "company": "Novak Ltd", **values}, actor=actor)


def _update_lead(actor, lead_id, **values):
    with org_scope(actor.organization_id):
        lead = Lead.objects.get(pk=lead_id)
        return lead_update(lead=lead, data=values, expected_version=lead.version, actor=actor)


def _runs(**filters):
    return list(WorkflowRun.all_orgs.filter(**filters).order_by("id"))


# --- conditions ---------------------------------------------------------------------------------------


def test_conditions_combine_and_or_and_nested_groups(admin):
    lead = LeadFactory(owner=admin, lead_source="Web", industry="Retail", company="Acme Retail", first_name="")
    rule = {"field": "lead_source", "op": "eq", "value": "Web"}
    assert conditions_hold(
        {"match": "all", "rules": [rule, {"field": "industry", "op": "eq", "value": "Retail"}]}, lead
    )
    assert not conditions_hold(
        {"match": "all", "rules": [rule, {"field": "industry", "op": "eq", "value": "Finance"}]}, lead
    )
    assert conditions_hold(
        {"match": "any", "rules": [{"field": "industry", "op": "eq", "value": "Finance"}, rule]}, lead
    )
    nested = {
        "match": "all",
        "rules": [
            {"field": "company", "op": "contains", "value": "retail"},
            {
                "match": "any",
                "rules": [{"field": "first_name", "op": "is_empty"}, {"field": "title", "op": "eq", "value": "CEO"}],
            },
        ],
    }
    assert conditions_hold(nested, lead)
    assert conditions_hold(
        {"match": "all", "rules": [{"field": "status", "op": "in", "value": ["New", "Contacted"]}]}, lead
    )
    assert conditions_hold({"match": "all", "rules": [{"field": "owner", "op": "eq", "value": admin.pk}]}, lead)
    assert conditions_hold({}, lead)


def test_conditions_compare_numbers_and_dates(admin):
    opportunity = OpportunityFactory(owner=admin, close_date=datetime.date(2027, 3, 1))
    opportunity.amount = 5000
    assert conditions_hold({"rules": [{"field": "amount", "op": "gte", "value": "5000"}]}, opportunity)
    assert not conditions_hold({"rules": [{"field": "amount", "op": "gt", "value": 5000}]}, opportunity)
    assert conditions_hold({"rules": [{"field": "close_date", "op": "lt", "value": "2027-03-02"}]}, opportunity)
    assert not conditions_hold({"rules": [{"field": "close_date", "op": "gt", "value": "2027-03-02"}]}, opportunity)


def test_bad_conditions_are_named_field_by_field():
    errors = conditions_validate(
        {
            "match": "some",
            "rules": [
                {"field": "nope", "op": "eq"},
                {"field": "amount", "op": "gt", "value": "lots"},
                {"field": "stage", "op": "near"},
            ],
        },
        OpportunityFactory._meta.model,
    )
    assert set(errors) == {
        "conditions.match",
        "conditions.rules.0.field",
        "conditions.rules.1.value",
        "conditions.rules.2.op",
    }


# --- triggers and the first journey -------------------------------------------------------------------


def test_a_new_web_lead_gets_a_task_for_its_owner_due_in_a_day(anon, admin, user, commit):
    form = WebFormFactory(lead_owner=user, fields=DEFAULT_FIELDS)
    workflow = make_workflow(admin, trigger={"type": "form_submitted"})
    with commit():
        response = anon.post(
            f"/api/v1/forms/{form.key}",
            {"last_name": "Georgieva", "company": "Georgieva Design", "email": "g@design.example"},
            format="json",
        )
    assert response.status_code == 201
    lead_id = response.json()["lead_id"]
    [run] = _runs(workflow=workflow)
    assert (run.status, run.record_id, run.trigger_event["type"]) == ("succeeded", lead_id, "form.submitted")
    task = Activity.all_orgs.get(who_type="Lead", who_id=lead_id)
    assert task.type == "Task" and task.subject == "Call Georgieva"
    assert task.assigned_to_id == user.pk  # the lead's owner, not the workflow's author
    assert task.due_date == timezone.localdate() + datetime.timedelta(days=1)
    [step] = run.step_runs.all()
    assert step.status == "succeeded" and step.result["task_id"] == task.pk and step.input["due_in_days"] == 1


def test_conditions_decide_whether_a_workflow_fires(admin, commit):
    workflow = make_workflow(
        admin, conditions={"match": "all", "rules": [{"field": "lead_source", "op": "eq", "value": "Partner"}]}
    )
    with commit():
        _new_lead(admin, lead_source="Web")
        partner = _new_lead(admin, lead_source="Partner")
    assert [run.record_id for run in _runs(workflow=workflow)] == [partner.pk]


def test_a_field_changed_to_a_value_fires_only_for_that_value(admin, commit):
    workflow = make_workflow(admin, trigger={"type": "field_changed", "field": "status", "value": "Qualified"})
    lead = _new_lead(admin)
    with commit():
        _update_lead(admin, lead.pk, status="Contacted")
    assert _runs(workflow=workflow) == []
    with commit():
        _update_lead(admin, lead.pk, status="Qualified")
    assert len(_runs(workflow=workflow, status="succeeded")) == 1


def test_record_updated_can_watch_some_fields(admin, commit):
    workflow = make_workflow(admin, trigger={"type": "record_updated", "fields": ["phone"]})
    lead = _new_lead(admin)
    with commit():
        _update_lead(admin, lead.pk, title="CTO")
    assert _runs(workflow=workflow) == []
    with commit():
        _update_lead(admin, lead.pk, phone="+359 888 000 111")
    assert len(_runs(workflow=workflow)) == 1


def test_a_stage_change_to_a_stage_fires(admin, commit):
    workflow = make_workflow(
        admin,
        object_name="opportunity",
        trigger={"type": "stage_changed", "to": "Closed Won"},
        steps=[{"type": "create_task", "subject": "Kick-off for {record}", "due_in_days": 2}],
    )
    opportunity = OpportunityFactory(owner=admin)
    with commit(), org_scope(admin.organization_id):
        opportunity_update(opportunity=opportunity, data={"stage": "Closed Won"}, expected_version=1, actor=admin)
    [run] = _runs(workflow=workflow)
    assert run.status == "succeeded"
    task = Activity.all_orgs.get(what_type="Opportunity", what_id=opportunity.pk)
    assert task.due_date == timezone.localdate() + datetime.timedelta(days=2)


def test_days_before_a_date_field_fires_once_per_record_and_date(admin, commit):
    workflow = make_workflow(
        admin,
        object_name="opportunity",
        trigger={"type": "date_relative", "field": "close_date", "offset_days": -3},
        steps=[{"type": "create_task", "subject": "Closing soon: {record}", "due_in_days": 0}],
    )
    today = timezone.localdate()
    due = OpportunityFactory(owner=admin, close_date=today + datetime.timedelta(days=3))
    OpportunityFactory(owner=admin, close_date=today + datetime.timedelta(days=4))
    with commit():
        assert workflows.date_triggers_enqueue(today=today) == 1
    assert [run.record_id for run in _runs(workflow=workflow)] == [due.pk]
    with org_scope(admin.organization_id):  # the same day again (the schedule checks hourly)
        assert workflows.date_trigger_run(workflow_id=workflow.pk, day=today) == []
    assert len(_runs(workflow=workflow)) == 1


def test_an_inactive_workflow_does_not_fire(admin, commit):
    workflow = make_workflow(admin, is_active=False)
    with commit():
        _new_lead(admin)
    assert _runs(workflow=workflow) == []


# --- debounce ---------------------------------------------------------------------------------------------


def test_a_debounced_workflow_fires_once_per_record_within_its_window(admin, commit):
    workflow = make_workflow(admin, trigger={"type": "record_updated"}, debounce_seconds=3600)
    lead = _new_lead(admin)
    other = _new_lead(admin)
    with commit():
        _update_lead(admin, lead.pk, title="A")
        _update_lead(admin, lead.pk, title="B")
        _update_lead(admin, other.pk, title="C")
    assert sorted(run.record_id for run in _runs(workflow=workflow)) == sorted([lead.pk, other.pk])
    # after the window it fires again
    with org_scope(admin.organization_id):
        later = timezone.now() + datetime.timedelta(seconds=3601)
        run = workflows.run_start(
            workflow_id=workflow.pk, record_id=lead.pk, event={"type": "record.updated"}, now=later
        )
    assert run is not None


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_triggers_on_one_record_run_a_debounced_workflow_once(org, admin):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    workflow = make_workflow(admin, trigger={"type": "record_updated"}, debounce_seconds=600)
    lead = LeadFactory(owner=admin)
    barrier = threading.Barrier(4)
    errors = []

    def trigger():
        try:
            barrier.wait()
            with org_scope(admin.organization_id):
                from django.db import transaction

                with transaction.atomic():
                    workflows.event_process(
                        workflow_ids=[workflow.pk], event={"type": "record.updated", "record_id": lead.pk, "depth": 0}
                    )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=trigger) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert WorkflowRun.all_orgs.filter(workflow=workflow).count() == 1
    assert Activity.all_orgs.filter(who_id=lead.pk).count() == 1


# --- loop protection ---------------------------------------------------------------------------------------


@override_settings(WORKFLOW_MAX_DEPTH=4)
def test_a_chain_of_workflow_caused_updates_stops_at_the_limit_and_says_so(org, admin, commit):
    second = make_user(org, Role.USER)
    # Each run changes the owner, which is an update that triggers the workflow again.
    workflow = make_workflow(
        admin,
        trigger={"type": "record_updated", "fields": ["owner"]},
        steps=[{"type": "assign_round_robin", "user_ids": [admin.pk, second.pk]}],
    )
    lead = _new_lead(admin)
    with commit():
        _update_lead(admin, lead.pk, owner=second)
    runs = _runs(workflow=workflow)
    assert [run.depth for run in runs] == [0, 1, 2, 3, 4]
    assert [run.status for run in runs] == ["succeeded"] * 4 + ["stopped"]
    assert "loop protection" in runs[-1].error and "limit is 4" in runs[-1].error
    assert runs[-1].step_runs.count() == 0


# --- versions ----------------------------------------------------------------------------------------------


def test_a_run_keeps_the_definition_it_started_with(admin, commit):
    workflow = make_workflow(
        admin,
        steps=[{"type": "wait", "minutes": 10}, {"type": "create_task", "subject": "Version one", "due_in_days": 0}],
    )
    with commit():
        lead = _new_lead(admin)
    [run] = _runs(workflow=workflow)
    assert run.status == "waiting"
    with org_scope(admin.organization_id):
        workflows.workflow_update(
            workflow_id=workflow.pk,
            data={"steps": [{"type": "create_task", "subject": "Version two", "due_in_days": 0}]},
            expected_version=workflow.version,
            actor=admin,
        )
    workflow.refresh_from_db()
    assert workflow.current.number == 2 and workflow.versions.count() == 2
    with commit():
        workflows.runs_resume_due(now=timezone.now() + datetime.timedelta(minutes=11))
    run.refresh_from_db()
    assert run.status == "succeeded" and run.workflow_version.number == 1
    assert list(Activity.all_orgs.filter(who_id=lead.pk).values_list("subject", flat=True)) == ["Version one"]


# --- waits survive restarts -------------------------------------------------------------------------------


def test_a_wait_is_stored_and_resumed_by_the_schedule_after_a_restart(admin, commit):
    workflow = make_workflow(
        admin,
        steps=[
            {"type": "wait", "days": 2},
            {"type": "update_field", "field": "status", "value": "Contacted"},
        ],
    )
    with commit():
        lead = _new_lead(admin)
    [run] = _runs(workflow=workflow)
    assert run.status == "waiting" and run.next_step == 1
    assert timezone.now() + datetime.timedelta(days=2) - run.resume_at < datetime.timedelta(minutes=1)
    # Nothing is kept in memory: the run is found again in the database by the schedule. Not yet due:
    with commit():
        assert workflows.runs_resume_due() == 0
    with commit():
        assert workflows.runs_resume_due(now=run.resume_at + datetime.timedelta(seconds=1)) == 1
    run.refresh_from_db()
    assert run.status == "succeeded"
    assert Lead.all_orgs.get(pk=lead.pk).status == "Contacted"
    assert [s.status for s in run.step_runs.all()] == ["waiting", "succeeded"]
    assert run.step_runs.last().result == {"field": "status", "from": "New", "to": "Contacted"}


def test_a_wait_until_a_date_field(admin, commit):
    close = timezone.localdate() + datetime.timedelta(days=5)
    workflow = make_workflow(
        admin,
        object_name="opportunity",
        trigger={"type": "record_updated"},
        steps=[
            {"type": "wait", "until_field": "close_date"},
            {"type": "create_task", "subject": "Closing", "due_in_days": 0},
        ],
    )
    opportunity = OpportunityFactory(owner=admin, close_date=close)
    with commit(), org_scope(admin.organization_id):
        opportunity_update(opportunity=opportunity, data={"description": "x"}, expected_version=1, actor=admin)
    [run] = _runs(workflow=workflow)
    assert run.status == "waiting" and timezone.localtime(run.resume_at).date() == close


# --- retry and replay ---------------------------------------------------------------------------------------


def test_a_failed_run_is_retried_from_the_failed_step(admin, org, api, commit):
    assignee = make_user(org, Role.USER)
    workflow = make_workflow(
        admin,
        steps=[
            {"type": "update_field", "field": "title", "value": "Prospect"},
            {"type": "create_task", "subject": "Call", "assign_to": assignee.pk, "due_in_days": 0},
        ],
    )
    User.objects.filter(pk=assignee.pk).update(is_active=False)
    with commit():
        lead = _new_lead(admin)
    [run] = _runs(workflow=workflow)
    assert run.status == "failed" and "Step 2 failed" in run.error
    failed = run.step_runs.get(index=1)
    assert failed.status == "failed" and "not active" in failed.error and failed.input["assign_to"] == assignee.pk
    User.objects.filter(pk=assignee.pk).update(is_active=True)
    from conftest import client_for

    admin_api = client_for(admin)
    assert admin_api.post(f"/api/v1/workflow-runs/{run.pk}/retry", {"version": 99}, format="json").status_code == 409
    with commit():
        response = admin_api.post(f"/api/v1/workflow-runs/{run.pk}/retry", {"version": run.version}, format="json")
    assert response.status_code == 200, response.data
    run.refresh_from_db()
    assert run.status == "succeeded"
    assert run.step_runs.filter(index=0).count() == 1  # the first step did not run twice
    assert Activity.all_orgs.filter(who_id=lead.pk, assigned_to=assignee).count() == 1
    again = admin_api.post(f"/api/v1/workflow-runs/{run.pk}/retry", {"version": run.version}, format="json")
    assert again.status_code == 409 and again.data["code"] == "run_not_failed"


def test_a_run_is_replayed_from_a_step_as_a_new_run(admin, admin_api, commit):
    workflow = make_workflow(
        admin,
        steps=[
            {"type": "create_task", "subject": "First", "due_in_days": 0},
            {"type": "create_task", "subject": "Second", "due_in_days": 0},
        ],
    )
    with commit():
        lead = _new_lead(admin)
    [run] = _runs(workflow=workflow)
    with commit():
        response = admin_api.post(f"/api/v1/workflow-runs/{run.pk}/replay", {"from_step": 1}, format="json")
    assert response.status_code == 201, response.data
    replay = WorkflowRun.all_orgs.get(pk=response.data["id"])
    assert replay.replay_of_id == run.pk and replay.status == "succeeded"
    assert list(replay.step_runs.values_list("index", flat=True)) == [1]
    subjects = sorted(Activity.all_orgs.filter(who_id=lead.pk).values_list("subject", flat=True))
    assert subjects == ["First", "Second", "Second"]
    bad = admin_api.post(f"/api/v1/workflow-runs/{run.pk}/replay", {"from_step": 5}, format="json")
    assert bad.status_code == 400 and "from_step" in bad.data["errors"]


# --- the other steps --------------------------------------------------------------------------------------


def test_round_robin_assigns_owners_in_turn_skipping_inactive_users(org, admin, commit):
    a, b, c = (make_user(org, Role.USER) for _ in range(3))
    User.objects.filter(pk=b.pk).update(is_active=False)
    make_workflow(admin, steps=[{"type": "assign_round_robin", "user_ids": [a.pk, b.pk, c.pk]}])
    with commit():
        leads = [_new_lead(admin, email=f"rr{n}@x.example") for n in range(4)]
    owners = [Lead.all_orgs.get(pk=lead.pk).owner_id for lead in leads]
    assert owners == [a.pk, c.pk, a.pk, c.pk]


def test_the_webhook_step_posts_the_record(admin, commit):
    receiver = Receiver().start()
    try:
        endpoint = WebhookFactory(organization=admin.organization, url=receiver.url, event_types=["payment.logged"])
        make_workflow(admin, steps=[{"type": "call_webhook", "webhook_id": endpoint.pk}])
        with commit():
            lead = _new_lead(admin)
        [received] = receiver.received
        assert received.json["type"] == "workflow.webhook"
        assert received.json["data"]["id"] == lead.pk and received.json["data"]["record"]["company"] == "Novak Ltd"
    finally:
        receiver.stop()


def test_step_writes_are_in_the_audit_trail_as_the_workflow_author(admin, commit):
    from crm.audit.models import AuditEvent

    make_workflow(admin, steps=[{"type": "update_field", "field": "industry", "value": "Retail"}])
    with commit():
        lead = _new_lead(admin)
    event = AuditEvent.all_orgs.filter(object_id=lead.pk, action="update").get()
    assert event.actor_id == admin.pk and event.changes["industry"] == ["", "Retail"]


def test_workflow_versions_are_kept(admin):
    workflow = make_workflow(admin)
    with org_scope(admin.organization_id):
        workflows.workflow_update(workflow_id=workflow.pk, data={"name": "Renamed"}, expected_version=1, actor=admin)
        workflow = Workflow.objects.get(pk=workflow.pk)
        assert workflow.current.number == 1  # a new name is not a new definition
        workflows.workflow_update(
            workflow_id=workflow.pk, data={"debounce_seconds": 60}, expected_version=2, actor=admin
        )
        workflow = Workflow.objects.get(pk=workflow.pk)
    assert workflow.current.number == 2 and workflow.version == 3
    assert WorkflowStepRun.all_orgs.count() == 0
