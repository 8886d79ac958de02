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
invoicing's payment service (``invoice_log_payment_nested``: the order's status, the invoice's amount
paid and status, the audit), and stores the match, in one transaction. Undoing it voids the payments
in one transaction too.

Lock order: the bank transaction first, then what invoicing locks (the order or contract, the
payment, the invoice).
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
from crm.invoicing.services.payments import invoice_log_payment_nested
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


@dataclass
class OpenInvoice:
    pk: int
    number: str
    account_id: int
    balance: Decimal
    currency: str
    due_date: Any


@dataclass
class Index:
    by_number: dict[str, OpenInvoice] = field(default_factory=dict)
    by_amount: dict[tuple[str, Decimal], list[OpenInvoice]] = field(default_factory=lambda: defaultdict(list))
    accounts_by_iban: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    accounts_by_name: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    account_names: dict[int, str] = field(default_factory=dict)

    def add(self, invoice: OpenInvoice) -> None:
        self.by_number[invoice.number.upper()] = invoice
        self.by_amount[(invoice.currency, invoice.balance)].append(invoice)

    def paid(self, invoice: OpenInvoice, amount: Decimal) -> None:
        """Keep the index right after a match is applied within the run."""
        same = self.by_amount.get((invoice.currency, invoice.balance), [])
        if invoice in same:
            same.remove(invoice)
        invoice.balance -= amount
        if invoice.balance > 0:
            self.by_amount[(invoice.currency, invoice.balance)].append(invoice)
        else:
            self.by_number.pop(invoice.number.upper(), None)


def open_invoice_index() -> Index:
    index = Index()
    rows = (
        Invoice.objects.filter(kind=Invoice.Kind.INVOICE, status__in=OPEN_STATUSES)
        .annotate(balance=F("gross_total") - F("amount_paid") - F("amount_credited"))
        .filter(balance__gt=0)
        .values_list("pk", "number", "account_id", "balance", "currency", "due_date")
        .order_by("due_date", "pk")
    )
    account_ids = set()
    for pk, number, account_id, balance, currency, due_date in rows.iterator(chunk_size=5000):
        index.add(OpenInvoice(pk, number, account_id, Decimal(balance).quantize(Decimal("0.01")), currency, due_date))
        account_ids.add(account_id)
    for pk, name in (
        Account.objects.filter(
            pk__in=Invoice.objects.filter(kind=Invoice.Kind.INVOICE, status__in=OPEN_STATUSES).values("account_id")
        )
        .values_list("pk", "name")
        .iterator(chunk_size=5000)
    ):
        index.account_names[pk] = name
        normal = _normal_name(name)
        if normal:
            index.accounts_by_name[normal].add(pk)
    # The IBANs that paid an account before: learnt from matches applied (and not undone).
    for iban, account_id in (
        BankMatch.objects.filter(undone_at__isnull=True)
        .exclude(transaction__counterparty_iban="")
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


def _accounts_named(index: Index, name: str) -> set[int]:
    normal = _normal_name(name)
    if not normal:
        return set()
    found = set(index.accounts_by_name.get(normal, set()))
    if not found and len(normal) >= 5:
        for known, accounts in index.accounts_by_name.items():
            if len(known) >= 5 and (known in normal or normal in known):
                found |= accounts
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
        named = _accounts_named(index, tx.counterparty_name)
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
    *, tx: BankTransaction, allocations: list[tuple[int, Decimal]], actor: User, automatic: bool
) -> BankTransaction:
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
    for invoice_id, amount in allocations:
        allocation = invoice_log_payment_nested(
            invoice_id=invoice_id,
            data={
                "amount": amount,
                "payment_date": tx.booking_date,
                "payment_method": Payment.Method.BANK_TRANSFER,
                "transaction_id": (tx.bank_reference or f"bank-{tx.pk}")[:255],
                "notes": f"Bank transaction {tx.booking_date} {tx.counterparty_name}: {tx.remittance}"[:5000],
            },
            actor=actor,
        )
        BankMatch.objects.create(
            transaction=tx,
            invoice_id=invoice_id,
            payment_id=allocation.payment_id,
            amount=amount,
            automatic=automatic,
            created_by=actor,
        )
    before = tx.status
    tx.status = BankTransaction.Status.MATCHED
    tx.matched_at = timezone.now()
    tx.version += 1
    tx.save(update_fields=["status", "matched_at", "version"])
    audit.write_event(
        record=tx,
        action=AuditEvent.Action.ACTION,
        actor=actor,
        name="bank_transaction.match",
        changes={"status": (before, tx.status), "invoices": (None, [pk for pk, _amount in allocations])},
    )
    return tx


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
    _apply_locked(tx=tx, allocations=_check_allocations(allocations), actor=actor, automatic=False)
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
def statement_match(*, organization_id: int, statement_id: int, actor_id: int) -> BankStatement:
    """Match the statement's transactions not looked at yet (a retried job continues where it stopped)."""
    from crm.identity.models import User

    with org_scope(organization_id):
        actor = User.objects.get(pk=actor_id)
        statement = BankStatement.objects.get(pk=statement_id)
        threshold = collection_settings_get().match_threshold
        index = open_invoice_index()
        pending = list(
            BankTransaction.objects.filter(statement=statement, evaluated=False).order_by("booking_date", "id")
        )
        done = statement.total - len(pending)
        matched = queued = 0
        for count, tx in enumerate(pending, start=1):
            outcome = _match_one(tx, index, threshold=threshold, actor=actor)
            matched += outcome == "matched"
            queued += outcome == "queued"
            if count % PROGRESS_EVERY == 0:
                BankStatement.objects.filter(pk=statement.pk).update(
                    processed=done + count, matched=F("matched") + matched, queued=F("queued") + queued
                )
                matched = queued = 0
        BankStatement.objects.filter(pk=statement.pk).update(
            processed=statement.total,
            matched=F("matched") + matched,
            queued=F("queued") + queued,
            status=BankStatement.Status.DONE,
            finished_at=timezone.now(),
        )
        statement.refresh_from_db()
        return statement


def _match_one(tx: BankTransaction, index: Index, *, threshold: int, actor: User) -> str:
    if tx.amount <= 0:
        BankTransaction.objects.filter(pk=tx.pk).update(status=BankTransaction.Status.IGNORED, evaluated=True)
        return "ignored"
    found = candidates(tx, index)
    best = found[0] if found else None
    if best is not None and best.confidence >= threshold:
        try:
            with transaction.atomic():
                locked = locks.bank_transaction_for_update(transaction_id=tx.pk)
                locked.confidence = best.confidence
                locked.suggestions = [best.as_suggestion(index)]
                locked.evaluated = True
                locked.save(update_fields=["confidence", "suggestions", "evaluated"])
                _apply_locked(
                    tx=locked,
                    allocations=[(invoice.pk, amount) for invoice, amount in best.allocations],
                    actor=actor,
                    automatic=True,
                )
            for invoice, amount in best.allocations:
                index.paid(invoice, amount)
                if tx.counterparty_iban:  # later transactions of this payer are recognised by the IBAN
                    index.accounts_by_iban[tx.counterparty_iban].add(invoice.account_id)
            return "matched"
        except ApplicationError as exc:  # e.g. an invoice without an order or contract: left for review
            log.info("automatic match not applied", extra={"transaction": tx.pk, "code": exc.code})
    BankTransaction.objects.filter(pk=tx.pk).update(
        confidence=best.confidence if best else 0,
        suggestions=[candidate.as_suggestion(index) for candidate in found],
        evaluated=True,
    )
    return "queued"
