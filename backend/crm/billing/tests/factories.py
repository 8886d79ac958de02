from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from crm.accounts.tests.factories import AccountFactory
from crm.records.testing import RecordFactory
from crm.sales.models import Opportunity, OpportunityLineItem, Product
from crm.sales.tests.factories import LineItemFactoryBase

from ..models import Contract, ContractLineItem, Order, OrderLineItem, Payment


class ProductFactory(RecordFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Product {n:04d}")
    product_code = factory.Sequence(lambda n: f"P-{n:04d}")
    standard_list_price = Decimal("1000.00")
    is_retainer_product = False


class OpportunityFactory(RecordFactory):
    class Meta:
        model = Opportunity

    name = factory.Sequence(lambda n: f"Deal {n:04d}")
    stage = "Closed Won"
    probability = 100
    close_date = factory.LazyFunction(datetime.date.today)
    account = factory.SubFactory(AccountFactory, owner=factory.SelfAttribute("..owner"))


class OpportunityLineItemFactory(LineItemFactoryBase):
    class Meta:
        model = OpportunityLineItem

    opportunity = factory.SubFactory(OpportunityFactory)
    organization = factory.SelfAttribute("opportunity.organization")
    product = factory.SubFactory(ProductFactory, owner=factory.SelfAttribute("..opportunity.owner"))
    quantity = Decimal("1.00")
    sale_price = Decimal("1000.00")


def won_opportunity(owner, *, lines=((Decimal("1"), Decimal("1000.00")),), retainer=False, **kwargs) -> Opportunity:
    """A Closed Won opportunity with the given (quantity, sale_price) lines."""
    opportunity = OpportunityFactory(owner=owner, **kwargs)
    for quantity, price in lines:
        OpportunityLineItemFactory(
            opportunity=opportunity,
            quantity=quantity,
            sale_price=price,
            product=ProductFactory(owner=owner, is_retainer_product=retainer),
        )
    return opportunity


class OrderFactory(RecordFactory):
    """An order with one line (1 x 1000.00) unless ``lines`` says otherwise."""

    class Meta:
        model = Order
        skip_postgeneration_save = True

    order_number = factory.Sequence(lambda n: f"ORD-T{n:05d}")
    order_date = factory.LazyFunction(datetime.date.today)
    status = Order.Status.AWAITING_PAYMENT
    account = factory.SubFactory(AccountFactory, owner=factory.SelfAttribute("..owner"))

    @factory.post_generation
    def lines(self, create, extracted, **kwargs):
        for quantity, price in extracted if extracted is not None else ((Decimal("1"), Decimal("1000.00")),):
            OrderLineItem.all_orgs.create(
                organization_id=self.organization_id,
                order=self,
                product=ProductFactory(owner=self.owner),
                quantity=quantity,
                price_at_purchase=price,
            )


class ContractFactory(RecordFactory):
    class Meta:
        model = Contract
        skip_postgeneration_save = True

    contract_number = factory.Sequence(lambda n: f"CON-T{n:05d}")
    status = Contract.Status.ACTIVE
    start_date = datetime.date(2025, 1, 1)
    end_date = datetime.date(2025, 12, 31)
    billing_cycle = Contract.BillingCycle.MONTHLY
    account = factory.SubFactory(AccountFactory, owner=factory.SelfAttribute("..owner"))

    @factory.post_generation
    def lines(self, create, extracted, **kwargs):
        for quantity, price in extracted if extracted is not None else ((Decimal("1"), Decimal("500.00")),):
            ContractLineItem.all_orgs.create(
                organization_id=self.organization_id,
                contract=self,
                product=ProductFactory(owner=self.owner, is_retainer_product=True),
                quantity=quantity,
                price_per_cycle=price,
            )


class PaymentFactory(RecordFactory):
    """A Completed payment on a new order (pass ``order`` or ``contract`` to attach it elsewhere)."""

    class Meta:
        model = Payment

    amount = Decimal("100.00")
    payment_date = factory.LazyFunction(datetime.date.today)
    payment_method = Payment.Method.BANK_TRANSFER
    status = Payment.Status.COMPLETED
    order = factory.Maybe(
        "contract",
        yes_declaration=None,
        # 100.00 of a 1,000.00 order: the status already matches the payment.
        no_declaration=factory.SubFactory(
            OrderFactory, owner=factory.SelfAttribute("..owner"), status=Order.Status.PARTIALLY_PAID
        ),
    )
    contract = None


def paid_order(owner, **kwargs) -> Order:
    """An order of 1 x 1000.00 paid in full by one Completed payment."""
    order = OrderFactory(owner=owner, status=Order.Status.PAID_IN_FULL, **kwargs)
    PaymentFactory(owner=owner, order=order, amount=Decimal("1000.00"))
    return order
