"""The operations `make bench` measures, with the hand-written SQL floor for each list.

Ids are picked up front from each organization (the large benchmark one and the small second
one), so every request hits real rows and the query count can be compared between the two;
operations whose tables are empty are left out.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from bench.run import Client, Operation

TODAY = datetime.now(UTC).date()
MONTH_FIRST = TODAY.replace(day=1)
MONTH_LAST = (MONTH_FIRST + timedelta(days=32)).replace(day=1) - timedelta(days=1)

CONTACT_FLOOR = """
SELECT c.id, c.first_name, c.last_name, c.title, c.email, c.phone, c.account_id, a.name AS account_name,
       c.owner_id, u.name AS owner_name, c.is_active, c.version, c.created_at, c.updated_at
FROM accounts_contact c
JOIN accounts_account a ON a.id = c.account_id
JOIN identity_user u ON u.id = c.owner_id
WHERE c.organization_id = %s AND c.is_active {extra}
ORDER BY c.last_name, c.first_name, c.id
LIMIT 50
"""
ORDER_FLOOR = """
SELECT o.id, o.order_number, o.order_date, o.status, o.account_id, a.name AS account_name, o.owner_id,
       u.name AS owner_name, o.version, o.created_at, o.updated_at,
       COALESCE((SELECT SUM(l.quantity * l.price_at_purchase) FROM billing_orderlineitem l
                 WHERE l.order_id = o.id), 0) AS total,
       COALESCE((SELECT SUM(p.amount) FROM billing_payment p
                 WHERE p.order_id = o.id AND p.status = 'Completed'), 0) AS amount_paid
FROM billing_order o
JOIN accounts_account a ON a.id = o.account_id
JOIN identity_user u ON u.id = o.owner_id
WHERE o.organization_id = %s
ORDER BY o.order_date DESC, o.id DESC
LIMIT 50
"""
ACTIVITY_FLOOR = """
SELECT t.id, t.type, t.subject, t.status, t.priority, t.due_date, t.start_time, t.end_time, t.what_type,
       t.what_id, t.who_type, t.who_id, t.assigned_to_id, u.name AS assigned_to_name, t.version,
       t.created_at, t.updated_at
FROM activities_activity t
JOIN identity_user u ON u.id = t.assigned_to_id
WHERE t.organization_id = %s AND t.assigned_to_id = %s AND t.is_active AND {where}
ORDER BY t.due_date, t.start_time, t.id
LIMIT {limit}
"""
PIPELINE_FLOOR = """
WITH open AS (
  SELECT o.id, o.name, o.stage, o.close_date, o.account_id, a.name AS account_name, o.owner_id, o.amount,
         row_number() OVER (PARTITION BY o.stage ORDER BY o.close_date NULLS LAST, o.id) AS n
  FROM sales_opportunity o JOIN accounts_account a ON a.id = o.account_id
  WHERE o.organization_id = %s AND o.is_active
)
SELECT * FROM open WHERE n <= 25
UNION ALL
SELECT NULL, NULL, o.stage, NULL, NULL, NULL, NULL, SUM(o.amount), COUNT(*)
FROM sales_opportunity o
WHERE o.organization_id = %s AND o.is_active GROUP BY o.stage
"""


# The Private-sharing operations run as a sales rep who manages four others, with Opportunity,
# Account and Contact Private in both organizations and a hundred records shared with the rep.
REP_EMAIL = "bench.user1@scale.example"
SMALL_REP_EMAIL = "bench2.user1@scale.example"
PRIVATE_OBJECTS = ("opportunity", "account", "contact")
SHARING_SETUP = """
from crm.identity.models import User
from crm.seeding.management.commands.seed_scale import BENCH_PASSWORD
from crm.sales.models import Opportunity
from crm.sharing.models import RecordShare, SharingDefault

for email in {emails!r}:
    rep = User.objects.filter(email=email).first()
    if rep is None:
        continue
    rep.set_password(BENCH_PASSWORD)
    rep.save(update_fields=["password"])
    org = rep.organization_id
    team = User.objects.filter(organization_id=org, role="user").exclude(pk=rep.pk).order_by("id")[:4]
    User.objects.filter(pk__in=[u.pk for u in team]).update(manager=rep)
    for name in {objects!r}:
        SharingDefault.all_orgs.update_or_create(organization_id=org, object=name, defaults={{"access": "Private"}})
    others = Opportunity.all_orgs.filter(organization_id=org).exclude(owner_id=rep.pk).values_list("pk", flat=True)[:100]
    RecordShare.all_orgs.bulk_create(
        [RecordShare(organization_id=org, object="opportunity", record_id=pk, user=rep, access="Read") for pk in others],
        ignore_conflicts=True,
    )
"""


def sharing_setup(database_url: str) -> None:
    """Private defaults, a rep with a team and shares, in both organizations (repeatable)."""
    from bench.run import manage

    code = SHARING_SETUP.format(emails=(REP_EMAIL, SMALL_REP_EMAIL), objects=PRIVATE_OBJECTS)
    manage(database_url, "shell", "-c", code)


def private_requests(s: Sample) -> dict[str, Any]:
    """The rep's lists and record pages under Private defaults (ids visible to the rep)."""
    pick = lambda rows, i: rows[i % len(rows)]  # noqa: E731
    ops: dict[str, Any] = {
        "Private: contacts list, page 1 (rep + team)": lambda i: ("GET", "/api/v1/contacts", None),
        "Private: accounts list, page 1 (rep + team)": lambda i: ("GET", "/api/v1/accounts", None),
        "Private: opportunities list, page 1 (rep + team + shares)": lambda i: ("GET", "/api/v1/opportunities", None),
        "Private: global search": lambda i: ("GET", f"/api/v1/search?q={pick(s.surnames, i)[:5]}", None),
        "Private: opportunity pipeline": lambda i: ("GET", "/api/v1/opportunities/pipeline", None),
        "Private: home dashboard": lambda i: ("GET", "/api/v1/dashboard", None),
    }
    if s.rep_accounts:
        ops["Private: account detail (related lists + timeline)"] = lambda i: (
            "GET",
            f"/api/v1/accounts/{pick(s.rep_accounts, i)}",
            None,
        )
    if s.rep_opportunities:
        ops["Private: opportunity detail"] = lambda i: (
            "GET",
            f"/api/v1/opportunities/{pick(s.rep_opportunities, i)}",
            None,
        )
    return ops


def cursor_for(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@dataclass
class Sample:
    """Real ids and values of one organization, for building its requests."""

    org: int
    user: int
    contacts: int
    deep: tuple[Any, ...]
    deep_offset: int
    accounts: list[int]
    surnames: list[str]
    opportunities: list[int]
    leads: list[int]
    orders: list[int]
    report_year: int
    has_activities: bool
    rep_accounts: list[int]
    rep_opportunities: list[int]
    invoices: list[int]
    has_quotes: bool


def sample(conn: psycopg.Connection, email: str, leads_needed: int, rep_email: str | None = None) -> Sample:
    def one(sql: str, *params: Any) -> Any:
        row = conn.execute(sql, params).fetchone()
        return row[0] if row and len(row) == 1 else row

    def column(sql: str, *params: Any) -> list[Any]:
        return [r[0] for r in conn.execute(sql, params).fetchall()]

    def exists(table: str) -> bool:
        return bool(one("SELECT to_regclass(%s) IS NOT NULL", table))

    org, user = one("SELECT organization_id, id FROM identity_user WHERE email = %s", email)
    contacts = one("SELECT count(*) FROM accounts_contact WHERE organization_id = %s AND is_active", org)
    deep_offset = min(500_000, contacts // 2)
    deep = one(
        "SELECT last_name, first_name, id FROM accounts_contact WHERE organization_id = %s AND is_active "
        "ORDER BY last_name, first_name, id OFFSET %s LIMIT 1",
        org,
        deep_offset,
    )
    empty: list[Any] = []
    opportunities = leads = orders = empty
    report_year = TODAY.year
    if exists("sales_opportunity"):
        opportunities = column(
            "SELECT id FROM sales_opportunity WHERE organization_id = %s AND is_active ORDER BY random() LIMIT 300",
            org,
        )
        # Each conversion takes a different open lead (a converted lead cannot convert again).
        leads = column(
            "SELECT id FROM sales_lead WHERE organization_id = %s AND is_active AND status <> 'Converted' "
            "ORDER BY id DESC LIMIT %s",
            org,
            leads_needed,
        )
    if exists("billing_order"):
        orders = column(
            "SELECT id FROM billing_order WHERE organization_id = %s AND status IN ('Awaiting Payment', "
            "'Partially Paid') ORDER BY random() LIMIT 400",
            org,
        )
        years = column(
            "SELECT EXTRACT(YEAR FROM service_period_start)::int AS y FROM billing_payment "
            "WHERE organization_id = %s AND service_period_start IS NOT NULL GROUP BY y ORDER BY count(*) DESC "
            "LIMIT 1",
            org,
        )
        report_year = years[0] if years else TODAY.year
    invoices: list[int] = []
    has_quotes = False
    if exists("invoicing_invoice"):
        invoices = column(
            "SELECT id FROM invoicing_invoice WHERE organization_id = %s ORDER BY random() LIMIT 300",
            org,
        )
        has_quotes = bool(one("SELECT count(*) FROM invoicing_quote WHERE organization_id = %s", org))
    return Sample(
        org=org,
        user=user,
        contacts=contacts,
        deep=tuple(deep),
        deep_offset=deep_offset,
        accounts=column("SELECT id FROM accounts_account WHERE organization_id = %s ORDER BY random() LIMIT 300", org),
        surnames=column("SELECT DISTINCT last_name FROM accounts_contact WHERE organization_id = %s LIMIT 200", org),
        opportunities=opportunities,
        leads=leads,
        orders=orders,
        report_year=report_year,
        has_activities=exists("activities_activity")
        and bool(one("SELECT count(*) FROM activities_activity WHERE organization_id = %s", org)),
        rep_accounts=_rep_rows(conn, "accounts_account", org, rep_email),
        rep_opportunities=_rep_rows(conn, "sales_opportunity", org, rep_email),
        invoices=invoices,
        has_quotes=has_quotes,
    )


def _rep_rows(conn: psycopg.Connection, table: str, org: int, rep_email: str | None) -> list[int]:
    """Ids the rep may open under Private: owned by the rep or by the rep's reports."""
    if rep_email is None:
        return []
    sql = (
        f"SELECT t.id FROM {table} t JOIN identity_user u ON u.id = t.owner_id "  # noqa: S608 - fixed names
        "WHERE t.organization_id = %s AND (u.email = %s OR u.manager_id = (SELECT id FROM identity_user "
        "WHERE email = %s)) ORDER BY random() LIMIT 300"
    )
    return [row[0] for row in conn.execute(sql, (org, rep_email, rep_email)).fetchall()]


def requests_for(s: Sample) -> dict[str, Any]:
    """Operation name -> iteration -> (method, path, body), for one organization's sample."""
    pick = lambda rows, i: rows[i % len(rows)]  # noqa: E731
    ops: dict[str, Any] = {
        "contacts list, page 1 (50 rows + account name)": lambda i: ("GET", "/api/v1/contacts", None),
        "contacts search by part of a name": lambda i: (
            "GET",
            f"/api/v1/contacts?search={pick(s.surnames, i)[:6]}",
            None,
        ),
        "contacts deep page (keyset cursor)": lambda i: (
            "GET",
            f"/api/v1/contacts?cursor={cursor_for(list(s.deep))}",
            None,
        ),
        "account detail (related lists + timeline)": lambda i: (
            "GET",
            f"/api/v1/accounts/{pick(s.accounts, i)}",
            None,
        ),
        "global search": lambda i: ("GET", f"/api/v1/search?q={pick(s.surnames, i)[:5]}", None),
        "home dashboard (every tile, 12 months)": lambda i: ("GET", "/api/v1/dashboard", None),
    }
    if s.opportunities:
        ops["opportunity pipeline (Kanban, open opportunities)"] = lambda i: (
            "GET",
            "/api/v1/opportunities/pipeline",
            None,
        )
        ops["opportunity detail (line items, contact roles)"] = lambda i: (
            "GET",
            f"/api/v1/opportunities/{pick(s.opportunities, i)}",
            None,
        )
    if s.leads:
        ops["lead conversion (account + contact + opportunity)"] = lambda i: (
            "POST",
            f"/api/v1/leads/{s.leads[i]}/convert" if i < len(s.leads) else f"/api/v1/leads/{s.leads[-1]}/convert",
            {"opportunity_name": f"Bench deal {i}"},
        )
    if s.orders:
        ops["log payment + order status recalculation"] = lambda i: (
            "POST",
            f"/api/v1/orders/{pick(s.orders, i)}/payments",
            {
                "amount": "1.00",
                "payment_date": TODAY.isoformat(),
                "payment_method": "Bank Transfer",
                "status": "Completed",
            },
        )
        ops["order list (totals, paid, balance)"] = lambda i: ("GET", "/api/v1/orders", None)
        ops[f"retainer report, one year ({s.report_year})"] = lambda i: (
            "GET",
            f"/api/v1/reports/retainer-payments?year={s.report_year}",
            None,
        )
    if s.invoices:
        ops["invoice list, page 1 (totals, balance, account)"] = lambda i: ("GET", "/api/v1/invoices", None)
        ops["invoice list filtered by status (Overdue)"] = lambda i: ("GET", "/api/v1/invoices?status=Overdue", None)
        ops["invoice record page (lines, VAT summary, allocations)"] = lambda i: (
            "GET",
            f"/api/v1/invoices/{pick(s.invoices, i)}",
            None,
        )
    if s.has_quotes:
        ops["quote list, page 1 (totals, account, opportunity)"] = lambda i: ("GET", "/api/v1/quotes", None)
    if s.has_activities:
        ops["to-do list (my open tasks)"] = lambda i: (
            "GET",
            "/api/v1/activities?type=Task&assigned_to=me&status_ne=Completed",
            None,
        )
        ops["calendar, one month of my events"] = lambda i: (
            "GET",
            f"/api/v1/activities?type=Event&assigned_to=me&start_date={MONTH_FIRST}&end_date={MONTH_LAST}"
            "&page_size=200",
            None,
        )
    return ops


INVOICE_FLOOR = """
SELECT i.id, i.number, i.kind, i.status, i.series, i.issue_date, i.due_date, i.currency, i.net_total, i.tax_total,
       i.gross_total, i.amount_paid, i.amount_credited, i.gross_total - i.amount_paid - i.amount_credited AS balance_due,
       i.account_id, a.name AS account_name, i.owner_id, u.name AS owner_name, i.order_id, o.order_number,
       i.version, i.created_at, i.updated_at
FROM invoicing_invoice i
JOIN accounts_account a ON a.id = i.account_id
JOIN identity_user u ON u.id = i.owner_id
LEFT JOIN billing_order o ON o.id = i.order_id
WHERE i.organization_id = %s {extra}
ORDER BY i.created_at DESC, i.id DESC
LIMIT 50
"""
QUOTE_FLOOR = """
SELECT q.id, q.quote_number, q.name, q.status, q.expiration_date, q.net_total, q.tax_total, q.gross_total,
       q.account_id, a.name AS account_name, q.opportunity_id, op.name AS opportunity_name, q.owner_id,
       u.name AS owner_name, q.version, q.created_at, q.updated_at
FROM invoicing_quote q
JOIN accounts_account a ON a.id = q.account_id
JOIN sales_opportunity op ON op.id = q.opportunity_id
JOIN identity_user u ON u.id = q.owner_id
WHERE q.organization_id = %s
ORDER BY q.created_at DESC, q.id DESC
LIMIT 50
"""


# name -> (kind, target p95 ms, floor SQL, floor parameters(sample, iteration))
SPECS: dict[str, tuple[str, float, str | None, Any]] = {
    "contacts list, page 1 (50 rows + account name)": (
        "list",
        30,
        CONTACT_FLOOR.format(extra=""),
        lambda s, i: (s.org,),
    ),
    "contacts search by part of a name": (
        "search",
        60,
        CONTACT_FLOOR.format(
            extra="AND (UPPER(c.first_name::text) LIKE UPPER(%s) OR UPPER(c.last_name::text) LIKE UPPER(%s) "
            "OR UPPER(c.email::text) LIKE UPPER(%s))"
        ),
        lambda s, i: (s.org, *[f"%{s.surnames[i % len(s.surnames)][:6]}%"] * 3),
    ),
    "contacts deep page (keyset cursor)": (
        "list",
        30,
        CONTACT_FLOOR.format(extra="AND (c.last_name, c.first_name, c.id) > (%s, %s, %s)"),
        lambda s, i: (s.org, *s.deep),
    ),
    "account detail (related lists + timeline)": ("record", 30, None, None),
    "global search": ("search", 60, None, None),
    "opportunity pipeline (Kanban, open opportunities)": (
        "search",
        60,
        PIPELINE_FLOOR,
        lambda s, i: (s.org, s.org),
    ),
    "opportunity detail (line items, contact roles)": ("record", 30, None, None),
    "lead conversion (account + contact + opportunity)": ("write", 60, None, None),
    "log payment + order status recalculation": ("write", 60, None, None),
    "order list (totals, paid, balance)": ("list", 30, ORDER_FLOOR, lambda s, i: (s.org,)),
    "invoice list, page 1 (totals, balance, account)": (
        "list",
        30,
        INVOICE_FLOOR.format(extra=""),
        lambda s, i: (s.org,),
    ),
    "invoice list filtered by status (Overdue)": (
        "list",
        30,
        INVOICE_FLOOR.format(extra="AND i.status = 'Overdue'"),
        lambda s, i: (s.org,),
    ),
    "invoice record page (lines, VAT summary, allocations)": ("record", 30, None, None),
    "quote list, page 1 (totals, account, opportunity)": ("list", 30, QUOTE_FLOOR, lambda s, i: (s.org,)),
    "to-do list (my open tasks)": (
        "list",
        30,
        ACTIVITY_FLOOR.format(where="t.type = 'Task' AND t.status <> 'Completed'", limit=50),
        lambda s, i: (s.org, s.user),
    ),
    "calendar, one month of my events": (
        "list",
        30,
        ACTIVITY_FLOOR.format(where="t.type = 'Event' AND t.end_time > %s AND t.start_time < %s", limit=200),
        lambda s, i: (s.org, s.user, MONTH_FIRST, MONTH_LAST + timedelta(days=1)),
    ),
}


def operations(client: Client, database_url: str, *, leads_needed: int = 400) -> list[Operation]:
    sharing_setup(database_url)
    with psycopg.connect(database_url) as conn:
        big = sample(conn, "bench@scale.example", leads_needed, REP_EMAIL)
        small = sample(conn, "bench2@scale.example", 30, SMALL_REP_EMAIL)
    big_requests, small_requests = requests_for(big), requests_for(small)
    ops = []
    for name, request in big_requests.items():
        spec_name = "retainer report" if name.startswith("retainer report") else name
        kind, target, floor_sql, floor_params = SPECS.get(spec_name, ("report", 300, None, None))
        if name.startswith("contacts deep page"):
            name = f"contacts deep page (row {big.deep_offset:,} on, keyset cursor)"
        ops.append(
            Operation(
                name,
                kind,
                target,
                request,
                floor_sql,
                (lambda i, params=floor_params: params(big, i)) if floor_params else None,
                small_request=_matching(small_requests, name),
            )
        )
    big_private, small_private = private_requests(big), private_requests(small)
    for name, request in big_private.items():
        kind, target = PRIVATE_SPECS.get(name.split(" (")[0], ("list", 30))
        ops.append(Operation(name, kind, target, request, small_request=_matching(small_private, name), as_rep=True))
    return ops


# Targets of the Private operations: those of the same operation for the Owner.
PRIVATE_SPECS: dict[str, tuple[str, float]] = {
    "Private: global search": ("search", 60),
    "Private: opportunity pipeline": ("search", 60),
    "Private: home dashboard": ("report", 300),
    "Private: account detail": ("record", 30),
    "Private: opportunity detail": ("record", 30),
}


def _matching(requests: dict[str, Any], name: str) -> Any:
    for key, request in requests.items():
        if key.split(" (")[0] == name.split(" (")[0]:
            return request
    return None
