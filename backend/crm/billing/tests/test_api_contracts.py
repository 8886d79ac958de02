from __future__ import annotations

import datetime
from decimal import Decimal

from crm.core.scoping import org_scope
from crm.records.related import embeds_for
from crm.records.testing import count_queries

from ..models import Contract
from .factories import (
    ContractFactory,
    OpportunityLineItemFactory,
    OrderFactory,
    ProductFactory,
    won_opportunity,
)

TERM = {"start_date": "2025-01-01", "end_date": "2025-12-31", "billing_cycle": "Monthly"}


def generate(client, opportunity, body=TERM):
    return client.post(f"/api/v1/opportunities/{opportunity.pk}/generate-contract", body, format="json")


def test_generate_contract_from_a_retainer_deal(api, user, in_org):
    opportunity = won_opportunity(user, lines=[(Decimal("2"), Decimal("400.00"))], retainer=True)
    response = generate(api, opportunity)
    assert response.status_code == 201, response.data
    body = response.data
    assert (body["status"], body["contract_number"], body["billing_cycle"]) == ("Active", "CON-00001", "Monthly")
    assert body["amount_per_cycle"] == "800.00"
    assert [(row["quantity"], row["price_per_cycle"]) for row in body["line_items"]] == [("2.00", "400.00")]
    assert generate(api, opportunity).status_code == 409


def test_generate_contract_refusals(api, user, in_org, other_user):
    mixed = won_opportunity(user, retainer=True)
    OpportunityLineItemFactory(opportunity=mixed, product=ProductFactory(owner=user, name="Logo Design"))
    response = generate(api, mixed)
    assert response.status_code == 409
    assert "Logo Design" in response.data["message"]
    assert generate(api, won_opportunity(user, retainer=True, stage="Proposal")).status_code == 409
    bad = generate(api, won_opportunity(user, retainer=True), {**TERM, "end_date": "2024-01-01"})
    assert bad.status_code == 400
    assert "end_date" in bad.data["errors"]
    missing = generate(api, won_opportunity(user, retainer=True), {})
    assert set(missing.data["errors"]) == {"start_date", "end_date", "billing_cycle"}
    with org_scope(other_user.organization_id):
        foreign = won_opportunity(other_user, retainer=True)
    assert generate(api, foreign).status_code == 404
    assert not Contract.objects.exists()


def test_terms_cannot_be_edited(api, user, in_org):
    contract = ContractFactory(owner=user)
    response = api.patch(f"/api/v1/contracts/{contract.pk}", {"end_date": "2030-01-01", "version": 1}, format="json")
    assert response.status_code == 400
    assert response.data["code"] == "validation_error"
    assert response.data["errors"] == {
        "end_date": ["Only the status and description of a contract can be changed; renew it for new terms."]
    }
    ok = api.patch(f"/api/v1/contracts/{contract.pk}", {"status": "Terminated", "version": 1}, format="json")
    assert ok.status_code == 200
    reopen = api.patch(f"/api/v1/contracts/{contract.pk}", {"status": "Active", "version": 2}, format="json")
    assert reopen.status_code == 409


def test_renew_creates_a_new_contract_and_keeps_the_old_terms(api, user, in_org):
    old = ContractFactory(
        owner=user,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 12, 31),
        lines=[(Decimal("1"), Decimal("500.00")), (Decimal("2"), Decimal("100.00"))],
    )
    url = f"/api/v1/contracts/{old.pk}/renew"
    overlap = api.post(url, {"start_date": "2024-06-01", "end_date": "2025-12-31"}, format="json")
    assert overlap.status_code == 400
    assert "start_date" in overlap.data["errors"]
    response = api.post(url, {"start_date": "2025-01-01", "end_date": "2025-12-31"}, format="json")
    assert response.status_code == 201, response.data
    renewal = response.data
    assert renewal["id"] != old.pk
    assert renewal["renewed_from_id"] == old.pk
    assert (renewal["status"], renewal["billing_cycle"], renewal["amount_per_cycle"]) == ("Active", "Monthly", "700.00")
    assert renewal["account_id"] == old.account_id
    old.refresh_from_db()
    assert (old.start_date, old.end_date) == (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    assert old.status == "Expired"  # its end date has passed
    assert old.line_items.count() == 2
    assert api.post(url, {"start_date": "2026-01-01", "end_date": "2026-12-31"}, format="json").status_code == 409
    listed = api.get("/api/v1/contracts", {"account_id": old.account_id}).data["results"]
    assert len(listed) == 2  # an account holds many contracts


def test_contract_detail_has_lines_payments_and_amounts(api, user, in_org):
    contract = ContractFactory(owner=user)
    api.post(
        f"/api/v1/contracts/{contract.pk}/payments",
        {
            "amount": "500.00",
            "payment_date": "2025-02-03",
            "payment_method": "Stripe",
            "service_period_start": "2025-02-01",
            "service_period_end": "2025-02-28",
        },
        format="json",
    )
    body = api.get(f"/api/v1/contracts/{contract.pk}").data
    assert (body["amount_per_cycle"], body["amount_paid"]) == ("500.00", "500.00")
    assert body["payments"][0]["service_period_start"] == "2025-02-01"
    assert body["line_items"][0]["product_name"]


def test_account_contracts_embed(user, in_org):
    contract = ContractFactory(owner=user)
    ContractFactory(owner=user, account=contract.account)
    embed = next(e for e in embeds_for("account") if e.key == "contracts")
    with count_queries() as queries:
        rows = embed.loader(contract.account, None)
    assert queries.count == 1
    assert len(rows) == 2
    assert rows[0]["amount_per_cycle"] == "500.00"


def test_opportunity_orders_embed(user, in_org):
    opportunity = won_opportunity(user)
    OrderFactory(owner=user, account=opportunity.account, opportunity=opportunity)
    embed = next(e for e in embeds_for("opportunity") if e.key == "orders")
    rows = embed.loader(opportunity, None)
    assert [row["total"] for row in rows] == ["1000.00"]
