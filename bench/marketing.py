"""Marketing sends at scale: the delivery rate across two workers and the open pixel's latency.

    .venv/bin/python bench/marketing.py [--recipients 10000] [--rate 6000] [--workers 2]

It migrates a scratch PostgreSQL database (``--database-url``, default ``crm_marketing_bench`` on
127.0.0.1), creates an organization with ``--recipients`` contacts, a template, a segment and a
send, starts a local SMTP stand-in (aiosmtpd), and runs ``--workers`` delivery processes at once
against the organization's one token bucket (Redis DB 15 with ``--redis``, else the database row).
It prints the measured rate (messages per minute at the SMTP server, from its first to its last
message) next to the configured one, checks that every recipient got exactly one message, then
times the open-tracking endpoint (``/t/o/<token>``) in-process and prints its p50/p95.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
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
    parser.add_argument("--redis", default="", help="e.g. redis://127.0.0.1:6379/15; empty: the database bucket")
    parser.add_argument("--opens", type=int, default=1000)
    args = parser.parse_args()

    import psycopg

    name = args.database_url.rsplit("/", 1)[1]
    with psycopg.connect(args.database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')

    from crm.core.tests import smtp  # the test suite's stand-in

    inbox = smtp.Inbox()
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
    from django.test import Client

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
    print(f"{args.recipients} recipients queued; {args.workers} workers at {args.rate}/min per organization")
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(org.pk), str(send.pk)], cwd=BACKEND, env=env)
        for _ in range(args.workers)
    ]
    for worker in workers:
        worker.wait()
    controller.stop()
    stamps = sorted(inbox.stamps)
    elapsed = stamps[-1] - stamps[0] if len(stamps) > 1 else 0.0
    measured = (len(stamps) - 1) / elapsed * 60 if elapsed else 0.0
    addresses = [m["To"] for m in inbox.messages]
    print(f"delivered: {len(addresses)} messages, {len(set(addresses))} addresses, in {elapsed:.1f} s")
    print(f"rate: measured {measured:.0f}/min, configured {args.rate}/min")
    assert len(addresses) == len(set(addresses)) == args.recipients, "not exactly one message per recipient"

    client = Client()
    from crm.marketing.tracking import make_token

    tokens = list(EmailRecipient.all_orgs.filter(email_campaign=send).values_list("token", flat=True)[: args.opens])
    timings = []
    for token in tokens:
        url = "/t/o/" + make_token("open", token)
        started = time.perf_counter()
        assert client.get(url, HTTP_USER_AGENT="Mozilla/5.0").status_code == 200
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"open pixel: {len(timings)} requests, p50 {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms")


if __name__ == "__main__":
    main()
