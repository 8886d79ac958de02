"""Opportunities: creation and stage changes (probability follows the stage), line items and
contact roles.

Conflict model: a line item has its own version, and editing or removing a line names the
version the client read (409 when stale). A line change locks the opportunity row and stores
its new amount (the sum of the lines), but never bumps the opportunity's version: the amount is
calculated, so it never makes an open opportunity stale.

Lock order: the opportunity row, then its lines."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.audit import services as audit
from crm.audit.models import AuditEvent
from crm.core.errors import ApplicationError, InvalidStateTransition, VersionConflict
from crm.records import money
from crm.records.services import diff_fields, record_create, record_set_derived, record_update

from .. import locks
from ..models import Opportunity, OpportunityContactRole, OpportunityLineItem, OpportunityStage, Product
from ..selectors import opportunity_line_total
from .stages import stage_get_active

if TYPE_CHECKING:
    from crm.identity.models import User

CENT = Decimal("0.01")


def _stage_or_error(*, name: str) -> OpportunityStage:
    stage = stage_get_active(name=name)
    if stage is None:
        raise ApplicationError(
            "invalid_stage",
            _("Choose one of the organization's active stages."),
            {"stage": [_("'%(name)s' is not an active stage.") % {"name": name}]},
        )
    return stage


@transaction.atomic(durable=True)
def opportunity_create(*, data: dict[str, Any], actor: User) -> Opportunity:
    """Create an opportunity; its probability comes from the stage."""
    return opportunity_create_nested(data=data, actor=actor)


@transaction.atomic
def opportunity_create_nested(*, data: dict[str, Any], actor: User) -> Opportunity:
    """The building block behind ``opportunity_create``, for callers that already hold a transaction."""
    stage = _stage_or_error(name=data.get("stage") or "")
    values = {**data, "probability": stage.probability}
    return record_create(model=Opportunity, data=values, actor=actor)


# What an order or a contract copied from the deal: frozen once the deal is billed.
BILLED_FIELDS = frozenset({"stage", "probability", "account", "is_active"})


def _refuse_if_billed(opportunity: Opportunity, what: str) -> None:
    if opportunity.billed_at is not None:
        raise InvalidStateTransition(
            "opportunity_billed",
            _("This opportunity is billed by %(billed_by)s: %(what)s can no longer change.")
            % {"billed_by": opportunity.billed_by, "what": what},
        )


def opportunity_mark_billed(*, opportunity: Opportunity, document_number: str) -> None:
    """Record that an order or contract bills this deal. The caller holds the opportunity's row lock."""
    if opportunity.billed_at is not None:
        raise InvalidStateTransition(
            "opportunity_already_billed",
            _("This opportunity is already billed by %(billed_by)s; a won deal is billed once.")
            % {"billed_by": opportunity.billed_by},
        )
    opportunity.billed_at = timezone.now()
    opportunity.billed_by = document_number
    Opportunity.all_orgs.filter(pk=opportunity.pk).update(
        billed_at=opportunity.billed_at, billed_by=opportunity.billed_by
    )


@transaction.atomic(durable=True)
def opportunity_update(
    *, opportunity: Opportunity, data: dict[str, Any], expected_version: int, actor: User
) -> Opportunity:
    """Update fields; a stage change also sets the stage's probability. A billed deal keeps its
    stage, account and active flag."""
    opportunity = locks.opportunity_for_update(opportunity_id=opportunity.pk)
    if opportunity.billed_at is not None and BILLED_FIELDS.intersection(diff_fields(opportunity, data).names):
        _refuse_if_billed(opportunity, _("its stage, account, products, prices and active flag"))
    values = dict(data)
    if "stage" in values and values["stage"] != opportunity.stage:
        stage = _stage_or_error(name=values["stage"])
        values["probability"] = stage.probability
    return record_update(record=opportunity, data=values, expected_version=expected_version, actor=actor)


# --- line items -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineItemChange:
    line_item: OpportunityLineItem | None
    opportunity: Opportunity
    amount: Decimal


def _lock_opportunity(*, opportunity_id: int) -> Opportunity:
    opportunity = locks.opportunity_for_update(opportunity_id=opportunity_id)
    _refuse_if_billed(opportunity, _("its products and prices"))
    return opportunity


def _lock_line(*, opportunity: Opportunity, line_item_id: int, expected_version: int) -> OpportunityLineItem:
    line = OpportunityLineItem.objects.select_related("product").get(pk=line_item_id, opportunity=opportunity)
    if line.version != expected_version:
        raise VersionConflict(current_version=line.version)
    return line


def _require_active_product(product: Product) -> None:
    if not product.is_active:
        raise ApplicationError(
            "inactive_product",
            _("This product is no longer sold."),
            {"product_id": [_("'%(name)s' is inactive and cannot be added to a deal.") % {"name": product.name}]},
        )


def _check_amounts(*, opportunity: Opportunity, quantity: Decimal, sale_price: Decimal, line_id: int | None) -> None:
    """The line's total and the opportunity's new amount (this line plus the others) must fit the
    amount column: a 400 naming quantity and sale_price otherwise, before anything is written."""
    amount_field = Opportunity._meta.get_field("amount")
    fields = ("quantity", "sale_price")
    total = Decimal(quantity) * Decimal(sale_price)
    money.require_fit(total, amount_field, fields=fields, what=_("The line total (quantity times sale price)"))
    others = OpportunityLineItem.objects.filter(opportunity=opportunity)
    if line_id is not None:
        others = others.exclude(pk=line_id)
    amount = sum((q * p for q, p in others.values_list("quantity", "sale_price")), total)
    money.require_fit(amount, amount_field, fields=fields, what=_("The opportunity amount"))


def _line_snapshot(line: OpportunityLineItem) -> dict[str, Any]:
    return {
        "id": line.pk,
        "product_id": line.product_id,
        "quantity": str(Decimal(line.quantity).quantize(CENT)),
        "sale_price": str(Decimal(line.sale_price).quantize(CENT)),
        "description": line.description,
    }


def _finish(
    *,
    opportunity: Opportunity,
    actor: User,
    name: str,
    changes: dict[str, tuple[Any, Any]],
    line: OpportunityLineItem | None = None,
) -> LineItemChange:
    """After a line changed: the new amount and one audit event, in the caller's transaction.
    ``opportunity`` is the row locked before the change."""
    amount = opportunity_line_total(opportunity_id=opportunity.pk)
    stored = record_set_derived(record=opportunity, actor=actor, derived={"amount": amount})
    if amount != opportunity.amount:
        changes = {**changes, "amount": (opportunity.amount, amount)}
    audit.write_event(record=opportunity, action=AuditEvent.Action.ACTION, actor=actor, changes=changes, name=name)
    return LineItemChange(line_item=line, opportunity=stored, amount=stored.amount)


def opportunity_amount_refresh(*, opportunity_id: int) -> Decimal:
    """Store the sum of the lines of an opportunity whose lines were written directly (demo data,
    test fixtures). The line item services below keep the amount themselves."""
    amount = opportunity_line_total(opportunity_id=opportunity_id)
    Opportunity.all_orgs.filter(pk=opportunity_id).update(amount=amount)
    return amount


@transaction.atomic(durable=True)
def line_item_add(*, opportunity_id: int, data: dict[str, Any], actor: User) -> LineItemChange:
    return line_item_add_nested(opportunity_id=opportunity_id, data=data, actor=actor)


@transaction.atomic
def line_item_add_nested(*, opportunity_id: int, data: dict[str, Any], actor: User) -> LineItemChange:
    """Add a product to a deal; the sale price defaults to the product's list price. A new line
    overwrites nobody's work, so it needs no version."""
    opportunity = _lock_opportunity(opportunity_id=opportunity_id)
    product: Product = data["product"]
    _require_active_product(product)
    sale_price = data.get("sale_price")
    sale_price = product.standard_list_price if sale_price is None else sale_price
    _check_amounts(opportunity=opportunity, quantity=data["quantity"], sale_price=sale_price, line_id=None)
    line = OpportunityLineItem.objects.create(
        opportunity=opportunity,
        product=product,
        quantity=data["quantity"],
        sale_price=sale_price,
        description=data.get("description", ""),
    )
    return _finish(
        opportunity=opportunity,
        actor=actor,
        name="opportunity.line_item_add",
        changes={"line_item": (None, _line_snapshot(line))},
        line=line,
    )


@transaction.atomic(durable=True)
def line_item_update(
    *, opportunity_id: int, line_item_id: int, data: dict[str, Any], expected_version: int, actor: User
) -> LineItemChange:
    return line_item_update_nested(
        opportunity_id=opportunity_id,
        line_item_id=line_item_id,
        data=data,
        expected_version=expected_version,
        actor=actor,
    )


@transaction.atomic
def line_item_update_nested(
    *, opportunity_id: int, line_item_id: int, data: dict[str, Any], expected_version: int, actor: User
) -> LineItemChange:
    """Change a line's product, quantity, price or description, if nobody changed the line since
    ``expected_version``. A changed product must be active."""
    opportunity = _lock_opportunity(opportunity_id=opportunity_id)
    line = _lock_line(opportunity=opportunity, line_item_id=line_item_id, expected_version=expected_version)
    before = _line_snapshot(line)
    product = data.get("product")
    if product is not None and product.pk != line.product_id:
        _require_active_product(product)
        line.product = product
    for name in ("quantity", "sale_price", "description"):
        if name in data and data[name] is not None:
            setattr(line, name, data[name])
    _check_amounts(opportunity=opportunity, quantity=line.quantity, sale_price=line.sale_price, line_id=line.pk)
    after = _line_snapshot(line)
    if before == after:
        return LineItemChange(line_item=line, opportunity=opportunity, amount=opportunity.amount)
    line.version += 1
    line.save()
    return _finish(
        opportunity=opportunity,
        actor=actor,
        name="opportunity.line_item_update",
        changes={"line_item": (before, after)},
        line=line,
    )


@transaction.atomic(durable=True)
def line_item_delete(*, opportunity_id: int, line_item_id: int, expected_version: int, actor: User) -> LineItemChange:
    return line_item_delete_nested(
        opportunity_id=opportunity_id, line_item_id=line_item_id, expected_version=expected_version, actor=actor
    )


@transaction.atomic
def line_item_delete_nested(
    *, opportunity_id: int, line_item_id: int, expected_version: int, actor: User
) -> LineItemChange:
    """Remove a line if nobody changed it since ``expected_version``."""
    opportunity = _lock_opportunity(opportunity_id=opportunity_id)
    line = _lock_line(opportunity=opportunity, line_item_id=line_item_id, expected_version=expected_version)
    before = _line_snapshot(line)
    line.delete()
    return _finish(
        opportunity=opportunity,
        actor=actor,
        name="opportunity.line_item_delete",
        changes={"line_item": (before, None)},
    )


# --- contact roles ----------------------------------------------------------------------------


@transaction.atomic(durable=True)
def contact_role_add(*, opportunity_id: int, data: dict[str, Any], actor: User) -> OpportunityContactRole:
    """Name a contact of the deal's account in a role; one primary contact per deal."""
    opportunity = locks.opportunity_for_update(opportunity_id=opportunity_id)
    contact = data["contact"]
    if contact.account_id != opportunity.account_id:
        raise ApplicationError(
            "contact_not_on_account",
            _("The contact must belong to the opportunity's account."),
            {"contact_id": [_("This contact does not belong to the opportunity's account.")]},
        )
    role = data["role"]
    if OpportunityContactRole.objects.filter(opportunity=opportunity, contact=contact, role=role).exists():
        raise ApplicationError(
            "duplicate_contact_role",
            _("This contact already has that role on the opportunity."),
            {"role": [_("The contact is already '%(role)s' on this opportunity.") % {"role": role}]},
        )
    is_primary = bool(data.get("is_primary"))
    if is_primary:
        OpportunityContactRole.objects.filter(opportunity=opportunity, is_primary=True).update(is_primary=False)
    contact_role = OpportunityContactRole.objects.create(
        opportunity=opportunity,
        contact=contact,
        role=role,
        is_primary=is_primary,
    )
    audit.write_event(
        record=opportunity,
        action=AuditEvent.Action.ACTION,
        actor=actor,
        name="opportunity.contact_role_add",
        changes={"contact_role": (None, {"id": contact_role.pk, "contact_id": contact.pk, "role": role})},
    )
    return contact_role


@transaction.atomic(durable=True)
def contact_role_delete(*, opportunity_id: int, contact_role_id: int, actor: User) -> None:
    opportunity = locks.opportunity_for_update(opportunity_id=opportunity_id)
    contact_role = OpportunityContactRole.objects.get(pk=contact_role_id, opportunity=opportunity)
    before = {"id": contact_role.pk, "contact_id": contact_role.contact_id, "role": contact_role.role}
    contact_role.delete()
    audit.write_event(
        record=opportunity,
        action=AuditEvent.Action.ACTION,
        actor=actor,
        name="opportunity.contact_role_delete",
        changes={"contact_role": (before, None)},
    )
