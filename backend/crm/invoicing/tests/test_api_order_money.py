"""An order (net) and its invoices (gross, with VAT) agree on the money: paying an order's invoice
pays the order by the invoice's net amount, never leaving the VAT as an overpayment on the order."""

from __future__ import annotations

from decimal import Decimal

from crm.billing.models import OrderLineItem, Payment

from ..models import Invoice
from .factories import OrderFactory

PAY = {"payment_date": "2026-01-10", "payment_method": "Bank Transfer"}


def _issued_invoice(api, order, body=None) -> dict:
    draft = api.post(f"/api/v1/orders/{order.pk}/invoices", body or {}, format="json")
    assert draft.status_code == 201, draft.data
    issued = api.post(f"/api/v1/invoices/{draft.data['id']}/issue", {}, format="json")
    assert issued.status_code == 200, issued.data
    return issued.data


def _pay_invoice(api, invoice, amount=None):
    body = {**PAY} if amount is None else {**PAY, "amount": amount}
    return api.post(f"/api/v1/invoices/{invoice['id']}/payments", body, format="json")


def _order(api, order) -> dict:
    return api.get(f"/api/v1/orders/{order.pk}").data


def _money(row: dict) -> tuple[str, str, str, str]:
    return row["status"], row["total"], row["amount_paid"], row["balance_due"]


def test_a_fully_paid_vat_invoice_pays_its_order_in_full_without_overpayment(api, user, in_org):
    # given an order of 1,250.00 net, invoiced whole at 20 % VAT (1,500.00) and issued
    order = OrderFactory(owner=user, lines=[(Decimal("2"), Decimal("500.00")), (Decimal("1"), Decimal("250.00"))])
    invoice = _issued_invoice(api, order)
    assert (invoice["net_total"], invoice["tax_total"], invoice["gross_total"]) == ("1250.00", "250.00", "1500.00")

    # when the full amount is logged on the invoice
    paid = _pay_invoice(api, invoice)

    # then the invoice is Paid and the order Paid in Full, with nothing open and nothing over
    assert paid.status_code == 201, paid.data
    assert (paid.data["status"], paid.data["amount_paid"], paid.data["balance_due"]) == ("Paid", "1500.00", "0.00")
    row = _order(api, order)
    assert _money(row) == ("Paid in Full", "1250.00", "1250.00", "0.00")
    [payment] = row["payments"]
    assert (payment["amount"], payment["vat_amount"], payment["is_overpayment"]) == ("1500.00", "250.00", False)
    listed = next(r for r in api.get("/api/v1/orders").data["results"] if r["id"] == order.pk)
    assert (listed["status"], listed["balance_due"]) == ("Paid in Full", "0.00")
    assert api.get("/api/v1/orders?has_balance=true").data["results"] == []
    assert api.get(f"/api/v1/payments/{payment['id']}").data["vat_amount"] == "250.00"

    # and the paid order can be fulfilled (it is paid in full), after which it takes no more money
    fulfilled = api.patch(
        f"/api/v1/orders/{order.pk}", {"status": "Fulfilled", "version": row["version"]}, format="json"
    )
    assert fulfilled.status_code == 200, fulfilled.data
    more = api.post(f"/api/v1/orders/{order.pk}/payments", {**PAY, "amount": "0.01"}, format="json")
    assert (more.status_code, more.data["code"]) == (409, "order_fulfilled")


def test_installments_add_up_to_the_order_to_the_cent(api, user, in_org):
    # given 1,000.00 net at 20 % (1,200.00), paid in three installments of 400.00
    order = OrderFactory(owner=user, lines=[(Decimal("1"), Decimal("1000.00"))])
    invoice = _issued_invoice(api, order)

    first = _pay_invoice(api, invoice, "400.00")
    assert first.status_code == 201, first.data
    assert first.data["status"] == "Partially Paid"
    assert _money(_order(api, order)) == ("Partially Paid", "1000.00", "333.33", "666.67")

    assert _pay_invoice(api, invoice, "400.00").status_code == 201
    assert _money(_order(api, order)) == ("Partially Paid", "1000.00", "666.67", "333.33")

    last = _pay_invoice(api, invoice, "400.00")
    assert (last.data["status"], last.data["balance_due"]) == ("Paid", "0.00")
    # then each installment's VAT part is rounded on the running total: 66.67 + 66.66 + 66.67 = 200.00
    assert _money(_order(api, order)) == ("Paid in Full", "1000.00", "1000.00", "0.00")
    parts = sorted(Payment.objects.filter(order=order).values_list("vat_amount", flat=True))
    assert sum(parts) == Decimal("200.00") and not Payment.objects.filter(is_overpayment=True).exists()


def test_several_vat_rates(api, user, in_org):
    # given lines at 20 % and 9 %: 1,000.00 + 500.00 net, 200.00 + 45.00 VAT
    order = OrderFactory(owner=user, lines=[(Decimal("1"), Decimal("1000.00")), (Decimal("1"), Decimal("500.00"))])
    OrderLineItem.objects.filter(order=order, price_at_purchase=Decimal("500.00")).update(vat_rate=Decimal("9.00"))
    invoice = _issued_invoice(api, order)
    assert invoice["gross_total"] == "1745.00"
    assert _pay_invoice(api, invoice, "1000.00").status_code == 201
    assert _money(_order(api, order))[0] == "Partially Paid"
    assert _pay_invoice(api, invoice).status_code == 201
    assert _money(_order(api, order)) == ("Paid in Full", "1500.00", "1500.00", "0.00")


def test_an_invoice_without_vat_pays_the_order_as_it_is(api, user, in_org):
    # an intra-community invoice of the order (the order's lines say 20 %): what it bills is net
    order = OrderFactory(owner=user, lines=[(Decimal("1"), Decimal("1000.00"))])
    invoice = _issued_invoice(api, order, {"vat_rate": "0", "tax_category": "K"})
    assert invoice["gross_total"] == "1000.00"
    assert _pay_invoice(api, invoice).status_code == 201
    assert _money(_order(api, order)) == ("Paid in Full", "1000.00", "1000.00", "0.00")
    assert Payment.objects.get(order=order).vat_amount == Decimal("0.00")


def test_a_credit_note_gives_its_lines_back_to_the_order(api, user, in_org):
    # given 2 x 100.00 net invoiced at 20 % (240.00), one of them credited (120.00)
    order = OrderFactory(owner=user, lines=[(Decimal("2"), Decimal("100.00"))])
    invoice = _issued_invoice(api, order)
    line = invoice["line_items"][0]
    note = api.post(
        f"/api/v1/invoices/{invoice['id']}/credit-note",
        {"lines": [{"line_id": line["id"], "quantity": "1"}]},
        format="json",
    )
    assert note.status_code == 201, note.data

    # when what is left of the invoice (120.00) is paid
    paid = _pay_invoice(api, invoice)
    assert paid.status_code == 201, paid.data
    assert (paid.data["status"], paid.data["amount_paid"], paid.data["balance_due"]) == ("Paid", "120.00", "0.00")

    # then the order is paid for the one line still billed; the credited one is open, not overpaid
    assert _money(_order(api, order)) == ("Partially Paid", "200.00", "100.00", "100.00")
    # and once it is invoiced again and paid, the order is paid in full
    again = _issued_invoice(api, order)
    assert again["gross_total"] == "120.00"
    assert _pay_invoice(api, again).status_code == 201
    assert _money(_order(api, order)) == ("Paid in Full", "200.00", "200.00", "0.00")
    assert not Payment.objects.filter(order=order, is_overpayment=True).exists()


def test_a_payment_logged_on_the_order_counts_net_once_allocated(api, user, in_org):
    # given 1,200.00 received on the order itself before the invoice was matched: an overpayment
    order = OrderFactory(owner=user, lines=[(Decimal("1"), Decimal("1000.00"))])
    logged = api.post(
        f"/api/v1/orders/{order.pk}/payments", {**PAY, "amount": "1200.00", "is_overpayment": True}, format="json"
    )
    assert logged.status_code == 201, logged.data
    assert _money(_order(api, order)) == ("Paid in Full", "1000.00", "1200.00", "-200.00")
    invoice = _issued_invoice(api, order)

    # when the payment is allocated to the order's 20 % invoice
    allocated = api.post(
        f"/api/v1/invoices/{invoice['id']}/allocations", {"payment_id": logged.data["id"]}, format="json"
    )

    # then the invoice is paid, and the order counts the payment without its VAT
    assert allocated.status_code == 201, allocated.data
    assert allocated.data["status"] == "Paid"
    assert _money(_order(api, order)) == ("Paid in Full", "1000.00", "1000.00", "0.00")
    assert Payment.objects.get(pk=logged.data["id"]).vat_amount == Decimal("200.00")


def test_voiding_an_invoice_payment_reopens_order_and_invoice(api, user, in_org):
    order = OrderFactory(owner=user, lines=[(Decimal("1"), Decimal("1000.00"))])
    invoice = _issued_invoice(api, order)
    paid = _pay_invoice(api, invoice)
    payment = api.get(f"/api/v1/payments/{paid.data['allocations'][0]['payment_id']}").data
    changed = api.patch(
        f"/api/v1/payments/{payment['id']}", {"amount": "100.00", "version": payment["version"]}, format="json"
    )
    assert (changed.status_code, changed.data["code"]) == (409, "payment_paid_invoice_vat")
    voided = api.patch(
        f"/api/v1/payments/{payment['id']}", {"status": "Void", "version": payment["version"]}, format="json"
    )
    assert voided.status_code == 200, voided.data
    assert _money(_order(api, order)) == ("Awaiting Payment", "1000.00", "0.00", "1000.00")
    assert api.get(f"/api/v1/invoices/{invoice['id']}").data["status"] == "Issued"


def test_bad_input_and_other_organizations_change_nothing(api, other_api, user, in_org):
    order = OrderFactory(owner=user, lines=[(Decimal("1"), Decimal("1000.00"))])
    invoice = _issued_invoice(api, order)
    too_much = _pay_invoice(api, invoice, "1200.01")
    assert too_much.status_code == 400 and "amount" in too_much.data["errors"]
    bad_date = api.post(
        f"/api/v1/invoices/{invoice['id']}/payments", {"payment_method": "Cash", "payment_date": "x"}, format="json"
    )
    assert bad_date.status_code == 400 and "payment_date" in bad_date.data["errors"]
    assert other_api.post(f"/api/v1/invoices/{invoice['id']}/payments", PAY, format="json").status_code == 404
    assert not Payment.objects.filter(order=order).exists()
    assert _money(_order(api, order)) == ("Awaiting Payment", "1000.00", "0.00", "1000.00")
    assert Invoice.objects.get(pk=invoice["id"]).status == "Issued"
