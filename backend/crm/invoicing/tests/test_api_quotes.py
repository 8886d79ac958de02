from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from crm.billing.models import Order
from crm.core.scoping import org_scope
from crm.records.testing import count_queries
from crm.sales.models import Opportunity, OpportunityLineItem

from ..models import Quote, QuoteLineItem
from .factories import ContactFactory, ProductFactory, open_opportunity, quote_body


def create(api, opportunity, **extra):
    return api.post("/api/v1/quotes", quote_body(opportunity, **extra), format="json")


def test_create_copies_the_opportunity_lines_and_numbers_the_quote(api, user, in_org):
    opportunity = open_opportunity(user, lines=[(Decimal("2"), Decimal("500.00")), (Decimal("1"), Decimal("99.90"))])
    response = create(api, opportunity)
    assert response.status_code == 201, response.data
    body = response.data
    assert body["quote_number"] == "Q-00001"
    assert body["status"] == "Draft"
    assert body["is_synced"] is True
    assert body["account_id"] == opportunity.account_id
    assert [(line["quantity"], line["unit_price"]) for line in body["line_items"]] == [
        ("2.00", "500.00"),
        ("1.00", "99.90"),
    ]
    assert body["net_total"] == "1099.90"
    assert body["tax_total"] == "219.98"
    assert body["gross_total"] == "1319.88"
    assert body["vat_summary"] == [{"category": "S", "rate": "20.00", "base": "1099.90", "tax": "219.98"}]
    second = create(api, opportunity, name="Cheaper option")
    assert second.status_code == 201
    assert second.data["quote_number"] == "Q-00002"
    assert second.data["is_synced"] is False


def test_create_validation_tenancy_and_auth(api, user, in_org, other_user, anon):
    missing = api.post("/api/v1/quotes", {"name": "x"}, format="json")
    assert missing.status_code == 400
    assert "opportunity_id" in missing.data["errors"]
    opportunity = open_opportunity(user)
    bad_date = create(api, opportunity, expiration_date="not-a-date")
    assert bad_date.status_code == 400 and "expiration_date" in bad_date.data["errors"]
    with org_scope(other_user.organization_id):
        foreign = open_opportunity(other_user)
    assert create(api, foreign).status_code == 400
    assert anon.post("/api/v1/quotes", quote_body(opportunity), format="json").status_code == 401
    assert Quote.objects.count() == 0


def test_synced_quote_mirrors_the_opportunity_both_ways(api, user, in_org):
    opportunity = open_opportunity(user)
    quote = create(api, opportunity).data
    product = ProductFactory(owner=user, standard_list_price=Decimal("300.00"))
    added = api.post(
        f"/api/v1/quotes/{quote['id']}/line_items",
        {"product_id": product.pk, "quantity": "3", "discount_percent": "10"},
        format="json",
    )
    assert added.status_code == 201, added.data
    assert OpportunityLineItem.objects.filter(opportunity=opportunity).count() == 2
    opportunity_line = OpportunityLineItem.objects.get(opportunity=opportunity, product=product)
    assert opportunity_line.sale_price == Decimal("300.00")
    assert added.data["discount_percent"] == "10.00"
    assert added.data["net_amount"] == "810.00"
    # The opportunity's own line change shows on the quote.
    response = api.patch(
        f"/api/v1/opportunities/{opportunity.pk}/line_items/{opportunity_line.pk}",
        {"quantity": "4", "version": opportunity_line.version},
        format="json",
    )
    assert response.status_code == 200, response.data
    line = QuoteLineItem.objects.get(pk=added.data["id"])
    assert line.quantity == Decimal("4") and line.discount_percent == Decimal("10")
    # Removing from the quote removes from the opportunity.
    deleted = api.delete(f"/api/v1/quotes/{quote['id']}/line_items/{line.pk}?version={line.version}")
    assert deleted.status_code == 204
    assert not OpportunityLineItem.objects.filter(pk=opportunity_line.pk).exists()
    assert Quote.objects.get(pk=quote["id"]).net_total == Decimal("1000.00")


def test_unsynced_quote_lines_stay_apart(api, user, in_org):
    opportunity = open_opportunity(user)
    create(api, opportunity)
    other = create(api, opportunity, name="Alternative").data
    line = other["line_items"][0]
    response = api.patch(
        f"/api/v1/quotes/{other['id']}/line_items/{line['id']}",
        {"quantity": "5", "version": line["version"]},
        format="json",
    )
    assert response.status_code == 200
    assert OpportunityLineItem.objects.get(opportunity=opportunity).quantity == Decimal("2")
    stale = api.patch(
        f"/api/v1/quotes/{other['id']}/line_items/{line['id']}",
        {"quantity": "6", "version": line["version"]},
        format="json",
    )
    assert stale.status_code == 409


def test_line_vat_rules(api, user, in_org):
    quote = create(api, open_opportunity(user)).data
    line = quote["line_items"][0]
    url = f"/api/v1/quotes/{quote['id']}/line_items/{line['id']}"
    bad = api.patch(url, {"tax_category": "AE", "vat_rate": "20", "version": line["version"]}, format="json")
    assert bad.status_code == 400 and "vat_rate" in bad.data["errors"]
    ok = api.patch(url, {"tax_category": "AE", "vat_rate": "0", "version": line["version"]}, format="json")
    assert ok.status_code == 200
    detail = api.get(f"/api/v1/quotes/{quote['id']}").data
    assert detail["tax_total"] == "0.00"
    assert any("Art. 196" in note for note in detail["legal_notes"])


def test_update_with_version_and_contact_rules(api, user, in_org):
    opportunity = open_opportunity(user)
    quote = create(api, opportunity).data
    ok = api.patch(f"/api/v1/quotes/{quote['id']}", {"status": "Presented", "version": quote["version"]}, format="json")
    assert ok.status_code == 200 and ok.data["status"] == "Presented"
    stale = api.patch(f"/api/v1/quotes/{quote['id']}", {"name": "x", "version": quote["version"]}, format="json")
    assert stale.status_code == 409
    accept = api.patch(
        f"/api/v1/quotes/{quote['id']}", {"status": "Accepted", "version": ok.data["version"]}, format="json"
    )
    assert accept.status_code == 400
    stranger = ContactFactory(owner=user)
    wrong = api.patch(
        f"/api/v1/quotes/{quote['id']}", {"contact_id": stranger.pk, "version": ok.data["version"]}, format="json"
    )
    assert wrong.status_code == 400 and "contact_id" in wrong.data["errors"]


def test_accept_wins_the_opportunity_and_generates_the_order(api, user, in_org):
    opportunity = open_opportunity(user)
    quote = create(api, opportunity).data
    line = quote["line_items"][0]
    api.patch(
        f"/api/v1/quotes/{quote['id']}/line_items/{line['id']}",
        {"discount_percent": "10", "version": line["version"]},
        format="json",
    )
    response = api.post(f"/api/v1/quotes/{quote['id']}/accept", {}, format="json")
    assert response.status_code == 201, response.data
    assert response.data["quote"]["status"] == "Accepted"
    order = Order.objects.get(pk=response.data["order"]["id"])
    assert order.opportunity_id == opportunity.pk
    won = Opportunity.objects.get(pk=opportunity.pk)
    assert won.stage == "Closed Won" and won.billed_by == order.order_number
    assert [(line.quantity, line.price_at_purchase) for line in order.line_items.all()] == [
        (Decimal("2"), Decimal("450.00"))
    ]
    again = api.post(f"/api/v1/quotes/{quote['id']}/accept", {}, format="json")
    assert again.status_code == 409 and again.data["code"] == "quote_already_accepted"
    frozen = api.patch(
        f"/api/v1/quotes/{quote['id']}", {"name": "x", "version": response.data["quote"]["version"]}, format="json"
    )
    assert frozen.status_code == 409


def test_accept_refuses_an_expired_quote_and_leaves_nothing(api, user, in_org):
    opportunity = open_opportunity(user)
    quote = create(api, opportunity).data
    Quote.objects.filter(pk=quote["id"]).update(expiration_date=timezone.localdate() - datetime.timedelta(days=1))
    response = api.post(f"/api/v1/quotes/{quote['id']}/accept", {}, format="json")
    assert response.status_code == 409 and response.data["code"] == "quote_expired"
    assert Order.objects.count() == 0
    assert Opportunity.objects.get(pk=opportunity.pk).stage == "Proposal"


def test_accept_is_all_or_nothing(api, user, in_org, monkeypatch):
    opportunity = open_opportunity(user)
    quote = create(api, opportunity).data
    from crm.invoicing.services import quotes

    def boom(**kwargs):
        raise RuntimeError("injected")

    monkeypatch.setattr(quotes, "order_create_from_opportunity", boom)
    with pytest.raises(RuntimeError):
        api.post(f"/api/v1/quotes/{quote['id']}/accept", {}, format="json")
    assert Quote.objects.get(pk=quote["id"]).status == "Draft"
    assert Opportunity.objects.get(pk=opportunity.pk).stage == "Proposal"
    assert OpportunityLineItem.objects.filter(opportunity=opportunity).count() == 1


def test_other_organization_sees_404(api, user, in_org, other_api):
    quote = create(api, open_opportunity(user)).data
    assert other_api.get(f"/api/v1/quotes/{quote['id']}").status_code == 404
    assert other_api.post(f"/api/v1/quotes/{quote['id']}/accept", {}, format="json").status_code == 404
    assert other_api.get(f"/api/v1/quotes/{quote['id']}/line_items").status_code == 404


def test_detail_and_list_query_counts(api, user, in_org):
    opportunity = open_opportunity(user, lines=[(Decimal("1"), Decimal("10"))] * 5)
    quote = create(api, opportunity).data
    for _ in range(3):
        create(api, open_opportunity(user))
    with count_queries() as detail:
        assert api.get(f"/api/v1/quotes/{quote['id']}").status_code == 200
    with count_queries() as listing:
        assert len(api.get("/api/v1/quotes").data["results"]) == 4
    for _ in range(4):
        create(api, open_opportunity(user))
    with count_queries() as more:
        assert len(api.get("/api/v1/quotes").data["results"]) == 8
    assert more.count <= max(listing.count, 4)
    assert detail.count <= 8
    opportunity_detail = api.get(f"/api/v1/opportunities/{opportunity.pk}").data
    assert [row["id"] for row in opportunity_detail["quotes"]] == [quote["id"]]


def test_start_sync_moves_the_sync_and_replaces_the_opportunity_lines(api, user, in_org):
    from crm.audit.models import AuditEvent

    opportunity = open_opportunity(user)
    first = create(api, opportunity).data
    second = create(api, opportunity, name="Bigger option").data
    product = ProductFactory(owner=user, standard_list_price=Decimal("300.00"))
    added = api.post(
        f"/api/v1/quotes/{second['id']}/line_items", {"product_id": product.pk, "quantity": "2"}, format="json"
    )
    assert added.status_code == 201
    assert OpportunityLineItem.objects.filter(opportunity=opportunity).count() == 1  # not synced yet
    response = api.post(f"/api/v1/quotes/{second['id']}/sync", {}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["is_synced"] is True
    assert Quote.objects.get(pk=first["id"]).is_synced is False
    lines = list(OpportunityLineItem.objects.filter(opportunity=opportunity).order_by("id"))
    assert [(line.quantity, line.sale_price) for line in lines] == [
        (Decimal("2.00"), Decimal("500.00")),
        (Decimal("2.00"), Decimal("300.00")),
    ]
    assert Opportunity.objects.get(pk=opportunity.pk).amount == Decimal("1600.00")
    assert set(QuoteLineItem.objects.filter(quote_id=second["id"]).values_list("opportunity_line_id", flat=True)) == {
        line.pk for line in lines
    }
    assert not QuoteLineItem.objects.filter(quote_id=first["id"], opportunity_line__isnull=False).exists()
    # The opportunity's changes now reach the second quote, not the first.
    changed = api.patch(
        f"/api/v1/opportunities/{opportunity.pk}/line_items/{lines[1].pk}",
        {"quantity": "5", "version": lines[1].version},
        format="json",
    )
    assert changed.status_code == 200, changed.data
    assert QuoteLineItem.objects.get(quote_id=second["id"], opportunity_line=lines[1]).quantity == Decimal("5")
    assert [line.quantity for line in QuoteLineItem.objects.filter(quote_id=first["id"])] == [Decimal("2.00")]
    assert AuditEvent.objects.filter(name="quote.start_sync", object_id=second["id"]).exists()
    # Starting it again changes nothing; Stop Sync keeps both sides' lines.
    assert api.post(f"/api/v1/quotes/{second['id']}/sync", {}, format="json").status_code == 200
    stopped = api.post(f"/api/v1/quotes/{second['id']}/unsync", {}, format="json")
    assert stopped.status_code == 200 and stopped.data["is_synced"] is False
    assert OpportunityLineItem.objects.filter(opportunity=opportunity).count() == 2
    assert QuoteLineItem.objects.filter(quote_id=second["id"]).count() == 2
    again = api.post(f"/api/v1/quotes/{second['id']}/unsync", {}, format="json")
    assert again.status_code == 409 and again.data["code"] == "quote_not_synced"
    assert not Quote.objects.filter(opportunity=opportunity, is_synced=True).exists()


def test_start_sync_refuses_closed_quotes_and_other_organizations(api, user, in_org, other_api):
    opportunity = open_opportunity(user)
    quote = create(api, opportunity).data
    other = create(api, opportunity, name="Alternative").data
    assert api.post(f"/api/v1/quotes/{quote['id']}/accept", {}, format="json").status_code == 201
    accepted = api.post(f"/api/v1/quotes/{quote['id']}/sync", {}, format="json")
    assert accepted.status_code == 409
    billed = api.post(f"/api/v1/quotes/{other['id']}/sync", {}, format="json")
    assert billed.status_code == 409
    assert not Quote.objects.filter(opportunity=opportunity, is_synced=True).exists()
    assert other_api.post(f"/api/v1/quotes/{other['id']}/sync", {}, format="json").status_code == 404
    assert other_api.post(f"/api/v1/quotes/{other['id']}/unsync", {}, format="json").status_code == 404


def test_invoices_of_an_accepted_quote_bill_each_line_with_the_quotes_vat(api, user, in_org):
    from crm.billing.models import OrderLineItem

    opportunity = open_opportunity(user)
    quote = create(api, opportunity).data
    first = quote["line_items"][0]
    reverse = api.patch(
        f"/api/v1/quotes/{quote['id']}/line_items/{first['id']}",
        {"vat_rate": "0", "tax_category": "AE", "version": first["version"]},
        format="json",
    )
    assert reverse.status_code == 200, reverse.data
    product = ProductFactory(owner=user, standard_list_price=Decimal("100.00"))
    added = api.post(
        f"/api/v1/quotes/{quote['id']}/line_items",
        {"product_id": product.pk, "quantity": "1", "vat_rate": "9"},
        format="json",
    )
    assert added.status_code == 201, added.data
    accepted = api.post(f"/api/v1/quotes/{quote['id']}/accept", {}, format="json")
    assert accepted.status_code == 201, accepted.data
    order_id = accepted.data["order"]["id"]
    remembered = list(OrderLineItem.objects.filter(order_id=order_id).values_list("vat_rate", "tax_category"))
    assert remembered == [(Decimal("0.00"), "AE"), (Decimal("9.00"), "S")]
    invoice = api.post(f"/api/v1/orders/{order_id}/invoices", {}, format="json")
    assert invoice.status_code == 201, invoice.data
    assert [(line["vat_rate"], line["tax_category"]) for line in invoice.data["line_items"]] == [
        ("0.00", "AE"),
        ("9.00", "S"),
    ]
    assert invoice.data["tax_total"] == "9.00"  # 9 % of the 100.00 line; nothing on the reverse-charge line


def test_an_order_without_a_quote_bills_at_the_standard_rate_unless_the_request_says_otherwise(api, user, in_org):
    from .factories import OrderFactory

    order = OrderFactory(owner=user, lines=[(Decimal("1"), Decimal("100.00"))])
    standard = api.post(
        f"/api/v1/orders/{order.pk}/invoices",
        {"lines": [{"order_line_id": order.line_items.first().pk, "quantity": "0.5"}]},
        format="json",
    )
    assert standard.status_code == 201, standard.data
    assert [(line["vat_rate"], line["tax_category"]) for line in standard.data["line_items"]] == [("20.00", "S")]
    zero = api.post(f"/api/v1/orders/{order.pk}/invoices", {"vat_rate": "0", "tax_category": "O"}, format="json")
    assert zero.status_code == 201, zero.data
    assert [(line["vat_rate"], line["tax_category"]) for line in zero.data["line_items"]] == [("0.00", "O")]
