"""Import and export throughput: 100,000 contacts from a CSV file, then the contacts list exported.

Creates its own PostgreSQL database (BENCH_IMPORTS_DATABASE_URL, default crm_bench_imports, dropped
and made afresh), migrates it, makes one organization with BENCH_IMPORT_ACCOUNTS accounts (1,000)
and writes a CSV of BENCH_IMPORT_ROWS contacts (default 100,000: first and last name, e-mail, title,
phone and the account by name, every tenth by web address). It measures:

- the upload (``import_start``: read, check the mapping, count the rows, store the file);
- the import job (``import_run``: every row validated by the contact API's serializer, written in
  batches with its audit event and changeset row), "all or nothing" in one transaction;
- the same file again as "create and update" in batches with checkpoints (every row an update of
  an unchanged record: the natural-key match and validation path);
- the undo of the first import;
- the CSV export of the contacts list through the API's export endpoint (time and peak memory of
  the process).

Run: ``.venv/bin/python bench/imports.py`` (prints its figures).
"""

from __future__ import annotations

import os
import resource
import sys
import time
import tracemalloc

from scratch import django_on, fresh_database

DB_URL = os.environ.get("BENCH_IMPORTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/crm_bench_imports")
ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
ACCOUNTS = int(os.environ.get("BENCH_IMPORT_ACCOUNTS", "1000"))


def main() -> int:
    fresh_database(DB_URL)
    django_on(DB_URL, var_prefix="crm-bench-imports-")

    from django.test import Client

    from crm.accounts.models import Account, Contact
    from crm.core.organizations import organization_initialise
    from crm.core.scoping import viewer_scope
    from crm.datatools.models import Import
    from crm.datatools.services import changeset_revert, import_run, import_start
    from crm.identity.models import AuthToken, Organization, Role, User

    org = Organization.objects.create(name="Bench Agency")
    organization_initialise(organization_id=org.pk)
    user = User.objects.create_user(
        "bench@example.com", "Bench-Password-1", organization=org, name="Bench", role=Role.ADMIN
    )
    Account.all_orgs.bulk_create(
        [
            Account(
                organization=org,
                owner=user,
                created_by=user,
                updated_by=user,
                name=f"Account {n:04d}",
                website=f"https://www.account{n}.example",
            )
            for n in range(ACCOUNTS)
        ]
    )
    lines = ["First name,Last name,Email,Title,Phone,Account"]
    for n in range(ROWS):
        account = f"account{n % ACCOUNTS}.example" if n % 10 == 0 else f"Account {n % ACCOUNTS:04d}"
        lines.append(f"First{n},Last{n},person{n}@example.com,Engineer,+359 2 {n:07d},{account}")
    data = ("\n".join(lines) + "\n").encode()
    mapping = {
        "First name": "first_name",
        "Last name": "last_name",
        "Email": "email",
        "Title": "title",
        "Phone": "phone",
        "Account": "account_id",
    }
    print(f"{ROWS:,} contacts, {len(data) / 1e6:.1f} MB CSV, {ACCOUNTS:,} accounts (PostgreSQL)")

    def run(mode: str, commit: str) -> tuple[Import, float, float]:
        started = time.perf_counter()
        with viewer_scope(user):
            record = import_start(
                actor=user,
                object_name="contact",
                file_name="contacts.csv",
                data=data,
                mapping=mapping,
                mode=mode,
                commit=commit,
            )
        uploaded = time.perf_counter()
        import_run(import_id=record.pk)
        finished = time.perf_counter()
        record.refresh_from_db()
        return record, uploaded - started, finished - uploaded

    record, upload_s, run_s = run("create", "all_or_nothing")
    total = upload_s + run_s
    print(
        f"import create, all or nothing: upload {upload_s:.1f} s, job {run_s:.1f} s, total {total:.1f} s "
        f"= {ROWS / total:,.0f} rows/s; status {record.status}, created {record.created_count:,}, "
        f"errors {record.error_count}"
    )
    assert Contact.all_orgs.filter(organization=org).count() == ROWS

    again, upload_s, run_s = run("upsert", "partial")
    total = upload_s + run_s
    print(
        f"import create and update, partial (unchanged rows): job {run_s:.1f} s, total {total:.1f} s "
        f"= {ROWS / total:,.0f} rows/s; updated {again.updated_count:,}, errors {again.error_count}"
    )

    started = time.perf_counter()
    with viewer_scope(user):
        changeset = changeset_revert(changeset_id=record.changeset_id, actor=user)
    print(
        f"undo of the first import: {time.perf_counter() - started:.1f} s "
        f"(removed {changeset.revert_report['removed']:,})"
    )
    Contact.all_orgs.filter(organization=org).update(is_active=True)

    _, raw = AuthToken.issue(user=user, kind=AuthToken.Kind.SESSION)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get("/api/v1/contacts/export", {"format": "csv"}, HTTP_HOST="localhost")
    size = 0
    lines_out = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines_out += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"export of {lines_out - 1:,} contacts as CSV: {elapsed:.1f} s, {size / 1e6:.1f} MB, "
        f"peak Python memory {peak / 1e6:.1f} MB (process max RSS {rss:.0f} MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
