from __future__ import annotations

from decimal import Decimal

import pytest

from crm.accounts.tests.factories import AccountFactory
from crm.core.errors import ApplicationError, VersionConflict
from crm.sales.models import Opportunity, OpportunityLineItem
from crm.sales.selectors import opportunity_line_total
from crm.sales.services.opportunities import (
    line_item_add,
    line_item_delete,
    line_item_update,
    opportunity_create,
    opportunity_update,
)

from .factories import OpportunityFactory, OpportunityLineItemFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_probability_follows_the_stage_on_create_and_update(user, in_org):
    opportunity = opportunity_create(
        data={"name": "Deal", "stage": "Proposal", "account": AccountFactory(owner=user)}, actor=user
    )
    assert opportunity.probability == 50
    updated = opportunity_update(opportunity=opportunity, data={"stage": "Closed Lost"}, expected_version=1, actor=user)
    assert updated.probability == 0
    renamed = opportunity_update(opportunity=updated, data={"name": "Renamed"}, expected_version=2, actor=user)
    assert renamed.probability == 0


def test_unknown_stage_is_refused(user, in_org):
    with pytest.raises(ApplicationError) as error:
        opportunity_create(data={"name": "Deal", "stage": "Nope", "account": AccountFactory(owner=user)}, actor=user)
    assert "stage" in error.value.fields


def test_amount_does_not_double_count_with_several_lines(user, in_org):
    opportunity = OpportunityFactory(owner=user)
    for price in ("100.00", "200.00", "300.25"):
        OpportunityLineItemFactory(opportunity=opportunity, quantity=Decimal("2"), sale_price=Decimal(price))
    assert opportunity_line_total(opportunity_id=opportunity.pk) == Decimal("1200.50")
    assert Opportunity.objects.get(pk=opportunity.pk).amount == Decimal("1200.50")


def test_line_changes_bump_the_line_version_and_keep_the_amount_right(user, admin, in_org):
    product = ProductFactory(owner=admin, standard_list_price=Decimal("5000.00"))
    opportunity = OpportunityFactory(owner=user)
    added = line_item_add(opportunity_id=opportunity.pk, data={"product": product, "quantity": 1}, actor=user)
    assert (added.amount, added.line_item.version, added.opportunity.version) == (Decimal("5000.00"), 1, 1)
    updated = line_item_update(
        opportunity_id=opportunity.pk,
        line_item_id=added.line_item.pk,
        data={"sale_price": Decimal("4500.00")},
        expected_version=1,
        actor=user,
    )
    assert (updated.amount, updated.line_item.version, updated.opportunity.version) == (Decimal("4500.00"), 2, 1)
    with pytest.raises(VersionConflict) as error:
        line_item_delete(opportunity_id=opportunity.pk, line_item_id=added.line_item.pk, expected_version=1, actor=user)
    assert error.value.current_version == 2
    deleted = line_item_delete(
        opportunity_id=opportunity.pk, line_item_id=added.line_item.pk, expected_version=2, actor=user
    )
    assert (deleted.amount, deleted.opportunity.version) == (Decimal("0.00"), 1)


def test_an_open_opportunity_is_not_made_stale_by_a_line_change(user, admin, in_org):
    # given A has the opportunity open at version 1
    opportunity = OpportunityFactory(owner=user)
    read_by_a = opportunity.version
    # when B adds a line
    product = ProductFactory(owner=admin, standard_list_price=Decimal("750.00"))
    line_item_add(opportunity_id=opportunity.pk, data={"product": product, "quantity": 2}, actor=admin)
    # then A's edit of the description with the version A read is saved, and the amount has B's line
    saved = opportunity_update(
        opportunity=opportunity, data={"description": "Call on Friday"}, expected_version=read_by_a, actor=user
    )
    assert (saved.description, saved.amount, saved.version) == ("Call on Friday", Decimal("1500.00"), 2)


def test_unchanged_line_does_not_bump_any_version(user, in_org):
    line = OpportunityLineItemFactory(opportunity=OpportunityFactory(owner=user), quantity=Decimal("1"))
    change = line_item_update(
        opportunity_id=line.opportunity_id,
        line_item_id=line.pk,
        data={"quantity": Decimal("1")},
        expected_version=1,
        actor=user,
    )
    assert (change.opportunity.version, change.line_item.version) == (1, 1)


def test_inactive_product_refused_for_new_lines(user, admin, in_org):
    product = ProductFactory(owner=admin, is_active=False)
    opportunity = OpportunityFactory(owner=user)
    with pytest.raises(ApplicationError) as error:
        line_item_add(opportunity_id=opportunity.pk, data={"product": product, "quantity": 1}, actor=user)
    assert "product_id" in error.value.fields
    assert not OpportunityLineItem.objects.exists()
