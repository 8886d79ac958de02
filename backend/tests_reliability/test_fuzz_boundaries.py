"""Boundary fuzzing over the app's own OpenAPI schema: the values random generation rarely hits.

The Schemathesis run (test_fuzz_schema.py) draws typical values; the 500s found by probing sat at
the edges: bodies nested a hundred thousand levels deep, integers past a 64-bit id, dates at the
ends of the calendar, cursors edited by hand, and line totals past the amount column. Each test
here enumerates its targets from the schema (or the views behind it), so a new endpoint or
filter is covered without touching this file:

- every query parameter of every GET operation gets out-of-range integers, dates and date-times
  (by the parameter's documented type; untyped text gets all of them). Never a 5xx; a list
  filter documented as a number or a date answers 400 naming the parameter;
- every list, under its default ordering and each ordering it offers, gets cursors whose values
  are replaced, one position at a time, by values of the wrong type or out of range;
- every operation that takes a body gets one nested 100,000 levels deep: 400 ``too_deep``;
- line items and payments of sizes drawn up to and past their columns (hypothesis): 201/200 or a
  400 naming the fields with nothing changed, and every read of the stored amounts still works.
"""

from __future__ import annotations

import base64
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from conftest import client_for
from django.conf import settings as django_settings
from django.urls import resolve
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm.billing.tests.factories import OrderFactory
from crm.collections.models import BankStatement, BankTransaction, ReminderLevel
from crm.collections.services.reminders import reminder_levels_create_defaults
from crm.core.scoping import org_scope
from crm.invoicing.models import DocumentTemplate, InvoiceLineItem, QuoteLineItem
from crm.invoicing.services.templates import templates_ensure_defaults
from crm.marketing.models import CampaignMember
from crm.records.models import Tag
from crm.records.money import fits
from crm.records.testing import collect_contract_cases
from crm.sales.models import Opportunity, OpportunityLineItem
from crm.sales.tests.factories import OpportunityFactory, OpportunityLineItemFactory, ProductFactory
from tests_reliability.test_permission_matrix import AUTOMATION_TARGETS

INTEGERS = [str(2**63), str(-(2**63) - 1), "1" + "0" * 30]
DATES = ["9999-12-31", "0001-01-01"]
DATETIMES = [
    "9999-12-31T23:59:59-01:00",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59.999999",
    "0001-01-01T00:00:00",
]
# Text parameters may hold an id or a date in disguise (?owner=, ?end_date=).
TEXTS = [INTEGERS[0], DATES[0], DATETIMES[1]]
# Pagination answers 404 past the last page and caps the page size: not a filter value.
PAGING = {"page", "page_size"}
TAMPERED = ["abc", 2**63, -(2**63) - 1, 1.5, True, None, [], {"a": 1}, "9999-12-31T23:59:59-01:00", "1e999999"]
BY_TYPE = ["abc", 2**63, {"a": 1}, "9999-12-31T23:59:59-01:00", "1e999999"]
DEEP_BODY = "[" * 100_000 + "]" * 100_000


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(spec: dict[str, Any], method: str) -> list[tuple[str, dict[str, Any]]]:
    return [(path, item[method]) for path, item in sorted(spec["paths"].items()) if method in item]


def query_parameters(operation: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in operation.get("parameters", []) if p["in"] == "query"]


def is_list(operation: dict[str, Any]) -> bool:
    return {"page", "page_size"} <= {p["name"] for p in query_parameters(operation)}


def edge_values(parameter: dict[str, Any]) -> tuple[list[str], bool]:
    """The values to send, and whether the parameter's type makes each of them a 400."""
    schema = parameter.get("schema", {})
    kind, form = schema.get("type"), schema.get("format")
    if kind in ("integer", "number"):
        return INTEGERS, True
    if form == "date":
        return DATES, True
    if form == "date-time":
        return DATETIMES, True
    return TEXTS, False


def decode(cursor: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))


def encode(values: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.fixture
def rows(org, admin):
    """Two rows of every registered object (a cursor needs a second page), as the admin sees them."""
    made: dict[str, list[int]] = {}
    with org_scope(org.pk):
        for case in collect_contract_cases():
            made[case.object] = [case.make_record(org, admin).pk for _ in range(2)]
        opportunity = Opportunity.objects.get(pk=made["opportunity"][0])
        made["line_item"] = [OpportunityLineItemFactory(opportunity=opportunity).pk]
        for parent, model in (("quote", QuoteLineItem), ("invoice", InvoiceLineItem)):
            first = model.objects.filter(**{f"{parent}_id": made[parent][0]}).values_list("pk", flat=True).first()
            made[f"{parent}_line"] = [first or 0]
        templates_ensure_defaults()  # document templates are the organization's, made on first use
        made["document_template"] = [DocumentTemplate.objects.get(doc_type="invoice").pk]
        statement = BankStatement.objects.create(
            filename="fuzz.xml", format="camt053", sha256="0" * 64, created_by=admin
        )
        made["bank_statement"] = [statement.pk]
        made["bank_transaction"] = [
            BankTransaction.objects.create(
                statement=statement,
                dedupe_key=f"fuzz-{statement.pk}",
                booking_date=timezone.localdate(),
                amount=Decimal("10.00"),
                currency="EUR",
            ).pk
        ]
        reminder_levels_create_defaults()  # an organization initialiser; made here for this organization
        made["reminder_level"] = [ReminderLevel.objects.order_by("days_after_due").values_list("pk", flat=True)[0]]
        made["campaign_member"] = [
            CampaignMember.objects.create(
                organization_id=org.pk, campaign_id=made["campaign"][0], contact_id=made["contact"][0]
            ).pk
        ]
        for name, make in AUTOMATION_TARGETS.items():  # automation settings and runs: not records
            made[name] = [make(org, admin).pk]
        made["tag"] = [Tag.objects.create(name="Fuzz").pk]  # the organization's labels: not records
    made["user"] = [admin.pk]
    return made


def fill_path(path: str, rows: dict[str, list[int]]) -> str:
    """``path`` with its ids filled in from ``rows`` (by the collection the id belongs to)."""
    from crm.records.registry import registered

    by_collection = {meta.api_path: name for name, meta in registered().items()} | {
        "admin": "user",
        "users": "user",
        "document-templates": "document_template",
        "bank-statements": "bank_statement",
        "reminder-levels": "reminder_level",
        "bank-transactions": "bank_transaction",
        "web-forms": "web_form",
        "webhooks": "webhook",
        "workflows": "workflow",
        "workflow-runs": "workflow_run",
        "tags": "tag",
    }
    collection = path.removeprefix("/api/v1/").split("/", 1)[0]
    record = rows.get(by_collection.get(collection, ""), [1])[0]
    path = path.replace("{id}", str(record))
    path = path.replace("{item_id}", str(rows["line_item"][0]))
    path = path.replace("{member_id}", str(rows["campaign_member"][0]))
    if collection in ("quotes", "invoices"):
        path = path.replace("{line_id}", str(rows[f"{collection[:-1]}_line"][0]))
    return re.sub(r"\{[a-z_]+\}", "1", path)


@pytest.mark.django_db
def test_every_query_parameter_survives_out_of_range_values(spec, rows, admin, figure):
    client = client_for(admin)
    sent = strict = 0
    for path, operation in operations(spec, "get"):
        listing = is_list(operation)
        url = fill_path(path, rows)
        for parameter in query_parameters(operation):
            name = parameter["name"]
            values, typed = edge_values(parameter)
            for value in values:
                response = client.get(url, {name: value})
                sent += 1
                assert response.status_code < 500, (path, name, value, response.status_code)
                if listing and typed and name not in PAGING:
                    strict += 1
                    assert response.status_code == 400, (path, name, value, response.status_code)
                    assert name in response.data["errors"], (path, name, value, response.data)
    figure("boundary query requests (of which must-be-400)", f"{sent} ({strict})")


@pytest.mark.django_db
def test_every_list_refuses_tampered_cursors(spec, rows, admin, figure):
    client = client_for(admin)
    sent = lists = 0
    for path, operation in operations(spec, "get"):
        if not is_list(operation) or "{" in path:
            continue
        view = resolve(path).func.cls
        if not hasattr(view, "list"):  # a report with pages of its own
            continue
        orderings = [None, *(getattr(view, "ordering_fields", None) or ())]
        for ordering in orderings:
            params = {"page_size": 1} if ordering is None else {"page_size": 1, "ordering": ordering}
            first = client.get(path, {**params, "cursor": ""})
            assert first.status_code == 200, (path, ordering, first.status_code)
            cursor = first.data["next_cursor"]
            if cursor is None:
                continue  # fewer than two rows visible in this list
            lists += ordering is None
            values = decode(cursor)
            # every value everywhere under the default ordering; under the others, the values that
            # differ by type at the ordering column and two at the id (already covered above)
            for position in range(len(values)):
                last = position == len(values) - 1
                for bad in TAMPERED if ordering is None else (TAMPERED[:2] if last else BY_TYPE):
                    tampered = [*values[:position], bad, *values[position + 1 :]]
                    response = client.get(path, {**params, "cursor": encode(tampered)})
                    sent += 1
                    assert response.status_code in (200, 400), (path, ordering, tampered, response.status_code)
                    if last:
                        assert response.status_code == 400, (path, ordering, tampered, response.status_code)
                        assert response.data["errors"] == {"cursor": ["Invalid cursor."]}
    assert lists >= 10, lists
    figure("tampered cursor requests", f"{sent} over {lists} lists")


ANONYMOUS_PASSWORD_PATHS = {"/api/v1/auth/password/reset", "/api/v1/auth/password/set"}


@pytest.mark.django_db
def test_every_body_refuses_deep_nesting(spec, rows, admin, anon, figure):
    client = client_for(admin)
    sent = 0
    for method in ("post", "put", "patch"):
        for path, operation in operations(spec, method):
            if "application/json" not in operation.get("requestBody", {}).get("content", {}):
                continue  # no body, or a file upload (multipart: nothing nested to limit)
            if path.startswith("/api/v1/saas/") and not django_settings.SAAS_MODE:
                continue  # SaaS mode is off: its routes answer 404 before reading a body (crm/saas/tests)
            if path == "/api/v1/stripe/webhook":
                continue  # the raw body is checked against its signature before it is parsed (crm/stripe_gateway/tests)
            caller = anon if operation.get("security") == [] or path in ANONYMOUS_PASSWORD_PATHS else client
            response = caller.generic(method.upper(), fill_path(path, rows), DEEP_BODY, content_type="application/json")
            sent += 1
            if "413" in operation.get("responses", {}) and len(DEEP_BODY) > django_settings.WEB_FORM_MAX_BYTES:
                # A route with its own, smaller body limit refuses the body by its size before parsing it.
                assert response.status_code == 413, (method, path, response.status_code)
                assert response.data["code"] == "request_too_large", (method, path, response.data)
                continue
            assert response.status_code == 400, (method, path, response.status_code)
            assert response.data["code"] == "too_deep", (method, path, response.data)
    assert sent > 30, sent
    figure("deeply nested bodies", sent)


# --- arithmetic through business actions -------------------------------------------------------

QUANTITY_MAX, PRICE_MAX = Decimal("9999999999.99"), Decimal("999999999999.99")
QUANTITIES = st.one_of(
    st.sampled_from([QUANTITY_MAX, Decimal("10000000.00"), Decimal("100000000.00"), Decimal("0.01")]),
    st.decimals(min_value=Decimal("0.01"), max_value=QUANTITY_MAX, places=2),
)
PRICES = st.one_of(
    st.sampled_from([PRICE_MAX, Decimal("999999999.99"), Decimal("100000000.00"), Decimal("0.00")]),
    st.decimals(min_value=Decimal("0"), max_value=PRICE_MAX, places=2),
)
FUZZ = settings(
    max_examples=25, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


def _state(opportunity_id: int) -> tuple:
    row = Opportunity.objects.get(pk=opportunity_id)
    return row.version, row.amount, sorted(OpportunityLineItem.objects.filter(opportunity=row).values_list())


@pytest.mark.django_db
@FUZZ
@given(lines=st.lists(st.tuples(QUANTITIES, PRICES), min_size=1, max_size=3), edit=st.tuples(QUANTITIES, PRICES))
def test_line_items_of_any_size_keep_every_amount_in_its_column(api, user, in_org, lines, edit, examples):
    examples["n"] += 1
    opportunity = OpportunityFactory(owner=user)
    product = ProductFactory(owner=user)
    url = f"/api/v1/opportunities/{opportunity.pk}/line_items"
    added: list[int] = []

    def check(response, quantity, price, before) -> None:
        assert response.status_code in (200, 201, 400), (quantity, price, response.status_code)
        if response.status_code == 400:
            assert response.data["code"] == "amount_too_large", response.data
            assert set(response.data["errors"]) == {"quantity", "sale_price"}
            assert _state(opportunity.pk) == before
        else:
            assert fits(Decimal(response.data["opportunity_amount"]), Opportunity._meta.get_field("amount"))

    for quantity, price in lines:
        before = _state(opportunity.pk)
        body = {"product_id": product.pk, "quantity": str(quantity), "sale_price": str(price)}
        response = api.post(url, body, format="json")
        check(response, quantity, price, before)
        if response.status_code == 201:
            added.append(response.data["id"])
    if added:
        quantity, price = edit
        before = _state(opportunity.pk)
        version = OpportunityLineItem.all_orgs.values_list("version", flat=True).get(pk=added[0])
        body = {"quantity": str(quantity), "sale_price": str(price), "version": version}
        check(api.patch(f"{url}/{added[0]}", body, format="json"), quantity, price, before)
    # every read of the stored amount still works
    stored = Opportunity.objects.get(pk=opportunity.pk).amount
    exact = sum(
        q * p
        for q, p in OpportunityLineItem.objects.filter(opportunity_id=opportunity.pk).values_list(
            "quantity", "sale_price"
        )
    )
    assert abs(stored - exact) <= exact * Decimal("1e-12") + Decimal("0.01"), (stored, exact)
    assert api.get(f"/api/v1/opportunities/{opportunity.pk}").status_code == 200
    assert api.get("/api/v1/opportunities", {"ordering": "-amount"}).status_code == 200
    assert api.get("/api/v1/opportunities/pipeline").status_code == 200


@pytest.mark.django_db
@FUZZ
@given(amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e16"), places=2))
def test_payment_amounts_of_any_size_answer_201_or_400(api, user, in_org, amount, examples):
    examples["n"] += 1
    order = OrderFactory(owner=user)
    # Recorded as an overpayment, so that the column's limit, not the order's balance, decides.
    body = {
        "amount": str(amount),
        "payment_date": "2025-09-01",
        "payment_method": "Bank Transfer",
        "is_overpayment": True,
    }
    response = api.post(f"/api/v1/orders/{order.pk}/payments", body, format="json")
    if fits(amount, _payment_amount_field()):
        assert response.status_code == 201, (amount, response.data)
    else:
        assert response.status_code == 400, (amount, response.status_code)
        assert "amount" in response.data["errors"]
    assert api.get(f"/api/v1/orders/{order.pk}").status_code == 200


def _payment_amount_field():
    from crm.billing.models import Payment

    return Payment._meta.get_field("amount")


@pytest.fixture
def examples(record_property):
    counter = {"n": 0}
    yield counter
    record_property("figure:sum:boundary fuzz examples", counter["n"])
