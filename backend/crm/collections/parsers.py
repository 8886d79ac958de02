"""Bank statement files to bookings: CAMT.053 (ISO 20022 XML), MT940 (SWIFT) and CSV with a mapping.

Every parser returns the same ``Booking`` rows or raises ``StatementError`` with a message for the
user; nothing is stored by this module. XML is parsed with defusedxml: a document type declaration
(and with it every entity, the "billion laughs" and external entities) is refused.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_BOOKINGS = 20_000
CSV_FIELDS = ("booking_date", "amount", "currency", "counterparty_name", "counterparty_iban", "remittance", "reference")


class StatementError(ValueError):
    pass


@dataclass
class Booking:
    booking_date: datetime.date
    amount: Decimal
    currency: str
    counterparty_name: str = ""
    counterparty_iban: str = ""
    remittance: str = ""
    bank_reference: str = ""
    value_date: datetime.date | None = None
    account: str = ""

    def identity(self) -> tuple[Any, ...]:
        return (
            self.account,
            self.booking_date.isoformat(),
            str(self.amount),
            self.currency,
            self.counterparty_iban,
            self.counterparty_name,
            self.remittance,
        )


def dedupe_keys(bookings: list[Booking]) -> list[str]:
    """One key per booking: the bank's reference where it has one, else a digest of the booking and its
    place among identical bookings of the file. The same file gives the same keys again; two identical
    bookings of a day get two keys."""
    seen: Counter[tuple[Any, ...]] = Counter()
    keys = []
    for booking in bookings:
        if booking.bank_reference:
            base: tuple[Any, ...] = ("ref", booking.account, booking.bank_reference)
        else:
            base = ("row", *booking.identity())
        seen[base] += 1
        digest = hashlib.sha256(repr((*base, seen[base])).encode()).hexdigest()
        keys.append(digest)
    return keys


def _iban(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()[:34]


def _amount(text: str, *, decimal_comma: bool = False) -> Decimal:
    value = (text or "").strip().replace("\u00a0", "").replace(" ", "")
    value = value.replace(".", "").replace(",", ".") if decimal_comma else value.replace(",", "")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise StatementError(_("%(value)s is not an amount.") % {"value": text[:40]}) from None
    if not amount.is_finite() or abs(amount) >= Decimal("1e12"):
        raise StatementError(_("%(value)s is not an amount.") % {"value": text[:40]})
    return amount.quantize(Decimal("0.01"))


def _date(text: str, fmt: str = "%Y-%m-%d") -> datetime.date:
    try:
        return datetime.datetime.strptime((text or "").strip()[:10], fmt).date()  # noqa: DTZ007 - a calendar date
    except ValueError:
        raise StatementError(_("%(value)s is not a date.") % {"value": (text or "")[:40]}) from None


def detect(data: bytes) -> str:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "camt053"
    if b":20:" in head and (b":60F:" in data or b":60M:" in data or b":61:" in data):
        return "mt940"
    return "csv"


# --- CAMT.053 ---------------------------------------------------------------------------------------
def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(node: Element | None, *path: str) -> Element | None:
    for name in path:
        if node is None:
            return None
        node = next((c for c in node if _local(c.tag) == name), None)
    return node


def _text(node: Element | None, *path: str) -> str:
    found = _child(node, *path)
    return (found.text or "").strip() if found is not None else ""


def _children(node: Element | None, name: str) -> list[Element]:
    return [c for c in node if _local(c.tag) == name] if node is not None else []


def parse_camt053(data: bytes) -> list[Booking]:
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise StatementError(_("The XML declares a document type or entities, which statements never need.")) from None
    except (ParseError, ValueError) as exc:
        raise StatementError(_("The file is not well-formed XML: %(error)s") % {"error": str(exc)[:200]}) from None
    if _local(root.tag) != "Document" or _child(root, "BkToCstmrStmt") is None:
        raise StatementError(_("The XML is not a CAMT.053 bank-to-customer statement."))
    bookings = []
    for statement in _children(_child(root, "BkToCstmrStmt"), "Stmt"):
        account = _iban(_text(statement, "Acct", "Id", "IBAN") or _text(statement, "Acct", "Id", "Othr", "Id"))
        for entry in _children(statement, "Ntry"):
            amount_node = _child(entry, "Amt")
            if amount_node is None:
                raise StatementError(_("A statement entry has no amount."))
            amount = _amount(amount_node.text or "")
            if _text(entry, "CdtDbtInd") == "DBIT":
                amount = -amount
            currency = (amount_node.get("Ccy") or "").upper()[:3]
            booked = _text(entry, "BookgDt", "Dt") or _text(entry, "BookgDt", "DtTm")
            value = _text(entry, "ValDt", "Dt") or _text(entry, "ValDt", "DtTm")
            entry_ref = _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef")
            details = _children(_child(entry, "NtryDtls"), "TxDtls") or [None]
            for index, detail in enumerate(details):
                parties = _child(detail, "RltdPties")
                debtor = amount >= 0
                party = _child(parties, "Dbtr" if debtor else "Cdtr")
                name = _text(party, "Nm") or _text(party, "Pty", "Nm")
                iban = _text(parties, "DbtrAcct" if debtor else "CdtrAcct", "Id", "IBAN")
                remittance = " ".join(
                    [node.text.strip() for node in _children(_child(detail, "RmtInf"), "Ustrd") if node.text]
                    + [
                        _text(strd, "CdtrRefInf", "Ref")
                        for strd in _children(_child(detail, "RmtInf"), "Strd")
                        if _text(strd, "CdtrRefInf", "Ref")
                    ]
                )
                detail_amount = amount
                if len(details) > 1:
                    own = _child(detail, "Amt") or _child(detail, "AmtDtls", "TxAmt", "Amt")
                    if own is not None:
                        detail_amount = _amount(own.text or "") * (1 if amount >= 0 else -1)
                reference = _text(detail, "Refs", "AcctSvcrRef") or (
                    f"{entry_ref}/{index + 1}" if entry_ref and len(details) > 1 else entry_ref
                )
                bookings.append(
                    Booking(
                        booking_date=_date(booked),
                        value_date=_date(value) if value else None,
                        amount=detail_amount,
                        currency=currency,
                        counterparty_name=name[:255],
                        counterparty_iban=_iban(iban),
                        remittance=remittance[:2000],
                        bank_reference=reference[:255],
                        account=account,
                    )
                )
    return bookings


# --- MT940 ------------------------------------------------------------------------------------------
_GVC = re.compile(r"\?(\d\d)")
_SLASH_FIELDS = re.compile(r"/(NAME|IBAN|REMI|EREF|BIC|ORDP|BENM)/")


def _details_86(text: str) -> tuple[str, str, str]:
    """(name, IBAN, remittance) of an MT940 :86: field: German ``?20..?33`` subfields, ``/NAME/`` style, or free text."""
    text = (text or "").replace("\r", "").replace("\n", "")
    if _GVC.search(text):
        parts: dict[str, str] = {}
        pieces = _GVC.split(text)
        for code, value in zip(pieces[1::2], pieces[2::2], strict=False):
            parts[code] = parts.get(code, "") + value
        remittance = "".join(parts.get(f"{n:02d}", "") for n in [*range(20, 30), *range(60, 64)])
        return (parts.get("32", "") + parts.get("33", "")).strip(), parts.get("38", ""), remittance.strip()
    if _SLASH_FIELDS.search(text):
        pieces = _SLASH_FIELDS.split(text)
        fields = {key: value.strip() for key, value in zip(pieces[1::2], pieces[2::2], strict=False)}
        name = fields.get("NAME", "") or fields.get("ORDP", "") or fields.get("BENM", "")
        return name, fields.get("IBAN", ""), " ".join(v for k, v in fields.items() if k in ("REMI", "EREF"))
    return "", "", text.strip()


def parse_mt940(data: bytes) -> list[Booking]:
    import mt940

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    try:
        statement = mt940.models.Transactions()
        statement.parse(text)
    except Exception as exc:
        raise StatementError(
            _("The file is not a readable MT940 statement: %(error)s") % {"error": str(exc)[:200]}
        ) from None
    account = _iban(str(statement.data.get("account_identification", "")))
    bookings = []
    for transaction in statement:
        values = transaction.data
        amount = values.get("amount")
        if amount is None or values.get("date") is None:
            raise StatementError(_("An MT940 booking (:61:) has no amount or date."))
        name, iban, remittance = _details_86(values.get("transaction_details", ""))
        reference = str(values.get("bank_reference") or "").strip()
        customer = str(values.get("customer_reference") or "").strip()
        if customer and customer.upper() != "NONREF":
            remittance = f"{remittance} {customer}".strip()
        booking_date = values.get("entry_date") or values["date"]
        bookings.append(
            Booking(
                booking_date=booking_date if isinstance(booking_date, datetime.date) else values["date"],
                value_date=values["date"],
                amount=Decimal(amount.amount).quantize(Decimal("0.01")),
                currency=str(amount.currency or "").upper()[:3],
                counterparty_name=name[:255],
                counterparty_iban=_iban(iban),
                remittance=remittance[:2000],
                bank_reference=reference[:255] if reference.upper() != "NONREF" else "",
                account=account,
            )
        )
    if not bookings and ":61:" not in text:
        raise StatementError(_("The file is not a readable MT940 statement: it has no bookings."))
    return bookings


# --- CSV --------------------------------------------------------------------------------------------
def parse_csv(data: bytes, mapping: dict[str, Any]) -> list[Booking]:
    """``mapping``: column names (or 0-based indexes) per field, plus ``date_format`` (e.g. ``%d.%m.%Y``),
    ``decimal_comma`` and ``currency`` (the default when there is no currency column)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StatementError(_("The CSV file is not UTF-8 text.")) from None
    if "\x00" in text:
        raise StatementError(_("The file is not a CSV text file."))
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    if len(rows) < 2:
        raise StatementError(_("The CSV file has no bookings under its header."))
    header = [cell.strip() for cell in rows[0]]
    columns: dict[str, int] = {}
    for field in CSV_FIELDS:
        wanted = mapping.get(field)
        if wanted in (None, ""):
            continue
        if isinstance(wanted, int) or str(wanted).isdigit():
            index = int(wanted)
        elif str(wanted) in header:
            index = header.index(str(wanted))
        else:
            raise StatementError(_("The CSV file has no column %(column)s.") % {"column": str(wanted)[:60]})
        if index >= len(header):
            raise StatementError(_("The CSV file has no column %(column)s.") % {"column": index})
        columns[field] = index
    if "booking_date" not in columns or "amount" not in columns:
        raise StatementError(_("Map the date and the amount columns."))
    fmt = str(mapping.get("date_format") or "%Y-%m-%d")
    decimal_comma = bool(mapping.get("decimal_comma"))
    default_currency = str(mapping.get("currency") or "EUR").upper()[:3]
    bookings = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(field: str, row: list[str] = row) -> str:
            index = columns.get(field)
            return row[index].strip() if index is not None and index < len(row) else ""

        try:
            bookings.append(
                Booking(
                    booking_date=_date(cell("booking_date"), fmt),
                    amount=_amount(cell("amount"), decimal_comma=decimal_comma),
                    currency=(cell("currency") or default_currency).upper()[:3],
                    counterparty_name=cell("counterparty_name")[:255],
                    counterparty_iban=_iban(cell("counterparty_iban")),
                    remittance=cell("remittance")[:2000],
                    bank_reference=cell("reference")[:255],
                )
            )
        except StatementError as exc:
            raise StatementError(_("Row %(row)s: %(error)s") % {"row": number, "error": exc}) from None
    return bookings


def parse(data: bytes, *, fmt: str, mapping: dict[str, Any] | None = None) -> list[Booking]:
    if not data:
        raise StatementError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise StatementError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    fmt = detect(data) if fmt == "auto" else fmt
    if fmt == "camt053":
        if detect(data) != "camt053":
            raise StatementError(_("The file is not XML, so it is not a CAMT.053 statement."))
        bookings = parse_camt053(data)
    elif fmt == "mt940":
        if detect(data) != "mt940":
            raise StatementError(_("The file is not an MT940 statement (no :20:, :60F: and :61: fields)."))
        bookings = parse_mt940(data)
    else:
        if detect(data) != "csv":
            raise StatementError(_("The file is not a CSV file."))
        bookings = parse_csv(data, mapping or {})
    if not bookings:
        raise StatementError(_("The statement has no bookings."))
    if len(bookings) > MAX_BOOKINGS:
        raise StatementError(_("The statement has more than %(count)s bookings.") % {"count": MAX_BOOKINGS})
    return bookings
