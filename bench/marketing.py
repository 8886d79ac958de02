"""Marketing sends at scale: the delivery rate across two workers and the open pixel's latency.

    make bench-marketing
    .venv/bin/python bench/marketing.py [--recipients 10000] [--rate 6000] [--workers 2] [--redis URL]

It migrates a scratch PostgreSQL database (``--database-url``, default ``crm_marketing_bench`` on
127.0.0.1), creates an organization with ``--recipients`` contacts, a template, a segment and a
send, starts a local SMTP stand-in (aiosmtpd), and runs ``--workers`` delivery processes at once
against the organization's one token bucket in Redis (``--redis``, default BENCH_MARKETING_REDIS_URL
or database 15; ``--redis ""``: the database row instead). It prints the measured rate (messages
per minute at the SMTP server, from its first to its last message) next to the configured one and
how many messages each worker delivered (by its SMTP connections), checks that every recipient got
exactly one message, then times the open-tracking endpoint (``/t/o/<token>``, through the whole
middleware stack in-process, first opens and repeated ones) and prints its p50/p95 and the SQL
queries per open.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BACKEND = ROOT / "backend"
sys.path.insert(0, str(BACKEND))

WORKER = """
import django, sys
django.setup()
from crm.core.scoping import org_scope
from crm.marketing.services import sends
org, pk = int(sys.argv[1]), int(sys.argv[2])
with org_scope(org):
    while sends.email_campaign_deliver_rollback_unsafe(email_campaign_id=pk, budget_seconds=600):
        pass
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--rate", type=int, default=6_000, help="messages per minute per organization")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/crm_marketing_bench")
    parser.add_argument(
        "--redis",
        default=os.environ.get("BENCH_MARKETING_REDIS_URL", "redis://127.0.0.1:6379/15"),
        help='the shared token bucket; "" : the database row',
    )
    parser.add_argument("--opens", type=int, default=1000)
    args = parser.parse_args()

    import psycopg

    name = args.database_url.rsplit("/", 1)[1]
    with psycopg.connect(args.database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')

    from crm.core.tests import smtp  # the test suite's stand-in

    class Inbox(smtp.Inbox):
        """Also notes the client port of each message: one SMTP connection per worker run."""

        def __init__(self) -> None:
            super().__init__()
            self.peers: list[int] = []

        async def handle_DATA(self, server, session, envelope):
            self.peers.append(session.peer[1])
            return await super().handle_DATA(server, session, envelope)

    inbox = Inbox()
    controller, port = smtp.start(inbox)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": args.database_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "0",
        "MARKETING_RATE_PER_MINUTE": str(args.rate),
        "MARKETING_RATE_REDIS_URL": args.redis,
        "REDIS_URL": "",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "LOG_LEVEL": "ERROR",
    }
    os.environ.update(env)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=BACKEND, env=env, check=True)

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from crm.accounts.models import Account, Contact
    from crm.core.scoping import org_scope
    from crm.identity.models import Organization, Role, User
    from crm.marketing.models import EmailCampaign, EmailRecipient, EmailTemplate, Segment
    from crm.marketing.services import sends

    org = Organization.objects.create(name="Bench Agency")
    user = User.objects.create_user(email="bench@example.com", password="x" * 12, organization=org, role=Role.ADMIN)
    with org_scope(org.pk):
        account = Account.objects.create(name="Bench", owner=user)
        Contact.objects.bulk_create(
            Contact(first_name=f"P{i}", last_name="Bench", email=f"p{i}@bench.example", account=account, owner=user)
            for i in range(args.recipients)
        )
        template = EmailTemplate.objects.create(
            name="Bench", subject="Hi {{ contact.first_name }}", owner=user,
            body='<p>Hello {{ contact.first_name | default("there") }}</p><p><a href="https://example.com/x">x</a></p>',
        )  # fmt: skip
        segment = Segment.objects.create(name="All", owner=user, definition={"conditions": []})
        send = EmailCampaign.objects.create(name="Bench", template=template, segment=segment, owner=user)
        sends.email_campaign_send(email_campaign=send, actor=user)
    if args.redis:
        import redis

        redis.Redis.from_url(args.redis).delete(f"crm:marketing:bucket:{org.pk}")
    print(f"{args.recipients} recipients queued; {args.workers} workers at {args.rate}/min per organization")
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(org.pk), str(send.pk)], cwd=BACKEND, env=env)
        for _ in range(args.workers)
    ]
    for worker in workers:
        worker.wait()
    time.sleep(0.2)
    controller.stop()
    stamps = sorted(inbox.stamps)
    elapsed = stamps[-1] - stamps[0] if len(stamps) > 1 else 0.0
    measured = (len(stamps) - 1) / elapsed * 60 if elapsed else 0.0
    addresses = [m["To"] for m in inbox.messages]
    print(f"delivered: {len(addresses)} messages, {len(set(addresses))} addresses, in {elapsed:.1f} s")
    print(f"rate: measured {measured:.0f}/min, configured {args.rate}/min")
    shares = sorted(Counter(inbox.peers).values(), reverse=True)
    print(f"per SMTP connection (one per worker run): {shares}")
    assert len(addresses) == len(set(addresses)) == args.recipients, "not exactly one message per recipient"

    client = Client()
    from crm.marketing.tracking import make_token

    tokens = list(EmailRecipient.all_orgs.filter(email_campaign=send).values_list("token", flat=True)[: args.opens])
    agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"
    urls = ["/t/o/" + make_token("open", token) for token in tokens]
    for label, batch in (("first opens", urls), ("repeated opens", urls)):
        timings = []
        queries = 0
        for url in batch:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url, HTTP_USER_AGENT=agent)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
            queries += len(captured)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(
            f"open pixel, {label}: {len(timings)} requests, p50 {statistics.median(timings):.2f} ms,"
            f" p95 {p95:.2f} ms, {queries / len(batch):.1f} SQL queries each"
        )


if __name__ == "__main__":
    main()
