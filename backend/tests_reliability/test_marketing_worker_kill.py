"""An email send survives SIGKILL of its Celery worker: nobody is mailed twice.

A real worker (``celery -A config worker``, production settings, the Redis broker) delivers a send
to a few hundred contacts through the local SMTP stand-in. When a message in the middle of the send
has reached the SMTP server, and before the server answers it, the worker's whole process group is
killed with SIGKILL: the worst moment, the message is delivered but the worker never learnt it. A
new worker picks the unacknowledged job up again (Redis visibility timeout) and finishes the send.
Then, counted per address at the SMTP server, every recipient got exactly one message; the stored
statuses agree (``sent`` for all but the one row the killed worker held, which the next run
resolves to ``unknown`` instead of sending it again; see ``crm.marketing.services.sends``).

Runs on the suite's own database (PostgreSQL or the SQLite file) with a worker process, so the
rows are committed (``transactional_db``). Redis: MARKETING_KILL_REDIS_URL (default database 12,
flushed by the test).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import redis
from conftest import make_organization, make_user
from django.conf import settings
from django.db import connection

from crm.accounts.models import Account, Contact
from crm.core.scoping import org_scope
from crm.core.tests import smtp
from crm.identity.models import Role
from crm.marketing.models import EmailCampaign, EmailRecipient, EmailTemplate, Segment

BACKEND = Path(settings.BACKEND_DIR)
VENV_BIN = Path(sys.executable).parent
REDIS_URL = os.environ.get("MARKETING_KILL_REDIS_URL", "redis://127.0.0.1:6379/12")
RECIPIENTS = 300
RATE_PER_MINUTE = 1200  # 20 a second: the send takes about 15 s, the kill lands in its middle
KILL_AFTER_MESSAGES = 80
CONCURRENCY = 1

pytestmark = pytest.mark.django_db(transaction=True)


class KillingInbox(smtp.Inbox):
    """Takes each message; on the ``KILL_AFTER_MESSAGES``-th, SIGKILLs the worker before answering it."""

    def __init__(self) -> None:
        super().__init__()
        self.worker_pid: int | None = None
        self.killed = False

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        if len(self.messages) == KILL_AFTER_MESSAGES and self.worker_pid is not None:
            os.killpg(self.worker_pid, signal.SIGKILL)
            self.killed = True
        return answer


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    credentials = s.get("USER") or "postgres"
    if s.get("PASSWORD"):
        credentials += f":{s['PASSWORD']}"
    return f"postgres://{credentials}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


def _env(tmp_path: Path, smtp_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        CRM_ENV="development",
        DATABASE_URL=_database_url(),
        REDIS_URL=REDIS_URL,
        CELERY_VISIBILITY_TIMEOUT="4",  # a dead worker's job is delivered again after this
        CELERY_RESTORE_INTERVAL="1",
        CRM_VAR_DIR=str(tmp_path / "var"),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_USE_TLS="0",
        EMAIL_USE_SSL="0",
        MARKETING_RATE_PER_MINUTE=str(RATE_PER_MINUTE),
        MARKETING_RATE_REDIS_URL=REDIS_URL,
        MARKETING_STUCK_SECONDS="1",
        MARKETING_PUBLIC_URL="http://crm.example",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def _start_worker(env: dict[str, str], log: Path, name: str) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(  # noqa: S603
            [
                str(VENV_BIN / "celery"),
                "-A",
                "config",
                "worker",
                "--concurrency",
                str(CONCURRENCY),
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "warning",
                "-n",
                f"{name}@%h",
            ],
            cwd=BACKEND,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the pool's children die with it
        )


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def _wait(condition, timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"{what} within {timeout:.0f} s\n{log.read_text(errors='replace')[-3000:]}")


def _given_a_send() -> tuple[int, int, int]:
    org = make_organization("Killed Worker Agency")
    user = make_user(org, Role.ADMIN)
    with org_scope(org.pk):
        account = Account.objects.create(name="Recipients", owner=user)
        Contact.objects.bulk_create(
            Contact(first_name=f"R{i}", last_name="Kill", email=f"r{i}@kill.example", account=account, owner=user)
            for i in range(RECIPIENTS)
        )
        template = EmailTemplate.objects.create(
            name="News",
            subject="News for {{ contact.first_name }}",
            body='<p>Hello {{ contact.first_name | default("there") }}</p><p><a href="https://example.com/a">a</a></p>',
            owner=user,
        )
        segment = Segment.objects.create(name="Everyone", definition={"conditions": []}, owner=user)
        send = EmailCampaign.objects.create(name="News", template=template, segment=segment, owner=user)
    return org.pk, user.pk, send.pk


def test_a_send_whose_worker_is_killed_mails_everyone_exactly_once(tmp_path, figure):
    broker = redis.Redis.from_url(REDIS_URL)
    broker.flushdb()
    inbox = KillingInbox()
    controller, port = smtp.start(inbox)
    env = _env(tmp_path, port)
    log = tmp_path / "worker.log"
    org_id, user_id, send_id = _given_a_send()
    workers: list[subprocess.Popen] = []
    try:
        # when: the send starts in a process with the production settings (its job goes to Redis)
        script = (
            "from crm.core.scoping import org_scope;"
            "from crm.identity.models import User;"
            "from crm.marketing.models import EmailCampaign;"
            "from crm.marketing.services import sends;"
            f"scope = org_scope({org_id}); scope.__enter__();"
            f"sends.email_campaign_send(email_campaign=EmailCampaign.objects.get(pk={send_id}),"
            f" actor=User.objects.get(pk={user_id}))"
        )
        started = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "shell", "-c", script],
            cwd=BACKEND,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert started.returncode == 0, started.stderr[-3000:]
        workers.append(_start_worker(env, log, "first"))
        inbox.worker_pid = workers[0].pid

        # ... the worker dies in the middle of the send, between the SMTP server's receipt and its answer
        _wait(lambda: inbox.killed, 120, "the first messages did not arrive", log)
        workers[0].wait()
        time.sleep(0.5)  # an SMTP session the kill cut short is over at the server
        before_kill = len(inbox.messages)

        # ... and a new one takes over
        workers.append(_start_worker(env, log, "second"))

        def finished() -> bool:
            return EmailCampaign.all_orgs.filter(pk=send_id, status=EmailCampaign.Status.COMPLETED).exists()

        _wait(finished, 180, "the send did not complete after the restart", log)
        time.sleep(0.5)
    finally:
        for worker in workers:
            _stop(worker)
        controller.stop()
        broker.flushdb()

    # then: counted at the SMTP server, every recipient got exactly one message
    per_address = Counter(message["To"] for message in inbox.messages)
    statuses = dict(EmailRecipient.all_orgs.filter(email_campaign_id=send_id).values_list("email", "status"))
    by_status = Counter(statuses.values())
    figure("messages before the kill", before_kill)
    figure("messages in all", len(inbox.messages))
    figure("recipients by status", dict(by_status))
    assert len(statuses) == RECIPIENTS
    assert before_kill < RECIPIENTS, "the kill came after the send was over"
    assert before_kill == KILL_AFTER_MESSAGES
    assert max(per_address.values()) == 1, [a for a, n in per_address.items() if n > 1]
    assert set(per_address) == set(statuses)
    assert len(inbox.messages) == RECIPIENTS

    # ... the stored statuses agree with the server's count
    S = EmailRecipient.Status
    assert set(by_status) <= {S.SENT, S.UNKNOWN}, by_status
    for address, status in statuses.items():
        if status == S.SENT:
            assert per_address[address] == 1, address
    # ... the one row the killed worker held is in doubt for the application, and not sent again
    unknown = [address for address, status in statuses.items() if status == S.UNKNOWN]
    assert unknown == [inbox.messages[KILL_AFTER_MESSAGES - 1]["To"]]
