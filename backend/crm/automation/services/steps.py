"""The step types a workflow can run, in one registry.

A step type validates its configuration when a workflow is saved, and runs with a ``StepContext``
(the run, the record as it is now, the user steps act as). It returns a ``StepOutcome``: what it
did, and for waits the time to continue at. A new step type (sending an email template, adding to a
campaign) is one more class registered with ``register_step_type``; saving a workflow and running
it read the registry.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from crm.accounts.models import Contact
from crm.activities.models import Activity
from crm.activities.services import activity_create_nested
from crm.core.errors import ApplicationError
from crm.core.scoping import current_org_id
from crm.identity.models import User
from crm.marketing.models import Campaign, CampaignMember, EmailTemplate
from crm.marketing.services import campaigns, sends
from crm.records.events import json_safe
from crm.records.models import Record
from crm.records.services import PROTECTED_FIELDS, record_update
from crm.records.tags import selectors as tag_selectors
from crm.records.tags import services as tag_services
from crm.sales.models import Lead

from .. import locks
from ..models import WebhookEndpoint
from . import webhooks
from .conditions import coerce, condition_field

if TYPE_CHECKING:
    from ..models import Workflow, WorkflowRun

Errors = dict[str, list[str]]


@dataclass(frozen=True)
class StepContext:
    run: WorkflowRun
    workflow: Workflow
    record: Record
    index: int
    actor: User


@dataclass(frozen=True)
class StepOutcome:
    result: dict[str, Any] = field(default_factory=dict)
    wait_until: datetime.datetime | None = None


class StepType:
    """One kind of step: ``name`` is stored in the definition, ``label`` shown in the builder."""

    name: ClassVar[str]
    label: ClassVar[str]

    def validate(self, config: dict[str, Any], model: type[Record]) -> Errors:
        raise NotImplementedError

    def run(self, config: dict[str, Any], ctx: StepContext) -> StepOutcome:
        raise NotImplementedError


STEP_TYPES: dict[str, StepType] = {}


def register_step_type(step_type: StepType) -> StepType:
    STEP_TYPES[step_type.name] = step_type
    return step_type


def _locked(record: Record) -> Record:
    return locks.record_for_update(record=record)


def _user_in_org(user_id: Any) -> User | None:
    if isinstance(user_id, bool) or not isinstance(user_id, int):
        return None
    return User.objects.filter(pk=user_id, organization_id=_current_org()).first()


def _current_org() -> int:
    return current_org_id()


# --- create a task --------------------------------------------------------------------------------


WHO = {"lead": "Lead", "contact": "Contact"}
WHAT = {"account": "Account", "opportunity": "Opportunity", "case": "Case", "order": "Order", "contract": "Contract"}


class CreateTask(StepType):
    """A task linked to the record, due N days after the step runs, for the record's owner or a user."""

    name = "create_task"
    label = "Create a task"

    def validate(self, config: dict[str, Any], model: type[Record]) -> Errors:
        errors: Errors = {}
        subject = config.get("subject")
        if not isinstance(subject, str) or not subject.strip() or len(subject) > 255:
            errors["subject"] = [_("Give a subject of at most 255 characters.")]
        days = config.get("due_in_days", 0)
        if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 3650:
            errors["due_in_days"] = [_("Give a whole number of days from 0 to 3650.")]
        if config.get("priority", "Normal") not in Activity.Priority.values:
            errors["priority"] = [_("Pick one of: %(choices)s.") % {"choices": ", ".join(Activity.Priority.values)}]
        assign = config.get("assign_to", "owner")
        if assign != "owner" and _user_in_org(assign) is None:
            errors["assign_to"] = [_("Give owner or the id of a user of the organization.")]
        if not isinstance(config.get("description", ""), str):
            errors["description"] = [_("Give a text.")]
        return errors

    def run(self, config: dict[str, Any], ctx: StepContext) -> StepOutcome:
        record = ctx.record
        assign = config.get("assign_to", "owner")
        assignee = record.owner if assign == "owner" else _user_in_org(assign)
        if assignee is None or not assignee.is_active:
            raise ApplicationError("assignee_unavailable", _("The user to assign the task to is not active."))
        subject = str(config["subject"]).replace("{record}", str(record))[:255]
        data: dict[str, Any] = {
            "type": Activity.Type.TASK,
            "subject": subject,
            "description": config.get("description", ""),
            "priority": config.get("priority", Activity.Priority.NORMAL),
            "due_date": timezone.localdate() + datetime.timedelta(days=int(config.get("due_in_days", 0))),
            "assigned_to": assignee,
            "owner": assignee,
        }
        object_name = record.object_name
        if object_name in WHO:
            data |= {"who_type": WHO[object_name], "who_id": record.pk}
        elif object_name in WHAT:
            data |= {"what_type": WHAT[object_name], "what_id": record.pk}
        task = activity_create_nested(data=data, actor=ctx.actor)
        return StepOutcome(
            {"task_id": task.pk, "subject": task.subject, "assigned_to_id": assignee.pk, "due_date": str(task.due_date)}
        )


# --- update a field ------------------------------------------------------------------------------


def _writable(model: type[Record], name: Any) -> models.Field[Any, Any] | None:
    field = condition_field(model, name)
    if field is None or field.name in PROTECTED_FIELDS or not field.editable or field.primary_key:
        return None
    if isinstance(field, models.ForeignKey) and field.name != "owner":
        return None  # links are changed through their own services
    return field


class UpdateField(StepType):
    """Set one field of the record to a value (through the record write path: version, audit, events)."""

    name = "update_field"
    label = "Update a field"

    def validate(self, config: dict[str, Any], model: type[Record]) -> Errors:
        field = _writable(model, config.get("field"))
        if field is None:
            return {"field": [_("This field cannot be set by a workflow.")]}
        value = config.get("value")
        if isinstance(value, (dict, list)):
            return {"value": [_("Give a single value.")]}
        try:
            if field.name == "owner":
                if _user_in_org(value) is None:
                    return {"value": [_("Give the id of a user of the organization.")]}
            else:
                field.clean(coerce(field, value), None)
        except ValidationError as exc:
            return {"value": [str(message) for message in exc.messages]}
        return {}

    def run(self, config: dict[str, Any], ctx: StepContext) -> StepOutcome:
        model = type(ctx.record)
        field = _writable(model, config["field"])
        if field is None:
            raise ApplicationError("field_not_writable", _("This field cannot be set by a workflow."))
        record = _locked(ctx.record)
        if field.name == "owner":
            value: Any = _user_in_org(config.get("value"))
            if value is None:
                raise ApplicationError("user_missing", _("The user no longer exists."))
        else:
            value = field.clean(coerce(field, config.get("value")), record)
        before = getattr(record, field.attname)
        record_update(record=record, data={field.name: value}, expected_version=record.version, actor=ctx.actor)
        after = value.pk if isinstance(value, models.Model) else value
        return StepOutcome(json_safe({"field": field.name, "from": before, "to": after}))


# --- assign the owner round-robin ---------------------------------------------------------------------


class AssignRoundRobin(StepType):
    """Make the next user of a list the record's owner, in turn (inactive users are skipped)."""

    name = "assign_round_robin"
    label = "Assign the owner round-robin"

    def validate(self, config: dict[str, Any], model: type[Record]) -> Errors:
        user_ids = config.get("user_ids")
        if not isinstance(user_ids, list) or not user_ids or len(user_ids) > 100:
            return {"user_ids": [_("Give the ids of one to 100 users.")]}
        if any(_user_in_org(user_id) is None for user_id in user_ids):
            return {"user_ids": [_("Every id must name a user of the organization.")]}
        return {}

    def run(self, config: dict[str, Any], ctx: StepContext) -> StepOutcome:
        user_ids: list[int] = list(config["user_ids"])
        active = dict(
            User.objects.filter(pk__in=user_ids, organization_id=_current_org(), is_active=True).values_list(
                "pk", "name"
            )
        )
        if not active:
            raise ApplicationError("no_active_user", _("None of the users of the rotation is active."))
        cursor = locks.round_robin_cursor_for_update(workflow_id=ctx.workflow.pk, step_index=ctx.index)
        for offset in range(len(user_ids)):
            candidate = user_ids[(cursor.position + offset) % len(user_ids)]
            if candidate in active:
                cursor.position = (cursor.position + offset + 1) % len(user_ids)
                cursor.save(update_fields=["position"])
                break
        record = _locked(ctx.record)
        owner = User.objects.get(pk=candidate)
        record_update(record=record, data={"owner": owner}, expected_version=record.version, actor=ctx.actor)
        return StepOutcome({"owner_id": owner.pk, "owner_name": owner.name})


# --- call an outbound webhook ---------------------------------------------------------------------------


class CallWebhook(StepType):
    """Post the record to one of the organization's webhooks (signed, retried, logged like every delivery)."""

    name = "call_webhook"
    label = "Call an outbound webhook"

    def validate(self, config: dict[str, Any], model: type[Record]) -> Errors:
        webhook_id = config.get("webhook_id")
        if (
            isinstance(webhook_id, bool)
            or not isinstance(webhook_id, int)
            or not WebhookEndpoint.objects.filter(pk=webhook_id).exists()
        ):
            return {"webhook_id": [_("Give the id of one of the organization's webhooks.")]}
        return {}

    def run(self, config: dict[str, Any], ctx: StepContext) -> StepOutcome:
        endpoint = WebhookEndpoint.objects.filter(pk=config["webhook_id"]).first()
        if endpoint is None or not endpoint.is_active:
            raise ApplicationError("webhook_unavailable", _("The webhook is deleted or disabled."))
        payload = {
            "id": str(uuid.uuid4()),
            "type": webhooks.WORKFLOW_EVENT,
            "created_at": timezone.now().isoformat(),
            "organization_id": ctx.record.organization_id,
            "data": {
                "workflow_id": ctx.workflow.pk,
                "workflow_name": ctx.workflow.name,
                "run_id": ctx.run.pk,
                "object": ctx.record.object_name,
                "id": ctx.record.pk,
                "record": webhooks.record_snapshot(ctx.record.object_name, ctx.record.pk),
            },
        }
        delivery = webhooks.delivery_create(endpoint=endpoint, event_type=webhooks.WORKFLOW_EVENT, payload=payload)
        return StepOutcome({"delivery_id": delivery.pk, "webhook_id": endpoint.pk})


# --- send an email template -------------------------------------------------------------------------


def _positive_id(value: Any) -> int | None:
    return value if not isinstance(value, bool) and isinstance(value, int) and value > 0 else None


def _has_contact_link(model: type[Record]) -> bool:
    try:
        field = model._meta.get_field("contact")  # type: ignore[misc]  # cases have one, other records may not
    except FieldDoesNotExist:
        return False
    return isinstance(field, models.ForeignKey) and field.related_model is Contact


def _recipient_of(record: Record) -> tuple[Contact | None, Lead | None]:
    if isinstance(record, Contact):
        return record, None
    if isinstance(record, Lead):
        return None, record
    contact = getattr(record, "contact", None)
    return (contact, None) if isinstance(contact, Contact) else (None, None)


class SendEmailTemplate(StepType):
    """Mail an email template to the record's contact or lead, as a tracked message of the workflow's
    automated send (merge tags, suppression list, rate, tracking and unsubscribe like any send)."""

    name = "send_email_template"
    label = "Send an email template"

    def validate(self, config: dict[str, Any], model: type[Record]) -> Errors:
        if not (issubclass(model, (Contact, Lead)) or _has_contact_link(model)):
            return {"template_id": [_("This object has no contact or lead to send to.")]}
        template_id = _positive_id(config.get("template_id"))
        template = EmailTemplate.objects.filter(pk=template_id).first() if template_id else None
        if template is None or not template.is_active:
            return {"template_id": [_("Give the id of one of the organization's active email templates.")]}
        return {}

    def run(self, config: dict[str, Any], ctx: StepContext) -> StepOutcome:
        template = EmailTemplate.objects.filter(pk=config["template_id"]).first()
        if template is None or not template.is_active:
            raise ApplicationError("template_unavailable", _("The email template is deleted or deactivated."))
        contact, lead = _recipient_of(ctx.record)
        if contact is None and lead is None:
            return StepOutcome({"skipped": "the record has no contact"})
        person = contact or lead
        if not (person.email if person else ""):
            return StepOutcome({"skipped": "no email address"})
        recipient, new = sends.email_template_send_one(
            template=template,
            key=f"workflow:{ctx.workflow.pk}:template:{template.pk}",
            name=f"{ctx.workflow.name}: {template.name}",
            actor=ctx.actor,
            contact=contact,
            lead=lead,
        )
        return StepOutcome(
            {
                "email_campaign_id": recipient.email_campaign_id,
                "recipient_id": recipient.pk,
                "email": recipient.email,
                "status": recipient.status if new else "already_sent",
            }
        )


# --- add to a campaign -------------------------------------------------------------------------------


class AddToCampaign(StepType):
    """Make the lead or contact a member of a campaign with a status (kept as it is if already a member)."""

    name = "add_to_campaign"
    label = "Add to a campaign"

    def validate(self, config: dict[str, Any], model: type[Record]) -> Errors:
        errors: Errors = {}
        if not issubclass(model, (Contact, Lead)):
            return {"campaign_id": [_("Only leads and contacts can be campaign members.")]}
        campaign_id = _positive_id(config.get("campaign_id"))
        campaign = Campaign.objects.filter(pk=campaign_id).first() if campaign_id else None
        if campaign is None or not campaign.is_active:
            errors["campaign_id"] = [_("Give the id of one of the organization's active campaigns.")]
        if config.get("status", CampaignMember.Status.SENT) not in CampaignMember.Status.values:
            errors["status"] = [
                _("Pick one of: %(choices)s.") % {"choices": ", ".join(CampaignMember.Status.values)},
            ]
        return errors

    def run(self, config: dict[str, Any], ctx: StepContext) -> StepOutcome:
        campaign = Campaign.objects.filter(pk=config["campaign_id"]).first()
        if campaign is None:
            raise ApplicationError("campaign_missing", _("The campaign no longer exists."))
        contact, lead = _recipient_of(ctx.record)
        status = config.get("status", CampaignMember.Status.SENT)
        member = campaigns.campaign_member_add(
            campaign=campaign, actor=ctx.actor, contact=contact, lead=lead, status=status, if_exists="keep"
        )
        return StepOutcome(
            {
                "campaign_id": campaign.pk,
                "member_id": member.pk,
                "status": member.status,
                "added": member.status == status,
            }
        )


# --- wait ------------------------------------------------------------------------------------------------


class Wait(StepType):
    """Wait N minutes or days, or until a date field of the record (or a given moment); stored in the database."""

    name = "wait"
    label = "Wait"

    def validate(self, config: dict[str, Any], model: type[Record]) -> Errors:
        keys = [key for key in ("minutes", "days", "until_field", "until") if key in config]
        if len(keys) != 1:
            return {"minutes": [_("Give exactly one of minutes, days, until_field or until.")]}
        key = keys[0]
        value = config[key]
        if key in ("minutes", "days"):
            limit = 525_600 if key == "minutes" else 3650
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
                return {key: [_("Give a whole number from 1 to %(limit)s.") % {"limit": limit}]}
        elif key == "until_field":
            field = condition_field(model, value)
            if not isinstance(field, (models.DateField, models.DateTimeField)):
                return {key: [_("Give a date field of this object.")]}
        elif not isinstance(value, str) or parse_datetime(value) is None:
            return {key: [_("Give a date and time (ISO 8601).")]}
        return {}

    def run(self, config: dict[str, Any], ctx: StepContext) -> StepOutcome:
        now = timezone.now()
        if "minutes" in config:
            until = now + datetime.timedelta(minutes=int(config["minutes"]))
        elif "days" in config:
            until = now + datetime.timedelta(days=int(config["days"]))
        elif "until_field" in config:
            value = getattr(ctx.record, str(config["until_field"]), None)
            if value is None:
                return StepOutcome({"skipped": "the date field is empty"})
            if not isinstance(value, datetime.datetime):
                value = datetime.datetime.combine(value, datetime.time(9, 0), tzinfo=timezone.get_current_timezone())
            until = value
        else:
            parsed = parse_datetime(str(config["until"]))
            assert parsed is not None  # validated on save
            until = parsed if parsed.tzinfo else timezone.make_aware(parsed)
        return StepOutcome({"until": until.isoformat()}, wait_until=until)


for _step_type in (
    CreateTask(),
    UpdateField(),
    AssignRoundRobin(),
    CallWebhook(),
    SendEmailTemplate(),
    AddToCampaign(),
    Wait(),
):
    register_step_type(_step_type)


# --- add a tag ---------------------------------------------------------------------------------------------


class AddTag(StepType):
    """Put one of the organization's tags on the record (audited, with the "tag added" event)."""

    name = "add_tag"
    label = "Add a tag"

    def validate(self, config: dict[str, Any], model: type[Record]) -> Errors:
        tag_id = config.get("tag_id")
        if isinstance(tag_id, bool) or not isinstance(tag_id, int) or not tag_selectors.tag_exists(tag_id=tag_id):
            return {"tag_id": [_("Give the id of one of the organization's tags.")]}
        return {}

    def run(self, config: dict[str, Any], ctx: StepContext) -> StepOutcome:
        if not tag_selectors.tag_exists(tag_id=config["tag_id"]):
            raise ApplicationError("tag_missing", _("The tag was deleted."))
        tag, added = tag_services.record_tag_add(record=ctx.record, tag=int(config["tag_id"]), actor=ctx.actor)
        return StepOutcome({"tag_id": tag.pk, "tag_name": tag.name, "added": added})


register_step_type(AddTag())


def record_model(object_name: str) -> type[Record] | None:
    """The record model of an object name ("lead", "opportunity"...)."""
    for model in apps.get_models():
        if issubclass(model, Record) and getattr(model, "object_name", None) == object_name:
            return model
    return None
