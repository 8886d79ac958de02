"""Quotes: built from an opportunity's products, synced with it, sent, and accepted into an order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.audit import services as audit
from crm.audit.models import AuditEvent
from crm.billing.services.common import won_stage_names
from crm.billing.services.orders import order_create_from_opportunity
from crm.core.errors import ApplicationError, InvalidStateTransition, VersionConflict
from crm.records.sequences import Numbering, number_next
from crm.records.services import record_create, record_set_derived, record_update
from crm.sales.models import OpportunityLineItem, OpportunityStage
from crm.sales.services import opportunities as sales

from .. import locks
from ..models import Quote, QuoteLineItem
from ..taxes import money
from .common import LINE_FIELDS, check_line_values, check_version, line_defaults, quote_refresh_totals

if TYPE_CHECKING:
    from crm.billing.models import Order
    from crm.identity.models import User

QUOTE_NUMBERS = Numbering(key="quote", prefix="Q-", width=5)
CLOSED_STATUSES = frozenset({Quote.Status.ACCEPTED, Quote.Status.DENIED})
QUOTE_EDITABLE = (
    "name",
    "status",
    "expiration_date",
    "contact",
    "billing_address",
    "shipping_address",
    "terms",
    "language",
    "owner",
)


@transaction.atomic(durable=True)
def quote_create(*, opportunity_id: int, data: dict[str, Any], actor: User) -> Quote:
    """A quote with the opportunity's lines; the opportunity's first quote is its synced one."""
    return quote_create_nested(opportunity_id=opportunity_id, data=data, actor=actor)


@transaction.atomic
def quote_create_nested(*, opportunity_id: int, data: dict[str, Any], actor: User) -> Quote:
    """The building block behind ``quote_create``, for callers that already hold a transaction."""
    opportunity = locks.opportunity_for_update(opportunity_id=opportunity_id)
    if not opportunity.is_active:
        raise InvalidStateTransition("opportunity_inactive", _("A deactivated opportunity takes no new quotes."))
    if opportunity.billed_at is not None:
        raise InvalidStateTransition(
            "opportunity_billed",
            _("This opportunity is already billed by %(billed_by)s.") % {"billed_by": opportunity.billed_by},
        )
    contact = data.get("contact")
    if contact is not None and contact.account_id != opportunity.account_id:
        raise ApplicationError(
            "validation_error",
            _("Please correct the errors below."),
            {"contact_id": _("Choose a contact of the account.")},
        )
    synced = not Quote.objects.filter(opportunity=opportunity, is_synced=True).exists()
    account = opportunity.account
    quote = record_create(
        model=Quote,
        actor=actor,
        data={
            "billing_address": account.billing_address,
            "shipping_address": account.shipping_address,
            **data,
            "opportunity": opportunity,
        },
        quote_number=number_next(QUOTE_NUMBERS),
        account=account,
        is_synced=synced,
    )
    lines = OpportunityLineItem.objects.filter(opportunity=opportunity).select_related("product").order_by("id")
    QuoteLineItem.objects.bulk_create(
        [
            QuoteLineItem(
                quote=quote,
                product_id=line.product_id,
                description=line.description or line.product.name,
                quantity=line.quantity,
                unit_price=line.sale_price,
                opportunity_line=line if synced else None,
            )
            for line in lines
        ]
    )
    return quote_refresh_totals(quote=quote, actor=actor)


def _refuse_closed(quote: Quote) -> None:
    if quote.status in CLOSED_STATUSES:
        raise InvalidStateTransition(
            "quote_closed", _("A quote that is %(current)s can no longer change.") % {"current": quote.status.lower()}
        )


@transaction.atomic(durable=True)
def quote_update(*, quote_id: int, data: dict[str, Any], expected_version: int, actor: User) -> Quote:
    if "is_active" in data:
        raise ApplicationError(
            "not_deactivated",
            _("A quote is never deactivated."),
            {"is_active": _("Deny or reject the quote instead.")},
        )
    quote = locks.quote_for_update(quote_id=quote_id)
    check_version(record=quote, expected_version=expected_version)
    _refuse_closed(quote)
    if data.get("status") == Quote.Status.ACCEPTED:
        raise ApplicationError(
            "use_accept_action", _("Use the accept action to accept a quote."), {"status": _("Use Accept Quote.")}
        )
    contact = data.get("contact")
    if contact is not None and contact.account_id != quote.account_id:
        raise ApplicationError(
            "validation_error",
            _("Please correct the errors below."),
            {"contact_id": _("Choose a contact of the account.")},
        )
    return record_update(record=quote, data=data, expected_version=expected_version, actor=actor)


# --- lines ----------------------------------------------------------------------------------------
def _lock_for_lines(quote_id: int) -> Quote:
    opportunity_id = Quote.objects.values_list("opportunity_id", flat=True).get(pk=quote_id)
    locks.opportunity_for_update(opportunity_id=opportunity_id)
    quote = locks.quote_for_update(quote_id=quote_id)
    _refuse_closed(quote)
    return quote


def _quote_only(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in ("discount_percent", "vat_rate", "tax_category") if name in data}


@transaction.atomic(durable=True)
def quote_line_add(*, quote_id: int, data: dict[str, Any], actor: User) -> QuoteLineItem:
    """Add a line; on the synced quote the opportunity gets the same line (and mirrors it back)."""
    quote = _lock_for_lines(quote_id)
    data = line_defaults(data)
    if data.get("unit_price") is None:
        data["unit_price"] = data["product"].standard_list_price
    check_line_values(data)
    if quote.is_synced:
        change = sales.line_item_add_nested(
            opportunity_id=quote.opportunity_id,
            data={
                "product": data["product"],
                "quantity": data["quantity"],
                "sale_price": data["unit_price"],
                "description": data.get("description", ""),
            },
            actor=actor,
        )
        line = QuoteLineItem.objects.get(quote=quote, opportunity_line=change.line_item)
        for name, value in _quote_only(data).items():
            setattr(line, name, value)
        line.save()
    else:
        line = QuoteLineItem.objects.create(quote=quote, **{name: data[name] for name in LINE_FIELDS if name in data})
    quote_refresh_totals(quote=quote, actor=actor)
    audit.write_event(record=quote, action=AuditEvent.Action.ACTION, actor=actor, name="quote.line_item_add")
    return line


@transaction.atomic(durable=True)
def quote_line_update(
    *, quote_id: int, line_id: int, data: dict[str, Any], expected_version: int, actor: User
) -> QuoteLineItem:
    quote = _lock_for_lines(quote_id)
    line = locks.quote_line_for_update(quote=quote, line_id=line_id)
    if line.version != expected_version:
        raise VersionConflict(current_version=line.version)
    check_line_values(data, current=line)
    mirrored = {"product", "quantity", "unit_price", "description"}.intersection(data)
    if quote.is_synced and line.opportunity_line_id is not None and mirrored:
        opportunity_line = OpportunityLineItem.objects.get(pk=line.opportunity_line_id)
        sales.line_item_update_nested(
            opportunity_id=quote.opportunity_id,
            line_item_id=opportunity_line.pk,
            data={
                "product": data.get("product"),
                "quantity": data.get("quantity"),
                "sale_price": data.get("unit_price"),
                "description": data.get("description"),
            },
            expected_version=opportunity_line.version,
            actor=actor,
        )
        line.refresh_from_db()
    for name, value in data.items():
        if value is not None:
            setattr(line, name, value)
    line.version += 1
    line.save()
    quote_refresh_totals(quote=quote, actor=actor)
    audit.write_event(record=quote, action=AuditEvent.Action.ACTION, actor=actor, name="quote.line_item_update")
    return line


@transaction.atomic(durable=True)
def quote_line_delete(*, quote_id: int, line_id: int, expected_version: int, actor: User) -> None:
    quote = _lock_for_lines(quote_id)
    line = locks.quote_line_for_update(quote=quote, line_id=line_id)
    if line.version != expected_version:
        raise VersionConflict(current_version=line.version)
    if quote.is_synced and line.opportunity_line_id is not None:
        opportunity_line = OpportunityLineItem.objects.get(pk=line.opportunity_line_id)
        sales.line_item_delete_nested(
            opportunity_id=quote.opportunity_id,
            line_item_id=opportunity_line.pk,
            expected_version=opportunity_line.version,
            actor=actor,
        )
    QuoteLineItem.objects.filter(pk=line.pk).delete()
    quote_refresh_totals(quote=quote, actor=actor)
    audit.write_event(record=quote, action=AuditEvent.Action.ACTION, actor=actor, name="quote.line_item_delete")


# --- mirroring the opportunity's line changes (signals.py) ----------------------------------------
def _synced_quote(opportunity_id: int) -> Quote | None:
    return Quote.all_orgs.filter(opportunity_id=opportunity_id, is_synced=True).first()


def quote_mirror_line_changed(*, line: OpportunityLineItem) -> None:
    quote = _synced_quote(line.opportunity_id)
    if quote is None:
        return
    values = {
        "product_id": line.product_id,
        "quantity": line.quantity,
        "unit_price": line.sale_price,
        "description": line.description,
    }
    mirrored = QuoteLineItem.all_orgs.filter(quote=quote, opportunity_line_id=line.pk).first()
    if mirrored is None:
        if not values["description"]:
            values["description"] = line.product.name
        QuoteLineItem.all_orgs.create(
            organization_id=quote.organization_id, quote=quote, opportunity_line_id=line.pk, **values
        )
    else:
        if not values["description"]:
            values["description"] = mirrored.description
        for name, value in values.items():
            setattr(mirrored, name, value)
        mirrored.version += 1
        mirrored.save()
    _mirror_totals(quote)


def quote_mirror_line_deleted(*, line: OpportunityLineItem) -> None:
    quote = _synced_quote(line.opportunity_id)
    if quote is None:
        return
    QuoteLineItem.all_orgs.filter(quote=quote, opportunity_line_id=line.pk).delete()
    _mirror_totals(quote)


def _mirror_totals(quote: Quote) -> None:
    from ..taxes import document_totals

    totals = document_totals(QuoteLineItem.all_orgs.filter(quote_id=quote.pk))
    Quote.all_orgs.filter(pk=quote.pk).update(
        net_total=totals.net, tax_total=totals.tax, gross_total=totals.gross, updated_at=timezone.now()
    )


# --- moving the sync ------------------------------------------------------------------------------
def _refuse_unsyncable(quote: Quote) -> None:
    _refuse_closed(quote)
    if quote.opportunity.billed_at is not None:
        raise InvalidStateTransition(
            "opportunity_billed", _("The opportunity is billed: its quotes no longer sync with it.")
        )


@transaction.atomic(durable=True)
def quote_start_sync(*, quote_id: int, actor: User) -> Quote:
    """Make this quote the opportunity's synced one (Salesforce "Start Sync"), in one transaction: the
    quote synced before stops, the opportunity's lines are replaced by this quote's lines (at their
    unit prices, as a synced quote's lines mirror them), and each quote line mirrors its new line."""
    opportunity_id = Quote.objects.values_list("opportunity_id", flat=True).get(pk=quote_id)
    opportunity = locks.opportunity_for_update(opportunity_id=opportunity_id)
    quote = locks.quote_for_update(quote_id=quote_id)
    quote.opportunity = opportunity
    _refuse_unsyncable(quote)
    if quote.is_synced:
        return quote
    previous = Quote.objects.filter(opportunity=opportunity, is_synced=True).first()
    if previous is not None:
        Quote.objects.filter(pk=previous.pk).update(is_synced=False)
        QuoteLineItem.objects.filter(quote=previous).update(opportunity_line=None)
    lines = list(QuoteLineItem.objects.filter(quote=quote).select_related("product").order_by("id"))
    if any(line.product_id is None for line in lines):
        raise InvalidStateTransition(
            "quote_line_without_product",
            _("Every line of a synced quote needs a product: an opportunity line has one."),
        )
    OpportunityLineItem.objects.filter(opportunity=opportunity).delete()  # no synced quote mirrors it now
    created = OpportunityLineItem.objects.bulk_create(
        [
            OpportunityLineItem(
                opportunity=opportunity,
                product_id=line.product_id or 0,  # every line has a product: checked above
                quantity=line.quantity,
                sale_price=line.unit_price,
                description=line.description,
            )
            for line in lines
        ]
    )
    for line, opportunity_line in zip(lines, created, strict=True):
        QuoteLineItem.objects.filter(pk=line.pk).update(opportunity_line=opportunity_line)
    sales.opportunity_amount_refresh(opportunity_id=opportunity.pk)
    quote = record_set_derived(record=quote, derived={"is_synced": True}, actor=actor)
    audit.write_event(
        record=quote,
        action=AuditEvent.Action.ACTION,
        actor=actor,
        name="quote.start_sync",
        changes={"is_synced": (False, True), "stopped": (None, previous.quote_number if previous else None)},
    )
    audit.write_event(
        record=opportunity,
        action=AuditEvent.Action.ACTION,
        actor=actor,
        name="opportunity.sync_quote",
        changes={"quote": (previous.quote_number if previous else None, quote.quote_number)},
    )
    return quote


@transaction.atomic(durable=True)
def quote_stop_sync(*, quote_id: int, actor: User) -> Quote:
    """The quote stops mirroring its opportunity (Salesforce "Stop Sync"); both keep their lines."""
    opportunity_id = Quote.objects.values_list("opportunity_id", flat=True).get(pk=quote_id)
    locks.opportunity_for_update(opportunity_id=opportunity_id)
    quote = locks.quote_for_update(quote_id=quote_id)
    if not quote.is_synced:
        raise InvalidStateTransition("quote_not_synced", _("This quote is not synced with its opportunity."))
    QuoteLineItem.objects.filter(quote=quote).update(opportunity_line=None)
    quote = record_set_derived(record=quote, derived={"is_synced": False}, actor=actor)
    audit.write_event(
        record=quote,
        action=AuditEvent.Action.ACTION,
        actor=actor,
        name="quote.stop_sync",
        changes={"is_synced": (True, False)},
    )
    return quote


# --- accepting -------------------------------------------------------------------------------------
def _won_stage() -> OpportunityStage | None:
    names = won_stage_names()
    return OpportunityStage.objects.filter(name__in=names).order_by("position").first()


@transaction.atomic(durable=True)
def quote_accept(*, quote_id: int, actor: User) -> Order:
    """In one transaction: the quote Accepted, the opportunity Closed Won with the quote's lines,
    and the order generated from them. An expired, closed or already accepted quote answers 409."""
    opportunity_id = Quote.objects.values_list("opportunity_id", flat=True).get(pk=quote_id)
    opportunity = locks.opportunity_for_update(opportunity_id=opportunity_id)
    quote = locks.quote_for_update(quote_id=quote_id)
    if quote.status == Quote.Status.ACCEPTED:
        raise InvalidStateTransition("quote_already_accepted", _("This quote has already been accepted."))
    if quote.status in (Quote.Status.DENIED, Quote.Status.REJECTED):
        raise InvalidStateTransition(
            "quote_closed", _("A %(current)s quote cannot be accepted.") % {"current": quote.status.lower()}
        )
    today = timezone.localdate()
    if quote.expiration_date is not None and quote.expiration_date < today:
        raise InvalidStateTransition(
            "quote_expired",
            _("This quote expired on %(date)s; create a new one.") % {"date": quote.expiration_date.isoformat()},
        )
    lines = list(QuoteLineItem.objects.filter(quote=quote).order_by("id"))
    if not lines:
        raise InvalidStateTransition("quote_has_no_line_items", _("Add at least one product to the quote first."))
    if any(line.product_id is None for line in lines):
        raise InvalidStateTransition(
            "quote_line_without_product", _("Every line of an accepted quote needs a product.")
        )
    # The quote stops mirroring, then the opportunity takes the quote's lines at their net prices.
    Quote.objects.filter(opportunity=opportunity, is_synced=True).update(is_synced=False)
    OpportunityLineItem.objects.filter(opportunity=opportunity).delete()
    OpportunityLineItem.objects.bulk_create(
        [
            OpportunityLineItem(
                opportunity=opportunity,
                product_id=line.product_id or 0,  # every line has a product: checked above
                quantity=line.quantity,
                sale_price=money(line.unit_price * (100 - line.discount_percent) / 100),
                description=line.description,
            )
            for line in lines
        ]
    )
    sales.opportunity_amount_refresh(opportunity_id=opportunity.pk)
    stage = _won_stage()
    stage_name = stage.name if stage is not None else "Closed Won"
    if opportunity.stage != stage_name:
        opportunity.refresh_from_db()
        record_update(
            record=opportunity,
            data={"stage": stage_name, "probability": stage.probability if stage is not None else 100},
            expected_version=opportunity.version,
            actor=actor,
        )
    # The order remembers each line's VAT, so that its invoices bill what the customer accepted.
    order = order_create_from_opportunity(
        opportunity_id=opportunity.pk,
        actor=actor,
        line_taxes=[(line.vat_rate, line.tax_category) for line in lines],
    )
    record_update(record=quote, data={"status": Quote.Status.ACCEPTED}, expected_version=quote.version, actor=actor)
    record_set_derived(
        record=quote, derived={"accepted_at": timezone.now(), "order": order, "is_synced": False}, actor=actor
    )
    audit.write_event(
        record=quote,
        action=AuditEvent.Action.ACTION,
        actor=actor,
        name="quote.accept",
        changes={"order": (None, order.pk)},
    )
    return order
