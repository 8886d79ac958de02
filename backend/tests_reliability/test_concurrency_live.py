"""No lost updates, against the real app server (gunicorn, 2 workers x 4 threads) on a fresh database.

Writers race in rounds. In each round every writer that has not won yet reads the record, waits
until all the others have read too, then sends its change with the version it read. Exactly one
write per version wins (200/201), every other answers 409, and the losers try again in the next
round. At the end every winner's change is in the row (the description collects one tag per
winner: a lost update would drop a tag), and the audit trail holds exactly one event per winning
write. Line items race on the opportunity's version; payments race on one order's row lock.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from . import dbutil
from .test_crash_safety import EMAIL, PASSWORD, _database, _free_port, _prepare_database, _request, _server, _server_env

WRITERS = 12


@dataclass
class Live:
    port: int
    token: str
    connect: Callable[[], Any]

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        return _request(self.port, method, path, body, self.token, timeout=30)

    def ok(self, method: str, path: str, body: Any = None, expected: int = 200) -> Any:
        status, answer = self.call(method, path, body)
        assert status == expected, (method, path, status, answer)
        return answer

    def sql(self, query: str, *params: Any) -> list[tuple]:
        conn = self.connect()
        try:
            if isinstance(conn, sqlite3.Connection):
                return conn.execute(query.replace("%s", "?"), params).fetchall()
            return conn.execute(query, params).fetchall()
        finally:
            conn.close()


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Iterator[Live]:
    tmp_path: Path = tmp_path_factory.mktemp("live")
    port = _free_port()
    with _database(dbutil.engine(), tmp_path) as (url, connect):
        env = _server_env(url, tmp_path / "var")
        _prepare_database(env)
        with _server(env, port, tmp_path / "server.log"):
            status, body = _request(
                port, "POST", "/api/v1/auth/login", {"email": EMAIL, "password": PASSWORD, "issue_token": True}
            )
            assert status == 200, body
            yield Live(port=port, token=body["token"], connect=connect)


@dataclass
class RaceResult:
    rounds: list[list[int]] = field(default_factory=list)  # statuses per round
    winning_versions: list[int] = field(default_factory=list)  # the version each winner had read
    winners_in_order: list[int] = field(default_factory=list)

    @property
    def conflicts(self) -> int:
        return sum(status == 409 for statuses in self.rounds for status in statuses)


def race(n: int, read: Callable[[int], int], write: Callable[[int, int], tuple[int, Any]]) -> RaceResult:
    """Rounds of concurrent read-then-write until every writer has won once; one winner per round."""
    result = RaceResult()
    remaining = list(range(n))
    while remaining:
        barrier = threading.Barrier(len(remaining))

        def attempt(i: int, barrier: threading.Barrier = barrier) -> tuple[int, int, int, Any]:
            version = read(i)
            barrier.wait(timeout=30)
            status, body = write(i, version)
            return i, version, status, body

        with ThreadPoolExecutor(max_workers=len(remaining)) as pool:
            outcomes = list(pool.map(attempt, remaining))
        statuses = [status for _, _, status, _ in outcomes]
        unexpected = [(status, body) for _, _, status, body in outcomes if status not in (200, 201, 409)]
        assert not unexpected, unexpected
        winners = [(i, version) for i, version, status, _ in outcomes if status in (200, 201)]
        assert len(winners) == 1, f"round {len(result.rounds) + 1}: {statuses}"
        assert len({version for _, version, _, _ in outcomes}) == 1, "a writer read after the round's write"
        result.rounds.append(statuses)
        result.winners_in_order.append(winners[0][0])
        result.winning_versions.append(winners[0][1])
        remaining.remove(winners[0][0])
    return result


def _tag(i: int) -> str:
    return f"[w{i:02d}]"


def _audit_events(live: Live, object_type: str, object_id: int, action: str, name: str = "") -> list[tuple]:
    return live.sql(
        "SELECT changes, actor_id FROM records_auditevent"
        " WHERE object_type = %s AND object_id = %s AND action = %s AND name = %s ORDER BY id",
        object_type,
        object_id,
        action,
        name,
    )


def _changes(raw: Any) -> dict[str, Any]:
    import json

    return json.loads(raw) if isinstance(raw, str) else raw


def _report(figure, label: str, result: RaceResult) -> None:
    figure(f"{label}: concurrent writers", WRITERS)
    figure(f"{label}: winners / 409s", f"{len(result.winners_in_order)} / {result.conflicts}")
    figure(f"{label}: 409s in the first round", result.rounds[0].count(409))


def _record_race(live: Live, path: str, extra_fields: list[str]) -> RaceResult:
    seen: dict[int, str] = {}

    def read(i: int) -> int:
        current = live.ok("GET", path)
        seen[i] = current["description"]
        return current["version"]

    def write(i: int, version: int) -> tuple[int, Any]:
        body = {"version": version, "description": seen[i] + _tag(i)}
        body[extra_fields[i % len(extra_fields)]] = f"Writer {i:02d}"
        return live.call("PUT", path, body)

    return race(WRITERS, read, write)


def test_no_lost_updates_against_the_live_server(live, figure):
    """One test, so that one worker starts the server once; each scenario reports its own figures."""
    _updates_lose_nothing(live, figure, "account", ["name", "billing_address", "shipping_address"])
    _updates_lose_nothing(live, figure, "opportunity", ["name", "next_step"])
    _line_item_changes_lose_nothing_and_never_make_the_deal_stale(live, figure)
    _payments_on_one_order_end_with_exact_totals(live, figure)


def _updates_lose_nothing(live: Live, figure: Callable[[str, object], None], kind: str, fields: list[str]) -> None:
    account = live.ok("POST", "/api/v1/accounts", {"name": "Race Account"}, expected=201)
    if kind == "account":
        record, path, object_type = account, f"/api/v1/accounts/{account['id']}", "accounts.account"
    else:
        body = {"name": "Race Deal", "stage": "Qualifying", "close_date": "2026-12-31", "account_id": account["id"]}
        record = live.ok("POST", "/api/v1/opportunities", body, expected=201)
        path, object_type = f"/api/v1/opportunities/{record['id']}", "sales.opportunity"

    result = _record_race(live, path, fields)

    assert result.rounds[0].count(409) == WRITERS - 1
    assert result.winning_versions == list(range(record["version"], record["version"] + WRITERS))
    final = live.ok("GET", path)
    assert final["version"] == record["version"] + WRITERS
    for i in range(WRITERS):
        assert final["description"].count(_tag(i)) == 1, final["description"]
    for name in fields:  # each field holds the value of its last winner
        writers = [i for i in result.winners_in_order if fields[i % len(fields)] == name]
        assert final[name] == f"Writer {writers[-1]:02d}"
    events = _audit_events(live, object_type, record["id"], "update")
    assert len(events) == WRITERS, "one update event per winning write"
    for (changes, actor), i in zip(events, result.winners_in_order, strict=True):
        old, new = _changes(changes)["description"]
        assert new == (old or "") + _tag(i)
        assert actor is not None
    _report(figure, kind, result)


def _won_deal(live: Live, prices: list[str]) -> dict[str, Any]:
    account = live.ok("POST", "/api/v1/accounts", {"name": "Billing Race"}, expected=201)
    body = {"name": "Won Race", "stage": "Qualifying", "close_date": "2026-12-31", "account_id": account["id"]}
    deal = live.ok("POST", "/api/v1/opportunities", body, expected=201)
    for n, price in enumerate(prices):
        product = live.ok(
            "POST",
            "/api/v1/products",
            {"name": f"Race product {deal['id']}-{n}", "standard_list_price": price},
            expected=201,
        )
        live.ok(
            "POST",
            f"/api/v1/opportunities/{deal['id']}/line_items",
            {"product_id": product["id"], "quantity": "1"},
            expected=201,
        )
    version = live.ok("GET", f"/api/v1/opportunities/{deal['id']}")["version"]
    return live.ok("PUT", f"/api/v1/opportunities/{deal['id']}", {"stage": "Closed Won", "version": version})


def _line_item_changes_lose_nothing_and_never_make_the_deal_stale(
    live: Live, figure: Callable[[str, object], None]
) -> None:
    account = live.ok("POST", "/api/v1/accounts", {"name": "Line Race"}, expected=201)
    body = {"name": "Line Deal", "stage": "Qualifying", "close_date": "2026-12-31", "account_id": account["id"]}
    deal = live.ok("POST", "/api/v1/opportunities", body, expected=201)
    product = live.ok(
        "POST", "/api/v1/products", {"name": "Line product", "standard_list_price": "10.00"}, expected=201
    )
    path = f"/api/v1/opportunities/{deal['id']}"
    lines_path = f"{path}/line_items"

    # every writer adds a line at the same moment: a new line overwrites nothing, so all are kept
    barrier = threading.Barrier(WRITERS)

    def add(i: int) -> tuple[int, Any]:
        barrier.wait(timeout=30)
        body = {"product_id": product["id"], "quantity": str(i + 1), "sale_price": "10.00"}
        return live.call("POST", lines_path, body)

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        added = list(pool.map(add, range(WRITERS)))
    assert [status for status, _ in added] == [201] * WRITERS, added
    lines = live.ok("GET", lines_path)
    lines = lines["results"] if isinstance(lines, dict) else lines
    assert sorted(Decimal(line["quantity"]) for line in lines) == [Decimal(i + 1) for i in range(WRITERS)]

    # every writer edits the same line with the line version it read: one winner per version
    target = next(line["id"] for line in lines if Decimal(line["quantity"]) == 1)

    def read(i: int) -> int:
        rows = live.ok("GET", lines_path)
        rows = rows["results"] if isinstance(rows, dict) else rows
        return next(row["version"] for row in rows if row["id"] == target)

    def edit(i: int, version: int) -> tuple[int, Any]:
        return live.call("PUT", f"{lines_path}/{target}", {"sale_price": f"{20 + i}.00", "version": version})

    edited = race(WRITERS, read, edit)

    # the other lines are removed by concurrent writers, each naming the version it read
    def remove(i: int) -> tuple[int, Any]:
        line = lines[i]
        return live.call("DELETE", f"{lines_path}/{line['id']}?version={line['version']}")

    others = [i for i, line in enumerate(lines) if line["id"] != target]
    with ThreadPoolExecutor(max_workers=len(others)) as pool:
        removed = list(pool.map(remove, others))
    assert [status for status, _ in removed] == [200] * len(others), removed

    # then the opportunity's own fields were never made stale by its lines, and the amount is exact
    final = live.ok("GET", path)
    assert final["version"] == deal["version"]
    last_price = Decimal(20 + edited.winners_in_order[-1])
    assert Decimal(final["amount"]) == last_price
    saved = live.ok("PUT", path, {"description": "Signed", "version": deal["version"]})
    assert Decimal(saved["amount"]) == last_price
    for name, count in (("add", WRITERS), ("update", WRITERS), ("delete", len(others))):
        events = _audit_events(live, "sales.opportunity", deal["id"], "action", f"opportunity.line_item_{name}")
        assert len(events) == count, name
    assert all(statuses.count(409) == len(statuses) - 1 for statuses in edited.rounds)
    figure("line items: concurrent writers", WRITERS)
    figure(
        "line items: added / edit winners / edit 409s / removed",
        f"{WRITERS} / {WRITERS} / {edited.conflicts} / {len(others)}",
    )


def _payments_on_one_order_end_with_exact_totals(live: Live, figure: Callable[[str, object], None]) -> None:
    deal = _won_deal(live, ["700.00", "500.00"])  # order total 1,200.00
    order = live.ok("POST", f"/api/v1/opportunities/{deal['id']}/generate-order", expected=201)
    payments_path = f"/api/v1/orders/{order['id']}/payments"
    barrier = threading.Barrier(WRITERS)

    def pay(i: int) -> tuple[int, Any]:
        barrier.wait(timeout=30)
        return live.call(
            "POST", payments_path, {"amount": "100.00", "payment_date": "2026-01-15", "payment_method": "Cash"}
        )

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        outcomes = list(pool.map(pay, range(WRITERS)))
    assert [status for status, _ in outcomes] == [201] * WRITERS, outcomes

    final = live.ok("GET", f"/api/v1/orders/{order['id']}")
    assert (final["total"], final["amount_paid"], final["balance_due"]) == ("1200.00", "1200.00", "0.00")
    assert final["status"] == "Paid in Full"
    assert final["version"] == order["version"]  # the payment statuses are calculated: no bump
    assert len(final["payments"]) == WRITERS
    created = live.sql(
        "SELECT COUNT(*) FROM records_auditevent a JOIN billing_payment p ON p.id = a.object_id"
        " WHERE a.object_type = 'billing.payment' AND a.action = 'create' AND p.order_id = %s",
        order["id"],
    )
    assert created[0][0] == WRITERS
    statuses = [_changes(c)["status"][1] for c, _ in _audit_events(live, "billing.order", order["id"], "update")]
    assert statuses == ["Partially Paid", "Paid in Full"]
    figure("payments: concurrent writers / accepted", f"{WRITERS} / {WRITERS}")
