from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from conftest import client_for, make_user

from crm.accounts.tests.factories import AccountFactory, ContactFactory
from crm.audit.models import AuditEvent
from crm.identity.models import Role
from crm.records.testing import count_queries
from crm.sales.models import OpportunityLineItem, OpportunityStage

from .factories import (
    OpportunityContactRoleFactory,
    OpportunityFactory,
    OpportunityLineItemFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db


def lines_url(opportunity, item=None):
    url = f"/api/v1/opportunities/{opportunity.pk}/line_items"
    return f"{url}/{item}" if item is not None else url


def roles_url(opportunity, role=None):
    url = f"/api/v1/opportunities/{opportunity.pk}/contact_roles"
    return f"{url}/{role}" if role is not None else url


class TestOpportunityRecord:
    def test_create_sets_probability_from_the_stage(self, api, user):
        account = AccountFactory(owner=user)
        response = api.post(
            "/api/v1/opportunities",
            {"name": "New Website Build", "stage": "Negotiation", "account_id": account.pk, "probability": 3},
            format="json",
        )
        assert response.status_code == 201, response.data
        assert response.data["probability"] == 75
        assert response.data["amount"] == "0.00"
        assert response.data["account_name"] == account.name
        assert response.data["line_items"] == []
        assert response.data["contact_roles"] == []

    def test_create_requires_name_stage_and_account(self, api):
        response = api.post("/api/v1/opportunities", {}, format="json")
        assert response.status_code == 400
        assert {"name", "stage", "account_id"} <= set(response.data["errors"])

    def test_inactive_stage_is_refused(self, api, user, org):
        OpportunityStage.all_orgs.filter(organization=org, name="Proposal").update(is_active=False)
        account = AccountFactory(owner=user)
        response = api.post(
            "/api/v1/opportunities", {"name": "X", "stage": "Proposal", "account_id": account.pk}, format="json"
        )
        assert response.status_code == 400
        assert "stage" in response.data["errors"]

    def test_account_of_another_organization_is_refused(self, api, other_user):
        foreign = AccountFactory(owner=other_user)
        response = api.post(
            "/api/v1/opportunities", {"name": "X", "stage": "Qualifying", "account_id": foreign.pk}, format="json"
        )
        assert response.status_code == 400
        assert "account_id" in response.data["errors"]

    def test_stage_change_updates_probability(self, api, user):
        opportunity = OpportunityFactory(owner=user)
        response = api.patch(
            f"/api/v1/opportunities/{opportunity.pk}", {"stage": "Closed Won", "version": 1}, format="json"
        )
        assert response.status_code == 200, response.data
        assert response.data["probability"] == 100
        assert response.data["version"] == 2
        event = AuditEvent.all_orgs.filter(object_id=opportunity.pk, action="update").get()
        assert event.changes["probability"] == [10, 100]

    def test_unknown_stage_on_update_is_a_field_error(self, api, user):
        opportunity = OpportunityFactory(owner=user)
        response = api.patch(f"/api/v1/opportunities/{opportunity.pk}", {"stage": "Maybe", "version": 1}, format="json")
        assert response.status_code == 400
        assert "stage" in response.data["errors"]

    def test_probability_is_read_only(self, api, user):
        opportunity = OpportunityFactory(owner=user)
        response = api.patch(
            f"/api/v1/opportunities/{opportunity.pk}", {"probability": 99, "name": "Y", "version": 1}, format="json"
        )
        assert response.status_code == 200
        assert response.data["probability"] == 10

    def test_amount_is_the_sum_of_lines_on_list_and_detail(self, api, user):
        opportunity = OpportunityFactory(owner=user)
        OpportunityLineItemFactory(opportunity=opportunity, quantity=Decimal("2"), sale_price=Decimal("1500.00"))
        OpportunityLineItemFactory(opportunity=opportunity, quantity=Decimal("1"), sale_price=Decimal("250.50"))
        empty = OpportunityFactory(owner=user)
        rows = {row["id"]: row for row in api.get("/api/v1/opportunities").data["results"]}
        assert rows[opportunity.pk]["amount"] == "3250.50"
        assert rows[empty.pk]["amount"] == "0.00"
        assert rows[opportunity.pk]["account_name"] == opportunity.account.name
        detail = api.get(f"/api/v1/opportunities/{opportunity.pk}").data
        assert detail["amount"] == "3250.50"
        assert [line["total"] for line in detail["line_items"]] == ["3000.00", "250.50"]
        assert detail["line_items"][0]["product_name"]

    def test_filters_search_and_ordering(self, api, user, admin):
        acme = AccountFactory(owner=user, name="AAA Acme Logistics")
        big = OpportunityFactory(owner=user, account=acme, name="Shop", close_date=datetime.date(2030, 1, 10))
        OpportunityLineItemFactory(opportunity=big, quantity=1, sale_price=Decimal("9000"))
        won = OpportunityFactory(
            owner=admin, name="Hosting", stage="Closed Won", probability=100, close_date=datetime.date(2030, 3, 1)
        )
        small = OpportunityFactory(owner=user, name="Logo", close_date=datetime.date(2030, 2, 1))
        OpportunityLineItemFactory(opportunity=small, quantity=1, sale_price=Decimal("800"))

        def ids(**params):
            response = api.get("/api/v1/opportunities", params)
            assert response.status_code == 200, response.data
            return [row["id"] for row in response.data["results"]]

        assert ids(ordering="-amount") == [big.pk, small.pk, won.pk]
        assert ids(ordering="amount")[0] == won.pk
        assert ids(stage="Closed Won") == [won.pk]
        assert ids(is_closed="true") == [won.pk]
        assert set(ids(is_closed="false")) == {big.pk, small.pk}
        assert set(ids(owner="me")) == {big.pk, small.pk}
        assert ids(account_id=acme.pk) == [big.pk]
        assert ids(close_date_after="2030-01-15", close_date_before="2030-02-15") == [small.pk]
        assert ids(search="acme") == [big.pk]
        assert ids(search="logo") == [small.pk]
        assert ids(ordering="close_date") == [big.pk, small.pk, won.pk]
        assert ids(ordering="account_name")[0] == big.pk
        cursor = api.get("/api/v1/opportunities", {"ordering": "-amount", "cursor": "", "page_size": 2}).data
        assert [row["id"] for row in cursor["results"]] == [big.pk, small.pk]
        rest = api.get("/api/v1/opportunities", {"ordering": "-amount", "cursor": cursor["next_cursor"]}).data
        assert [row["id"] for row in rest["results"]] == [won.pk]

    def test_detail_includes_contact_roles(self, api, user):
        role = OpportunityContactRoleFactory(opportunity=OpportunityFactory(owner=user))
        detail = api.get(f"/api/v1/opportunities/{role.opportunity_id}").data
        assert detail["contact_roles"][0]["contact_name"] == str(role.contact)
        assert detail["contact_roles"][0]["role"] == "Decision Maker"

    def test_list_amount_queries_do_not_grow(self, api, user):
        OpportunityLineItemFactory(opportunity=OpportunityFactory(owner=user))
        api.get("/api/v1/opportunities")
        with count_queries() as one:
            api.get("/api/v1/opportunities")
        for _ in range(10):
            opportunity = OpportunityFactory(owner=user)
            OpportunityLineItemFactory(opportunity=opportunity)
            OpportunityLineItemFactory(opportunity=opportunity)
        with count_queries() as many:
            response = api.get("/api/v1/opportunities")
        assert len(response.data["results"]) == 11
        assert one.count == many.count


class TestLineItems:
    def test_seed_example_discount_from_5000_to_4500(self, api, user, admin):
        product = ProductFactory(owner=admin, name="New Website Build", standard_list_price=Decimal("5000.00"))
        opportunity = OpportunityFactory(owner=user)
        # given a line at the list price
        created = api.post(lines_url(opportunity), {"product_id": product.pk, "quantity": 1}, format="json")
        assert created.status_code == 201, created.data
        assert created.data["sale_price"] == "5000.00"
        assert created.data["product"] == {"id": product.pk, "name": "New Website Build"}
        assert created.data["opportunity_amount"] == "5000.00"
        assert (created.data["version"], created.data["opportunity_version"]) == (1, 1)
        # when the salesperson gives a discount
        updated = api.put(
            lines_url(opportunity, created.data["id"]),
            {"sale_price": "4500.00", "version": 1},
            format="json",
        )
        # then the amount follows
        assert updated.status_code == 200, updated.data
        assert updated.data["sale_price"] == "4500.00"
        assert updated.data["opportunity_amount"] == "4500.00"
        assert (updated.data["version"], updated.data["opportunity_version"]) == (2, 1)
        assert api.get(f"/api/v1/opportunities/{opportunity.pk}").data["amount"] == "4500.00"
        names = list(
            AuditEvent.all_orgs.filter(object_id=opportunity.pk, action="action").values_list("name", flat=True)
        )
        assert set(names) == {"opportunity.line_item_add", "opportunity.line_item_update"}

    def test_list_lines(self, api, user):
        line = OpportunityLineItemFactory(opportunity=OpportunityFactory(owner=user))
        response = api.get(lines_url(line.opportunity))
        assert response.status_code == 200
        assert [row["id"] for row in response.data] == [line.pk]

    def test_validation(self, api, user, admin):
        product = ProductFactory(owner=admin)
        opportunity = OpportunityFactory(owner=user)
        bad = api.post(
            lines_url(opportunity), {"product_id": product.pk, "quantity": 0, "sale_price": "-1"}, format="json"
        )
        assert bad.status_code == 400
        assert {"quantity", "sale_price"} <= set(bad.data["errors"])
        missing = api.post(lines_url(opportunity), {}, format="json")
        assert {"product_id", "quantity"} <= set(missing.data["errors"])
        assert not OpportunityLineItem.all_orgs.filter(opportunity=opportunity).exists()
        opportunity.refresh_from_db()
        assert opportunity.version == 1

    def test_inactive_product_is_refused_for_new_lines_but_kept_on_old_ones(self, api, user, admin):
        product = ProductFactory(owner=admin, is_active=False)
        opportunity = OpportunityFactory(owner=user)
        response = api.post(lines_url(opportunity), {"product_id": product.pk, "quantity": 1}, format="json")
        assert response.status_code == 400
        assert "product_id" in response.data["errors"]
        old = OpportunityLineItemFactory(opportunity=opportunity, product=product)
        edit = api.patch(
            lines_url(opportunity, old.pk), {"quantity": "3", "product_id": product.pk, "version": 1}, format="json"
        )
        assert edit.status_code == 200, edit.data
        assert edit.data["quantity"] == "3.00"

    def test_product_of_another_organization_is_refused(self, api, user, other_user):
        foreign = ProductFactory(owner=other_user)
        opportunity = OpportunityFactory(owner=user)
        response = api.post(lines_url(opportunity), {"product_id": foreign.pk, "quantity": 1}, format="json")
        assert response.status_code == 400
        assert "product_id" in response.data["errors"]

    @pytest.mark.parametrize("method", ["put", "patch", "delete"])
    def test_an_edit_or_removal_needs_the_line_version(self, api, user, method):
        line = OpportunityLineItemFactory(opportunity=OpportunityFactory(owner=user), quantity=Decimal("2"))
        body = {} if method == "delete" else {"quantity": "5"}
        response = getattr(api, method)(lines_url(line.opportunity, line.pk), body, format="json")
        assert (response.status_code, response.data["code"]) == (400, "validation_error")
        assert response.data["errors"]["version"] == ["This field is required."]
        line.refresh_from_db()
        assert (line.quantity, line.version) == (Decimal("2"), 1)

    @pytest.mark.parametrize("method", ["put", "patch", "delete"])
    def test_a_stale_line_version_is_a_conflict(self, api, user, method):
        line = OpportunityLineItemFactory(opportunity=OpportunityFactory(owner=user), quantity=Decimal("2"))
        edited = api.patch(lines_url(line.opportunity, line.pk), {"quantity": "3", "version": 1}, format="json")
        assert edited.data["version"] == 2
        body = {"version": 1} if method == "delete" else {"quantity": "5", "version": 1}
        response = getattr(api, method)(lines_url(line.opportunity, line.pk), body, format="json")
        assert (response.status_code, response.data["code"], response.data["current_version"]) == (
            409,
            "version_conflict",
            2,
        )
        line.refresh_from_db()
        assert (line.quantity, line.version) == (Decimal("3"), 2)

    def test_a_line_change_leaves_the_open_opportunity_saveable(self, api, user, admin):
        # given A read the opportunity, then B added a product
        opportunity = OpportunityFactory(owner=user)
        read = api.get(f"/api/v1/opportunities/{opportunity.pk}").data
        product = ProductFactory(owner=admin, standard_list_price=Decimal("1250.00"))
        other = client_for(admin)
        assert (
            other.post(lines_url(opportunity), {"product_id": product.pk, "quantity": 2}, format="json").status_code
            == 201
        )
        # when A saves the description with the version A read
        saved = api.patch(
            f"/api/v1/opportunities/{opportunity.pk}",
            {"description": "Signed on Friday", "version": read["version"]},
            format="json",
        )
        # then it is saved, and the amount includes B's line
        assert saved.status_code == 200, saved.data
        assert (saved.data["description"], saved.data["amount"]) == ("Signed on Friday", "2500.00")

    def test_delete_line(self, api, user):
        opportunity = OpportunityFactory(owner=user)
        keep = OpportunityLineItemFactory(opportunity=opportunity, sale_price=Decimal("100"))
        gone = OpportunityLineItemFactory(opportunity=opportunity, sale_price=Decimal("900"))
        stale = api.delete(lines_url(opportunity, gone.pk) + "?version=5")
        assert (stale.status_code, stale.data["current_version"]) == (409, 1)
        response = api.delete(lines_url(opportunity, gone.pk), {"version": 1}, format="json")
        assert response.status_code == 200, response.data
        assert response.data == {
            "opportunity_id": opportunity.pk,
            "opportunity_amount": "100.00",
            "opportunity_version": 1,
        }
        assert list(OpportunityLineItem.all_orgs.filter(opportunity=opportunity)) == [keep]
        assert api.delete(lines_url(opportunity, gone.pk) + "?version=1").status_code == 404

    def test_line_of_another_opportunity_is_404(self, api, user):
        line = OpportunityLineItemFactory(opportunity=OpportunityFactory(owner=user))
        other = OpportunityFactory(owner=user)
        assert api.patch(lines_url(other, line.pk), {"quantity": 2}, format="json").status_code == 404

    def test_other_organization_gets_404(self, user, other_api, other_user):
        line = OpportunityLineItemFactory(opportunity=OpportunityFactory(owner=user))
        product = ProductFactory(owner=other_user)
        assert other_api.get(lines_url(line.opportunity)).status_code == 404
        post = other_api.post(lines_url(line.opportunity), {"product_id": product.pk, "quantity": 1}, format="json")
        assert post.status_code == 404
        assert other_api.patch(lines_url(line.opportunity, line.pk), {"quantity": 2}, format="json").status_code == 404
        assert other_api.delete(lines_url(line.opportunity, line.pk)).status_code == 404
        line.refresh_from_db()
        assert line.quantity == 1

    def test_anonymous_gets_401(self, anon, user):
        line = OpportunityLineItemFactory(opportunity=OpportunityFactory(owner=user))
        assert anon.get(lines_url(line.opportunity)).status_code == 401
        assert anon.delete(lines_url(line.opportunity, line.pk)).status_code == 401


class TestContactRoles:
    def test_add_list_and_remove(self, api, user):
        opportunity = OpportunityFactory(owner=user)
        contact = ContactFactory(owner=user, account=opportunity.account)
        response = api.post(
            roles_url(opportunity),
            {"contact_id": contact.pk, "role": "Decision Maker", "is_primary": True},
            format="json",
        )
        assert response.status_code == 201, response.data
        assert response.data["contact_name"] == str(contact)
        assert response.data["role"] == "Decision Maker"
        assert [row["id"] for row in api.get(roles_url(opportunity)).data] == [response.data["id"]]
        duplicate = api.post(
            roles_url(opportunity), {"contact_id": contact.pk, "role": "Decision Maker"}, format="json"
        )
        assert duplicate.status_code == 400
        assert api.delete(roles_url(opportunity, response.data["id"])).status_code == 204
        assert api.get(roles_url(opportunity)).data == []
        names = set(AuditEvent.all_orgs.filter(object_id=opportunity.pk).values_list("name", flat=True))
        assert {"opportunity.contact_role_add", "opportunity.contact_role_delete"} <= names

    def test_contact_of_another_account_is_refused(self, api, user):
        opportunity = OpportunityFactory(owner=user)
        stranger = ContactFactory(owner=user)
        response = api.post(roles_url(opportunity), {"contact_id": stranger.pk, "role": "Influencer"}, format="json")
        assert response.status_code == 400
        assert "contact_id" in response.data["errors"]

    def test_unknown_role_is_refused(self, api, user):
        opportunity = OpportunityFactory(owner=user)
        contact = ContactFactory(owner=user, account=opportunity.account)
        response = api.post(roles_url(opportunity), {"contact_id": contact.pk, "role": "Boss"}, format="json")
        assert response.status_code == 400
        assert "role" in response.data["errors"]

    def test_other_organization_gets_404(self, user, other_api):
        role = OpportunityContactRoleFactory(opportunity=OpportunityFactory(owner=user))
        assert other_api.get(roles_url(role.opportunity)).status_code == 404
        assert other_api.delete(roles_url(role.opportunity, role.pk)).status_code == 404


class TestPipeline:
    def test_columns_counts_sums_and_cards(self, api, user, admin):
        deals = [OpportunityFactory(owner=user, stage="Proposal", probability=50) for _ in range(3)]
        for deal in deals:
            OpportunityLineItemFactory(opportunity=deal, quantity=2, sale_price=Decimal("100"))
        OpportunityFactory(owner=admin, stage="Closed Won", probability=100)
        OpportunityFactory(owner=user, stage="Proposal", is_active=False)
        response = api.get("/api/v1/opportunities/pipeline")
        assert response.status_code == 200, response.data
        columns = {c["name"]: c for c in response.data["stages"]}
        assert list(columns) == ["Qualifying", "Proposal", "Negotiation", "Closed Won", "Closed Lost"]
        assert columns["Proposal"]["count"] == 3
        assert columns["Proposal"]["amount"] == "600.00"
        assert columns["Proposal"]["probability"] == 50
        assert columns["Closed Won"]["count"] == 1
        assert columns["Closed Won"]["is_won"] is True
        assert columns["Qualifying"]["count"] == 0
        assert columns["Qualifying"]["amount"] == "0.00"
        card = columns["Proposal"]["opportunities"][0]
        assert set(card) == {
            "id",
            "name",
            "account_id",
            "account_name",
            "amount",
            "close_date",
            "owner_name",
            "version",
        }
        assert card["amount"] == "200.00"
        mine = {
            c["name"]: c["count"] for c in api.get("/api/v1/opportunities/pipeline", {"owner": "me"}).data["stages"]
        }
        assert mine["Closed Won"] == 0
        assert mine["Proposal"] == 3

    def test_limit_per_stage_and_load_more(self, api, user):
        deals = [OpportunityFactory(owner=user, close_date=datetime.date(2030, 1, day)) for day in range(1, 6)]
        first = api.get("/api/v1/opportunities/pipeline", {"limit_per_stage": 2}).data["stages"][0]
        assert first["count"] == 5
        assert [c["id"] for c in first["opportunities"]] == [deals[0].pk, deals[1].pk]
        more = api.get(
            "/api/v1/opportunities/pipeline", {"stage": "Qualifying", "offset": 2, "limit_per_stage": 2}
        ).data["stages"]
        assert len(more) == 1
        assert more[0]["count"] == 5
        assert [c["id"] for c in more[0]["opportunities"]] == [deals[2].pk, deals[3].pk]

    def test_bad_parameters(self, api):
        assert api.get("/api/v1/opportunities/pipeline", {"limit_per_stage": 500}).status_code == 400
        assert api.get("/api/v1/opportunities/pipeline", {"owner": "boss"}).status_code == 400

    def test_query_count_is_fixed(self, api, user):
        OpportunityLineItemFactory(opportunity=OpportunityFactory(owner=user))
        api.get("/api/v1/opportunities/pipeline")
        with count_queries() as one:
            api.get("/api/v1/opportunities/pipeline")
        for stage in ("Qualifying", "Proposal", "Negotiation", "Closed Won"):
            for _ in range(4):
                OpportunityLineItemFactory(opportunity=OpportunityFactory(owner=user, stage=stage))
        with count_queries() as many:
            response = api.get("/api/v1/opportunities/pipeline")
        assert sum(c["count"] for c in response.data["stages"]) == 17
        assert one.count == many.count
        # the session, the stages, the counts and sums of every column (one query), the cards
        assert many.count <= 5, [q["sql"] for q in many.captured_queries]

    def test_other_organization_sees_nothing(self, user, other_api):
        OpportunityFactory(owner=user)
        stages = other_api.get("/api/v1/opportunities/pipeline").data["stages"]
        assert sum(c["count"] for c in stages) == 0


class TestStageSettings:
    def test_everybody_reads_the_defaults(self, api):
        response = api.get("/api/v1/opportunity-stages")
        assert response.status_code == 200
        assert [(s["name"], s["probability"]) for s in response.data] == [
            ("Qualifying", 10),
            ("Proposal", 50),
            ("Negotiation", 75),
            ("Closed Won", 100),
            ("Closed Lost", 0),
        ]

    def test_only_admins_replace(self, api, org):
        body = [
            {"name": "Open", "probability": 20},
            {"name": "Won", "probability": 100, "is_closed": True, "is_won": True},
        ]
        assert api.put("/api/v1/opportunity-stages", body, format="json").status_code == 403
        manager = client_for(make_user(org, Role.MANAGER))
        assert manager.put("/api/v1/opportunity-stages", body, format="json").status_code == 403

    def test_anonymous_gets_401(self, anon):
        assert anon.get("/api/v1/opportunity-stages").status_code == 401

    def test_replace_reorders_adds_and_removes_unused(self, admin_api, admin, api, user):
        body = [
            {"name": "Discovery", "probability": 5},
            {"name": "Proposal", "probability": 40},
            {"name": "Closed Won", "probability": 100, "is_closed": True, "is_won": True},
            {"name": "Closed Lost", "probability": 0, "is_closed": True},
        ]
        response = admin_api.put("/api/v1/opportunity-stages", body, format="json")
        assert response.status_code == 200, response.data
        assert [s["name"] for s in response.data] == ["Discovery", "Proposal", "Closed Won", "Closed Lost"]
        assert AuditEvent.all_orgs.filter(name="opportunity_stages.replace").exists()
        account = AccountFactory(owner=user)
        created = api.post(
            "/api/v1/opportunities", {"name": "X", "stage": "Discovery", "account_id": account.pk}, format="json"
        )
        assert created.data["probability"] == 5
        assert (
            api.post(
                "/api/v1/opportunities", {"name": "X", "stage": "Qualifying", "account_id": account.pk}, format="json"
            ).status_code
            == 400
        )

    def test_a_used_stage_cannot_be_removed_only_deactivated(self, admin_api, user, org):
        OpportunityFactory(owner=user, stage="Negotiation")
        without = [
            {"name": "Qualifying", "probability": 10},
            {"name": "Closed Won", "probability": 100, "is_closed": True, "is_won": True},
        ]
        refused = admin_api.put("/api/v1/opportunity-stages", without, format="json")
        assert refused.status_code == 400
        assert "Negotiation" in refused.data["message"]
        assert len(admin_api.get("/api/v1/opportunity-stages").data) == 5
        deactivated = [*without, {"name": "Negotiation", "probability": 75, "is_active": False}]
        response = admin_api.put("/api/v1/opportunity-stages", deactivated, format="json")
        assert response.status_code == 200, response.data
        assert {s["name"]: s["is_active"] for s in response.data}["Negotiation"] is False

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            (
                [
                    {"name": "A", "probability": 10},
                    {"name": "a", "probability": 100, "is_closed": True, "is_won": True},
                ],
                "1.name",
            ),
            ([{"name": "Open", "probability": 10}, {"name": "Won", "probability": 100, "is_won": True}], "1.is_won"),
            ([{"name": "Open", "probability": 10}], "non_field_errors"),
            ([{"name": "Won", "probability": 100, "is_closed": True, "is_won": True}], "non_field_errors"),
            ([{"name": "Open", "probability": 101}], "0.probability"),
            ([{"name": "", "probability": 10}], "0.name"),
            ([], "non_field_errors"),
        ],
    )
    def test_validation(self, admin_api, body, field):
        response = admin_api.put("/api/v1/opportunity-stages", body, format="json")
        assert response.status_code == 400
        assert field in response.data["errors"], response.data


class TestAccountEmbed:
    def test_account_detail_lists_its_opportunities_with_amounts(self, api, user):
        account = AccountFactory(owner=user)
        deal = OpportunityFactory(owner=user, account=account)
        OpportunityLineItemFactory(opportunity=deal, quantity=3, sale_price=Decimal("100"))
        OpportunityFactory(owner=user)
        api.get(f"/api/v1/accounts/{account.pk}")
        with count_queries() as one:
            detail = api.get(f"/api/v1/accounts/{account.pk}").data
        assert [(row["id"], row["amount"]) for row in detail["opportunities"]] == [(deal.pk, "300.00")]
        for _ in range(5):
            OpportunityLineItemFactory(opportunity=OpportunityFactory(owner=user, account=account))
        with count_queries() as many:
            detail = api.get(f"/api/v1/accounts/{account.pk}").data
        assert len(detail["opportunities"]) == 6
        assert one.count == many.count
