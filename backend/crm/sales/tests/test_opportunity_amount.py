"""The stored opportunity amount: kept equal to the sum of the lines by every line change, in
the same transaction, and never writable by a client."""

from __future__ import annotations

import importlib
import json
import threading
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import IntegrityError, connection
from django.db.models import Sum

from crm.accounts.tests.factories import AccountFactory
from crm.audit.models import AuditEvent
from crm.core.errors import ApplicationError, VersionConflict
from crm.core.scoping import org_scope
from crm.sales.models import Opportunity, OpportunityLineItem
from crm.sales.selectors import opportunity_line_total
from crm.sales.services import opportunities as services

from .factories import OpportunityFactory, OpportunityLineItemFactory, ProductFactory

pytestmark = pytest.mark.django_db


def stored(opportunity) -> Decimal:
    return Opportunity.all_orgs.values_list("amount", flat=True).get(pk=opportunity.pk)


def assert_amount(opportunity, expected: str) -> None:
    assert stored(opportunity) == Decimal(expected)
    with org_scope(opportunity.organization_id):
        assert stored(opportunity) == opportunity_line_total(opportunity_id=opportunity.pk)


class TestLineChangesStoreTheAmount:
    def test_add_update_and_delete(self, user, admin, in_org):
        product = ProductFactory(owner=admin, standard_list_price=Decimal("1200.00"))
        opportunity = OpportunityFactory(owner=user)
        # when two lines are added
        first = services.line_item_add(
            opportunity_id=opportunity.pk, data={"product": product, "quantity": Decimal("2")}, actor=user
        )
        assert first.amount == Decimal("2400.00")
        assert_amount(opportunity, "2400.00")
        second = services.line_item_add(
            opportunity_id=opportunity.pk,
            data={"product": product, "quantity": Decimal("1"), "sale_price": Decimal("99.99")},
            actor=user,
        )
        assert second.amount == Decimal("2499.99")
        assert_amount(opportunity, "2499.99")
        # when a quantity and then a price change
        by_quantity = services.line_item_update(
            opportunity_id=opportunity.pk,
            line_item_id=first.line_item.pk,
            data={"quantity": Decimal("3.5")},
            expected_version=1,
            actor=user,
        )
        assert by_quantity.amount == Decimal("4299.99")
        assert_amount(opportunity, "4299.99")
        by_price = services.line_item_update(
            opportunity_id=opportunity.pk,
            line_item_id=second.line_item.pk,
            data={"sale_price": Decimal("0.01")},
            expected_version=1,
            actor=user,
        )
        assert by_price.amount == Decimal("4200.01")
        assert_amount(opportunity, "4200.01")
        # when the lines are removed
        services.line_item_delete(
            opportunity_id=opportunity.pk, line_item_id=first.line_item.pk, expected_version=2, actor=user
        )
        assert_amount(opportunity, "0.01")
        gone = services.line_item_delete(
            opportunity_id=opportunity.pk, line_item_id=second.line_item.pk, expected_version=2, actor=user
        )
        assert gone.amount == Decimal("0.00")
        assert gone.opportunity.amount == Decimal("0.00")
        assert_amount(opportunity, "0.00")
        assert stored(opportunity).as_tuple().exponent == -2

    def test_other_opportunities_keep_their_amounts(self, user, admin, in_org):
        product = ProductFactory(owner=admin, standard_list_price=Decimal("10.00"))
        neighbour = OpportunityFactory(owner=user)
        OpportunityLineItemFactory(opportunity=neighbour, quantity=Decimal("4"), sale_price=Decimal("25.00"))
        opportunity = OpportunityFactory(owner=user)
        services.line_item_add(opportunity_id=opportunity.pk, data={"product": product, "quantity": 1}, actor=user)
        assert_amount(opportunity, "10.00")
        assert_amount(neighbour, "100.00")

    def test_the_audit_event_records_the_amount_change_in_one_event(self, user, admin, in_org):
        product = ProductFactory(owner=admin, standard_list_price=Decimal("500.00"))
        opportunity = OpportunityFactory(owner=user)
        added = services.line_item_add(
            opportunity_id=opportunity.pk, data={"product": product, "quantity": 2}, actor=user
        )
        services.line_item_update(
            opportunity_id=opportunity.pk,
            line_item_id=added.line_item.pk,
            data={"description": "Two pages"},
            expected_version=1,
            actor=user,
        )
        events = list(
            AuditEvent.all_orgs.filter(object_id=opportunity.pk, action=AuditEvent.Action.ACTION).order_by("id")
        )
        assert [event.name for event in events] == ["opportunity.line_item_add", "opportunity.line_item_update"]
        assert events[0].changes["amount"] == ["0.00", "1000.00"]
        # a change that leaves the amount alone does not mention it
        assert "amount" not in events[1].changes
        assert events[1].changes["line_item"][1]["description"] == "Two pages"

    def test_an_unchanged_line_changes_neither_amount_nor_version(self, user, in_org):
        line = OpportunityLineItemFactory(
            opportunity=OpportunityFactory(owner=user), quantity=Decimal("2"), sale_price=Decimal("150.00")
        )
        change = services.line_item_update(
            opportunity_id=line.opportunity_id,
            line_item_id=line.pk,
            data={"quantity": Decimal("2"), "sale_price": Decimal("150.00")},
            expected_version=1,
            actor=user,
        )
        assert change.amount == Decimal("300.00")
        assert change.opportunity.version == 1
        assert OpportunityLineItem.objects.get(pk=line.pk).version == 1
        assert_amount(line.opportunity, "300.00")
        assert not AuditEvent.all_orgs.filter(object_id=line.opportunity_id, action=AuditEvent.Action.ACTION).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_line_changes_end_with_the_sum_of_all_lines(org, user, admin):
    # given a deal with one line and two clients adding a line each at the same moment
    with org_scope(org.pk):
        opportunity = OpportunityFactory(owner=user)
        OpportunityLineItemFactory(opportunity=opportunity, quantity=Decimal("1"), sale_price=Decimal("100.00"))
        product = ProductFactory(owner=admin, standard_list_price=Decimal("1.00"))
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def add(quantity: int) -> None:
        try:
            with org_scope(org.pk):
                barrier.wait(timeout=10)
                services.line_item_add(
                    opportunity_id=opportunity.pk,
                    data={"product": product, "quantity": Decimal(quantity), "sale_price": Decimal("10.00")},
                    actor=user,
                )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=add, args=(quantity,)) for quantity in (2, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # then both lines count, once each, and the opportunity's own fields stay current for its readers
    assert errors == []
    assert_amount(opportunity, "170.00")
    assert Opportunity.all_orgs.get(pk=opportunity.pk).version == 1


class TestFailedChangesLeaveTheAmount:
    @pytest.fixture
    def deal(self, user):
        opportunity = OpportunityFactory(owner=user)
        line = OpportunityLineItemFactory(opportunity=opportunity, quantity=Decimal("2"), sale_price=Decimal("300.00"))
        return opportunity, line

    def test_a_stale_line_version(self, deal, user, in_org):
        opportunity, line = deal
        with pytest.raises(VersionConflict):
            services.line_item_update(
                opportunity_id=opportunity.pk,
                line_item_id=line.pk,
                data={"quantity": Decimal("5")},
                actor=user,
                expected_version=9,
            )
        with pytest.raises(VersionConflict):
            services.line_item_delete(
                opportunity_id=opportunity.pk, line_item_id=line.pk, actor=user, expected_version=9
            )
        assert_amount(opportunity, "600.00")
        assert OpportunityLineItem.objects.get(pk=line.pk).quantity == Decimal("2")

    def test_an_inactive_product(self, deal, user, admin, in_org):
        opportunity, _ = deal
        product = ProductFactory(owner=admin, is_active=False)
        with pytest.raises(ApplicationError) as error:
            services.line_item_add(opportunity_id=opportunity.pk, data={"product": product, "quantity": 1}, actor=user)
        assert error.value.code == "inactive_product"
        assert_amount(opportunity, "600.00")

    def test_a_line_the_database_refuses(self, deal, user, in_org):
        opportunity, line = deal
        with pytest.raises(IntegrityError):
            services.line_item_update(
                opportunity_id=opportunity.pk,
                line_item_id=line.pk,
                data={"sale_price": Decimal("-5.00")},
                expected_version=1,
                actor=user,
            )
        assert_amount(opportunity, "600.00")

    def test_a_failure_after_the_amount_was_written_rolls_it_back(self, deal, user, monkeypatch, in_org):
        # given the audit write fails after the line and the amount were updated
        opportunity, line = deal

        def broken(**kwargs):
            raise RuntimeError("audit store unavailable")

        monkeypatch.setattr(services.audit, "write_event", broken)
        # when a line changes
        with pytest.raises(RuntimeError):
            services.line_item_update(
                opportunity_id=opportunity.pk,
                line_item_id=line.pk,
                data={"quantity": Decimal("7")},
                expected_version=1,
                actor=user,
            )
        # then nothing of it stays
        assert_amount(opportunity, "600.00")
        assert OpportunityLineItem.objects.get(pk=line.pk).version == 1


class TestClientsCannotWriteTheAmount:
    def test_create(self, api, user):
        account = AccountFactory(owner=user)
        response = api.post(
            "/api/v1/opportunities",
            {"name": "Shop", "stage": "Qualifying", "account_id": account.pk, "amount": "99999.00"},
            format="json",
        )
        assert response.status_code == 201, response.data
        assert response.data["amount"] == "0.00"
        assert Opportunity.all_orgs.get(pk=response.data["id"]).amount == Decimal("0.00")

    @pytest.mark.parametrize("method", ["put", "patch"])
    def test_update(self, api, user, method):
        opportunity = OpportunityFactory(owner=user)
        OpportunityLineItemFactory(opportunity=opportunity, quantity=Decimal("1"), sale_price=Decimal("750.00"))
        url = f"/api/v1/opportunities/{opportunity.pk}"
        only_amount = getattr(api, method)(url, {"amount": "1.00", "version": 1}, format="json")
        assert only_amount.status_code == 200, only_amount.data
        assert only_amount.data["amount"] == "750.00"
        assert only_amount.data["version"] == 1
        with_name = getattr(api, method)(url, {"name": "Renamed", "amount": "1.00", "version": 1}, format="json")
        assert with_name.status_code == 200, with_name.data
        assert with_name.data["amount"] == "750.00"
        assert with_name.data["name"] == "Renamed"
        assert_amount(opportunity, "750.00")
        update = AuditEvent.all_orgs.get(object_id=opportunity.pk, action=AuditEvent.Action.UPDATE)
        assert set(update.changes) == {"name"}

    def test_the_schema_marks_it_read_only(self, anon, db):
        response = anon.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        schemas = json.loads(response.content)["components"]["schemas"]
        for name in ("Opportunity", "OpportunityDetail", "OpportunityCard", "AccountOpportunity"):
            assert schemas[name]["properties"]["amount"]["readOnly"] is True, name
        # the bodies a client sends (create, update) have no amount at all
        for name in ("OpportunityRequest", "PatchedOpportunityRequest"):
            assert "name" in schemas[name]["properties"]
            assert "amount" not in schemas[name]["properties"], name


def test_the_migration_backfills_amounts_from_the_lines(user, other_user, org, other_org):
    # given opportunities whose stored amounts are wrong (as before the column existed)
    with org_scope(org.pk):
        several = OpportunityFactory(owner=user)
        OpportunityLineItemFactory(opportunity=several, quantity=Decimal("3"), sale_price=Decimal("333.33"))
        OpportunityLineItemFactory(opportunity=several, quantity=Decimal("0.5"), sale_price=Decimal("10.00"))
        empty = OpportunityFactory(owner=user)
    with org_scope(other_org.pk):
        foreign = OpportunityFactory(owner=other_user)
        OpportunityLineItemFactory(opportunity=foreign, quantity=Decimal("2"), sale_price=Decimal("40.00"))
    Opportunity.all_orgs.filter(pk__in=[several.pk, foreign.pk]).update(amount=Decimal("0.00"))
    Opportunity.all_orgs.filter(pk=empty.pk).update(amount=Decimal("12.34"))
    # when the migration's backfill runs
    migration = importlib.import_module("crm.sales.migrations.0003_opportunity_amount")
    migration.backfill_amounts(apps, SimpleNamespace(connection=connection))
    # then every amount is the sum of its lines
    assert stored(several) == Decimal("1004.99")
    assert stored(empty) == Decimal("0.00")
    assert stored(foreign) == Decimal("80.00")


class TestPipelineTotals:
    def test_column_amounts_are_the_sums_of_the_stored_amounts(self, api, user, admin):
        # given deals in several stages, owners and sizes, one of them deactivated
        for stage, owner, prices in [
            ("Qualifying", user, ["100.00", "0.50"]),
            ("Qualifying", admin, ["2000.00"]),
            ("Proposal", user, []),
            ("Negotiation", admin, ["19.99", "19.99", "0.02"]),
            ("Closed Won", user, ["5000.00"]),
        ]:
            deal = OpportunityFactory(owner=owner, stage=stage)
            for price in prices:
                OpportunityLineItemFactory(opportunity=deal, quantity=Decimal("2"), sale_price=Decimal(price))
        hidden = OpportunityFactory(owner=user, stage="Closed Won", is_active=False)
        OpportunityLineItemFactory(opportunity=hidden, quantity=Decimal("1"), sale_price=Decimal("777.00"))

        def expected(**filters):
            rows = (
                Opportunity.all_orgs.filter(organization=user.organization, is_active=True, **filters)
                .values("stage")
                .annotate(total=Sum("amount"))
            )
            return {row["stage"]: f"{row['total']:.2f}" for row in rows}

        # when the board is read, for everybody and for one owner
        columns = {c["name"]: c for c in api.get("/api/v1/opportunities/pipeline").data["stages"]}
        mine = {c["name"]: c for c in api.get("/api/v1/opportunities/pipeline", {"owner": "me"}).data["stages"]}
        # then each column's amount is the sum of its deals' amounts
        assert {name: c["amount"] for name, c in columns.items() if c["count"]} == expected()
        assert columns["Qualifying"]["amount"] == "4201.00"
        assert columns["Negotiation"]["amount"] == "80.00"
        assert columns["Closed Won"]["amount"] == "10000.00"
        assert (columns["Proposal"]["count"], columns["Proposal"]["amount"]) == (1, "0.00")
        assert columns["Closed Lost"]["amount"] == "0.00"
        assert {name: c["amount"] for name, c in mine.items() if c["count"]} == expected(owner=user)
        assert mine["Qualifying"]["amount"] == "201.00"
        for column in columns.values():
            assert column["amount"] == f"{sum(Decimal(card['amount']) for card in column['opportunities']):.2f}"

    def test_the_totals_are_one_grouped_query_without_the_lines(self, api, user):
        OpportunityLineItemFactory(opportunity=OpportunityFactory(owner=user))
        recorder = _Recorder()
        with connection.execute_wrapper(recorder):
            api.get("/api/v1/opportunities/pipeline")
        touching = [sql for sql in recorder.sql if "sales_opportunity" in sql]
        assert not any("sales_opportunitylineitem" in sql for sql in touching), touching
        grouped = [sql for sql in touching if "GROUP BY" in sql]
        assert len(grouped) == 1, grouped
        assert "COUNT(" in grouped[0]
        assert 'SUM("sales_opportunity"."amount")' in grouped[0]


class _Recorder:
    def __init__(self) -> None:
        self.sql: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        self.sql.append(sql)
        return execute(sql, params, many, context)
