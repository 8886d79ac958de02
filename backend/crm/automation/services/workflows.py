"""Workflows: definitions with versions, triggers from domain events, and the runs that execute steps.

How a run goes:
1. a domain event (or the date schedule, or a manual start) names a workflow and a record;
2. ``run_start`` holds the workflow's row (concurrent triggers on one workflow queue here), checks the
   loop depth, the conditions on the record as it is now and the debounce window, and writes the run
   with the workflow version current at that moment (a later edit does not change a started run);
3. ``run_continue`` executes the steps in order, each in its own savepoint, writing a step row with
   its input, result or error. A wait stores its time on the run and stops; the ``automation.due``
   schedule continues it when the time comes, so waits survive restarts. A failure stops the run;
   it can be retried (from the failed step) or replayed from any step as a new run.

Writes made by steps carry the run's depth + 1 in their events; runs caused at
``WORKFLOW_MAX_DEPTH`` are written as stopped, with the reason, and run nothing.
"""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.core.errors import ApplicationError, InvalidStateTransition, VersionConflict
from crm.jobs.services import enqueue_on_commit
from crm.records import events
from crm.records.models import Record
from crm.records.tags import selectors as tag_selectors

from .. import locks
from ..models import Workflow, WorkflowFire, WorkflowRun, WorkflowStepRun, WorkflowVersion
from .conditions import condition_field, conditions_hold, conditions_validate
from .steps import STEP_TYPES, StepContext, record_model
from .web_forms import FORM_SUBMITTED

if TYPE_CHECKING:
    from crm.identity.models import User

log = logging.getLogger("crm.automation")

PROCESS_TASK = "automation.process_event"
CONTINUE_TASK = "automation.continue_run"
DATE_TASK = "automation.date_trigger"

TRIGGER_TYPES = (
    "record_created",
    "record_updated",
    "field_changed",
    "stage_changed",
    "form_submitted",
    "date_relative",
    "manual",
    "tag_added",
)
# The domain event each event-driven trigger listens to.
EVENT_TRIGGERS = {
    events.RECORD_CREATED: ("record_created",),
    events.RECORD_UPDATED: ("record_updated", "field_changed"),
    events.STAGE_CHANGED: ("stage_changed",),
    FORM_SUBMITTED: ("form_submitted",),
    events.TAG_ADDED: ("tag_added",),
}
MAX_STEPS = 50
MAX_DEBOUNCE = 30 * 24 * 3600
DEFINITION_FIELDS = ("object_name", "trigger", "conditions", "steps", "debounce_seconds")


# --- definitions ------------------------------------------------------------------------------------------


def _invalid(errors: dict[str, list[str]]) -> ApplicationError:
    return ApplicationError("invalid_workflow", _("Please correct the errors below."), errors)


def _validate_tag_trigger(trigger: dict[str, Any]) -> dict[str, list[str]]:
    """ "Tag added": ``tag_id`` names the tag (left out: any tag)."""
    tag_id = trigger.get("tag_id")
    if tag_id is None:
        return {}
    if isinstance(tag_id, bool) or not isinstance(tag_id, int) or not tag_selectors.tag_exists(tag_id=tag_id):
        return {"trigger.tag_id": [_("Give the id of one of the organization's tags.")]}
    return {}


def _validate_trigger(trigger: Any, model: type[Record]) -> dict[str, list[str]]:
    if not isinstance(trigger, dict) or trigger.get("type") not in TRIGGER_TYPES:
        return {"trigger.type": [_("Pick one of: %(choices)s.") % {"choices": ", ".join(TRIGGER_TYPES)}]}
    kind = trigger["type"]
    if kind == "tag_added":
        return _validate_tag_trigger(trigger)
    if kind == "record_updated":
        fields = trigger.get("fields", [])
        if not isinstance(fields, list) or any(condition_field(model, name) is None for name in fields):
            return {"trigger.fields": [_("Give field names of this object.")]}
    if kind == "field_changed":
        if condition_field(model, trigger.get("field")) is None:
            return {"trigger.field": [_("This object has no such field.")]}
        if isinstance(trigger.get("value"), (dict, list)) or "value" not in trigger:
            return {"trigger.value": [_("Give the value the field changes to.")]}
    if kind == "stage_changed":
        if not getattr(model, "stage_field", None):
            return {"trigger.type": [_("This object has no stage.")]}
        if not isinstance(trigger.get("to", ""), str):
            return {"trigger.to": [_("Give the stage as text.")]}
    if kind == "form_submitted":
        if model.object_name != "lead":
            return {"object_name": [_("Web forms make leads: pick lead.")]}
        form_id = trigger.get("form_id")
        if form_id is not None and (isinstance(form_id, bool) or not isinstance(form_id, int)):
            return {"trigger.form_id": [_("Give the id of a web form.")]}
    if kind == "date_relative":
        field = condition_field(model, trigger.get("field"))
        if not isinstance(field, (models.DateField, models.DateTimeField)):
            return {"trigger.field": [_("Give a date field of this object.")]}
        offset = trigger.get("offset_days")
        if isinstance(offset, bool) or not isinstance(offset, int) or not -3650 <= offset <= 3650:
            return {
                "trigger.offset_days": [_("Give days before (negative) or after (positive) the date, at most 3650.")]
            }
    return {}


def _validate_steps(steps: Any, model: type[Record]) -> dict[str, list[str]]:
    if not isinstance(steps, list) or not steps or len(steps) > MAX_STEPS:
        return {"steps": [_("Give one to %(count)s steps.") % {"count": MAX_STEPS}]}
    errors: dict[str, list[str]] = {}
    for index, step in enumerate(steps):
        step_type = STEP_TYPES.get(str(step.get("type"))) if isinstance(step, dict) else None
        if step_type is None:
            errors[f"steps.{index}.type"] = [_("Pick one of: %(choices)s.") % {"choices": ", ".join(STEP_TYPES)}]
            continue
        for key, messages in step_type.validate(step, model).items():
            errors[f"steps.{index}.{key}"] = messages
    return errors


def definition_clean(values: dict[str, Any]) -> dict[str, Any]:
    """The definition keys of ``values`` checked together; raises with every field error at once."""
    model = record_model(values.get("object_name", ""))
    if model is None:
        raise _invalid({"object_name": [_("Pick an object: lead, account, contact, opportunity, case...")]})
    errors: dict[str, list[str]] = {}
    errors.update(_validate_trigger(values.get("trigger"), model))
    errors.update(conditions_validate(values.get("conditions") or {}, model))
    errors.update(_validate_steps(values.get("steps"), model))
    debounce = values.get("debounce_seconds", 0)
    if isinstance(debounce, bool) or not isinstance(debounce, int) or not 0 <= debounce <= MAX_DEBOUNCE:
        errors["debounce_seconds"] = [_("Give seconds from 0 to %(limit)s.") % {"limit": MAX_DEBOUNCE}]
    if errors:
        raise _invalid(errors)
    return {
        "object_name": values["object_name"],
        "trigger": values["trigger"],
        "conditions": values.get("conditions") or {},
        "steps": values["steps"],
        "debounce_seconds": debounce,
    }


def _new_version(workflow: Workflow, actor: User) -> WorkflowVersion:
    number = (workflow.current.number + 1) if workflow.current else 1
    version = WorkflowVersion.objects.create(
        workflow=workflow,
        number=number,
        definition={name: getattr(workflow, name) for name in DEFINITION_FIELDS},
        created_by=actor,
    )
    workflow.current = version
    workflow.save(update_fields=["current"])
    return version


@transaction.atomic(durable=True)
def workflow_create(*, data: dict[str, Any], actor: User) -> Workflow:
    definition = definition_clean(data)
    workflow = Workflow.objects.create(
        name=data["name"],
        description=data.get("description", ""),
        is_active=data.get("is_active", True),
        run_as=actor,
        **definition,
    )
    _new_version(workflow, actor)
    return workflow


@transaction.atomic(durable=True)
def workflow_update(*, workflow_id: int, data: dict[str, Any], expected_version: int, actor: User) -> Workflow:
    """Change a workflow; a changed definition is a new version (runs already started keep theirs)."""
    workflow = locks.workflow_for_update(workflow_id=workflow_id)
    if workflow.version != expected_version:
        raise VersionConflict(current_version=workflow.version)
    merged = {name: data.get(name, getattr(workflow, name)) for name in DEFINITION_FIELDS}
    definition = definition_clean(merged)
    changed = [name for name in DEFINITION_FIELDS if definition[name] != getattr(workflow, name)]
    plain = [
        name for name in ("name", "description", "is_active") if name in data and data[name] != getattr(workflow, name)
    ]
    if not changed and not plain:
        return workflow
    for name in changed:
        setattr(workflow, name, definition[name])
    for name in plain:
        setattr(workflow, name, data[name])
    workflow.version += 1
    workflow.run_as = actor
    workflow.save(update_fields=[*changed, *plain, "version", "run_as", "updated_at"])
    if changed:
        _new_version(workflow, actor)
    return workflow


# --- triggers -----------------------------------------------------------------------------------------------


def _trigger_matches(trigger: dict[str, Any], event: events.RecordEvent) -> bool:
    kind = trigger.get("type")
    if kind not in EVENT_TRIGGERS.get(event.type, ()):
        return False
    if kind == "record_updated":
        fields = trigger.get("fields") or []
        return not fields or bool(set(fields) & set(event.changes))
    if kind == "field_changed":
        name = trigger.get("field")
        if name not in event.changes:
            return False
        new = event.changes[name][1]
        return str(new if new is not None else "") == str(
            trigger.get("value") if trigger.get("value") is not None else ""
        )
    if kind == "stage_changed":
        return not trigger.get("to") or event.extra.get("to") == trigger["to"]
    if kind == "form_submitted":
        return trigger.get("form_id") in (None, event.extra.get("form_id"))
    if kind == "tag_added":
        return trigger.get("tag_id") in (None, event.extra.get("tag_id"))
    return True


def active_workflows() -> list[tuple[int, str, dict[str, Any]]]:
    """(id, object, trigger) of the organization's active workflows."""
    return list(Workflow.objects.filter(is_active=True).order_by("id").values_list("pk", "object_name", "trigger"))


def workflows_for_event(
    event: events.RecordEvent, candidates: list[tuple[int, str, dict[str, Any]]] | None = None
) -> list[int]:
    """The active workflows an event triggers; their runs are started by a job once the write commits."""
    if event.type not in EVENT_TRIGGERS:
        return []
    rows = active_workflows() if candidates is None else candidates
    matched = [
        pk for pk, object_name, trigger in rows if object_name == event.object_name and _trigger_matches(trigger, event)
    ]
    if matched:
        enqueue_on_commit(
            PROCESS_TASK,
            organization_id=event.organization_id,
            organization=event.organization_id,
            workflow_ids=",".join(str(pk) for pk in matched),
            event=json.dumps(
                {
                    "type": event.type,
                    "object": event.object_name,
                    "record_id": event.record_id,
                    "actor_id": event.actor_id,
                    "changes": event.changes,
                    "extra": event.extra,
                    "depth": event.depth,
                }
            ),
        )
    return matched


def _stopped_run(workflow: Workflow, record_id: int, event: dict[str, Any], depth: int) -> WorkflowRun:
    assert workflow.current is not None
    message = _(
        "Stopped by loop protection: this run would be step %(depth)s of a chain of workflow-caused updates "
        "(the limit is %(limit)s)."
    ) % {"depth": depth + 1, "limit": settings.WORKFLOW_MAX_DEPTH}
    log.warning("workflow loop stopped", extra={"workflow": workflow.pk, "record": record_id, "depth": depth})
    return WorkflowRun.objects.create(
        workflow=workflow,
        workflow_version=workflow.current,
        object_name=workflow.object_name,
        record_id=record_id,
        status=WorkflowRun.Status.STOPPED,
        trigger_event=event,
        depth=depth,
        error=message,
        finished_at=timezone.now(),
    )


def _claim_fire(workflow: Workflow, record_id: int, key: str, now: datetime) -> bool:
    """Whether the workflow may fire for the record now (debounce, or once per key); records the firing.

    The caller holds the workflow's row, so concurrent triggers of one workflow pass here one by one.
    """
    window = timedelta(seconds=workflow.debounce_seconds)
    fire = WorkflowFire.objects.filter(workflow=workflow, record_id=record_id, key=key).first()
    if fire is not None:
        if key or fire.fired_at > now - window:
            return False
        fire.fired_at = now
        fire.save(update_fields=["fired_at"])
        return True
    try:
        with transaction.atomic():
            WorkflowFire.objects.create(workflow=workflow, record_id=record_id, key=key, fired_at=now)
    except IntegrityError:
        return False  # fired concurrently
    return True


def run_start(
    *,
    workflow_id: int,
    record_id: int,
    event: dict[str, Any],
    depth: int = 0,
    key: str = "",
    check: bool = True,
    now: datetime | None = None,
) -> WorkflowRun | None:
    """A new run of the workflow's current version on a record, or None when it does not fire
    (inactive, record gone, conditions not met, debounced). ``check=False``: a manual start."""
    moment = now or timezone.now()
    workflow = locks.workflow_for_update(workflow_id=workflow_id)
    if check and not workflow.is_active:
        return None
    model = record_model(workflow.object_name)
    record = model.objects.filter(pk=record_id).first() if model else None
    if record is None or workflow.current is None:
        return None
    if depth >= settings.WORKFLOW_MAX_DEPTH:
        return _stopped_run(workflow, record_id, event, depth)
    definition = workflow.current.definition
    if check and not conditions_hold(definition.get("conditions"), record):
        return None
    if check and (workflow.debounce_seconds or key) and not _claim_fire(workflow, record_id, key, moment):
        return None
    return WorkflowRun.objects.create(
        workflow=workflow,
        workflow_version=workflow.current,
        object_name=workflow.object_name,
        record_id=record_id,
        trigger_event=event,
        depth=depth,
    )


def event_process(*, workflow_ids: list[int], event: dict[str, Any]) -> list[WorkflowRun]:
    """The job of one domain event: start each triggered workflow's run and run it up to its first wait."""
    runs = []
    for workflow_id in workflow_ids:
        run = run_start(
            workflow_id=workflow_id, record_id=int(event["record_id"]), event=event, depth=int(event.get("depth", 0))
        )
        if run is not None:
            if run.status == WorkflowRun.Status.RUNNING:
                run = run_continue(run_id=run.pk)
            runs.append(run)
    return runs


# --- running -------------------------------------------------------------------------------------------------


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ApplicationError):
        details = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.fields.items())
        return f"{exc.message} {details}".strip()
    return f"{type(exc).__name__}: {exc}"[:2000]


def run_continue(*, run_id: int, now: datetime | None = None) -> WorkflowRun:
    """Run the steps of a running (or due waiting) run until it waits, fails or finishes."""
    run = locks.run_for_update(run_id=run_id)
    moment = now or timezone.now()
    if run.status == WorkflowRun.Status.WAITING and run.resume_at is not None and run.resume_at > moment:
        return run
    if run.status not in (WorkflowRun.Status.RUNNING, WorkflowRun.Status.WAITING):
        return run
    run.status = WorkflowRun.Status.RUNNING
    run.resume_at = None
    workflow = run.workflow
    steps: list[dict[str, Any]] = run.workflow_version.definition["steps"]
    model = record_model(run.object_name)
    while run.next_step < len(steps):
        index = run.next_step
        config = steps[index]
        step_type = STEP_TYPES.get(config.get("type", ""))
        started = timezone.now()
        record = model.objects.filter(pk=run.record_id).first() if model else None
        try:
            if step_type is None:
                raise ApplicationError("unknown_step", _("This step type is no longer available."))
            if record is None:
                raise ApplicationError("record_gone", _("The record no longer exists."))
            with transaction.atomic(), events.caused_by_automation(run.depth + 1):
                outcome = step_type.run(
                    config, StepContext(run=run, workflow=workflow, record=record, index=index, actor=workflow.run_as)
                )
        except Exception as exc:
            error = _error_text(exc)
            if not isinstance(exc, ApplicationError):
                log.exception("workflow step failed", extra={"run": run.pk, "step": index})
            WorkflowStepRun.objects.create(
                run=run,
                index=index,
                step_type=config.get("type", ""),
                status=WorkflowStepRun.Status.FAILED,
                input=config,
                error=error,
                started_at=started,
                finished_at=timezone.now(),
            )
            run.status = WorkflowRun.Status.FAILED
            run.error = _("Step %(number)s failed: %(error)s") % {"number": index + 1, "error": error}
            run.finished_at = timezone.now()
            run.save()
            return run
        waiting = outcome.wait_until is not None and outcome.wait_until > timezone.now()
        WorkflowStepRun.objects.create(
            run=run,
            index=index,
            step_type=config["type"],
            status=WorkflowStepRun.Status.WAITING if waiting else WorkflowStepRun.Status.SUCCEEDED,
            input=config,
            result=outcome.result,
            started_at=started,
            finished_at=timezone.now(),
        )
        run.next_step = index + 1
        if waiting:
            run.status = WorkflowRun.Status.WAITING
            run.resume_at = outcome.wait_until
            run.save()
            return run
    run.status = WorkflowRun.Status.SUCCEEDED
    run.error = ""
    run.finished_at = timezone.now()
    run.save()
    return run


def _enqueue_continue(run: WorkflowRun, *, due_at: datetime | None = None) -> None:
    """The job that continues ``run``; ``due_at``: the moment the schedule found its wait over."""
    enqueue_on_commit(
        CONTINUE_TASK,
        key=f"{run.pk}:{run.next_step}:{run.version}:{run.resume_at.isoformat() if run.resume_at else ''}",
        organization_id=run.organization_id,
        organization=run.organization_id,
        run_id=run.pk,
        due_at=due_at.isoformat() if due_at else "",
    )


def runs_resume_due(*, now: datetime | None = None) -> int:
    """Continue the waiting runs whose time has come (the ``automation.due`` schedule); returns how many."""
    moment = now or timezone.now()
    with transaction.atomic():
        due = list(
            WorkflowRun.all_orgs.filter(status=WorkflowRun.Status.WAITING, resume_at__lte=moment).order_by("resume_at")[
                :500
            ]
        )
        for run in due:
            _enqueue_continue(run, due_at=moment)
    return len(due)


@transaction.atomic(durable=True)
def run_retry(*, run_id: int, expected_version: int) -> WorkflowRun:
    """Run a failed run again from the step that failed (409 unless it failed)."""
    run = locks.run_for_update(run_id=run_id)
    if run.version != expected_version:
        raise VersionConflict(current_version=run.version)
    if run.status != WorkflowRun.Status.FAILED:
        raise InvalidStateTransition("run_not_failed", _("Only a failed run can be retried."))
    run.status = WorkflowRun.Status.RUNNING
    run.error = ""
    run.finished_at = None
    run.version += 1
    run.save()
    _enqueue_continue(run)
    return run


@transaction.atomic(durable=True)
def run_replay(*, run_id: int, from_step: int) -> WorkflowRun:
    """A new run of the same version on the same record, starting at ``from_step`` (0 is the first step)."""
    original = WorkflowRun.objects.select_related("workflow_version").get(pk=run_id)
    steps = original.workflow_version.definition["steps"]
    if not 0 <= from_step < len(steps):
        raise ApplicationError(
            "invalid_step",
            _("Please correct the errors below."),
            {"from_step": _("Give a step from 0 to %(last)s.") % {"last": len(steps) - 1}},
        )
    run = WorkflowRun.objects.create(
        workflow_id=original.workflow_id,
        workflow_version=original.workflow_version,
        object_name=original.object_name,
        record_id=original.record_id,
        trigger_event={**original.trigger_event, "replay_of": original.pk, "from_step": from_step},
        depth=original.depth,
        next_step=from_step,
        replay_of=original,
    )
    _enqueue_continue(run)
    return run


@transaction.atomic(durable=True)
def workflow_run_manually(*, workflow_id: int, record_id: int, actor: User) -> WorkflowRun:
    """Start a workflow on a record now, whatever its trigger, conditions and debounce (the Run button)."""
    workflow = Workflow.objects.get(pk=workflow_id)
    model = record_model(workflow.object_name)
    if model is None or not model.objects.filter(pk=record_id).exists():
        raise ApplicationError(
            "record_not_found",
            _("Please correct the errors below."),
            {"record_id": _("No %(object)s with this id exists.") % {"object": workflow.object_name}},
        )
    run = run_start(
        workflow_id=workflow_id,
        record_id=record_id,
        event={"type": "manual", "actor_id": actor.pk, "object": workflow.object_name, "record_id": record_id},
        check=False,
    )
    assert run is not None
    _enqueue_continue(run)
    return run


# --- N days before / after a date field ---------------------------------------------------------------------


def date_triggers_enqueue(*, today: date | None = None) -> int:
    """One job per active date-relative workflow and day (the job key makes it once a day)."""
    day = today or timezone.localdate()
    with transaction.atomic():
        workflows = list(
            Workflow.all_orgs.filter(is_active=True, trigger__type="date_relative").values_list("pk", "organization_id")
        )
        for workflow_id, organization_id in workflows:
            enqueue_on_commit(
                DATE_TASK,
                key=f"{workflow_id}:{day.isoformat()}",
                organization_id=organization_id,
                organization=organization_id,
                workflow_id=workflow_id,
                day=day.isoformat(),
            )
    return len(workflows)


def date_trigger_run(*, workflow_id: int, day: date) -> list[WorkflowRun]:
    """Start the workflow on every record whose date field is ``offset_days`` before ``day`` (once per record and date)."""
    workflow = Workflow.objects.get(pk=workflow_id)
    trigger = workflow.trigger
    model = record_model(workflow.object_name)
    if model is None or trigger.get("type") != "date_relative" or not workflow.is_active:
        return []
    target = day - timedelta(days=int(trigger["offset_days"]))
    field = condition_field(model, trigger["field"])
    lookup = f"{trigger['field']}__date" if isinstance(field, models.DateTimeField) else trigger["field"]
    record_ids = list(
        model.objects.filter(is_active=True, **{lookup: target}).order_by("pk").values_list("pk", flat=True)[:1000]
    )
    runs = []
    for record_id in record_ids:
        event = {
            "type": "date_relative",
            "object": workflow.object_name,
            "record_id": record_id,
            "date": target.isoformat(),
        }
        run = run_start(workflow_id=workflow_id, record_id=record_id, event=event, key=target.isoformat())
        if run is not None:
            runs.append(run_continue(run_id=run.pk))
    return runs
