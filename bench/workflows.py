"""`make bench-workflows`: how soon a workflow's first step runs after its trigger, with a worker running.

Creates its own PostgreSQL database (BENCH_WORKFLOWS_DATABASE_URL, default crm_bench_workflows,
dropped and made afresh) and uses its own Redis database (BENCH_WORKFLOWS_REDIS_URL, default index
10, flushed), starts one Celery worker, saves a workflow "lead created -> create a task for the
owner" and creates BENCH_WORKFLOWS leads (default 50) one after another, each in its own
transaction. For each lead it measures from the lead's creation (inside the writing transaction,
so slightly before the commit) to the start of the run's first step, and prints p50, p95 and max.
The target: p95 under 1 s.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import redis

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
DB_URL = os.environ.get("BENCH_WORKFLOWS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/crm_bench_workflows")
REDIS_URL = os.environ.get("BENCH_WORKFLOWS_REDIS_URL", "redis://127.0.0.1:6379/10")
COUNT = int(os.environ.get("BENCH_WORKFLOWS", "50"))

TRIGGER = """
import time
from crm.core.scoping import org_scope
from crm.identity.services import organization_create
from crm.automation.services.workflows import workflow_create
from crm.sales.services.leads import lead_create
admin = organization_create(name="Bench Agency", admin_email="bench@example.com", admin_password="Bench-Password-91")
with org_scope(admin.organization_id):
    workflow_create(
        data={{
            "name": "New lead: call in a day",
            "object_name": "lead",
            "trigger": {{"type": "record_created"}},
            "steps": [{{"type": "create_task", "subject": "Call {{record}}", "due_in_days": 1}}],
        }},
        actor=admin,
    )
    for n in range({count}):
        lead_create(data={{"last_name": f"Bench {{n}}", "company": "Bench Ltd"}}, actor=admin)
        time.sleep(0.2)
print("done")
"""

LATENCIES = """
SELECT extract(epoch FROM (s.started_at - l.created_at))
FROM automation_workflowsteprun s
JOIN automation_workflowrun r ON r.id = s.run_id
JOIN sales_lead l ON l.id = r.record_id
WHERE s.index = 0
ORDER BY 1
"""


def main() -> int:
    parts = urlsplit(DB_URL)
    with closing(psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True)) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{parts.path.lstrip("/")}"')
    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {**os.environ, "DATABASE_URL": DB_URL, "REDIS_URL": REDIS_URL, "LOG_LEVEL": "WARNING"}
    backend = ROOT / "backend"
    subprocess.run([str(BIN / "python"), "manage.py", "migrate", "--noinput", "-v0"], cwd=backend, env=env, check=True)
    worker = subprocess.Popen(
        [str(BIN / "celery"), "-A", "config", "worker", "--concurrency", "1", "--loglevel", "warning"],
        cwd=backend,
        env=env,
        start_new_session=True,
    )
    try:
        time.sleep(5)  # the worker connects
        subprocess.run(
            [str(BIN / "python"), "manage.py", "shell", "-c", TRIGGER.format(count=COUNT)],
            cwd=backend,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        deadline = time.time() + 120
        with closing(psycopg.connect(DB_URL, autocommit=True)) as conn:
            while True:
                latencies = [float(row[0]) for row in conn.execute(LATENCIES).fetchall()]
                if len(latencies) >= COUNT or time.time() > deadline:
                    break
                time.sleep(0.2)
        if len(latencies) < COUNT:
            print(f"only {len(latencies)} of {COUNT} first steps ran within 120 s")
            return 1
        p50 = latencies[len(latencies) // 2]
        p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
        print(
            f"workflow first step after its trigger, one worker on Redis, {COUNT} leads: "
            f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
        )
        return 0 if p95 < 1.0 else 1
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main())
