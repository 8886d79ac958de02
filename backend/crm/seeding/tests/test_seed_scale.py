"""``manage.py seed_scale`` at a tiny scale: the generators of every app fit together."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import F, Sum
from django.utils import timezone

from crm.accounts.models import Account, Contact
from crm.activities.models import Activity
from crm.billing.models import Contract, ContractLineItem, Order, OrderLineItem, Payment
from crm.billing.selectors import order_with_totals
from crm.billing.services.common import CONTRACT_NUMBERS, ORDER_NUMBERS
from crm.core.scoping import org_scope
from crm.identity.models import Organization, User
from crm.invoicing.models import Invoice, InvoiceCounter, Quote, QuoteLineItem
from crm.invoicing.taxes import document_totals
from crm.records.sequences import number_next
from crm.sales.models import Lead, Opportunity, OpportunityLineItem, Product
from crm.sales.selectors import line_total_expression
from crm.service.models import Case
from crm.service.services import CASE_NUMBERS


@pytest.mark.django_db(transaction=True)
def test_seed_scale_fills_both_organizations_with_consistent_rows():
    call_command("seed_scale", "--scale", "0.0005", stdout=io.StringIO())
    main = Organization.objects.get(name="Scale Agency")
    second = Organization.objects.get(name="Scale Agency (second)")
    assert User.objects.filter(organization=main).count() == 25
    assert User.objects.get(email="bench@scale.example").check_password("Bench-Passphrase-2026")

    def count(model, org=main):
        return model.all_orgs.filter(organization=org).count()

    assert count(Account) == 50
    assert count(Contact) == 500
    assert count(Product) == 20
    assert count(Lead) == 100
    assert count(Opportunity) == 100
    assert OpportunityLineItem.all_orgs.filter(organization=main).count() == 300
    # Each opportunity's stored amount is the sum of its lines.
    line_totals = dict(
        OpportunityLineItem.all_orgs.filter(organization=main)
        .values("opportunity_id")
        .annotate(total=Sum(line_total_expression()))
        .values_list("opportunity_id", "total")
    )
    amounts = dict(Opportunity.all_orgs.filter(organization=main).values_list("id", "amount"))
    assert amounts == line_totals
    won = Opportunity.all_orgs.filter(organization=main, stage="Closed Won").count()
    assert count(Order) == min(50, won)
    assert OrderLineItem.all_orgs.filter(organization=main).count() > 0
    assert count(Contract) >= 1
    assert ContractLineItem.all_orgs.filter(organization=main).count() >= count(Contract)
    retainer = Payment.all_orgs.filter(organization=main, contract__isnull=False)
    assert retainer.count() == 50
    assert not retainer.filter(service_period_start__isnull=True).exists()
    assert Payment.all_orgs.filter(organization=main, order__isnull=False).count() > 0
    # Quotes and invoices copy the orders: an accepted quote and an invoice per order, credit notes.
    orders = count(Order)
    assert Quote.all_orgs.filter(organization=main, status="Accepted").count() == orders
    assert count(Quote) >= orders
    assert (
        QuoteLineItem.all_orgs.filter(organization=main).count()
        >= OrderLineItem.all_orgs.filter(organization=main).count()
    )
    invoices = Invoice.all_orgs.filter(organization=main, kind="Invoice")
    assert invoices.count() == orders
    assert not invoices.filter(status="Draft").exclude(number="").exists()
    assert not invoices.exclude(status="Draft").filter(number="").exists()
    assert not invoices.filter(status="Paid").exclude(amount_paid=F("gross_total")).exists()
    for invoice in invoices.prefetch_related("line_items"):
        totals = document_totals(invoice.line_items.all())
        assert (invoice.net_total, invoice.tax_total, invoice.gross_total) == (totals.net, totals.tax, totals.gross)
    for note in Invoice.all_orgs.filter(organization=main, kind="Credit Note"):
        assert note.credited_invoice.amount_credited == note.gross_total
        assert note.number.startswith("CN-")
    with org_scope(main.pk):
        year = timezone.localdate().year
        issued_this_year = Invoice.objects.filter(series="INV", issue_date__year=year).count()
        if issued_this_year:
            counter = InvoiceCounter.objects.get(series="INV", year=year)
            assert counter.last_value == issued_this_year
            assert Invoice.objects.filter(number=f"INV-{year}-{issued_this_year:06d}").exists()
    assert count(Case) == 25
    assert count(Activity) == 500
    assert count(Account, second) >= 1
    assert count(Contact, second) >= 1

    # The next numbers follow the rows loaded in bulk.
    with org_scope(main.pk):
        assert number_next(ORDER_NUMBERS) == ORDER_NUMBERS.format(count(Order) + 1)
        assert number_next(CONTRACT_NUMBERS) == CONTRACT_NUMBERS.format(count(Contract) + 1)
        assert number_next(CASE_NUMBERS) == CASE_NUMBERS.format(1001 + count(Case))

    # Every order's status agrees with its Completed payments.
    with org_scope(main.pk):
        for order in order_with_totals(Order.objects.all()):
            paid = Payment.objects.filter(order=order, status="Completed").aggregate(s=Sum("amount"))["s"] or 0
            assert paid == order.amount_paid
            if order.status in ("Awaiting Payment", "Cancelled"):
                assert order.amount_paid == Decimal("0")
            elif order.status == "Partially Paid":
                assert Decimal("0") < order.amount_paid < order.total
            else:
                assert order.amount_paid == order.total
