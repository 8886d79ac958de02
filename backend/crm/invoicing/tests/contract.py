from decimal import Decimal

from django.utils import timezone

from crm.accounts.tests.factories import AccountFactory
from crm.records.testing import ContractCase

from ..models import DocumentTemplate, Invoice, InvoiceLineItem, Quote, QuoteLineItem
from .factories import open_opportunity


def make_quote(org, user):
    opportunity = open_opportunity(user)
    quote = Quote.all_orgs.create(
        organization=org,
        owner=user,
        created_by=user,
        updated_by=user,
        quote_number=f"Q-T{Quote.all_orgs.count() + 1:05d}",
        name="Matrix quote",
        opportunity=opportunity,
        account=opportunity.account,
        expiration_date=timezone.localdate(),
    )
    QuoteLineItem.all_orgs.create(
        organization=org, quote=quote, product_id=opportunity.line_items.first().product_id, quantity=1, unit_price=100
    )
    return quote


def make_invoice(org, user):
    invoice = Invoice.all_orgs.create(
        organization=org,
        owner=user,
        created_by=user,
        updated_by=user,
        account=AccountFactory(owner=user),
        net_total=Decimal("100.00"),
        tax_total=Decimal("20.00"),
        gross_total=Decimal("120.00"),
    )
    InvoiceLineItem.all_orgs.create(organization=org, invoice=invoice, description="Work", quantity=1, unit_price=100)
    return invoice


def make_template(org, user):
    from ..services.templates import templates_ensure_defaults

    templates_ensure_defaults()
    return DocumentTemplate.all_orgs.get(organization=org, doc_type="invoice")


CASES = [
    ContractCase(
        object="quote",
        make_record=make_quote,
        create_url=lambda org, user: "/api/v1/quotes",
        create_payload=lambda org, user: {"opportunity_id": open_opportunity(user).pk, "name": "New quote"},
        invalid_payload=lambda org, user: {"opportunity_id": open_opportunity(user).pk, "name": ""},
        invalid_field="name",
        update={"name": "Renamed quote"},
        deactivatable=False,
        detail_queries=4,  # + the viewer's sharing defaults (quotes follow their opportunity)
    ),
    ContractCase(
        object="invoice",
        make_record=make_invoice,
        create_payload=lambda org, user: {
            "account_id": AccountFactory(owner=user).pk,
            "line_items": [{"description": "Work", "quantity": "1", "unit_price": "100.00"}],
        },
        invalid_payload=lambda org, user: {"account_id": AccountFactory(owner=user).pk, "payment_terms_days": -1},
        invalid_field="payment_terms_days",
        update={"notes": "Changed"},
        deactivatable=False,
        detail_queries=6,  # the invoice with its linked names and stored-PDF flag, lines, allocations, its activity timeline, embeds + the viewer's sharing defaults
    ),
]
