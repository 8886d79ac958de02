"""Lists filtered by tag at scale: 100,000 contacts, about 150,000 taggings over 20 tags.

Creates its own PostgreSQL database (BENCH_TAGS_DATABASE_URL, default crm_tags, dropped and made
afresh), migrates it, bulk-inserts BENCH_CONTACTS contacts (default 100,000) with 0 to 3 of 20 tags
each, and measures through the API (Django's test client, no network):

- the first page of the contacts list (every row with its tags);
- the list filtered by one tag (by id and by name), and by two tags (any of them);
- the query plan of the filtered page.

Run: ``.venv/bin/python bench/tags.py`` (prints its figures).
"""

from __future__ import annotations

import os
import random
import statistics
import time

from scratch import django_on, fresh_database

DB_URL = os.environ.get("BENCH_TAGS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/crm_tags")
CONTACTS = int(os.environ.get("BENCH_CONTACTS", "100000"))
TAGS = 20
RUNS = 30


def timed(client, path: str, params: dict) -> tuple[float, float, int]:
    """p50 and p95 in milliseconds of ``RUNS`` requests, and the rows of the last one."""
    samples = []
    count = 0
    for _ in range(RUNS + 3):
        start = time.perf_counter()
        response = client.get(path, params)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.content[:300]
        count = response.json()["count"]
    samples = sorted(samples[3:])  # the first requests warm the caches
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], count


def main() -> int:
    fresh_database(DB_URL)
    django_on(DB_URL, var_prefix="crm-bench-tags-")

    from django.db import connection, transaction
    from rest_framework.test import APIClient

    from crm.accounts.models import Account, Contact
    from crm.core.organizations import organization_initialise
    from crm.core.scoping import org_scope
    from crm.identity.models import AuthToken, Organization, Role, User
    from crm.records.models import Tag, Tagging

    org = Organization.objects.create(name="Bench Tags")
    organization_initialise(organization_id=org.pk)
    admin = User.objects.create_user(
        "bench@tags.example", "Bench-Pass-2024!", organization=org, name="Bench", role=Role.ADMIN
    )
    rng = random.Random(17)
    started = time.perf_counter()
    with org_scope(org.pk), transaction.atomic():
        owned = {"organization": org, "owner": admin, "created_by": admin, "updated_by": admin}
        accounts = Account.all_orgs.bulk_create([Account(name=f"Account {n:05d}", **owned) for n in range(1000)])
        contacts = Contact.all_orgs.bulk_create(
            [
                Contact(
                    first_name=f"First{n}",
                    last_name=f"Last{n:06d}",
                    email=f"person{n}@bench.example",
                    account=accounts[n % len(accounts)],
                    **owned,
                )
                for n in range(CONTACTS)
            ],
            batch_size=5000,
        )
        tags = Tag.all_orgs.bulk_create([Tag(organization=org, name=f"Tag {n:02d}") for n in range(TAGS)])
        taggings = [
            Tagging(organization=org, tag=tag, object_name="contact", record_id=contact.pk)
            for contact in contacts
            for tag in rng.sample(tags, rng.randint(0, 3))
        ]
        Tagging.all_orgs.bulk_create(taggings, batch_size=10000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"data: {CONTACTS} contacts, {len(taggings)} taggings over {TAGS} tags ({time.perf_counter() - started:.1f} s)"
    )

    client = APIClient()
    _, raw = AuthToken.issue(user=admin, kind=AuthToken.Kind.SESSION)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    cases = [
        ("list, first page with tags", {}),
        ("filtered by one tag (id)", {"tag": tags[3].pk}),
        ("filtered by one tag (name)", {"tag": "tag 03"}),
        ("filtered by two tags (any)", {"tag": [tags[3].pk, tags[11].pk]}),
        ("filtered by tag and searched", {"tag": tags[3].pk, "search": "Last00"}),
        ("filtered by tag, keyset page", {"tag": tags[3].pk, "cursor": ""}),
    ]
    print(f"GET /api/v1/contacts, {RUNS} requests each (p50 / p95 ms, rows counted up to the cap):")
    for label, params in cases:
        p50, p95, count = timed(client, "/api/v1/contacts", params)
        print(f"  {label:32s} {p50:7.1f} / {p95:7.1f}   count={count}")

    with org_scope(org.pk):
        from crm.records.tags import selectors

        page = (
            Contact.objects.filter(
                pk__in=selectors.tagged_record_ids(object_name="contact", tags=selectors.tags_named([tags[3].pk]))
            )
            .annotate(**{selectors.TAGS_COLUMN: selectors.packed_tags("contact")})
            .order_by("last_name", "first_name", "id")[:25]
        )
        sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ANALYZE {sql}", params)
        plan = [row[0] for row in cursor.fetchall()]
    print("plan of the filtered page:")
    for line in plan:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
