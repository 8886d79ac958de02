#!/usr/bin/env python
"""The benchmark behind `make bench`.

Seeds a PostgreSQL database with `manage.py seed_scale` (once; --reseed to redo), starts the app
with production settings under gunicorn, and measures each operation: server-side latency
(p50/p95/p99 from the Server-Timing header over --requests requests after --warmup), SQL
queries per request (X-Query-Count), and the ratio to a floor: the same rows fetched by one
hand-written SQL query and serialized to JSON in this process. Then the throughput of the
contacts list with --concurrency clients for --duration seconds. Writes bench/results/latest.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import psycopg

ROOT = Path(__file__).resolve().parents[1]
BACKEND = ROOT / "backend"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
BENCH_EMAIL = "bench@scale.example"
SMALL_EMAIL = "bench2@scale.example"  # the owner of the small second organization
BENCH_PASSWORD = "Bench-Passphrase-2026"  # noqa: S105 - the throwaway account seed_scale creates


def log(message: str) -> None:
    print(message, flush=True)


# --------------------------------------------------------------------------- set-up
def manage(database_url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    return subprocess.run([str(PYTHON), "manage.py", *args], cwd=BACKEND, env=env, check=check, text=True)


def ensure_database(database_url: str, scale: float, reseed: bool) -> None:
    parsed = urlparse(database_url)
    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and reseed:
            log(f"Dropping {name} ...")
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    manage(database_url, "migrate", "--noinput", "-v0")
    with psycopg.connect(database_url) as conn:
        seeded = conn.execute("SELECT 1 FROM identity_user WHERE email = %s", (BENCH_EMAIL,)).fetchone()
    if not seeded:
        log(f"Seeding at scale {scale:g} (this takes a while; progress follows) ...")
        started = time.perf_counter()
        manage(database_url, "seed_scale", "--scale", str(scale))
        log(f"Seeded in {time.perf_counter() - started:.0f}s")
    else:
        log("Using the existing benchmark data (pass --reseed to regenerate).")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(database_url: str, port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DEBUG": "0",
        "COOKIE_SECURE": "0",
        "CRM_TIMING_HEADERS": "1",
        "LOG_LEVEL": "WARNING",
        "LOGIN_RATE_CLIENT": "10000/min",
        "LOGIN_RATE_ACCOUNT": "10000/min",
        "DB_CONN_MAX_AGE": "600",
    }
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
        cwd=BACKEND,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/health")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("The app server did not start.")


# --------------------------------------------------------------------------- client
class Client:
    def __init__(self, port: int, token: str | None = None) -> None:
        self.port = port
        self.token = token
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any, float, int]:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        payload = None
        if body is not None:
            payload = json.dumps(body)
            headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, body=payload, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.conn.request(method, path, body=payload, headers=headers)
            response = self.conn.getresponse()
        raw = response.read()
        timing = response.getheader("Server-Timing", "app;dur=0").split("dur=")[-1]
        queries = int(response.getheader("X-Query-Count", "-1"))
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            data = None
        return response.status, data, float(timing), queries


# --------------------------------------------------------------------------- operations
@dataclass
class Operation:
    name: str
    kind: str  # list | record | search | write | report | throughput
    target_ms: float
    request: Callable[[int], tuple[str, str, Any]]  # iteration -> (method, path, body)
    floor_sql: str | None = None
    floor_params: Callable[[int], tuple[Any, ...]] | None = None
    small_request: Callable[[int], tuple[str, str, Any]] | None = None  # the same on the small organization
    results: dict[str, Any] = field(default_factory=dict)
    # Measured as a sales rep (a manager of four) under Private sharing defaults, not as the Owner.
    as_rep: bool = False


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def measure(client: Client, op: Operation, requests: int, warmup: int) -> None:
    for i in range(warmup):
        client.call(*op.request(i))
    timings, queries, failures = [], set(), 0
    for i in range(requests):
        status, _, ms, count = client.call(*op.request(warmup + i))
        if status >= 400:
            failures += 1
        timings.append(ms)
        queries.add(count)
    op.results.update(
        p50=percentile(timings, 50),
        p95=percentile(timings, 95),
        p99=percentile(timings, 99),
        queries=sorted(queries),
        failures=failures,
        n=requests,
    )


def measure_small(client: Client, op: Operation, requests: int = 5) -> None:
    """Query counts of the same operation in the small second organization (data size independence)."""
    if op.small_request is None:
        return
    queries = set()
    for i in range(requests + 2):
        status, _, _, count = client.call(*op.small_request(i))
        if i >= 2 and status < 400:
            queries.add(count)
    op.results["small_queries"] = sorted(queries)


def measure_floor(database_url: str, op: Operation, requests: int, warmup: int) -> None:
    if not op.floor_sql:
        return
    with psycopg.connect(database_url) as conn:
        timings = []
        for i in range(warmup + requests):
            params = op.floor_params(i) if op.floor_params else ()
            started = time.perf_counter()
            cursor = conn.execute(op.floor_sql, params)
            columns = [c.name for c in cursor.description]
            body = json.dumps([dict(zip(columns, row, strict=True)) for row in cursor.fetchall()], default=str)
            elapsed = (time.perf_counter() - started) * 1000
            assert body
            if i >= warmup:
                timings.append(elapsed)
    op.results["floor_p50"] = statistics.median(timings)


def throughput(port: int, token: str, path: str, clients: int, seconds: float) -> tuple[float, int]:
    done = [0] * clients
    errors = [0] * clients
    stop = time.monotonic() + seconds

    def worker(index: int) -> None:
        client = Client(port, token)
        while time.monotonic() < stop:
            status, _, _, _ = client.call("GET", path)
            if status == 200:
                done[index] += 1
            else:
                errors[index] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.monotonic() - started), sum(errors)


def throughput_wrk(port: int, token: str, path: str, clients: int, seconds: float) -> tuple[float, int] | None:
    """The same load from wrk (a C load generator): it leaves the CPU to the server. None without wrk."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return None
    threads = max(1, min(2, clients))
    result = subprocess.run(
        [
            wrk,
            f"-t{threads}",
            f"-c{clients}",
            f"-d{seconds:g}s",
            "-H",
            f"Authorization: Bearer {token}",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    rps = re.search(r"Requests/sec:\s+([0-9.]+)", result.stdout)
    if rps is None:
        raise SystemExit(f"Unexpected wrk output:\n{result.stdout}{result.stderr}")
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", result.stdout))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", result.stdout)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return float(rps.group(1)), errors


def sign_in_reps(port: int) -> tuple[Client, Client | None]:
    """The sales reps that the Private-sharing operations run as (see bench/operations.py)."""
    from bench.operations import REP_EMAIL, SMALL_REP_EMAIL

    clients: list[Client | None] = []
    for email in (REP_EMAIL, SMALL_REP_EMAIL):
        status, body, _, _ = Client(port).call(
            "POST", "/api/v1/auth/login", {"email": email, "password": BENCH_PASSWORD, "issue_token": True}
        )
        clients.append(Client(port, body["token"]) if status == 200 else None)
    if clients[0] is None:
        raise SystemExit(f"Sign-in of {REP_EMAIL} failed")
    return clients[0], clients[1]


def build_operations(client: Client, database_url: str, leads_needed: int) -> list[Operation]:
    from bench.operations import operations

    return operations(client, database_url, leads_needed=leads_needed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/crm_bench")
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument(
        "--throughput-runs", type=int, default=3, help="Throughput runs; the median is reported (CPU time varies)."
    )
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--only", default="", help="Comma-separated operation names (or their beginnings) to run.")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "latest.md"))
    parser.add_argument("--note", default="", help="A line to add under the table (e.g. the machine's load).")
    args = parser.parse_args()

    ensure_database(args.database_url, args.scale, args.reseed)
    port = free_port()
    log(f"Starting the app (production settings, {args.workers} workers x {args.threads} threads) on port {port} ...")
    server = start_server(args.database_url, port, args.workers, args.threads)
    try:
        status, body, _, _ = Client(port).call(
            "POST", "/api/v1/auth/login", {"email": BENCH_EMAIL, "password": BENCH_PASSWORD, "issue_token": True}
        )
        if status != 200:
            raise SystemExit(f"Sign-in failed: {status} {body}")
        client = Client(port, body["token"])
        status, small_body, _, _ = Client(port).call(
            "POST", "/api/v1/auth/login", {"email": SMALL_EMAIL, "password": BENCH_PASSWORD, "issue_token": True}
        )
        small_client = Client(port, small_body["token"]) if status == 200 else None
        ops = build_operations(client, args.database_url, args.warmup + args.requests + 10)
        rep_client, small_rep_client = sign_in_reps(port)
        if args.only:
            # Names or their beginnings; a name's own commas just give more beginnings of it.
            wanted = [part.strip() for part in args.only.split(",") if part.strip()]
            ops = [op for op in ops if any(op.name.startswith(part) for part in wanted)]
        available = []
        for op in ops:
            if op.kind == "write":  # a probe would use up a lead or add a payment; these endpoints exist
                available.append(op)
                continue
            probe_status = (rep_client if op.as_rep else client).call(*op.request(0))[0]
            if probe_status in (404, 405):
                log(f"- {op.name}: endpoint not available ({probe_status}), left out")
                continue
            available.append(op)
        ops = available
        for op in ops:
            log(f"- {op.name} ...")
            measure(rep_client if op.as_rep else client, op, args.requests, args.warmup)
            small = small_rep_client if op.as_rep else small_client
            if small is not None:
                measure_small(small, op)
            measure_floor(args.database_url, op, args.requests, args.warmup)
        runs: list[tuple[float, int]] = []
        for run in range(args.throughput_runs):
            log(
                f"- throughput {run + 1}/{args.throughput_runs}: contacts list, {args.concurrency} clients, "
                f"{args.duration:g}s ..."
            )
            measured = throughput_wrk(port, body["token"], "/api/v1/contacts", args.concurrency, args.duration)
            args.load_generator = "wrk" if measured else "Python threads"
            if measured is None:
                measured = throughput(port, body["token"], "/api/v1/contacts", args.concurrency, args.duration)
            runs.append(measured)
        args.throughput_rates = [rate for rate, _ in runs]
        rps, errors = statistics.median(args.throughput_rates), sum(errors for _, errors in runs)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    report = render(ops, rps, errors, args)
    Path(args.output).write_text(report)
    log("")
    log(report)


def render(ops: list[Operation], rps: float, errors: int, args: argparse.Namespace) -> str:
    with psycopg.connect(args.database_url) as conn:
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names
            for table in (
                "accounts_account",
                "accounts_contact",
                "sales_lead",
                "sales_opportunity",
                "sales_opportunitylineitem",
                "billing_order",
                "billing_orderlineitem",
                "billing_contract",
                "billing_payment",
                "service_case",
                "activities_activity",
            )
            if conn.execute("SELECT to_regclass(%s)", (table,)).fetchone()[0]
        }
        server = conn.execute("SHOW server_version").fetchone()[0].split()[0]
        shared_buffers = conn.execute("SHOW shared_buffers").fetchone()[0]
    lines = [
        "# Benchmark results",
        "",
        f"PostgreSQL {server} (shared_buffers {shared_buffers}), production settings, "
        f"gunicorn {args.workers} workers x {args.threads} threads, "
        f"{os.cpu_count()} CPU cores, load generator on the same machine; {args.requests} requests per operation "
        f"after {args.warmup} warm-up requests. Latency is server-side (Server-Timing), in milliseconds.",
        "",
        "Rows (both organizations): "
        + ", ".join(f"{table.split('_', 1)[1]} {count:,}" for table, count in counts.items()),
        "",
        '"queries" is the number of SQL queries per request in the large organization; "small org" is the same '
        "operation in the second organization (1% of the data): equal counts show that the number of queries "
        'does not depend on the data size. "floor" is the same rows fetched by one hand-written SQL query and '
        "turned into JSON in the benchmark process; list operations should stay within 3x of it.",
        "",
        "| operation | p50 | p95 | p99 | target p95 | queries | small org | floor p50 | p50 / floor | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for op in ops:
        r = op.results
        floor = r.get("floor_p50")
        ratio = "n/a"
        if floor:
            ratio = f"{r['p50'] / floor:.1f}x"
            if op.kind == "list" and r["p50"] > 3 * floor:
                ratio += " (over 3x)"
        verdict = "" if r["p95"] <= op.target_ms else " (missed)"
        small = "/".join(str(q) for q in r.get("small_queries", [])) or "n/a"
        lines.append(
            f"| {op.name} | {r['p50']:.1f} | {r['p95']:.1f}{verdict} | {r['p99']:.1f} | < {op.target_ms:g} | "
            f"{'/'.join(str(q) for q in r['queries'])} | {small} | {f'{floor:.1f}' if floor else 'n/a'} | {ratio} | "
            f"{r['failures']} |"
        )
    lines += [
        "",
        f"Throughput, contacts list page 1, {args.concurrency} concurrent clients for {args.duration:g}s: "
        f"**{rps:.0f} requests/s** (target >= 300; median of {len(args.throughput_rates)} runs: "
        f"{', '.join(f'{rate:.0f}' for rate in args.throughput_rates)}), {errors} errors; load from "
        f"{getattr(args, 'load_generator', 'Python threads')} on the same machine.",
        "",
    ]
    if args.note:
        lines += [args.note, ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
