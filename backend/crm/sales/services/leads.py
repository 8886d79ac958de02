"""Leads: edits while open, and conversion into an account, a contact and an opportunity."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts import locks as account_locks
from crm.accounts.models import Account, Contact
from crm.audit import services as audit
from crm.audit.models import AuditEvent
from crm.core.errors import ApplicationError, InvalidStateTransition
from crm.records.services import record_create, record_update

from .. import locks
from ..models import Lead, Opportunity
from . import opportunities as opportunity_services
from .stages import stage_default_open, stage_get_active

if TYPE_CHECKING:
    from crm.identity.models import User


@dataclass(frozen=True)
class LeadConversion:
    lead: Lead
    account: Account
    contact: Contact
    opportunity: Opportunity | None


def _refuse_converted_status(data: dict[str, Any]) -> None:
    if data.get("status") == Lead.Status.CONVERTED:
        raise ApplicationError(
            "use_lead_convert",
            _("A lead becomes Converted only through the Convert action."),
            {"status": [_("Use the Convert action to convert a lead.")]},
        )


@transaction.atomic(durable=True)
def lead_create(*, data: dict[str, Any], actor: User) -> Lead:
    return lead_create_nested(data=data, actor=actor)


@transaction.atomic
def lead_create_nested(*, data: dict[str, Any], actor: User) -> Lead:
    """The building block behind ``lead_create``, for callers that already hold a transaction (web forms)."""
    _refuse_converted_status(data)
    return record_create(model=Lead, data=data, actor=actor)


@transaction.atomic(durable=True)
def lead_update(*, lead: Lead, data: dict[str, Any], expected_version: int, actor: User) -> Lead:
    """Edit an open lead; a converted lead is history and refuses changes (409)."""
    locked = locks.lead_for_update(lead_id=lead.pk)
    if locked.status == Lead.Status.CONVERTED:
        raise InvalidStateTransition("lead_converted", _("A converted lead can no longer be edited."))
    _refuse_converted_status(data)
    return record_update(record=locked, data=data, expected_version=expected_version, actor=actor)


@transaction.atomic(durable=True)
def lead_convert(**kwargs: Any) -> LeadConversion:
    """The conversion endpoint's entry point: its own outermost transaction."""
    return lead_convert_nested(**kwargs)


@transaction.atomic
def lead_convert_nested(
    *,
    lead_id: int,
    actor: User,
    opportunity_name: str = "",
    account: Account | None = None,
    create_opportunity: bool = True,
    opportunity_stage: str | None = None,
    close_date: datetime.date | None = None,
) -> LeadConversion:
    """Turn a lead into an account (or attach it to ``account``), a contact and an opportunity.

    One transaction with the lead row locked: a second conversion waits, then sees the lead
    converted and answers 409; any failure on the way leaves nothing written.
    """
    lead = locks.lead_for_update(lead_id=lead_id)
    if lead.status == Lead.Status.CONVERTED or lead.converted_at is not None:
        raise InvalidStateTransition("lead_already_converted", _("This lead has already been converted."))
    if not lead.is_active:
        raise InvalidStateTransition("lead_inactive", _("A deactivated lead cannot be converted; reactivate it first."))
    stage = None
    if create_opportunity:
        if not opportunity_name.strip():
            raise ApplicationError(
                "opportunity_name_required",
                _("Name the new opportunity."),
                {"opportunity_name": [_("This field is required.")]},
            )
        if opportunity_stage:
            stage = stage_get_active(name=opportunity_stage)
            if stage is None:
                raise ApplicationError(
                    "invalid_stage",
                    _("Choose one of the organization's active stages."),
                    {
                        "opportunity_stage": [
                            _("'%(opportunity_stage)s' is not an active stage.")
                            % {"opportunity_stage": opportunity_stage}
                        ]
                    },
                )
        else:
            stage = stage_default_open()

    if account is None:
        account = record_create(
            model=Account,
            actor=actor,
            data={
                "name": lead.company,
                "website": lead.website,
                "phone": lead.phone,
                "billing_address": lead.address,
                "owner": lead.owner,
            },
        )
    else:
        account = account_locks.account_for_update(account_id=account.pk)
    contact = record_create(
        model=Contact,
        actor=actor,
        data={
            "first_name": lead.first_name,
            "last_name": lead.last_name,
            "title": lead.title,
            "email": lead.email,
            "phone": lead.phone,
            "account": account,
            "owner": lead.owner,
        },
    )
    opportunity = None
    if stage is not None:
        opportunity = opportunity_services.opportunity_create_nested(
            actor=actor,
            data={
                "name": opportunity_name.strip(),
                "stage": stage.name,
                "close_date": close_date,
                "account": account,
                "lead_source": lead.lead_source,
                "owner": lead.owner,
            },
        )
    converted = record_update(
        record=lead,
        expected_version=lead.version,
        actor=actor,
        data={
            "status": Lead.Status.CONVERTED,
            "converted_at": timezone.now(),
            "converted_account": account,
            "converted_contact": contact,
            "converted_opportunity": opportunity,
        },
    )
    audit.write_event(
        record=converted,
        action=AuditEvent.Action.ACTION,
        actor=actor,
        name="lead.convert",
        changes={
            "account": (None, account.pk),
            "contact": (None, contact.pk),
            "opportunity": (None, opportunity.pk if opportunity else None),
        },
    )
    return LeadConversion(lead=converted, account=account, contact=contact, opportunity=opportunity)
