"""The operations `make bench` measures, with the hand-written SQL floor for each list.

Ids are picked from the benchmark organization up front, so every request hits real rows;
operations whose tables are absent are left out.
"""

from __future__ import annotations

import base64
import json
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from bench.run import Client, Operation

TODAY = datetime.now(UTC).date()
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


def cursor_for(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def operations(client: Client, database_url: str) -> list[Operation]:
    rng = random.Random(7)
    with psycopg.connect(database_url) as conn:

        def one(sql: str, *params: Any) -> Any:
            row = conn.execute(sql, params).fetchone()
            return row[0] if row and len(row) == 1 else row

        def exists(table: str) -> bool:
            return bool(one("SELECT to_regclass(%s) IS NOT NULL", table))

        org = one("SELECT organization_id FROM identity_user WHERE email = 'bench@scale.example'")
        user = one("SELECT id FROM identity_user WHERE email = 'bench@scale.example'")
        contacts = one("SELECT count(*) FROM accounts_contact WHERE organization_id = %s AND is_active", org)
        deep_offset = min(500_000, contacts // 2)
        deep = one(
            "SELECT last_name, first_name, id FROM accounts_contact WHERE organization_id = %s AND is_active "
            "ORDER BY last_name, first_name, id OFFSET %s LIMIT 1",
            org,
            deep_offset,
        )
        account_ids = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM accounts_account WHERE organization_id = %s ORDER BY random() LIMIT 300", (org,)
            ).fetchall()
        ]
        surnames = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT last_name FROM accounts_contact WHERE organization_id = %s LIMIT 200", (org,)
            ).fetchall()
        ]

        ops = [
            Operation(
                "contacts list, page 1 (50 rows + account name)",
                "list",
                30,
                lambda i: ("GET", "/api/v1/contacts", None),
                CONTACT_FLOOR.format(extra=""),
                lambda i: (org,),
            ),
            Operation(
                "contacts search by part of a name",
                "search",
                60,
                lambda i: ("GET", f"/api/v1/contacts?search={surnames[i % len(surnames)][:6]}", None),
                CONTACT_FLOOR.format(
                    extra="AND (UPPER(c.first_name::text) LIKE UPPER(%s) OR UPPER(c.last_name::text) LIKE UPPER(%s) "
                    "OR UPPER(c.email::text) LIKE UPPER(%s))"
                ),
                lambda i: (org, *[f"%{surnames[i % len(surnames)][:6]}%"] * 3),
            ),
            Operation(
                f"contacts deep page (row {deep_offset:,} on, keyset cursor)",
                "list",
                30,
                lambda i: ("GET", f"/api/v1/contacts?cursor={cursor_for(list(deep))}", None),
                CONTACT_FLOOR.format(extra="AND (c.last_name, c.first_name, c.id) > (%s, %s, %s)"),
                lambda i: (org, *deep),
            ),
            Operation(
                "account detail (contacts + related lists + timeline)",
                "record",
                30,
                lambda i: ("GET", f"/api/v1/accounts/{account_ids[i % len(account_ids)]}", None),
                "SELECT a.*, (SELECT json_agg(c) FROM accounts_contact c WHERE c.account_id = a.id AND c.is_active) "
                "AS contacts FROM accounts_account a WHERE a.id = %s",
                lambda i: (account_ids[i % len(account_ids)],),
            ),
            Operation(
                "global search",
                "search",
                60,
                lambda i: ("GET", f"/api/v1/search?q={surnames[i % len(surnames)][:5]}", None),
            ),
        ]

        def ids(sql: str) -> list[int]:
            return [r[0] for r in conn.execute(sql, (org,)).fetchall()]

        if exists("sales_opportunity") and one(
            "SELECT count(*) FROM sales_opportunity WHERE organization_id = %s", org
        ):
            opp_ids = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM sales_opportunity WHERE organization_id = %s ORDER BY random() LIMIT 300", (org,)
                ).fetchall()
            ]
            ops += [
                Operation(
                    "opportunity pipeline (Kanban, open opportunities)",
                    "search",
                    60,
                    lambda i: ("GET", "/api/v1/opportunities/pipeline", None),
                ),
                Operation(
                    "opportunity detail (line items, contact roles)",
                    "record",
                    30,
                    lambda i: ("GET", f"/api/v1/opportunities/{opp_ids[i % len(opp_ids)]}", None),
                ),
            ]
        if exists("sales_lead") and one("SELECT count(*) FROM sales_lead WHERE organization_id = %s", org):
            lead_ids = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM sales_lead WHERE organization_id = %s AND status <> 'Converted' ORDER BY id DESC "
                    "LIMIT 400",
                    (org,),
                ).fetchall()
            ]
            ops.append(
                Operation(
                    "lead conversion (account + contact + opportunity)",
                    "write",
                    60,
                    lambda i: (
                        "POST",
                        f"/api/v1/leads/{lead_ids[i % len(lead_ids)]}/convert",
                        {"opportunity_name": f"Bench deal {i}"},
                    ),
                )
            )
        if exists("billing_order") and one("SELECT count(*) FROM billing_order WHERE organization_id = %s", org):
            order_ids = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM billing_order WHERE organization_id = %s AND status IN ('Awaiting Payment', "
                    "'Partially Paid') ORDER BY random() LIMIT 400",
                    (org,),
                ).fetchall()
            ]
            ops += [
                Operation(
                    "log payment + order status recalculation",
                    "write",
                    60,
                    lambda i: (
                        "POST",
                        f"/api/v1/orders/{order_ids[i % len(order_ids)]}/payments",
                        {
                            "amount": "1.00",
                            "payment_date": TODAY.isoformat(),
                            "payment_method": "Bank Transfer",
                            "status": "Completed",
                        },
                    ),
                ),
                Operation("order list (totals, paid, balance)", "list", 30, lambda i: ("GET", "/api/v1/orders", None)),
                Operation(
                    "retainer report, one year",
                    "report",
                    300,
                    lambda i: ("GET", f"/api/v1/reports/retainer-payments?year={TODAY.year}", None),
                ),
            ]
        if exists("activities_activity"):
            first = TODAY.replace(day=1)
            last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            ops += [
                Operation(
                    "to-do list (my open tasks)",
                    "list",
                    30,
                    lambda i: ("GET", "/api/v1/activities?type=Task&assigned_to=me&status_ne=Completed", None),
                ),
                Operation(
                    "calendar, one month of my events",
                    "list",
                    30,
                    lambda i: (
                        "GET",
                        f"/api/v1/activities?type=Event&assigned_to=me&start_date={first}"
                        f"&end_date={last}&page_size=200",
                        None,
                    ),
                ),
            ]
    _ = (rng, user)
    return ops
