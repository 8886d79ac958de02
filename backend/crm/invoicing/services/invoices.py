"""Invoices and credit notes: drafted from an order, a contract's billing cycle or by hand; numbered
when issued (gapless per series and year); never changed afterwards, only credited."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.audit import services as audit
from crm.audit.models import AuditEvent
from crm.billing.models import Contract, ContractLineItem, Order, OrderLineItem
from crm.core.errors import ApplicationError, InvalidStateTransition, VersionConflict
from crm.core.scoping import unrestricted
from crm.identity.models import Organization
from crm.records.services import record_create, record_set_derived, record_update

from .. import locks
from ..models import Invoice, InvoiceLineItem, TaxCategory
from ..taxes import ZERO, money
from .common import (
    LINE_FIELDS,
    check_line_values,
    check_version,
    invoice_refresh_totals,
    line_defaults,
    refuse_not_draft,
)

if TYPE_CHECKING:
    from crm.accounts.models import Account
    from crm.identity.models import User

CREDIT_NOTE_SERIES = "CN"
INVOICE_EDITABLE = (
    "contact",
    "series",
    "service_period_start",
    "service_period_end",
    "payment_terms_days",
    "currency",
    "language",
    "billing_address",
    "notes",
    "owner",
)
OPEN_STATUSES = frozenset({Invoice.Status.ISSUED, Invoice.Status.PARTIALLY_PAID, Invoice.Status.OVERDUE})
CREDITABLE_STATUSES = OPEN_STATUSES | {Invoice.Status.PAID}


def _organization(actor: User) -> Organization:
    return Organization.objects.only("currency").get(pk=actor.organization_id)


def _new_invoice(*, actor: User, account: Account, data: dict[str, Any], **extra: Any) -> Invoice:
    values = {"billing_address": account.billing_address, "currency": _organization(actor).currency, **data}
    return record_create(model=Invoice, actor=actor, data={**values, "account": account}, **extra)


def _add_lines(invoice: Invoice, lines: list[dict[str, Any]]) -> None:
    InvoiceLineItem.objects.bulk_create([InvoiceLineItem(invoice=invoice, **line) for line in lines])


# --- drafting ---------------------------------------------------------------------------------------
@transaction.atomic(durable=True)
def invoice_create(*, data: dict[str, Any], lines: list[dict[str, Any]], actor: User) -> Invoice:
    """A draft invoice entered by hand."""
    account = data.pop("account")
    prepared = []
    for index, line in enumerate(lines):
        line = line_defaults(line)
        try:
            check_line_values(line)
        except ApplicationError as exc:
            exc.fields = {f"line_items.{index}.{key}": value for key, value in exc.fields.items()}
            raise
        prepared.append({name: line[name] for name in LINE_FIELDS if name in line})
    invoice = _new_invoice(actor=actor, account=account, data=data)
    _add_lines(invoice, prepared)
    return invoice_refresh_totals(invoice=invoice, actor=actor)


@unrestricted()  # quantities over every invoice of the order, whoever can see them
def order_invoiced_quantities(*, order_id: int) -> dict[int, Decimal]:
    """Per order line, the quantity on the order's invoices that are not cancelled, less what credit notes took back."""
    billed = (
        InvoiceLineItem.objects.filter(invoice__order_id=order_id, invoice__kind=Invoice.Kind.INVOICE)
        .exclude(invoice__status=Invoice.Status.CANCELLED)
        .values("order_line_id")
        .annotate(quantity=Sum("quantity"))
    )
    out = {row["order_line_id"]: Decimal(row["quantity"]) for row in billed}
    credited = (
        InvoiceLineItem.objects.filter(
            credited_line__invoice__order_id=order_id, invoice__kind=Invoice.Kind.CREDIT_NOTE
        )
        .exclude(credited_line__invoice__status=Invoice.Status.CANCELLED)
        .values("credited_line__order_line_id")
        .annotate(quantity=Sum("quantity"))
    )
    for row in credited:
        key = row["credited_line__order_line_id"]
        out[key] = out.get(key, ZERO) - Decimal(row["quantity"])
    return out


@transaction.atomic(durable=True)
def invoice_create_from_order(
    *,
    order_id: int,
    actor: User,
    selection: list[dict[str, Any]] | None = None,
    vat_rate: Decimal | None = None,
    tax_category: str | None = None,
    data: dict[str, Any] | None = None,
) -> Invoice:
    """A draft invoice of the whole order (what is not invoiced yet), or of the selected lines and quantities."""
    return invoice_create_from_order_nested(
        order_id=order_id, actor=actor, selection=selection, vat_rate=vat_rate, tax_category=tax_category, data=data
    )


@transaction.atomic
def invoice_create_from_order_nested(
    *,
    order_id: int,
    actor: User,
    selection: list[dict[str, Any]] | None = None,
    vat_rate: Decimal | None = None,
    tax_category: str | None = None,
    data: dict[str, Any] | None = None,
) -> Invoice:
    """The building block behind ``invoice_create_from_order``, for callers that already hold a transaction."""
    order = locks.order_for_update(order_id=order_id)
    if order.status == Order.Status.CANCELLED:
        raise InvalidStateTransition("order_cancelled", _("A cancelled order is not invoiced."))
    order_lines = {line.pk: line for line in OrderLineItem.objects.filter(order=order).select_related("product")}
    invoiced = order_invoiced_quantities(order_id=order.pk)
    remaining = {pk: line.quantity - invoiced.get(pk, ZERO) for pk, line in order_lines.items()}
    # Each line's VAT is the one the order remembers (its accepted quote's), unless the caller
    # names a rate or a category for the whole invoice.
    override = vat_rate is not None or tax_category is not None
    tax = line_defaults({"vat_rate": vat_rate, "tax_category": tax_category})
    if override:
        check_line_values(tax)
    if selection is None:
        picked = [(order_lines[pk], quantity) for pk, quantity in remaining.items() if quantity > 0]
        if not picked:
            raise InvalidStateTransition(
                "order_fully_invoiced",
                _("Order %(order_number)s is already fully invoiced.") % {"order_number": order.order_number},
            )
    else:
        errors: dict[str, str] = {}
        picked = []
        for index, item in enumerate(selection):
            line = order_lines.get(item["order_line_id"])
            if line is None:
                errors[f"lines.{index}.order_line_id"] = _("Not a line of this order.")
                continue
            quantity = item.get("quantity") or remaining[line.pk]
            if quantity <= 0 or quantity > remaining[line.pk]:
                errors[f"lines.{index}.quantity"] = _("At most %(max)s of this line is not invoiced yet.") % {
                    "max": max(remaining[line.pk], ZERO)
                }
                continue
            picked.append((line, quantity))
        if errors:
            raise ApplicationError("validation_error", _("Please correct the errors below."), errors)
        if not picked:
            raise ApplicationError(
                "validation_error", _("Please correct the errors below."), {"lines": _("Pick at least one line.")}
            )
    account = order.account
    invoice = _new_invoice(actor=actor, account=account, data=data or {}, order=order)
    _add_lines(
        invoice,
        [
            {
                "product_id": line.product_id,
                "description": line.product.name,
                "quantity": quantity,
                "unit_price": line.price_at_purchase,
                "order_line": line,
                "vat_rate": tax["vat_rate"] if override else line.vat_rate,
                "tax_category": tax["tax_category"] if override else line.tax_category,
            }
            for line, quantity in picked
        ],
    )
    audit.write_event(
        record=order,
        action=AuditEvent.Action.ACTION,
        actor=actor,
        name="order.invoice",
        changes={"invoice": (None, invoice.pk)},
    )
    return invoice_refresh_totals(invoice=invoice, actor=actor)


def period_end(*, contract: Contract, start: datetime.date) -> datetime.date:
    months = 1 if contract.billing_cycle == Contract.BillingCycle.MONTHLY else 12
    year, month = divmod(start.month - 1 + months, 12)
    next_start = (
        start.replace(year=start.year + year, month=month + 1, day=1) if start.day == 1 else _add_months(start, months)
    )
    return min(next_start - datetime.timedelta(days=1), contract.end_date)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    import calendar

    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def contract_periods(contract: Contract, *, through: datetime.date) -> list[datetime.date]:
    """The start of every billing period of ``contract`` that has begun by ``through``."""
    months = 1 if contract.billing_cycle == Contract.BillingCycle.MONTHLY else 12
    starts: list[datetime.date] = []
    index = 0
    while True:
        start = _add_months(contract.start_date, months * index)
        if start > through or start > contract.end_date:
            return starts
        starts.append(start)
        index += 1


def invoice_for_contract_period(
    *, contract: Contract, period_start: datetime.date, actor: User, issue: bool
) -> tuple[Invoice, bool]:
    """The invoice of one billing period, created (and issued) unless it exists. (invoice, created).

    Race-safe: the unique (contract, service period) constraint makes a second writer's insert
    fail inside its savepoint, and that writer then reads the invoice the first one committed."""
    with unrestricted():  # a period is billed once, whoever can see its invoice
        existing = Invoice.objects.filter(
            contract=contract, service_period_start=period_start, kind=Invoice.Kind.INVOICE
        ).first()
    if existing is not None:
        return existing, False
    lines = list(ContractLineItem.objects.filter(contract=contract).select_related("product"))
    end = period_end(contract=contract, start=period_start)
    try:
        with transaction.atomic():
            invoice = _new_invoice(
                actor=actor,
                account=contract.account,
                data={"service_period_start": period_start, "service_period_end": end, "owner": contract.owner},
                contract=contract,
            )
    except IntegrityError:
        with unrestricted():
            return Invoice.objects.get(
                contract=contract, service_period_start=period_start, kind=Invoice.Kind.INVOICE
            ), False
    _add_lines(
        invoice,
        [
            {
                "product_id": line.product_id,
                "description": line.product.name,
                "quantity": line.quantity,
                "unit_price": line.price_per_cycle,
                "vat_rate": Decimal("20.00"),
                "tax_category": TaxCategory.STANDARD,
            }
            for line in lines
        ],
    )
    invoice = invoice_refresh_totals(invoice=invoice, actor=actor)
    if issue:
        invoice = issue_locked(invoice=invoice, actor=actor)
    return invoice, True


@transaction.atomic(durable=True)
def invoice_create_from_contract(*, contract_id: int, period_start: datetime.date | None, actor: User) -> Invoice:
    """A draft invoice of one billing cycle of the contract (the first one not invoiced yet by default)."""
    contract = locks.contract_for_update(contract_id=contract_id)
    if contract.status == Contract.Status.CANCELLED:
        raise InvalidStateTransition("contract_cancelled", _("A cancelled contract is not invoiced."))
    periods = contract_periods(contract, through=contract.end_date)
    if period_start is None:
        with unrestricted():
            billed = set(
                Invoice.objects.filter(contract=contract, kind=Invoice.Kind.INVOICE).values_list(
                    "service_period_start", flat=True
                )
            )
        period_start = next((start for start in periods if start not in billed), None)
        if period_start is None:
            raise InvalidStateTransition(
                "contract_fully_invoiced",
                _("Every billing cycle of %(contract_number)s is invoiced.")
                % {"contract_number": contract.contract_number},
            )
    elif period_start not in periods:
        raise ApplicationError(
            "validation_error",
            _("Please correct the errors below."),
            {"period_start": _("Not the start of one of the contract's billing cycles.")},
        )
    invoice, created = invoice_for_contract_period(
        contract=contract, period_start=period_start, actor=actor, issue=False
    )
    if not created:
        raise InvalidStateTransition(
            "period_already_invoiced",
            _("The cycle starting %(date)s is already invoiced (%(invoice)s).")
            % {"date": period_start.isoformat(), "invoice": invoice},
        )
    return invoice


@transaction.atomic(durable=True)
def invoice_update(*, invoice_id: int, data: dict[str, Any], expected_version: int, actor: User) -> Invoice:
    if "is_active" in data:
        raise ApplicationError(
            "not_deactivated",
            _("An invoice is never deactivated."),
            {"is_active": _("Issued invoices are credited, drafts stay as drafts.")},
        )
    invoice = locks.invoice_for_update(invoice_id=invoice_id)
    check_version(record=invoice, expected_version=expected_version)
    refuse_not_draft(invoice)
    start = data.get("service_period_start", invoice.service_period_start)
    end = data.get("service_period_end", invoice.service_period_end)
    if start is not None and end is not None and end < start:
        raise ApplicationError(
            "validation_error",
            _("Please correct the errors below."),
            {"service_period_end": _("Must be on or after the start.")},
        )
    contact = data.get("contact")
    if contact is not None and contact.account_id != invoice.account_id:
        raise ApplicationError(
            "validation_error",
            _("Please correct the errors below."),
            {"contact_id": _("Choose a contact of the account.")},
        )
    return record_update(record=invoice, data=data, expected_version=expected_version, actor=actor)


# --- lines of a draft ------------------------------------------------------------------------------
@transaction.atomic(durable=True)
def invoice_line_add(*, invoice_id: int, data: dict[str, Any], actor: User) -> InvoiceLineItem:
    invoice = locks.invoice_for_update(invoice_id=invoice_id)
    refuse_not_draft(invoice)
    data = line_defaults(data)
    if data.get("unit_price") is None:
        product = data.get("product")
        if product is None:
            raise ApplicationError(
                "validation_error", _("Please correct the errors below."), {"unit_price": _("This field is required.")}
            )
        data["unit_price"] = product.standard_list_price
    if not data.get("description") and data.get("product") is not None:
        data["description"] = data["product"].name
    check_line_values(data)
    line = InvoiceLineItem.objects.create(invoice=invoice, **{name: data[name] for name in LINE_FIELDS if name in data})
    invoice_refresh_totals(invoice=invoice, actor=actor)
    audit.write_event(record=invoice, action=AuditEvent.Action.ACTION, actor=actor, name="invoice.line_item_add")
    return line


def _lock_line(invoice: Invoice, line_id: int, expected_version: int) -> InvoiceLineItem:
    line = locks.invoice_line_for_update(invoice=invoice, line_id=line_id)
    if line.version != expected_version:
        raise VersionConflict(current_version=line.version)
    return line


@transaction.atomic(durable=True)
def invoice_line_update(
    *, invoice_id: int, line_id: int, data: dict[str, Any], expected_version: int, actor: User
) -> InvoiceLineItem:
    invoice = locks.invoice_for_update(invoice_id=invoice_id)
    refuse_not_draft(invoice)
    line = _lock_line(invoice, line_id, expected_version)
    check_line_values(data, current=line)
    if line.order_line_id is not None and "quantity" in data and data["quantity"] > line.quantity:
        invoiced = order_invoiced_quantities(order_id=invoice.order_id or 0).get(line.order_line_id, ZERO)
        ordered = OrderLineItem.objects.values_list("quantity", flat=True).get(pk=line.order_line_id)
        if invoiced - line.quantity + data["quantity"] > ordered:
            raise ApplicationError(
                "validation_error",
                _("Please correct the errors below."),
                {
                    "quantity": _("At most %(open)s of this order line is not invoiced yet.")
                    % {"open": ordered - invoiced + line.quantity}
                },
            )
    for name, value in data.items():
        if value is not None:
            setattr(line, name, value)
    line.version += 1
    line.save()
    invoice_refresh_totals(invoice=invoice, actor=actor)
    audit.write_event(record=invoice, action=AuditEvent.Action.ACTION, actor=actor, name="invoice.line_item_update")
    return line


@transaction.atomic(durable=True)
def invoice_line_delete(*, invoice_id: int, line_id: int, expected_version: int, actor: User) -> None:
    invoice = locks.invoice_for_update(invoice_id=invoice_id)
    refuse_not_draft(invoice)
    line = _lock_line(invoice, line_id, expected_version)
    InvoiceLineItem.objects.filter(pk=line.pk).delete()
    invoice_refresh_totals(invoice=invoice, actor=actor)
    audit.write_event(record=invoice, action=AuditEvent.Action.ACTION, actor=actor, name="invoice.line_item_delete")


# --- issuing ---------------------------------------------------------------------------------------
def number_take(*, series: str, year: int) -> str:
    """The next number of ``series`` in ``year``, in the caller's transaction (gapless: the counter
    row stays locked until it commits, and a rollback gives the number back)."""
    counter = locks.counter_for_update(series=series, year=year)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return f"{series}-{year}-{counter.last_value:06d}"


def issue_locked(*, invoice: Invoice, actor: User) -> Invoice:
    """Issue a locked draft: number, issue date and due date, in the caller's transaction."""
    refuse_not_draft_issue(invoice)
    if not InvoiceLineItem.objects.filter(invoice=invoice).exists():
        raise InvalidStateTransition(
            "invoice_has_no_line_items", _("Add at least one line before issuing the invoice.")
        )
    if invoice.kind == Invoice.Kind.INVOICE and invoice.gross_total <= 0:
        raise InvalidStateTransition("invoice_total_zero", _("An invoice with a total of zero is not issued."))
    today = timezone.localdate()
    number = number_take(series=invoice.series, year=today.year)
    stored = record_set_derived(
        record=invoice,
        actor=actor,
        derived={
            "number": number,
            "status": Invoice.Status.ISSUED,
            "issue_date": today,
            "due_date": today + datetime.timedelta(days=invoice.payment_terms_days),
        },
    )
    # Issuing changes what the invoice is: anyone holding the draft's version is now stale.
    Invoice.all_orgs.filter(pk=invoice.pk).update(version=F("version") + 1)
    audit.write_event(
        record=stored,
        action=AuditEvent.Action.ACTION,
        actor=actor,
        name="invoice.issue",
        changes={"number": ("", number)},
    )
    return Invoice.all_orgs.get(pk=invoice.pk)


def refuse_not_draft_issue(invoice: Invoice) -> None:
    if invoice.status != Invoice.Status.DRAFT:
        raise InvalidStateTransition(
            "invoice_already_issued", _("Invoice %(number)s is already issued.") % {"number": invoice.number}
        )


@transaction.atomic(durable=True)
def invoice_issue(*, invoice_id: int, actor: User, expected_version: int | None = None) -> Invoice:
    invoice = locks.invoice_for_update(invoice_id=invoice_id)
    if expected_version is not None:
        check_version(record=invoice, expected_version=expected_version)
    return issue_locked(invoice=invoice, actor=actor)


# --- status -----------------------------------------------------------------------------------------
def invoice_status_for(invoice: Invoice, *, today: datetime.date | None = None) -> str:
    """Paid, then Overdue (past due with a balance), then Partially Paid, else Issued."""
    if invoice.status in (Invoice.Status.DRAFT, Invoice.Status.CANCELLED) or invoice.kind == Invoice.Kind.CREDIT_NOTE:
        return invoice.status
    balance = invoice.gross_total - invoice.amount_paid - invoice.amount_credited
    if balance <= 0:
        return Invoice.Status.PAID if invoice.amount_paid > 0 else Invoice.Status.CANCELLED
    today = today or timezone.localdate()
    if invoice.due_date is not None and invoice.due_date < today:
        return Invoice.Status.OVERDUE
    if invoice.amount_paid > 0:
        return Invoice.Status.PARTIALLY_PAID
    return Invoice.Status.ISSUED


def invoice_sync_status(*, invoice: Invoice, actor: User, today: datetime.date | None = None) -> Invoice:
    """Store the status that follows from the amounts paid and credited and the due date (no version bump)."""
    status = invoice_status_for(invoice, today=today)
    if status == invoice.status:
        return invoice
    stored = record_set_derived(record=invoice, derived={"status": status}, actor=actor)
    audit.write_event(
        record=invoice, action=AuditEvent.Action.UPDATE, actor=actor, changes={"status": (invoice.status, status)}
    )
    return stored


def invoices_mark_overdue(*, actor: User, today: datetime.date | None = None) -> int:
    """Every open invoice of the current organization past its due date becomes Overdue. Returns how many."""
    today = today or timezone.localdate()
    count = 0
    for invoice_id in Invoice.objects.filter(
        status__in=[Invoice.Status.ISSUED, Invoice.Status.PARTIALLY_PAID], due_date__lt=today
    ).values_list("pk", flat=True):
        with transaction.atomic():
            invoice = locks.invoice_for_update(invoice_id=invoice_id)
            if invoice_sync_status(invoice=invoice, actor=actor, today=today).status == Invoice.Status.OVERDUE:
                count += 1
    return count


# --- credit notes ------------------------------------------------------------------------------------
@unrestricted()  # quantities over every invoice of the order, whoever can see them
def credited_quantities(*, invoice_id: int) -> dict[int, Decimal]:
    rows = (
        InvoiceLineItem.objects.filter(invoice__credited_invoice_id=invoice_id, invoice__kind=Invoice.Kind.CREDIT_NOTE)
        .values("credited_line_id")
        .annotate(quantity=Sum("quantity"))
    )
    return {row["credited_line_id"]: Decimal(row["quantity"]) for row in rows}


@transaction.atomic(durable=True)
def invoice_credit(
    *, invoice_id: int, actor: User, selection: list[dict[str, Any]] | None = None, reason: str = ""
) -> Invoice:
    """An issued credit note for the whole invoice (which cancels it) or for selected lines and quantities."""
    invoice = locks.invoice_for_update(invoice_id=invoice_id)
    if invoice.kind != Invoice.Kind.INVOICE:
        raise InvalidStateTransition("not_an_invoice", _("A credit note is not credited again."))
    if invoice.status not in CREDITABLE_STATUSES:
        raise InvalidStateTransition(
            "invoice_not_creditable",
            _("Only an issued invoice is credited; a draft is edited instead.")
            if invoice.status == Invoice.Status.DRAFT
            else _("A %(current)s invoice is not credited.") % {"current": invoice.status.lower()},
        )
    lines = {line.pk: line for line in InvoiceLineItem.objects.filter(invoice=invoice)}
    credited = credited_quantities(invoice_id=invoice.pk)
    remaining = {pk: line.quantity - credited.get(pk, ZERO) for pk, line in lines.items()}
    if selection is None:
        picked = [(lines[pk], quantity) for pk, quantity in remaining.items() if quantity > 0]
    else:
        errors: dict[str, str] = {}
        picked = []
        for index, item in enumerate(selection):
            line = lines.get(item["line_id"])
            if line is None:
                errors[f"lines.{index}.line_id"] = _("Not a line of this invoice.")
                continue
            quantity = item.get("quantity") or remaining[line.pk]
            if quantity <= 0 or quantity > remaining[line.pk]:
                errors[f"lines.{index}.quantity"] = _("At most %(max)s of this line is not credited yet.") % {
                    "max": max(remaining[line.pk], ZERO)
                }
                continue
            picked.append((line, quantity))
        if errors:
            raise ApplicationError("validation_error", _("Please correct the errors below."), errors)
    if not picked:
        raise InvalidStateTransition("invoice_fully_credited", _("This invoice is already fully credited."))
    note = record_create(
        model=Invoice,
        actor=actor,
        data={
            "account": invoice.account,
            "contact": invoice.contact,
            "currency": invoice.currency,
            "language": invoice.language,
            "billing_address": invoice.billing_address,
            "series": CREDIT_NOTE_SERIES,
            "payment_terms_days": 0,
            "service_period_start": invoice.service_period_start,
            "service_period_end": invoice.service_period_end,
            "notes": reason,
        },
        kind=Invoice.Kind.CREDIT_NOTE,
        credited_invoice=invoice,
        order=invoice.order,
        contract=invoice.contract,
    )
    _add_lines(
        note,
        [
            {
                "product_id": line.product_id,
                "description": line.description,
                "quantity": quantity,
                "unit_price": line.unit_price,
                "discount_percent": line.discount_percent,
                "vat_rate": line.vat_rate,
                "tax_category": line.tax_category,
                "credited_line": line,
            }
            for line, quantity in picked
        ],
    )
    note = invoice_refresh_totals(invoice=note, actor=actor)
    note = issue_locked(invoice=note, actor=actor)
    fully = all(remaining[line.pk] == quantity for line, quantity in picked) and len(picked) == sum(
        1 for quantity in remaining.values() if quantity > 0
    )
    with unrestricted():  # every credit note of the invoice counts, whoever can see it
        credit_notes = Invoice.objects.filter(credited_invoice=invoice, kind=Invoice.Kind.CREDIT_NOTE)
    amount_credited = money(credit_notes.aggregate(total=Sum("gross_total"))["total"] or 0)
    derived: dict[str, Any] = {"amount_credited": min(amount_credited, invoice.gross_total)}
    if fully:
        derived["status"] = Invoice.Status.CANCELLED
    invoice = record_set_derived(record=invoice, derived=derived, actor=actor)
    if not fully:
        invoice_sync_status(invoice=invoice, actor=actor)
    audit.write_event(
        record=invoice,
        action=AuditEvent.Action.ACTION,
        actor=actor,
        name="invoice.credit_note",
        changes={
            "credit_note": (None, note.number),
            "status": (Invoice.Status.ISSUED, derived.get("status", invoice.status)),
        },
    )
    return note
