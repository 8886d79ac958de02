"""Bank statements: import (each transaction stored once), automatic matching to open invoices, and
the review queue's accept / split / reject / undo.

Matching rules, in order, each with its confidence (0-100):

- the invoice number in the remittance information: the open balance paid exactly (100), part of it
  (95), several numbers whose balances add up to the amount (95, split), more than the balance (70);
- the amount equal to an open balance of an account the payer's IBAN paid before (90; 70 when the
  account has several invoices of that amount);
- the amount with the payer's name equal to (or containing) the account's name (80; 60 among several);
- the amount alone (50 when one invoice has it, 30 each among several).

At or above the organization's threshold (default 90) the match is applied; below it the transaction
waits in the review queue with its suggestions. Applying a match logs each invoice's payment through
invoicing's payment service, the same one a manual payment goes through (``invoice_log_payments_nested``:
the order's status, the invoice's amount paid and status, the audit), and stores the match, in one
transaction. Undoing it voids the payments in one transaction too.

A statement is matched in batches (``BATCH_SIZE``): the batch's candidates are looked up in bulk
(``invoice_index``), its automatic matches applied in one transaction with one call of the payment
service for all of them, and the statement's progress (processed / total) stored after each batch.

Lock order: the bank transactions first (a batch's in id order), then what invoicing locks (the
orders and contracts, then the invoices, each in id order).
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.models import Account
from crm.audit import services as audit
from crm.audit.models import AuditEvent
from crm.billing.models import Payment
from crm.billing.services.payments import payment_change
from crm.core.errors import ApplicationError, InvalidStateTransition, VersionConflict
from crm.core.scoping import org_scope
from crm.invoicing.models import Invoice
from crm.invoicing.services.payments import InvoicePayment, invoice_log_payments_nested
from crm.jobs.services import enqueue_on_commit

from .. import locks, parsers
from ..models import BankMatch, BankStatement, BankTransaction
from .reminders import OPEN_STATUSES, collection_settings_get

if TYPE_CHECKING:
    from crm.identity.models import User

log = logging.getLogger("crm.collections.statements")

# Statements up to this many new transactions are matched in the request; larger ones in a job.
INLINE_MATCH_LIMIT = 300
PROGRESS_EVERY = 200
NUMBER = re.compile(r"([A-Z]{1,10})[-/ ]?(\d{4})[-/ ]?(\d{6})")
LEGAL_FORMS = {"ltd", "llc", "inc", "gmbh", "ag", "sa", "srl", "bv", "ood", "eood", "ead", "ad", "plc", "co", "the"}


def _invalid(fields: dict[str, Any]) -> ApplicationError:
    return ApplicationError("validation_error", _("Please correct the errors below."), fields)


# --- import -----------------------------------------------------------------------------------------
def statement_import(
    *, data: bytes, filename: str, fmt: str, mapping: dict[str, Any] | None, actor: User
) -> BankStatement:
    """Parse the file (a bad one answers 400 and stores nothing), store its new transactions once, then
    match them: at once for a small statement, in a job for a large one."""
    try:
        bookings = parsers.parse(data, fmt=fmt, mapping=mapping)
    except parsers.StatementError as exc:
        raise _invalid({"file": [str(exc)]}) from None
    detected = parsers.detect(data) if fmt == "auto" else fmt
    keys = parsers.dedupe_keys(bookings)
    with transaction.atomic(durable=True):
        statement = BankStatement.objects.create(
            filename=filename[:255],
            format=detected,
            sha256=hashlib.sha256(data).hexdigest(),
            account_iban=next((b.account for b in bookings if b.account), ""),
            created_by=actor,
        )
        known: set[str] = set()
        for start in range(0, len(keys), 500):
            known.update(
                BankTransaction.objects.filter(dedupe_key__in=keys[start : start + 500]).values_list(
                    "dedupe_key", flat=True
                )
            )
        rows = [
            BankTransaction(
                statement=statement,
                dedupe_key=key,
                booking_date=booking.booking_date,
                value_date=booking.value_date,
                amount=booking.amount,
                currency=booking.currency or "EUR",
                counterparty_name=booking.counterparty_name,
                counterparty_iban=booking.counterparty_iban,
                remittance=booking.remittance,
                bank_reference=booking.bank_reference,
            )
            for booking, key in zip(bookings, keys, strict=True)
            if key not in known
        ]
        # A concurrent import of the same file: the unique key keeps one row, the other is skipped.
        BankTransaction.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        stored = BankTransaction.objects.filter(statement=statement).count()
        statement.total = stored
        statement.duplicates = len(bookings) - stored
        if stored == 0:
            statement.status = BankStatement.Status.DONE
            statement.finished_at = timezone.now()
        statement.save()
        audit.write_event(
            record=statement,
            action=AuditEvent.Action.CREATE,
            actor=actor,
            changes={"transactions": (None, stored), "duplicates": (None, statement.duplicates)},
        )
        if stored > INLINE_MATCH_LIMIT:
            enqueue_on_commit(
                "collections.match_statement",
                key=f"match:{statement.pk}",
                organization_id=statement.organization_id,
                organization=statement.organization_id,
                statement=statement.pk,
                actor=actor.pk,
            )
    if 0 < stored <= INLINE_MATCH_LIMIT:
        statement_match(organization_id=statement.organization_id, statement_id=statement.pk, actor_id=actor.pk)
    statement.refresh_from_db()
    return statement


# --- the index of open invoices ---------------------------------------------------------------------
def _normal_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name or "").lower()
    words = re.findall(r"[^\W_]+", text)
    return " ".join(word for word in words if word not in LEGAL_FORMS)


def _normal_number(text: str) -> list[str]:
    return [f"{series}-{year}-{number}" for series, year, number in NUMBER.findall((text or "").upper())]


@dataclass(eq=False)
class OpenInvoice:
    pk: int
    number: str
    account_id: int
    balance: Decimal
    currency: str
    due_date: Any
    # A payment is logged on the invoice's order or contract: without either it is left for review.
    payable: bool = True


@dataclass
class Index:
    by_number: dict[str, OpenInvoice] = field(default_factory=dict)
    by_amount: dict[tuple[str, Decimal], list[OpenInvoice]] = field(default_factory=lambda: defaultdict(list))
    accounts_by_iban: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    accounts_by_name: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    account_names: dict[int, str] = field(default_factory=dict)
    normal_names: dict[int, str] = field(default_factory=dict)

    def add(self, invoice: OpenInvoice) -> None:
        self.by_number[invoice.number.upper()] = invoice
        self.by_amount[(invoice.currency, invoice.balance)].append(invoice)

    def paid(self, invoice: OpenInvoice, amount: Decimal) -> None:
        """Keep the index right after a match is decided within the batch."""
        same = self.by_amount.get((invoice.currency, invoice.balance), [])
        if invoice in same:
            same.remove(invoice)
        invoice.balance -= amount
        if invoice.balance > 0:
            self.by_amount[(invoice.currency, invoice.balance)].append(invoice)
        else:
            self.by_number.pop(invoice.number.upper(), None)


def invoice_index(transactions: list[BankTransaction]) -> Index:
    """The open invoices the transactions could pay, looked up in bulk: one query for the invoice
    numbers in their remittance information, one for their amounts, one for the accounts' names and
    one for the accounts their IBANs paid before (from matches applied and not undone)."""
    index = Index()
    numbers = sorted({number for tx in transactions for number in _normal_number(tx.remittance)})
    amounts = sorted({tx.amount for tx in transactions if tx.amount > 0})
    open_invoices = (
        Invoice.objects.filter(kind=Invoice.Kind.INVOICE, status__in=OPEN_STATUSES)
        .annotate(balance=F("gross_total") - F("amount_paid") - F("amount_credited"))
        .filter(balance__gt=0)
        .order_by("due_date", "pk")
    )
    columns = ("pk", "number", "account_id", "balance", "currency", "due_date", "order_id", "contract_id")
    seen: set[int] = set()
    for lookup, values in (("number__in", numbers), ("balance__in", amounts)):
        if not values:
            continue
        for pk, number, account_id, balance, currency, due_date, order_id, contract_id in open_invoices.filter(
            **{lookup: values}
        ).values_list(*columns):
            if pk in seen:
                continue
            seen.add(pk)
            index.add(
                OpenInvoice(
                    pk,
                    number,
                    account_id,
                    Decimal(balance).quantize(Decimal("0.01")),
                    currency,
                    due_date,
                    payable=order_id is not None or contract_id is not None,
                )
            )
    for same in index.by_amount.values():
        same.sort(key=lambda invoice: (invoice.due_date is None, invoice.due_date, invoice.pk))
    account_ids = {invoice.account_id for invoice in index.by_number.values()}
    account_ids.update(invoice.account_id for same in index.by_amount.values() for invoice in same)
    for pk, name in Account.objects.filter(pk__in=account_ids).values_list("pk", "name"):
        index.account_names[pk] = name
        normal = _normal_name(name)
        index.normal_names[pk] = normal
        if normal:
            index.accounts_by_name[normal].add(pk)
    ibans = sorted({tx.counterparty_iban for tx in transactions if tx.counterparty_iban})
    if ibans:
        for iban, account_id in (
            BankMatch.objects.filter(undone_at__isnull=True, transaction__counterparty_iban__in=ibans)
            .values_list("transaction__counterparty_iban", "invoice__account_id")
            .distinct()
        ):
            index.accounts_by_iban[iban].add(account_id)
    return index


# --- rules ------------------------------------------------------------------------------------------
@dataclass
class Candidate:
    allocations: list[tuple[OpenInvoice, Decimal]]
    confidence: int
    reason: str

    def as_suggestion(self, index: Index) -> dict[str, Any]:
        return {
            "confidence": self.confidence,
            "reason": self.reason,
            "allocations": [
                {
                    "invoice_id": invoice.pk,
                    "number": invoice.number,
                    "account_id": invoice.account_id,
                    "account_name": index.account_names.get(invoice.account_id, ""),
                    "balance": str(invoice.balance),
                    "amount": str(amount),
                }
                for invoice, amount in self.allocations
            ],
        }


def _accounts_named(index: Index, name: str, among: set[int]) -> set[int]:
    """Of the accounts ``among``, those whose name equals the payer's name or (from 5 letters) contains
    it or is contained in it."""
    normal = _normal_name(name)
    if not normal:
        return set()
    found = index.accounts_by_name.get(normal, set()) & among
    if not found and len(normal) >= 5:
        for account_id in among:
            known = index.normal_names.get(account_id, "")
            if len(known) >= 5 and (known in normal or normal in known):
                found.add(account_id)
    return found


def candidates(tx: BankTransaction, index: Index) -> list[Candidate]:
    """Every way the transaction could pay open invoices, best first."""
    amount, currency = tx.amount, tx.currency
    found: list[Candidate] = []
    numbers = []
    for number in _normal_number(tx.remittance):
        invoice = index.by_number.get(number)
        if invoice is not None and invoice.currency == currency and invoice not in numbers:
            numbers.append(invoice)
    if len(numbers) == 1:
        invoice = numbers[0]
        if amount == invoice.balance:
            found.append(Candidate([(invoice, amount)], 100, "number"))
        elif amount < invoice.balance:
            found.append(Candidate([(invoice, amount)], 95, "number_partial"))
        else:
            found.append(Candidate([(invoice, invoice.balance)], 70, "number_overpaid"))
    elif len(numbers) > 1:
        total = sum((invoice.balance for invoice in numbers), Decimal("0"))
        if total == amount:
            found.append(Candidate([(invoice, invoice.balance) for invoice in numbers], 95, "numbers_split"))
        else:
            left = amount
            parts = []
            for invoice in numbers:
                part = min(left, invoice.balance)
                if part > 0:
                    parts.append((invoice, part))
                    left -= part
            found.append(Candidate(parts, 70, "numbers_partial"))
    same_amount = [invoice for invoice in index.by_amount.get((currency, amount), []) if invoice not in numbers]
    if same_amount:
        by_iban = index.accounts_by_iban.get(tx.counterparty_iban, set()) if tx.counterparty_iban else set()
        with_iban = [invoice for invoice in same_amount if invoice.account_id in by_iban]
        named = _accounts_named(index, tx.counterparty_name, {invoice.account_id for invoice in same_amount})
        with_name = [invoice for invoice in same_amount if invoice.account_id in named and invoice not in with_iban]
        found.extend(
            Candidate([(invoice, amount)], 90 if len(with_iban) == 1 else 70, "amount_iban") for invoice in with_iban
        )
        found.extend(
            Candidate([(invoice, amount)], 80 if len(with_name) == 1 else 60, "amount_name") for invoice in with_name
        )
        if not with_iban and not with_name:
            score = 50 if len(same_amount) == 1 else 30
            found.extend(Candidate([(invoice, amount)], score, "amount") for invoice in same_amount[:5])
    found.sort(key=lambda candidate: -candidate.confidence)
    return found[:5]


# --- applying a match -------------------------------------------------------------------------------
def _apply_locked(
    *, matches: list[tuple[BankTransaction, list[tuple[int, Decimal]]]], actor: User, automatic: bool
) -> None:
    """Apply matches to transactions the caller has locked: every allocation becomes a payment through
    invoicing's payment service (one batch: the orders and invoices locked once, bulk inserts,
    set-based status updates), then the matches, the transactions' status and their audit events, in
    the caller's transaction. A manual match is a batch of one."""
    items: list[InvoicePayment] = []
    for tx, allocations in matches:
        if tx.status != BankTransaction.Status.UNMATCHED:
            raise InvalidStateTransition(
                "bank_transaction_not_open", _("Only an unmatched transaction can be matched: undo it first.")
            )
        if tx.amount <= 0:
            raise InvalidStateTransition("bank_transaction_debit", _("A debit pays no invoice."))
        total = sum((amount for _invoice, amount in allocations), Decimal("0"))
        if total > tx.amount:
            raise _invalid(
                {
                    "allocations": [
                        _("The allocations add up to more than the transaction (%(amount)s).") % {"amount": tx.amount}
                    ]
                }
            )
        data = {
            "payment_date": tx.booking_date,
            "payment_method": Payment.Method.BANK_TRANSFER,
            "transaction_id": (tx.bank_reference or f"bank-{tx.pk}")[:255],
            "notes": f"Bank transaction {tx.booking_date} {tx.counterparty_name}: {tx.remittance}"[:5000],
        }
        items.extend(InvoicePayment(invoice_id, {**data, "amount": amount}) for invoice_id, amount in allocations)
    payments = iter(invoice_log_payments_nested(items=items, actor=actor))
    now = timezone.now()
    rows, events = [], []
    for tx, allocations in matches:
        for invoice_id, amount in allocations:
            allocation = next(payments)
            rows.append(
                BankMatch(
                    transaction=tx,
                    invoice_id=invoice_id,
                    payment_id=allocation.payment_id,
                    amount=amount,
                    automatic=automatic,
                    created_by=actor,
                )
            )
        before = tx.status
        tx.status = BankTransaction.Status.MATCHED
        tx.matched_at = now
        tx.version += 1
        events.append(
            audit.build_event(
                record=tx,
                action=AuditEvent.Action.ACTION,
                actor=actor,
                name="bank_transaction.match",
                changes={"status": (before, tx.status), "invoices": (None, [pk for pk, _amount in allocations])},
            )
        )
    BankMatch.objects.bulk_create(rows, batch_size=1000)
    _store(
        [tx for tx, _allocations in matches],
        ["status", "matched_at", "version", "confidence", "suggestions", "evaluated"],
    )
    audit.write_events(events)


def _store(rows: list[BankTransaction], fields: list[str]) -> None:
    """Write ``fields`` of many loaded transactions with one statement: an insert of the rows that
    meets their own ids and updates those fields (much lighter than an update with a CASE per field)."""
    if rows:
        BankTransaction.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["id"], update_fields=fields, batch_size=500
        )


def _check_allocations(raw: list[dict[str, Any]]) -> list[tuple[int, Decimal]]:
    if not raw:
        raise _invalid({"allocations": [_("Allocate the transaction to at least one invoice.")]})
    seen: set[int] = set()
    result = []
    for row in raw:
        invoice_id, amount = int(row["invoice_id"]), Decimal(row["amount"])
        if invoice_id in seen:
            raise _invalid({"allocations": [_("Each invoice once, please.")]})
        seen.add(invoice_id)
        if not Invoice.objects.filter(pk=invoice_id).exists():
            raise _invalid({"allocations": [_("Invoice %(id)s was not found.") % {"id": invoice_id}]})
        result.append((invoice_id, amount))
    return result


@transaction.atomic(durable=True)
def bank_transaction_match(
    *, transaction_id: int, allocations: list[dict[str, Any]], expected_version: int, actor: User
) -> BankTransaction:
    """Accept a suggestion, or split the transaction over several invoices."""
    tx = locks.bank_transaction_for_update(transaction_id=transaction_id)
    if tx.version != expected_version:
        raise VersionConflict(current_version=tx.version)
    _apply_locked(matches=[(tx, _check_allocations(allocations))], actor=actor, automatic=False)
    return tx


@transaction.atomic(durable=True)
def bank_transaction_reject(*, transaction_id: int, expected_version: int, actor: User) -> BankTransaction:
    """Not a payment of an invoice: out of the review queue."""
    tx = locks.bank_transaction_for_update(transaction_id=transaction_id)
    if tx.version != expected_version:
        raise VersionConflict(current_version=tx.version)
    if tx.status != BankTransaction.Status.UNMATCHED:
        raise InvalidStateTransition("bank_transaction_not_open", _("Only an unmatched transaction can be rejected."))
    tx.status = BankTransaction.Status.REJECTED
    tx.version += 1
    tx.save(update_fields=["status", "version"])
    audit.write_event(
        record=tx,
        action=AuditEvent.Action.ACTION,
        actor=actor,
        name="bank_transaction.reject",
        changes={"status": (BankTransaction.Status.UNMATCHED, tx.status)},
    )
    return tx


@transaction.atomic(durable=True)
def bank_transaction_undo(*, transaction_id: int, expected_version: int, actor: User) -> BankTransaction:
    """Undo a match (its payments are voided, the invoices reopen) or a rejection: back to the queue."""
    tx = locks.bank_transaction_for_update(transaction_id=transaction_id)
    if tx.version != expected_version:
        raise VersionConflict(current_version=tx.version)
    if tx.status == BankTransaction.Status.UNMATCHED:
        raise InvalidStateTransition("bank_transaction_open", _("The transaction is not matched or rejected."))
    before = tx.status
    for match in BankMatch.objects.filter(transaction=tx, undone_at__isnull=True).select_related("payment"):
        if match.payment.status != Payment.Status.VOID:
            payment_change(
                payment_id=match.payment_id,
                data={"status": Payment.Status.VOID},
                expected_version=match.payment.version,
                actor=actor,
            )
        match.undone_at = timezone.now()
        match.save(update_fields=["undone_at"])
    tx.status = BankTransaction.Status.UNMATCHED
    tx.matched_at = None
    tx.version += 1
    tx.save(update_fields=["status", "matched_at", "version"])
    audit.write_event(
        record=tx,
        action=AuditEvent.Action.ACTION,
        actor=actor,
        name="bank_transaction.undo",
        changes={"status": (before, tx.status)},
    )
    return tx


# --- the matching run -------------------------------------------------------------------------------
BATCH_SIZE = 500


def statement_match(*, organization_id: int, statement_id: int, actor_id: int) -> BankStatement:
    """Match the statement's transactions not looked at yet (a retried job continues where it stopped),
    batch by batch: the candidates of a batch are looked up in bulk, the matches above the threshold
    applied in one transaction, and the statement's progress updated after each batch."""
    from crm.identity.models import User

    with org_scope(organization_id):
        actor = User.objects.get(pk=actor_id)
        statement = BankStatement.objects.get(pk=statement_id)
        threshold = collection_settings_get().match_threshold
        pending = list(
            BankTransaction.objects.filter(statement=statement, evaluated=False).order_by("booking_date", "id")
        )
        done = statement.total - len(pending)
        for start in range(0, len(pending), BATCH_SIZE):
            batch = pending[start : start + BATCH_SIZE]
            matched, queued = _match_batch(batch, threshold=threshold, actor=actor)
            BankStatement.objects.filter(pk=statement.pk).update(
                processed=done + start + len(batch), matched=F("matched") + matched, queued=F("queued") + queued
            )
        BankStatement.objects.filter(pk=statement.pk).update(
            processed=statement.total, status=BankStatement.Status.DONE, finished_at=timezone.now()
        )
        statement.refresh_from_db()
        return statement


@dataclass
class _Decision:
    tx: BankTransaction
    found: list[Candidate]
    suggestions: list[dict[str, Any]]
    apply: bool
    # Matched or rejected meanwhile (a user, an overlapping run): left as it is.
    skipped: bool = False


def _match_batch(batch: list[BankTransaction], *, threshold: int, actor: User) -> tuple[int, int]:
    """(matched, queued) of one batch; debits are ignored."""
    debits = [tx.pk for tx in batch if tx.amount <= 0]
    if debits:
        BankTransaction.objects.filter(pk__in=debits).update(status=BankTransaction.Status.IGNORED, evaluated=True)
    credits = [tx for tx in batch if tx.amount > 0]
    index = invoice_index(credits)
    decisions = []
    for tx in credits:
        found = candidates(tx, index)
        best = found[0] if found else None
        apply = (
            best is not None
            and best.confidence >= threshold
            and all(invoice.payable for invoice, _amount in best.allocations)
        )
        suggestions = [candidate.as_suggestion(index) for candidate in (found[:1] if apply else found)]
        decisions.append(_Decision(tx, found, suggestions, apply))
        if apply:
            assert best is not None
            for invoice, amount in best.allocations:  # later transactions of the batch see what is left
                index.paid(invoice, amount)
                if tx.counterparty_iban:  # and recognise this payer by the IBAN
                    index.accounts_by_iban[tx.counterparty_iban].add(invoice.account_id)
    automatic = [decision for decision in decisions if decision.apply]
    try:
        with transaction.atomic():
            _apply_automatic(automatic, actor=actor)
    except ApplicationError as exc:  # one of them cannot be applied (e.g. a closed order): one by one
        log.info("batch match not applied at once", extra={"code": exc.code, "size": len(automatic)})
        for decision in automatic:
            try:
                with transaction.atomic():
                    _apply_automatic([decision], actor=actor)
            except ApplicationError as single:
                log.info("automatic match not applied", extra={"transaction": decision.tx.pk, "code": single.code})
                decision.apply = False
                decision.suggestions = [candidate.as_suggestion(index) for candidate in decision.found]
    queued = [decision for decision in decisions if not decision.apply and not decision.skipped]
    for decision in queued:
        decision.tx.confidence = decision.found[0].confidence if decision.found else 0
        decision.tx.suggestions = decision.suggestions
        decision.tx.evaluated = True
    _store([decision.tx for decision in queued], ["confidence", "suggestions", "evaluated"])
    return sum(decision.apply and not decision.skipped for decision in decisions), len(queued)


def _apply_automatic(decisions: list[_Decision], *, actor: User) -> None:
    """Lock the batch's transactions in id order and apply the matches of those still open."""
    if not decisions:
        return
    locked = {tx.pk: tx for tx in locks.bank_transactions_for_update(transaction_ids=[d.tx.pk for d in decisions])}
    matches = []
    for decision in decisions:
        tx = locked[decision.tx.pk]
        decision.skipped = tx.status != BankTransaction.Status.UNMATCHED or tx.evaluated
        if decision.skipped:
            continue
        best = decision.found[0]
        tx.confidence = best.confidence
        tx.suggestions = decision.suggestions
        tx.evaluated = True
        matches.append((tx, [(invoice.pk, amount) for invoice, amount in best.allocations]))
    _apply_locked(matches=matches, actor=actor, automatic=True)
