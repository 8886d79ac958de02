from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from crm.accounts.tests.factories import AccountFactory, ContactFactory
from crm.core.scoping import org_scope
from crm.records.testing import OrgOwnedFactory, RecordFactory
from crm.sales.models import Lead, Opportunity, OpportunityContactRole, OpportunityLineItem, Product
from crm.sales.services.opportunities import opportunity_amount_refresh


class LeadFactory(RecordFactory):
    class Meta:
        model = Lead

    first_name = factory.Sequence(lambda n: f"Lea{n}")
    last_name = factory.Sequence(lambda n: f"Prospect{n:04d}")
    company = factory.Sequence(lambda n: f"Prospect Co {n:04d}")
    email = factory.Sequence(lambda n: f"lead{n}@prospect.example")
    phone = "+359 2 555 0101"
    website = factory.Sequence(lambda n: f"https://prospect{n}.example")
    address = "1 Vitosha Blvd\nSofia"
    title = "Marketing Manager"
    status = Lead.Status.NEW
    lead_source = Lead.Source.WEB


class ProductFactory(RecordFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Service {n:04d}")
    product_code = factory.Sequence(lambda n: f"SVC-{n:04d}")
    standard_list_price = Decimal("1000.00")
    is_retainer_product = False


class OpportunityFactory(RecordFactory):
    class Meta:
        model = Opportunity

    name = factory.Sequence(lambda n: f"Deal {n:04d}")
    stage = "Qualifying"
    probability = 10
    close_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    account = factory.SubFactory(AccountFactory, owner=factory.SelfAttribute("..owner"))


class LineItemFactoryBase(OrgOwnedFactory):
    """Creates a line the way a fixture needs it and stores the opportunity's new amount, as
    the line item services do (without their version bump or audit event)."""

    class Meta:
        model = OpportunityLineItem
        abstract = True

    @classmethod
    def _create(cls, model_class: type[OpportunityLineItem], *args: Any, **kwargs: Any) -> OpportunityLineItem:
        line = super()._create(model_class, *args, **kwargs)
        with org_scope(line.organization_id):
            line.opportunity.amount = opportunity_amount_refresh(opportunity_id=line.opportunity_id)
        return line


class OpportunityLineItemFactory(LineItemFactoryBase):
    class Meta:
        model = OpportunityLineItem

    opportunity = factory.SubFactory(OpportunityFactory)
    organization = factory.SelfAttribute("opportunity.organization")
    product = factory.SubFactory(ProductFactory, owner=factory.SelfAttribute("..opportunity.owner"))
    quantity = Decimal("1")
    sale_price = Decimal("1000.00")


class OpportunityContactRoleFactory(OrgOwnedFactory):
    class Meta:
        model = OpportunityContactRole

    opportunity = factory.SubFactory(OpportunityFactory)
    organization = factory.SelfAttribute("opportunity.organization")
    contact = factory.SubFactory(
        ContactFactory,
        owner=factory.SelfAttribute("..opportunity.owner"),
        account=factory.SelfAttribute("..opportunity.account"),
    )
    role = OpportunityContactRole.Role.DECISION_MAKER
