from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from crm.billing.models import Order, Payment
from crm.core.scoping import org_scope
from crm.records.testing import count_queries

from ..models import Invoice, InvoiceCounter, PaymentAllocation
from .factories import ContactFactory, ContractFactory, OrderFactory, PaymentFactory, draft_invoice


def test_manual_draft_has_no_number_and_vat_per_category(api, user, in_org):
    order = OrderFactory(owner=user)
    invoice = draft_invoice(api, order.account)
    assert invoice["number"] == "" and invoice["status"] == "Draft"
    assert invoice["net_total"] == "250.00"
    assert invoice["tax_total"] == "40.00"
    assert invoice["gross_total"] == "290.00"
    assert invoice["vat_summary"] == [
        {"category": "S", "rate": "20.00", "base": "200.00", "tax": "40.00"},
        {"category": "AE", "rate": "0.00", "base": "50.00", "tax": "0.00"},
    ]
    assert any("reverse charge" in note.lower() for note in invoice["legal_notes"])


def test_manual_invoice_validation(api, user, in_org):
    order = OrderFactory(owner=user)
    bad = api.post(
        "/api/v1/invoices",
        {
            "account_id": order.account_id,
            "line_items": [
                {"description": "x", "quantity": "1", "unit_price": "1", "tax_category": "E", "vat_rate": "20"}
            ],
        },
        format="json",
    )
    assert bad.status_code == 400
    assert "line_items.0.vat_rate" in bad.data["errors"]
    assert api.post("/api/v1/invoices", {"line_items": []}, format="json").status_code == 400
    assert Invoice.objects.count() == 0


def test_order_invoice_issue_and_immutability(api, user, in_org):
    order = OrderFactory(owner=user, lines=[(Decimal("2"), Decimal("500.00")), (Decimal("1"), Decimal("250.00"))])
    response = api.post(f"/api/v1/orders/{order.pk}/invoices", {}, format="json")
    assert response.status_code == 201, response.data
    invoice = response.data
    assert invoice["order_id"] == order.pk
    assert invoice["net_total"] == "1250.00" and invoice["gross_total"] == "1500.00"
    again = api.post(f"/api/v1/orders/{order.pk}/invoices", {}, format="json")
    assert again.status_code == 409 and again.data["code"] == "order_fully_invoiced"
    issued = api.post(f"/api/v1/invoices/{invoice['id']}/issue", {}, format="json")
    assert issued.status_code == 200, issued.data
    year = timezone.localdate().year
    assert issued.data["number"] == f"INV-{year}-000001"
    assert issued.data["status"] == "Issued"
    assert issued.data["due_date"] == (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    edit = api.patch(
        f"/api/v1/invoices/{invoice['id']}", {"notes": "x", "version": issued.data["version"]}, format="json"
    )
    assert edit.status_code == 409
    line = issued.data["line_items"][0]
    assert (
        api.patch(
            f"/api/v1/invoices/{invoice['id']}/line_items/{line['id']}",
            {"quantity": "1", "version": line["version"]},
            format="json",
        ).status_code
        == 409
    )
    assert api.post(f"/api/v1/invoices/{invoice['id']}/issue", {}, format="json").status_code == 409
    assert api.delete(f"/api/v1/invoices/{invoice['id']}").status_code == 405


def test_partial_order_invoices(api, user, in_org):
    order = OrderFactory(owner=user, lines=[(Decimal("4"), Decimal("100.00"))])
    line_id = order.line_items.get().pk
    first = api.post(
        f"/api/v1/orders/{order.pk}/invoices", {"lines": [{"order_line_id": line_id, "quantity": "3"}]}, format="json"
    )
    assert first.status_code == 201 and first.data["net_total"] == "300.00"
    too_many = api.post(
        f"/api/v1/orders/{order.pk}/invoices", {"lines": [{"order_line_id": line_id, "quantity": "2"}]}, format="json"
    )
    assert too_many.status_code == 400 and "lines.0.quantity" in too_many.data["errors"]
    rest = api.post(f"/api/v1/orders/{order.pk}/invoices", {"vat_rate": "0", "tax_category": "K"}, format="json")
    assert rest.status_code == 201 and rest.data["gross_total"] == "100.00"


def test_drafts_are_edited_with_versions(api, user, in_org):
    order = OrderFactory(owner=user)
    invoice = draft_invoice(api, order.account)
    ok = api.patch(
        f"/api/v1/invoices/{invoice['id']}", {"payment_terms_days": 30, "version": invoice["version"]}, format="json"
    )
    assert ok.status_code == 200 and ok.data["payment_terms_days"] == 30
    stale = api.patch(f"/api/v1/invoices/{invoice['id']}", {"notes": "x", "version": invoice["version"]}, format="json")
    assert stale.status_code == 409
    added = api.post(
        f"/api/v1/invoices/{invoice['id']}/line_items",
        {"description": "Extra", "quantity": "1", "unit_price": "10"},
        format="json",
    )
    assert added.status_code == 201
    assert Invoice.objects.get(pk=invoice["id"]).gross_total == Decimal("302.00")
    removed = api.delete(f"/api/v1/invoices/{invoice['id']}/line_items/{added.data['id']}?version=1")
    assert removed.status_code == 204
    assert Invoice.objects.get(pk=invoice["id"]).gross_total == Decimal("290.00")


def test_credit_notes_partial_then_full(api, user, in_org):
    order = OrderFactory(owner=user, lines=[(Decimal("2"), Decimal("100.00"))])
    invoice = api.post(f"/api/v1/orders/{order.pk}/invoices", {}, format="json").data
    draft_credit = api.post(f"/api/v1/invoices/{invoice['id']}/credit-note", {}, format="json")
    assert draft_credit.status_code == 409
    issued = api.post(f"/api/v1/invoices/{invoice['id']}/issue", {}, format="json").data
    line = issued["line_items"][0]
    partial = api.post(
        f"/api/v1/invoices/{invoice['id']}/credit-note",
        {"lines": [{"line_id": line["id"], "quantity": "1"}]},
        format="json",
    )
    assert partial.status_code == 201, partial.data
    year = timezone.localdate().year
    assert partial.data["kind"] == "Credit Note" and partial.data["number"] == f"CN-{year}-000001"
    assert partial.data["gross_total"] == "120.00"
    after = api.get(f"/api/v1/invoices/{invoice['id']}").data
    assert after["status"] == "Issued" and after["balance_due"] == "120.00"
    # The credited quantity may be invoiced again from the order.
    assert api.post(f"/api/v1/orders/{order.pk}/invoices", {}, format="json").status_code == 201
    full = api.post(f"/api/v1/invoices/{invoice['id']}/credit-note", {}, format="json")
    assert full.status_code == 201
    assert Invoice.objects.get(pk=invoice["id"]).status == "Cancelled"
    assert api.post(f"/api/v1/invoices/{invoice['id']}/credit-note", {}, format="json").status_code == 409


def test_log_payment_allocates_and_pays(api, user, in_org):
    order = OrderFactory(owner=user, lines=[(Decimal("1"), Decimal("1000.00"))])
    invoice = api.post(f"/api/v1/orders/{order.pk}/invoices", {}, format="json").data
    api.post(f"/api/v1/invoices/{invoice['id']}/issue", {}, format="json")
    part = api.post(
        f"/api/v1/invoices/{invoice['id']}/payments",
        {"amount": "200.00", "payment_date": "2026-01-10", "payment_method": "Bank Transfer"},
        format="json",
    )
    assert part.status_code == 201, part.data
    assert part.data["status"] == "Partially Paid" and part.data["balance_due"] == "1000.00"
    assert Order.objects.get(pk=order.pk).status == "Partially Paid"
    too_much = api.post(
        f"/api/v1/invoices/{invoice['id']}/payments",
        {"amount": "5000.00", "payment_date": "2026-01-10", "payment_method": "Cash"},
        format="json",
    )
    assert too_much.status_code == 400
    rest = api.post(
        f"/api/v1/invoices/{invoice['id']}/payments",
        {"payment_date": "2026-01-11", "payment_method": "Cash"},
        format="json",
    )
    assert rest.status_code == 201
    assert rest.data["status"] == "Paid" and rest.data["balance_due"] == "0.00"
    assert len(rest.data["allocations"]) == 2
    # The order counts the payments net of the invoice's VAT: 1,000.00 of the 1,200.00, nothing over.
    assert Order.objects.get(pk=order.pk).status == "Paid in Full"
    assert not Payment.objects.filter(order=order, is_overpayment=True).exists()


def test_allocate_an_existing_payment(api, user, in_org):
    order = OrderFactory(owner=user, lines=[(Decimal("1"), Decimal("100.00"))])
    invoice = api.post(
        f"/api/v1/orders/{order.pk}/invoices", {"vat_rate": "0", "tax_category": "O"}, format="json"
    ).data
    api.post(f"/api/v1/invoices/{invoice['id']}/issue", {}, format="json")
    payment = PaymentFactory(owner=user, order=order, amount=Decimal("60.00"))
    other_order = OrderFactory(owner=user)
    stranger = PaymentFactory(owner=user, order=other_order, amount=Decimal("10.00"))
    wrong = api.post(f"/api/v1/invoices/{invoice['id']}/allocations", {"payment_id": stranger.pk}, format="json")
    assert wrong.status_code == 400 and "payment_id" in wrong.data["errors"]
    ok = api.post(f"/api/v1/invoices/{invoice['id']}/allocations", {"payment_id": payment.pk}, format="json")
    assert ok.status_code == 201 and ok.data["amount_paid"] == "60.00" and ok.data["status"] == "Partially Paid"
    empty = api.post(f"/api/v1/invoices/{invoice['id']}/allocations", {"payment_id": payment.pk}, format="json")
    assert empty.status_code == 400
    assert PaymentAllocation.objects.count() == 1


def test_contract_cycle_invoice(api, user, in_org):
    contract = ContractFactory(owner=user, start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 12, 31))
    first = api.post(f"/api/v1/contracts/{contract.pk}/invoices", {}, format="json")
    assert first.status_code == 201, first.data
    assert (first.data["service_period_start"], first.data["service_period_end"]) == ("2026-01-01", "2026-01-31")
    second = api.post(f"/api/v1/contracts/{contract.pk}/invoices", {}, format="json")
    assert second.data["service_period_start"] == "2026-02-01"
    dup = api.post(f"/api/v1/contracts/{contract.pk}/invoices", {"period_start": "2026-01-01"}, format="json")
    assert dup.status_code == 409
    bad = api.post(f"/api/v1/contracts/{contract.pk}/invoices", {"period_start": "2026-01-15"}, format="json")
    assert bad.status_code == 400 and "period_start" in bad.data["errors"]


def test_overdue_status(api, user, in_org):
    from crm.invoicing.services.invoices import invoices_mark_overdue

    order = OrderFactory(owner=user)
    invoice = api.post(f"/api/v1/orders/{order.pk}/invoices", {}, format="json").data
    api.post(f"/api/v1/invoices/{invoice['id']}/issue", {}, format="json")
    assert invoices_mark_overdue(actor=user, today=timezone.localdate() + datetime.timedelta(days=30)) == 1
    assert Invoice.objects.get(pk=invoice["id"]).status == "Overdue"


def test_tenancy_and_auth(api, user, in_org, other_api, anon):
    order = OrderFactory(owner=user)
    invoice = draft_invoice(api, order.account)
    assert other_api.get(f"/api/v1/invoices/{invoice['id']}").status_code == 404
    assert other_api.post(f"/api/v1/invoices/{invoice['id']}/issue", {}, format="json").status_code == 404
    assert other_api.post(f"/api/v1/orders/{order.pk}/invoices", {}, format="json").status_code == 404
    assert anon.get("/api/v1/invoices").status_code == 401
    assert Invoice.objects.get(pk=invoice["id"]).status == "Draft"


def test_issue_is_all_or_nothing(api, user, in_org, monkeypatch):
    from crm.invoicing.services import invoices

    order = OrderFactory(owner=user)
    invoice = api.post(f"/api/v1/orders/{order.pk}/invoices", {}, format="json").data
    real = invoices.record_set_derived

    def failing(**kwargs):
        raise RuntimeError("injected")

    monkeypatch.setattr(invoices, "record_set_derived", failing)
    with pytest.raises(RuntimeError):
        api.post(f"/api/v1/invoices/{invoice['id']}/issue", {}, format="json")
    monkeypatch.setattr(invoices, "record_set_derived", real)
    assert Invoice.objects.get(pk=invoice["id"]).number == ""
    assert InvoiceCounter.objects.filter(last_value__gt=0).count() == 0
    year = timezone.localdate().year
    assert api.post(f"/api/v1/invoices/{invoice['id']}/issue", {}, format="json").data["number"] == f"INV-{year}-000001"


def test_credit_note_is_all_or_nothing(api, user, in_org, monkeypatch):
    from crm.invoicing.services import invoices

    order = OrderFactory(owner=user, lines=[(Decimal("2"), Decimal("100.00"))])
    invoice = api.post(f"/api/v1/orders/{order.pk}/invoices", {}, format="json").data
    line = api.post(f"/api/v1/invoices/{invoice['id']}/issue", {}, format="json").data["line_items"][0]

    def failing(**kwargs):
        raise RuntimeError("injected")

    monkeypatch.setattr(invoices, "invoice_sync_status", failing)
    with pytest.raises(RuntimeError):
        api.post(
            f"/api/v1/invoices/{invoice['id']}/credit-note",
            {"lines": [{"line_id": line["id"], "quantity": "1"}]},
            format="json",
        )
    assert Invoice.objects.filter(kind="Credit Note").count() == 0
    stored = Invoice.objects.get(pk=invoice["id"])
    assert (stored.status, stored.amount_credited) == ("Issued", Decimal("0.00"))
    assert InvoiceCounter.objects.filter(series="CN").count() == 0


def test_list_query_count_is_flat(api, user, in_org):
    order = OrderFactory(owner=user)
    for _ in range(3):
        draft_invoice(api, order.account)
    with count_queries() as few:
        api.get("/api/v1/invoices")
    for _ in range(5):
        draft_invoice(api, order.account)
    with count_queries() as many:
        rows = api.get("/api/v1/invoices").data["results"]
    assert len(rows) == 8
    assert many.count <= max(few.count, 4)
    with org_scope(user.organization_id):
        first = Invoice.objects.order_by("id").first()
    with count_queries() as detail:
        assert api.get(f"/api/v1/invoices/{first.pk}").status_code == 200
    assert detail.count <= 8


def test_voiding_an_allocated_payment_reopens_the_invoice(api, user, in_org):
    order = OrderFactory(owner=user, lines=[(Decimal("1"), Decimal("100.00"))])
    invoice = api.post(
        f"/api/v1/orders/{order.pk}/invoices", {"vat_rate": "0", "tax_category": "O"}, format="json"
    ).data
    api.post(f"/api/v1/invoices/{invoice['id']}/issue", {}, format="json")
    paid = api.post(
        f"/api/v1/invoices/{invoice['id']}/payments",
        {"payment_date": "2026-01-11", "payment_method": "Cash"},
        format="json",
    )
    assert paid.status_code == 201, paid.data
    assert paid.data["status"] == "Paid" and paid.data["amount_paid"] == "100.00"
    payment = api.get(f"/api/v1/payments/{paid.data['allocations'][0]['payment_id']}").data

    voided = api.patch(
        f"/api/v1/payments/{payment['id']}", {"status": "Void", "version": payment["version"]}, format="json"
    )

    assert voided.status_code == 200, voided.data
    after = api.get(f"/api/v1/invoices/{invoice['id']}").data
    assert (after["status"], after["amount_paid"], after["balance_due"]) == ("Issued", "0.00", "100.00")
    assert Order.objects.get(pk=order.pk).status != "Paid in Full"


def test_list_rows_name_their_contact_order_and_credited_invoice(api, user, in_org):
    """The list reads these names from subqueries: each row shows the same as the record page."""
    order = OrderFactory(owner=user, lines=[(Decimal("2"), Decimal("100.00"))])
    contact = ContactFactory(owner=user, account=order.account, first_name="Ada", last_name="Lovelace")
    invoice = api.post(f"/api/v1/orders/{order.pk}/invoices", {}, format="json").data
    with_contact = api.patch(
        f"/api/v1/invoices/{invoice['id']}", {"contact_id": contact.pk, "version": invoice["version"]}, format="json"
    )
    assert with_contact.status_code == 200, with_contact.data
    assert api.post(f"/api/v1/invoices/{invoice['id']}/issue", {}, format="json").status_code == 200
    note = api.post(
        f"/api/v1/invoices/{invoice['id']}/credit-note",
        {"lines": [{"line_id": invoice["line_items"][0]["id"], "quantity": "1"}]},
        format="json",
    )
    assert note.status_code == 201, note.data
    by_hand = draft_invoice(api, order.account)
    rows = {row["id"]: row for row in api.get("/api/v1/invoices").data["results"]}
    for pk in (invoice["id"], note.data["id"], by_hand["id"]):
        detail = api.get(f"/api/v1/invoices/{pk}").data
        for name in ("contact_name", "order_number", "contract_number", "credited_invoice_number", "account_name"):
            assert rows[pk][name] == detail[name], (pk, name)
    assert rows[invoice["id"]]["contact_name"] == "Ada Lovelace"
    assert rows[invoice["id"]]["order_number"] == order.order_number
    assert (
        rows[note.data["id"]]["credited_invoice_number"] == api.get(f"/api/v1/invoices/{invoice['id']}").data["number"]
    )
    assert rows[by_hand["id"]]["order_number"] is None and rows[by_hand["id"]]["contact_name"] is None
    two_statuses = api.get("/api/v1/invoices?status=Issued&status=Draft").data["results"]
    assert {row["status"] for row in two_statuses} == {"Issued", "Draft"}
    assert len({row["id"] for row in two_statuses}) == len(two_statuses)
