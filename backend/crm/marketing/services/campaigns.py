"""Campaigns, their hierarchy and their members.

``campaign_member_add`` is the building block other apps call (web forms and workflows add the
people they capture); the API's entry points wrap it in their own durable transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.models import Contact
from crm.audit import services as audit
from crm.audit.models import AuditEvent
from crm.core.errors import ApplicationError, VersionConflict
from crm.records.services import record_create, record_update
from crm.sales.models import Lead

from .. import locks
from ..models import Campaign, CampaignMember

if TYPE_CHECKING:
    from crm.identity.models import User

MAX_DEPTH = 5  # Salesforce's campaign hierarchy holds five levels


def _after(values: dict[str, Any], current: Campaign | None, name: str) -> Any:
    if name in values:
        return values[name]
    return getattr(current, name) if current is not None else None


def _check_dates(values: dict[str, Any], current: Campaign | None) -> None:
    start, end = _after(values, current, "start_date"), _after(values, current, "end_date")
    if start is not None and end is not None and end < start:
        raise ApplicationError(
            "end_before_start",
            _("A campaign cannot end before it starts."),
            {"end_date": [_("The end date must be on or after the start date.")]},
        )


def _check_parent(parent: Campaign | None, current: Campaign | None) -> None:
    """The hierarchy stays a tree of at most MAX_DEPTH levels: no campaign under itself."""
    if parent is None:
        return
    depth = 1
    node: Campaign | None = parent
    seen: set[int] = set()
    while node is not None:
        if current is not None and node.pk == current.pk:
            raise ApplicationError(
                "campaign_cycle",
                _("A campaign cannot sit under itself."),
                {"parent_id": [_("Choose a campaign that is not this one or one below it.")]},
            )
        if node.pk in seen:
            break
        seen.add(node.pk)
        depth += 1
        node = Campaign.objects.filter(pk=node.parent_id).first() if node.parent_id else None
    if depth > MAX_DEPTH:
        raise ApplicationError(
            "campaign_too_deep",
            _("A campaign hierarchy holds at most %(levels)s levels.") % {"levels": MAX_DEPTH},
            {"parent_id": [_("Choose a parent higher up in the hierarchy.")]},
        )


@transaction.atomic(durable=True)
def campaign_create(*, data: dict[str, Any], actor: User) -> Campaign:
    values = dict(data)
    _check_dates(values, None)
    _check_parent(values.get("parent"), None)
    return record_create(model=Campaign, data=values, actor=actor)


@transaction.atomic(durable=True)
def campaign_update(*, campaign: Campaign, data: dict[str, Any], expected_version: int, actor: User) -> Campaign:
    campaign = locks.campaign_for_update(campaign_id=campaign.pk)
    values = dict(data)
    _check_dates(values, campaign)
    if "parent" in values:
        _check_parent(values["parent"], campaign)
    return record_update(record=campaign, data=values, expected_version=expected_version, actor=actor)


def _require_active_campaign(campaign: Campaign) -> None:
    if not campaign.is_active:
        raise ApplicationError(
            "inactive_reference", _("This campaign is deactivated; reactivate it to add members."), status_code=409
        )


@transaction.atomic
def campaign_member_add(
    *,
    campaign: Campaign,
    actor: User | None,
    lead: Lead | None = None,
    contact: Contact | None = None,
    status: str = CampaignMember.Status.PLANNED,
    if_exists: str = "error",
) -> CampaignMember:
    """Add a lead or a contact to a campaign.

    ``if_exists``: ``"error"`` answers 409 for someone already in the campaign, ``"keep"`` returns
    their membership unchanged (what a web form that captures the same person twice wants).
    """
    if (lead is None) == (contact is None):
        raise ApplicationError(
            "member_target",
            _("Give either a lead or a contact."),
            {"contact_id": [_("Give a contact_id or a lead_id, not both.")]},
        )
    campaign = locks.campaign_for_update(campaign_id=campaign.pk)
    _require_active_campaign(campaign)
    existing = CampaignMember.objects.filter(campaign=campaign, lead=lead, contact=contact).first()
    if existing is not None:
        if if_exists == "keep":
            return existing
        raise ApplicationError(
            "already_member",
            _("This person is already a member of the campaign."),
            {"lead_id" if lead is not None else "contact_id": [_("Already a member.")]},
            status_code=409,
        )
    try:
        with transaction.atomic():
            member = CampaignMember.objects.create(
                campaign=campaign, lead=lead, contact=contact, status=status, created_by=actor
            )
    except IntegrityError:  # a concurrent add of the same person (the campaign lock makes it rare)
        raise ApplicationError(
            "already_member", _("This person is already a member of the campaign."), status_code=409
        ) from None
    audit.write_event(
        record=campaign,
        action=AuditEvent.Action.ACTION,
        name="member_add",
        actor=actor,
        changes={"member": (None, f"{'lead' if lead else 'contact'}:{(lead or contact).pk}")},  # type: ignore[union-attr]
    )
    return member


@transaction.atomic(durable=True)
def campaign_member_add_entry(
    *, campaign: Campaign, actor: User, lead: Lead | None = None, contact: Contact | None = None, status: str
) -> CampaignMember:
    """The API's entry point around ``campaign_member_add``."""
    return campaign_member_add(campaign=campaign, actor=actor, lead=lead, contact=contact, status=status)


@transaction.atomic(durable=True)
def campaign_member_update(
    *, member: CampaignMember, status: str, expected_version: int, actor: User
) -> CampaignMember:
    locks.campaign_for_update(campaign_id=member.campaign_id)
    updated = CampaignMember.objects.filter(pk=member.pk, version=expected_version).update(
        status=status, version=F("version") + 1, updated_at=timezone.now()
    )
    if updated == 0:
        current = CampaignMember.objects.filter(pk=member.pk).values_list("version", flat=True).first()
        raise VersionConflict(current_version=current)
    if status != member.status:
        audit.write_event(
            record=member.campaign,
            action=AuditEvent.Action.ACTION,
            name="member_status",
            actor=actor,
            changes={"status": (member.status, status)},
        )
    return CampaignMember.objects.get(pk=member.pk)


@transaction.atomic(durable=True)
def campaign_member_remove(*, member: CampaignMember, actor: User) -> None:
    campaign = locks.campaign_for_update(campaign_id=member.campaign_id)
    target = f"lead:{member.lead_id}" if member.lead_id else f"contact:{member.contact_id}"
    CampaignMember.objects.filter(pk=member.pk).delete()
    audit.write_event(
        record=campaign,
        action=AuditEvent.Action.ACTION,
        name="member_remove",
        actor=actor,
        changes={"member": (target, None)},
    )


@transaction.atomic
def campaign_member_advance(
    *, campaign_id: int, status: str, lead_id: int | None = None, contact_id: int | None = None
) -> int:
    """Move a member forward to ``status`` (Sent, Opened, Clicked...), never back; Bounced and
    Unsubscribed always apply. Returns how many rows changed (0 or 1)."""
    person = {"lead_id": lead_id} if lead_id is not None else {"contact_id": contact_id}
    queryset = CampaignMember.objects.filter(campaign_id=campaign_id, **person)
    rank = CampaignMember.RANK.get(status)
    if rank is not None:
        lower = [name for name, position in CampaignMember.RANK.items() if position < rank]
        queryset = queryset.filter(status__in=lower)
    return queryset.update(status=status, version=F("version") + 1, updated_at=timezone.now())
