"""Bank statements: parsing per format, storing once, matching rules and confidence, the review queue."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from crm.accounts.tests.factories import AccountFactory
from crm.audit.models import AuditEvent
from crm.billing.models import Payment
from crm.invoicing.models import Invoice

from .. import parsers
from ..models import BankMatch, BankStatement, BankTransaction
from .factories import overdue_invoice

SAMPLES = Path(__file__).parent / "samples"
YEAR = timezone.localdate().year
CSV_MAPPING = {
    "booking_date": "Date",
    "amount": "Amount",
    "currency": "Currency",
    "counterparty_name": "Payer",
    "counterparty_iban": "Payer IBAN",
    "remittance": "Description",
    "date_format": "%d.%m.%Y",
    "decimal_comma": True,
}


def sample(name: str) -> bytes:
    """A sample file; its invoice numbers are of the current year (the samples say 2026)."""
    return (SAMPLES / name).read_bytes().replace(b"INV-2026-", f"INV-{YEAR}-".encode())


@pytest.fixture
def invoices(user, in_org):
    """The sample statements' invoices, numbered 1 to 6 in this order (gross = net + 20 % VAT)."""
    northwind = AccountFactory(owner=user, name="Northwind Traders")
    harbor = AccountFactory(owner=user, name="Blue Harbor Ltd")
    green = AccountFactory(owner=user, name="Green Field GmbH")
    made = {}
    for key, account, net in [
        ("number", northwind, "1000.00"),  # 1,200.00: paid by its number
        ("harbor_number", harbor, "500.00"),  # 600.00: by number, which teaches the payer's IBAN
        ("harbor_iban", harbor, "300.00"),  # 360.00: amount + the IBAN seen before
        ("name", green, "400.00"),  # 480.00: amount + name only (review queue)
        ("split_a", northwind, "1000.00"),  # 1,200.00 + 600.00 = one transfer of 1,800.00
        ("split_b", northwind, "500.00"),
    ]:
        made[key] = overdue_invoice(user, days=10, amount=Decimal(net), account=account, email="")
    assert made["split_b"].number == f"INV-{YEAR}-000006"
    return made


def upload(api, content: bytes, name: str = "statement.xml", **fields):
    return api.post(
        "/api/v1/bank-statements", {"file": SimpleUploadedFile(name, content), **fields}, format="multipart"
    )


def status_of(invoice: Invoice) -> str:
    return Invoice.objects.get(pk=invoice.pk).status


@pytest.mark.parametrize(
    ("filename", "fields"),
    [
        ("statement.camt053.xml", {}),
        ("statement.mt940.sta", {"format": "mt940"}),
        ("statement.csv", {"format": "csv"}),
    ],
)
def test_a_statement_is_matched_to_open_invoices(admin_api, invoices, filename, fields):
    if filename.endswith(".csv"):
        import json

        fields = {**fields, "mapping": json.dumps(CSV_MAPPING)}
    # when
    response = upload(admin_api, sample(filename), filename, **fields)
    # then
    assert response.status_code == 201, response.data
    statement = response.data
    assert (statement["total"], statement["processed"], statement["duplicates"]) == (9, 9, 0)
    assert statement["status"] == "Done" and statement["matched"] == 4 and statement["queued"] == 4
    for key in ("number", "harbor_number", "harbor_iban", "split_a", "split_b"):
        assert status_of(invoices[key]) == "Paid", key
    assert status_of(invoices["name"]) != "Paid"

    queue = admin_api.get("/api/v1/bank-transactions", {"status": "unmatched"}).data["results"]
    by_amount = {row["amount"]: row for row in queue}
    assert sorted(by_amount) == ["480.00", "50.00", "77.77"]
    assert len(queue) == 4  # the two identical Coffee Club bookings are both kept
    suggestion = by_amount["480.00"]["suggestions"][0]
    assert suggestion["reason"] == "amount_name" and suggestion["confidence"] == 80
    assert suggestion["allocations"][0]["invoice_id"] == invoices["name"].pk
    assert by_amount["77.77"]["suggestions"] == []
    fee = admin_api.get("/api/v1/bank-transactions", {"status": "ignored"}).data["results"]
    assert [row["amount"] for row in fee] == ["-25.00"]

    matched = admin_api.get("/api/v1/bank-transactions", {"status": "matched"}).data["results"]
    split = next(row for row in matched if row["amount"] == "1800.00")
    assert sorted(m["invoice_id"] for m in split["matches"]) == sorted([invoices["split_a"].pk, invoices["split_b"].pk])
    iban = next(row for row in matched if row["amount"] == "360.00")
    assert iban["confidence"] == 90 and iban["suggestions"][0]["reason"] == "amount_iban"

    # each match logged a completed bank transfer payment on the invoice's order
    payments = Payment.objects.filter(order_id=invoices["number"].order_id)
    assert [(p.amount, p.payment_method, p.status) for p in payments] == [
        (Decimal("1200.00"), "Bank Transfer", "Completed")
    ]

    # importing the same file again adds nothing
    again = upload(admin_api, sample(filename), filename, **fields)
    assert again.status_code == 201
    assert (again.data["total"], again.data["duplicates"]) == (0, 9)
    assert BankTransaction.objects.count() == 9
    assert Payment.objects.filter(payment_method="Bank Transfer").count() == 5


def test_the_review_queue_accept_split_reject_and_undo(admin_api, invoices):
    upload(admin_api, sample("statement.camt053.xml"))
    queue = {row["amount"]: row for row in admin_api.get("/api/v1/bank-transactions?status=unmatched").data["results"]}
    green = queue["480.00"]
    url = f"/api/v1/bank-transactions/{green['id']}"

    # accept the suggestion
    allocation = {"invoice_id": invoices["name"].pk, "amount": "480.00"}
    stale = admin_api.post(f"{url}/match", {"allocations": [allocation], "version": 9}, format="json")
    assert stale.status_code == 409
    accepted = admin_api.post(f"{url}/match", {"allocations": [allocation], "version": green["version"]}, format="json")
    assert accepted.status_code == 201, accepted.data
    assert accepted.data["status"] == "Matched" and status_of(invoices["name"]) == "Paid"
    again = admin_api.post(
        f"{url}/match", {"allocations": [allocation], "version": accepted.data["version"]}, format="json"
    )
    assert again.status_code == 409

    # undo: the payment is voided and the invoice is open again
    undone = admin_api.post(f"{url}/undo", {"version": accepted.data["version"]}, format="json")
    assert undone.status_code == 200 and undone.data["status"] == "Unmatched" and undone.data["matches"] == []
    assert status_of(invoices["name"]) != "Paid"
    assert BankMatch.objects.get(transaction_id=green["id"]).payment.status == Payment.Status.VOID
    assert AuditEvent.all_orgs.filter(name="bank_transaction.undo", object_id=green["id"]).count() == 1

    # split the same money over two invoices (one of them partly)
    split = admin_api.post(
        f"{url}/match",
        {
            "allocations": [
                {"invoice_id": invoices["name"].pk, "amount": "400.00"},
                {"invoice_id": invoices["name"].pk, "amount": "80.00"},
            ],
            "version": undone.data["version"],
        },
        format="json",
    )
    assert split.status_code == 400  # an invoice twice
    too_much = admin_api.post(
        f"{url}/match",
        {"allocations": [{"invoice_id": invoices["name"].pk, "amount": "500.00"}], "version": undone.data["version"]},
        format="json",
    )
    assert too_much.status_code == 400 and "allocations" in too_much.data["errors"]
    partial = admin_api.post(
        f"{url}/match",
        {"allocations": [{"invoice_id": invoices["name"].pk, "amount": "100.00"}], "version": undone.data["version"]},
        format="json",
    )
    assert partial.status_code == 201 and status_of(invoices["name"]) == "Overdue"  # still past due, partly paid
    assert Invoice.objects.get(pk=invoices["name"].pk).amount_paid == Decimal("100.00")

    # reject a transaction that pays nothing, and undo the rejection
    donation = queue["77.77"]
    rejected = admin_api.post(
        f"/api/v1/bank-transactions/{donation['id']}/reject", {"version": donation["version"]}, format="json"
    )
    assert rejected.status_code == 200 and rejected.data["status"] == "Rejected"
    assert (
        admin_api.post(
            f"/api/v1/bank-transactions/{donation['id']}/reject", {"version": rejected.data["version"]}, format="json"
        ).status_code
        == 409
    )
    reopened = admin_api.post(
        f"/api/v1/bank-transactions/{donation['id']}/undo", {"version": rejected.data["version"]}, format="json"
    )
    assert reopened.data["status"] == "Unmatched"


def test_match_validation(admin_api, invoices, other_api):
    upload(admin_api, sample("statement.camt053.xml"))
    row = admin_api.get("/api/v1/bank-transactions?status=unmatched").data["results"][0]
    url = f"/api/v1/bank-transactions/{row['id']}/match"
    assert admin_api.post(url, {"allocations": [], "version": 1}, format="json").status_code == 400
    assert (
        admin_api.post(
            url, {"allocations": [{"invoice_id": "x", "amount": "1"}], "version": 1}, format="json"
        ).status_code
        == 400
    )
    assert (
        admin_api.post(
            url, {"allocations": [{"invoice_id": 1, "amount": "-1"}], "version": 1}, format="json"
        ).status_code
        == 400
    )
    missing = admin_api.post(
        url, {"allocations": [{"invoice_id": 999999, "amount": "1.00"}], "version": 1}, format="json"
    )
    assert missing.status_code == 400
    assert (
        admin_api.post(
            url, {"allocations": [{"invoice_id": invoices["name"].pk, "amount": "1.00"}]}, format="json"
        ).status_code
        == 400
    )
    assert admin_api.get("/api/v1/bank-transactions", {"status": "bogus"}).status_code == 400
    # another organization sees none of it
    assert other_api.get(f"/api/v1/bank-transactions/{row['id']}").status_code == 404
    assert (
        other_api.post(
            url, {"allocations": [{"invoice_id": invoices["name"].pk, "amount": "1"}], "version": 1}, format="json"
        ).status_code
        == 404
    )
    assert other_api.get("/api/v1/bank-transactions").data["count"] == 0
    statement = BankStatement.objects.get()
    assert other_api.get(f"/api/v1/bank-statements/{statement.pk}").status_code == 404
    assert Payment.objects.filter(payment_method="Bank Transfer", status="Completed").count() == 5


def test_only_administrators_import_and_match(api, admin_api, invoices):
    assert upload(api, sample("statement.camt053.xml")).status_code == 403
    assert api.get("/api/v1/bank-transactions").status_code == 403
    assert api.get("/api/v1/bank-statements").status_code == 403
    assert BankStatement.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "fields", "message"),
    [
        (sample("bomb.xml"), {}, "document type"),
        (sample("external-entity.xml"), {}, "document type"),
        (sample("malformed.xml"), {}, "not well-formed"),
        (b"", {}, "empty"),
        (b"<Document><Other/></Document>", {}, "not a CAMT.053"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", {"format": "csv"}, "not"),
        (sample("statement.csv"), {"format": "camt053"}, "not XML"),
        (sample("statement.camt053.xml"), {"format": "mt940"}, "not an MT940"),
        (sample("statement.csv"), {"format": "csv"}, "date and the amount"),
        (
            sample("statement.csv"),
            {"format": "csv", "mapping": '{"booking_date": "Nope", "amount": "Amount"}'},
            "no column",
        ),
        (sample("statement.csv"), {"format": "csv", "mapping": '{"booking_date": "Date", "amount": "Payer"}'}, "Row 2"),
        (sample("statement.csv"), {"format": "csv", "mapping": '{"bogus": 1}'}, "Unknown mapping"),
        (sample("statement.csv"), {"format": "csv", "mapping": "not json"}, ""),
        (b"x" * (parsers.MAX_BYTES + 1), {}, "larger than"),
        (sample("statement.camt053.xml"), {"format": "pdf"}, ""),
    ],
)
def test_bad_files_answer_400_and_store_nothing(admin_api, in_org, content, fields, message):
    response = upload(admin_api, content, **fields)
    assert response.status_code == 400, response.data
    errors = response.data["errors"]
    assert set(errors) <= {"file", "mapping", "format"}
    assert message in " ".join(str(value) for value in errors.values())
    assert BankStatement.objects.count() == 0 and BankTransaction.objects.count() == 0


def test_no_file_and_a_json_body_are_refused(admin_api, in_org):
    assert admin_api.post("/api/v1/bank-statements", {}, format="multipart").status_code == 400
    assert admin_api.post("/api/v1/bank-statements", {"file": "x"}, format="json").status_code == 415


# --- parsers and rules ------------------------------------------------------------------------------
def test_camt_and_mt940_read_the_same_bookings():
    camt = parsers.parse(sample("statement.camt053.xml"), fmt="auto")
    mt940 = parsers.parse(sample("statement.mt940.sta"), fmt="auto")
    csv = parsers.parse(sample("statement.csv"), fmt="csv", mapping=CSV_MAPPING)
    for bookings in (camt, mt940, csv):
        assert [(b.booking_date, b.amount, b.counterparty_name) for b in bookings] == [
            (b.booking_date, b.amount, b.counterparty_name) for b in camt
        ]
    assert camt[0].account == "BG80BNBG96611020345678" and camt[0].bank_reference == "20261102-0001"
    assert camt[-1].amount == Decimal("-25.00")
    assert camt[0].booking_date == datetime.date(2026, 11, 2)
    assert mt940[2].counterparty_iban == "GB29NWBK60161331926819"
    # identical bookings (no reference in MT940 and CSV) get two keys, a second read the same two
    for bookings in (mt940, csv):
        keys = parsers.dedupe_keys(bookings)
        assert len(set(keys)) == len(keys) and keys == parsers.dedupe_keys(bookings)


def test_mt940_german_subfields():
    name, iban, remittance = parsers._details_86(
        "166?00SEPA-GUTSCHRIFT?20INV-2026-000123?21 Danke?32MUSTER GMBH?38DE02120300000000202051"
    )
    assert (name, iban, remittance) == ("MUSTER GMBH", "DE02120300000000202051", "INV-2026-000123 Danke")


def test_confidence_of_each_rule(admin_api, invoices):
    from ..services.statements import candidates, invoice_index

    def best(**values):
        defaults = {
            "amount": Decimal("0"),
            "currency": "EUR",
            "remittance": "",
            "counterparty_name": "",
            "counterparty_iban": "",
        }
        tx = BankTransaction(**{**defaults, **values})
        found = candidates(tx, invoice_index([tx]))
        return (found[0].reason, found[0].confidence) if found else None

    number = invoices["number"].number
    assert best(amount=Decimal("1200.00"), remittance=f"Payment {number}") == ("number", 100)
    assert best(amount=Decimal("1200.00"), remittance=f"payment {number.replace('-', '').lower()}") == ("number", 100)
    assert best(amount=Decimal("200.00"), remittance=number) == ("number_partial", 95)
    assert best(amount=Decimal("1300.00"), remittance=number) == ("number_overpaid", 70)
    assert best(amount=Decimal("480.00"), counterparty_name="Green Field") == ("amount_name", 80)
    assert best(amount=Decimal("480.00"), counterparty_name="Somebody") == ("amount", 50)
    assert best(amount=Decimal("1200.00")) == ("amount", 30)  # two invoices of 1,200.00
    assert best(amount=Decimal("480.00"), currency="USD") is None
    assert best(amount=Decimal("12.34")) is None
