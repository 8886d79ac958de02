"""Values past what the parser, the database or our arithmetic can hold answer 400, never 500.

Each case below answered 500 before its fix at the edge: deeply nested JSON (the parser),
integers beyond a 64-bit id and dates at the ends of the calendar in list filters (query.py),
tampered list cursors (query.py), and web addresses with a scheme other than http(s)
(WebAddressField). Line totals that overflow the amount column are in
crm/sales/tests/test_line_item_amount_limits.py.
"""

from __future__ import annotations

import base64
import datetime
import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.parsers import FormParser, MultiPartParser

from crm.accounts.models import Account
from crm.accounts.tests.factories import AccountFactory
from crm.activities.tests.factories import EventFactory
from crm.identity.models import AuthToken
from crm.records.fields import WebAddressField
from crm.records.parsers import MAX_DEPTH, JSONBodyParser
from crm.records.registry import registered
from crm.sales.models import Lead, OpportunityLineItem
from crm.sales.tests.factories import LeadFactory, OpportunityFactory

ACCOUNTS = "/api/v1/accounts"


def nested_array(depth: int) -> str:
    return "[" * depth + "]" * depth


def nested_object(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def error(response, status: int = 400) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert {"code", "message", "errors"} <= set(body), body
    return body


# --- 1. deeply nested JSON ---------------------------------------------------------------------

DEEP_BODIES = {
    "array-100000": nested_array(100_000),
    "object-100000": nested_object(100_000),
    "array-1000": nested_array(1_000),
    "one-past-the-limit": nested_object(MAX_DEPTH + 1),
}


@pytest.mark.django_db
class TestNestedJson:
    @pytest.mark.parametrize("body", DEEP_BODIES.values(), ids=DEEP_BODIES.keys())
    def test_sign_in_with_a_deeply_nested_body_answers_400_too_deep(self, anon, user, body):
        response = anon.generic("POST", "/api/v1/auth/login", body, content_type="application/json")
        assert error(response)["code"] == "too_deep"
        assert not AuthToken.objects.exists()

    @pytest.mark.parametrize("body", DEEP_BODIES.values(), ids=DEEP_BODIES.keys())
    def test_record_writes_with_a_deeply_nested_body_answer_400_and_change_nothing(self, api, user, in_org, body):
        account = AccountFactory(owner=user, name="Kept")
        created = api.generic("POST", ACCOUNTS, body, content_type="application/json")
        assert error(created)["code"] == "too_deep"
        updated = api.generic("PATCH", f"{ACCOUNTS}/{account.pk}", body, content_type="application/json")
        assert error(updated)["code"] == "too_deep"
        account.refresh_from_db()
        assert (Account.objects.count(), account.name, account.version) == (1, "Kept", 1)

    def test_business_actions_with_a_deeply_nested_body_answer_400(self, api, user, in_org):
        opportunity = OpportunityFactory(owner=user)
        url = f"/api/v1/opportunities/{opportunity.pk}/line_items"
        response = api.generic("POST", url, nested_array(100_000), content_type="application/json")
        assert error(response)["code"] == "too_deep"
        assert not OpportunityLineItem.objects.exists()

    def test_nesting_up_to_the_limit_reaches_validation(self, api, in_org):
        # the outer object is level 1: the name's value nests MAX_DEPTH - 1 more levels
        body = '{"name": ' + nested_array(MAX_DEPTH - 1) + "}"
        body = error(api.generic("POST", ACCOUNTS, body, content_type="application/json"))
        assert body["code"] == "validation_error"
        assert "name" in body["errors"]

    def test_brackets_inside_strings_do_not_count(self, api, in_org):
        name = "[{" * 100
        response = api.post(ACCOUNTS, {"name": name}, format="json")
        assert response.status_code == 201, response.content[:300]
        assert Account.objects.get().name == name

    @pytest.mark.parametrize("raw", ["{not json", '{"name": NaN}', '{"name": "a"', "[1, 2,]"], ids=str)
    def test_malformed_json_answers_400_invalid_json(self, api, in_org, raw):
        assert error(api.generic("POST", ACCOUNTS, raw, content_type="application/json"))["code"] == "invalid_json"
        assert not Account.objects.exists()


def _api_views():
    """(route, view class) of every view the URLconf serves."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                view = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
                if view is not None:
                    yield prefix + str(pattern.pattern), view

    return list(walk(get_resolver().url_patterns))


def test_every_api_view_parses_json_with_the_depth_limit():
    views = [(route, view) for route, view in _api_views() if hasattr(view, "parser_classes")]
    assert len(views) > 20, views  # the walk found the API
    for route, view in views:
        parsers = view.parser_classes
        assert parsers, route
        for parser in parsers:
            # File uploads (the organization's logo, bank statements, imports) take multipart bodies: a file, no nesting to limit.
            if parser is MultiPartParser and route in UPLOAD_ROUTES:
                continue
            # The public web-to-lead endpoint takes what an HTML form posts: flat fields, nothing nested.
            if parser in (FormParser, MultiPartParser) and route in FORM_ROUTES:
                continue
            assert issubclass(parser, JSONBodyParser), (route, view.__name__, parser)


UPLOAD_ROUTES = {
    "api/v1/^organization/logo/?$",
    "api/v1/^bank-statements/?$",
    # Imports: a spreadsheet and its mapping as multipart fields (the viewset's other actions take no body).
    "api/v1/^imports/?$",
    "api/v1/^imports/preview/?$",
    "api/v1/^imports/(?P<pk>[0-9]+)/?$",
    "api/v1/^imports/(?P<pk>[0-9]+)/error-report/?$",
    "api/v1/^imports/(?P<pk>[0-9]+)/undo/?$",
}
FORM_ROUTES = {"api/v1/^forms/(?P<key>[A-Za-z0-9_-]{1,40})/?$"}


# --- 2. integers and dates in query parameters -------------------------------------------------

HUGE_INTEGERS = [str(2**63), str(-(2**63) - 1), "1" + "0" * 30]
INTEGER_PARAMETERS = [
    (ACCOUNTS, "owner"),
    (ACCOUNTS, "owner_id"),
    (ACCOUNTS, "parent_account_id"),
    ("/api/v1/contacts", "account"),
    ("/api/v1/activities", "assigned_to"),
    ("/api/v1/activities", "assigned_to_id"),
    ("/api/v1/activities", "what_id"),
    ("/api/v1/opportunities", "owner"),
    ("/api/v1/opportunities/pipeline", "owner"),
    ("/api/v1/orders", "account_id"),
    ("/api/v1/payments", "order_id"),
    ("/api/v1/payments", "account_id"),
    ("/api/v1/contracts", "renewed_from_id"),
    ("/api/v1/cases", "contact_id"),
]


@pytest.mark.django_db
class TestQueryParameterRanges:
    @pytest.mark.parametrize(("url", "param"), INTEGER_PARAMETERS, ids=lambda v: v.rsplit("/", 1)[-1])
    @pytest.mark.parametrize("value", HUGE_INTEGERS, ids=["2^63", "-2^63-1", "10^30"])
    def test_integers_beyond_a_64_bit_id_answer_400_naming_the_parameter(self, api, user, in_org, url, param, value):
        body = error(api.get(url, {param: value}))
        assert body["code"] == "validation_error"
        assert list(body["errors"]) == [param], body

    @pytest.mark.parametrize(("url", "param"), INTEGER_PARAMETERS, ids=lambda v: v.rsplit("/", 1)[-1])
    def test_the_largest_64_bit_id_is_a_valid_filter(self, api, user, in_org, url, param):
        response = api.get(url, {param: str(2**63 - 1)})
        assert response.status_code == 200, response.content[:300]

    @pytest.mark.parametrize(
        ("url", "param", "value"),
        [
            ("/api/v1/activities", "end_date", "9999-12-31"),
            ("/api/v1/activities", "start_date", "0001-01-01"),
            ("/api/v1/activities", "due_before", "9999-12-31"),
            ("/api/v1/activities", "due_after", "0001-01-01"),
            ("/api/v1/opportunities", "close_date_after", "0001-01-01"),
            ("/api/v1/orders", "order_date_to", "9999-12-31"),
            ("/api/v1/payments", "payment_date_from", "0001-01-01"),
            ("/api/v1/contracts", "end_date_to", "9999-12-31"),
            (ACCOUNTS, "created_after", "9999-12-31T23:59:59-01:00"),
            (ACCOUNTS, "created_before", "0001-01-01T00:00:00+01:00"),
            (ACCOUNTS, "created_after", "9999-12-31T23:59:59.999999"),
            (ACCOUNTS, "created_after", "0001-01-01T00:00:00Z"),
            ("/api/v1/activities", "created_before", "9999-12-31T23:59:59+14:00"),
        ],
        ids=lambda v: v.rsplit("/", 1)[-1],
    )
    def test_dates_at_the_ends_of_the_calendar_answer_400_naming_the_parameter(
        self, api, user, in_org, url, param, value
    ):
        body = error(api.get(url, {param: value}))
        assert body["errors"] == {param: ["Use a date between 0002-01-01 and 9998-12-31."]}, body

    def test_the_calendar_range_still_finds_events(self, api, user, in_org):
        event = EventFactory(owner=user)
        response = api.get("/api/v1/activities", {"start_date": "0002-01-01", "end_date": "9998-12-31"})
        assert response.status_code == 200, response.content[:300]
        assert [row["id"] for row in response.data["results"]] == [event.pk]


# --- 2b. tampered cursors ---------------------------------------------------------------------


def encode(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode(cursor: str):
    return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))


@pytest.mark.django_db
class TestTamperedCursors:
    @pytest.fixture
    def first_page(self, api, user, in_org):
        for name in ("Alpha", "Beta", "Gamma"):
            AccountFactory(owner=user, name=name)
        page = api.get(ACCOUNTS, {"cursor": "", "page_size": 1, "ordering": "name"}).data
        assert [row["name"] for row in page["results"]] == ["Alpha"]
        return page

    def test_an_untouched_cursor_still_pages_on(self, api, first_page):
        page = api.get(ACCOUNTS, {"cursor": first_page["next_cursor"], "page_size": 1, "ordering": "name"}).data
        assert [row["name"] for row in page["results"]] == ["Beta"]

    @pytest.mark.parametrize(
        "tamper",
        [
            lambda name, pk: [name, "abc"],
            lambda name, pk: [name, str(pk) + "x"],
            lambda name, pk: [name, 2**63],
            lambda name, pk: [name, -(2**63) - 1],
            lambda name, pk: [name, 10**30],
            lambda name, pk: [name, 1.5],
            lambda name, pk: [name, True],
            lambda name, pk: [name, None],
            lambda name, pk: [name, []],
            lambda name, pk: [name, {"id": pk}],
            lambda name, pk: [{"a": 1}, pk],
            lambda name, pk: [["x"], pk],
            lambda name, pk: [None, pk],
            lambda name, pk: [name],
            lambda name, pk: [name, pk, pk],
            lambda name, pk: {"name": name, "id": pk},
        ],
        ids=[
            "text-id",
            "id-with-letters",
            "id-2^63",
            "id-below-int64",
            "id-10^30",
            "fractional-id",
            "boolean-id",
            "empty-id",
            "list-id",
            "object-id",
            "object-name",
            "list-name",
            "empty-name",
            "too-short",
            "too-long",
            "not-a-list",
        ],
    )
    def test_tampered_values_answer_400_on_cursor(self, api, first_page, tamper):
        name, pk = decode(first_page["next_cursor"])
        body = error(api.get(ACCOUNTS, {"cursor": encode(tamper(name, pk)), "page_size": 1, "ordering": "name"}))
        assert body["errors"] == {"cursor": ["Invalid cursor."]}, body

    @pytest.mark.parametrize(
        "cursor",
        [
            "not base64 at all!",
            base64.urlsafe_b64encode(b"not json").decode(),
            base64.urlsafe_b64encode(nested_array(100_000).encode()).decode(),
            base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        ],
        ids=["not-base64", "not-json", "deeply-nested", "not-utf8"],
    )
    def test_undecodable_cursors_answer_400(self, api, first_page, cursor):
        assert error(api.get(ACCOUNTS, {"cursor": cursor, "ordering": "name"}))["errors"] == {
            "cursor": ["Invalid cursor."]
        }

    @pytest.mark.parametrize(
        "when",
        [
            "9999-12-31T23:59:59-01:00",
            "0001-01-01T00:00:00+01:00",
            "not a date",
            "2025-01-01T00:00:00",
            5,
            "10000-01-01",
        ],
    )
    def test_dates_in_cursors_are_checked(self, api, first_page, when):
        page = api.get(ACCOUNTS, {"cursor": "", "page_size": 1, "ordering": "-created_at"}).data
        _, pk = decode(page["next_cursor"])
        body = error(api.get(ACCOUNTS, {"cursor": encode([when, pk]), "ordering": "-created_at"}))
        assert body["errors"] == {"cursor": ["Invalid cursor."]}

    def test_cursors_of_rows_at_the_ends_of_the_calendar_page_on(self, api, user, in_org):
        # rows stored before bodies were limited may hold any date: a cursor only compares them
        from crm.activities.tests.factories import TaskFactory

        for when in ("0001-01-01", "9999-12-31", "2025-06-01"):
            TaskFactory(owner=user, subject=when, due_date=datetime.date.fromisoformat(when))
        subjects = []
        for ordering in ("due_date", "-due_date", "-created_at"):
            cursor, seen = "", []
            for _ in range(5):  # three rows: three pages, then no cursor
                if cursor is None:
                    break
                page = api.get("/api/v1/activities", {"cursor": cursor, "page_size": 1, "ordering": ordering})
                assert page.status_code == 200, (ordering, page.content[:300])
                seen += [row["subject"] for row in page.data["results"]]
                cursor = page.data["next_cursor"]
            subjects.append(sorted(seen))
        assert subjects == [["0001-01-01", "2025-06-01", "9999-12-31"]] * 3

    @pytest.mark.parametrize("amount", ["1e999999", "NaN", "Infinity", "1" + "0" * 40, "abc"])
    def test_amounts_in_cursors_are_checked(self, api, user, in_org, amount):
        OpportunityFactory(owner=user)
        OpportunityFactory(owner=user)
        page = api.get("/api/v1/opportunities", {"cursor": "", "page_size": 1, "ordering": "-amount"}).data
        _, pk = decode(page["next_cursor"])
        response = api.get("/api/v1/opportunities", {"cursor": encode([amount, pk]), "ordering": "-amount"})
        assert error(response)["errors"] == {"cursor": ["Invalid cursor."]}


# --- 4. web addresses -------------------------------------------------------------------------

UNSAFE_ADDRESSES = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    "  javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "javascript://example.com/%0Aalert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "ftp://files.example.com/report.pdf",
    "file:///etc/passwd",
    "https:evil.example",
    "http://",
]


@pytest.mark.django_db
class TestWebAddresses:
    @pytest.mark.parametrize("website", UNSAFE_ADDRESSES, ids=repr)
    def test_schemes_other_than_http_and_https_answer_400_on_create(self, api, in_org, website):
        body = error(api.post(ACCOUNTS, {"name": "Acme", "website": website}, format="json"))
        assert list(body["errors"]) == ["website"], body
        assert not Account.objects.exists()
        body = error(
            api.post(
                "/api/v1/leads",
                {"last_name": "Doe", "company": "Acme", "status": "New", "website": website},
                format="json",
            )
        )
        assert list(body["errors"]) == ["website"], body
        assert not Lead.objects.exists()

    @pytest.mark.parametrize("website", UNSAFE_ADDRESSES, ids=repr)
    def test_schemes_other_than_http_and_https_answer_400_on_update(self, api, user, in_org, website):
        account = AccountFactory(owner=user, website="https://kept.example")
        lead = LeadFactory(owner=user, website="https://kept.example")
        for url in (f"{ACCOUNTS}/{account.pk}", f"/api/v1/leads/{lead.pk}"):
            body = error(api.patch(url, {"website": website, "version": 1}, format="json"))
            assert list(body["errors"]) == ["website"], body
        account.refresh_from_db()
        lead.refresh_from_db()
        assert (account.website, account.version, lead.website, lead.version) == (
            "https://kept.example",
            1,
            "https://kept.example",
            1,
        )

    @pytest.mark.parametrize(
        ("website", "stored"),
        [
            ("https://www.acme.example/about?x=1#team", "https://www.acme.example/about?x=1#team"),
            ("HTTP://Acme.Example", "HTTP://Acme.Example"),
            ("  https://acme.example  ", "https://acme.example"),
            ("acme.example", "https://acme.example"),
            ("www.acme.example/contact", "https://www.acme.example/contact"),
            ("acme.example:8080/x", "https://acme.example:8080/x"),
            ("", ""),
        ],
    )
    def test_http_and_https_addresses_are_stored(self, api, in_org, website, stored):
        response = api.post(ACCOUNTS, {"name": "Acme", "website": website}, format="json")
        assert response.status_code == 201, response.content[:300]
        assert response.data["website"] == stored
        assert Account.objects.get().website == stored


def test_every_url_field_of_every_object_is_a_web_address_field():
    viewsets = {
        view.model.object_name: view
        for _, view in _api_views()
        if hasattr(view, "model") and getattr(view, "serializer_class", None) is not None
    }
    checked = []
    for name, meta in registered().items():
        url_fields = [field.name for field in meta.fields if field.type == "url"]
        if not url_fields:
            continue
        view = viewsets[name]
        for serializer in {view.serializer_class, view.detail_serializer_class or view.serializer_class}:
            fields = serializer().fields
            for field in url_fields:
                assert isinstance(fields[field], WebAddressField), (name, serializer.__name__, field)
                checked.append(f"{name}.{field}")
    assert {"account.website", "lead.website"} <= set(checked), checked


# --- dates in request bodies ------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_dates_in_bodies_beyond_the_calculable_range_answer_400(api, user, in_org, day):
    from crm.accounts.tests.factories import AccountFactory
    from crm.billing.tests.factories import ContractFactory, OrderFactory

    account = AccountFactory(owner=user)
    contract = ContractFactory(owner=user)
    order = OrderFactory(owner=user)
    cases = [
        (
            "/api/v1/opportunities",
            {"name": "Far", "stage": "Qualifying", "account_id": account.pk, "close_date": day},
            "close_date",
        ),
        ("/api/v1/activities", {"type": "Task", "subject": "Far", "due_date": day}, "due_date"),
        (
            "/api/v1/activities",
            {"type": "Event", "subject": "Far", "start_time": f"{day}T10:00:00Z", "end_time": f"{day}T11:00:00Z"},
            "start_time",
        ),
        (
            f"/api/v1/orders/{order.pk}/payments",
            {"amount": "1.00", "payment_date": day, "payment_method": "Cash"},
            "payment_date",
        ),
        (f"/api/v1/contracts/{contract.pk}/renew", {"start_date": day, "end_date": "2027-12-31"}, "start_date"),
    ]
    for url, body, field in cases:
        response = api.post(url, body, format="json")
        assert response.status_code == 400, (url, response.status_code)
        assert field in response.data["errors"], (url, response.data)
