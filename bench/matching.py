"""Bank statement matching at scale: a 5,000-transaction statement against 100,000 open invoices.

Creates its own PostgreSQL database (BENCH_MATCHING_DATABASE_URL, default crm_bench_collect, dropped
and made afresh), migrates it, bulk-inserts BENCH_INVOICES issued invoices (default 100,000) over
1,000 accounts with an order each, writes a CSV statement of BENCH_TRANSACTIONS bookings (default
5,000: 60 % name an invoice number, 20 % pay an exact amount from a payer named like the account,
20 % match nothing) and measures:

- the upload (parse, store each transaction once) through ``statement_import``;
- the matching job, run by the job layer's worker code (``run_job``), with the statement's progress
  (processed / total) sampled while it runs, and the SQL queries it sends.

Run: ``.venv/bin/python bench/matching.py`` (prints its figures).
"""

from __future__ import annotations

import datetime
import os
import random
import threading
import time
from decimal import Decimal

from scratch import django_on, fresh_database

DB_URL = os.environ.get("BENCH_MATCHING_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/crm_bench_collect")
INVOICES = int(os.environ.get("BENCH_INVOICES", "100000"))
TRANSACTIONS = int(os.environ.get("BENCH_TRANSACTIONS", "5000"))
ACCOUNTS = 1000


def main() -> int:
    fresh_database(DB_URL)
    django_on(DB_URL, var_prefix="crm-bench-matching-")

    from django.db import connection, transaction

    from crm.accounts.models import Account
    from crm.billing.models import Order
    from crm.collections.models import BankStatement
    from crm.collections.services.statements import statement_import
    from crm.collections.tasks import match_statement
    from crm.core.organizations import organization_initialise
    from crm.core.scoping import org_scope
    from crm.identity.models import Organization, Role, User
    from crm.invoicing.models import Invoice
    from crm.jobs.models import Job
    from crm.jobs.services import run_job

    rng = random.Random(7)
    started = time.perf_counter()
    org = Organization.objects.create(name="Bench Collect")
    organization_initialise(organization_id=org.pk)
    admin = User.objects.create_user(
        "bench@collect.example", "Bench-Pass-2024!", organization=org, name="Bench", role=Role.ADMIN
    )
    today = datetime.datetime.now(tz=datetime.UTC).date()
    with org_scope(org.pk), transaction.atomic():
        accounts = Account.objects.bulk_create(
            [
                Account(name=f"Customer {n:04d} Trading", owner=admin, created_by=admin, updated_by=admin)
                for n in range(ACCOUNTS)
            ]
        )
        orders = Order.objects.bulk_create(
            [
                Order(
                    account=account,
                    owner=admin,
                    created_by=admin,
                    updated_by=admin,
                    order_number=f"ORD-{n:06d}",
                    order_date=today,
                )
                for n, account in enumerate(accounts)
            ]
        )
        rows = []
        for n in range(INVOICES):
            index = n % ACCOUNTS
            gross = Decimal(rng.randrange(5000, 500000)) / 100
            rows.append(
                Invoice(
                    account=accounts[index],
                    order=orders[index],
                    owner=admin,
                    created_by=admin,
                    updated_by=admin,
                    number=f"INV-{today.year}-{n + 1:06d}",
                    status=Invoice.Status.ISSUED,
                    issue_date=today - datetime.timedelta(days=20),
                    due_date=today - datetime.timedelta(days=6),
                    net_total=gross,
                    gross_total=gross,
                )
            )
        Invoice.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seeded = time.perf_counter() - started
    print(f"seeded {INVOICES:,} open invoices over {ACCOUNTS:,} accounts in {seeded:.1f} s")

    # the statement
    lines = ["Date;Amount;Payer;Description"]
    picks = rng.sample(range(INVOICES), TRANSACTIONS)
    for n, pick in enumerate(picks):
        invoice = rows[pick]
        kind = n % 5
        if kind < 3:  # the number in the remittance
            lines.append(f"{today:%Y-%m-%d};{invoice.gross_total};{invoice.account.name};Payment {invoice.number}")
        elif kind == 3:  # amount + name
            lines.append(f"{today:%Y-%m-%d};{invoice.gross_total};{invoice.account.name.upper()} LTD;Thanks")
        else:  # nothing to match
            lines.append(f"{today:%Y-%m-%d};{rng.randrange(1, 4999)}.{rng.randrange(10, 99)};Somebody {n};Misc {n}")
    content = ("\n".join(lines) + "\n").encode()
    mapping = {"booking_date": "Date", "amount": "Amount", "counterparty_name": "Payer", "remittance": "Description"}

    with org_scope(org.pk):
        started = time.perf_counter()
        statement = statement_import(data=content, filename="bench.csv", fmt="csv", mapping=mapping, actor=admin)
        uploaded = time.perf_counter() - started
    print(f"upload: {TRANSACTIONS:,} transactions parsed and stored in {uploaded:.2f} s ({statement.status})")
    job = Job.objects.get(task="collections.match_statement", key=f"match:{statement.pk}")

    samples: list[str] = []
    done = threading.Event()

    def watch() -> None:
        from django.db import connection as own

        while not done.wait(2.0):
            row = BankStatement.all_orgs.values("processed", "total", "matched", "queued").get(pk=statement.pk)
            samples.append(f"{row['processed']}/{row['total']}")
        own.close()

    watcher = threading.Thread(target=watch)
    watcher.start()
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        outcome, _ = run_job(job.pk, match_statement.job_function, atomic=False, retries=0, max_retries=3)
    matching = time.perf_counter() - started
    done.set()
    watcher.join()
    final = BankStatement.all_orgs.get(pk=statement.pk)
    print(f"matching job: {outcome} in {matching:.1f} s; matched {final.matched:,}, to review {final.queued:,}")
    print(f"progress seen while matching (every 2 s): {', '.join(samples) or 'finished within 2 s'}")
    print(
        f"SQL queries of the matching job: {queries:,} ({queries / max(final.matched, 1):.2f} per applied match, "
        f"{queries / TRANSACTIONS:.2f} per transaction)"
    )
    print(f"load average (1, 5, 15 min) after the run: {', '.join(f'{value:.1f}' for value in os.getloadavg())}")
    total = uploaded + matching
    print(f"upload + matching: {total:.1f} s (target: under 30 s)")
    return 0 if total < 30 and outcome == "succeeded" else 1


if __name__ == "__main__":
    raise SystemExit(main())
