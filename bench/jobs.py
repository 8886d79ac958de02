"""`make bench-jobs`: background job throughput on Redis with one worker.

Creates its own PostgreSQL database (BENCH_JOBS_DATABASE_URL, default crm_bench_jobs, dropped and
made afresh) and uses its own Redis database (BENCH_JOBS_REDIS_URL, default index 13, flushed),
starts one Celery worker (BENCH_JOBS_CONCURRENCY processes, default 1), enqueues BENCH_JOBS jobs
(default 1000 probe jobs: a row lock, one insert, the state changes) in one transaction and
measures from the commit until the last one succeeded.
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
DB_URL = os.environ.get("BENCH_JOBS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/crm_bench_jobs")
REDIS_URL = os.environ.get("BENCH_JOBS_REDIS_URL", "redis://127.0.0.1:6379/13")
COUNT = int(os.environ.get("BENCH_JOBS", "1000"))
CONCURRENCY = os.environ.get("BENCH_JOBS_CONCURRENCY", "1")

ENQUEUE = """
import time, uuid
from django.db import transaction
from crm.jobs.services import enqueue_on_commit
with transaction.atomic():
    for _ in range({count}):
        marker = uuid.uuid4().hex
        enqueue_on_commit("jobs.probe", key=marker, marker=marker)
print(time.time())
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
        [str(BIN / "celery"), "-A", "config", "worker", "--concurrency", CONCURRENCY, "--loglevel", "warning"],
        cwd=backend,
        env=env,
        start_new_session=True,
    )
    try:
        time.sleep(5)  # the worker connects
        out = subprocess.run(
            [str(BIN / "python"), "manage.py", "shell", "-c", ENQUEUE.format(count=COUNT)],
            cwd=backend,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        committed = float(out.stdout.strip().splitlines()[-1])
        with closing(psycopg.connect(DB_URL, autocommit=True)) as conn:
            while True:
                done, failed = conn.execute(
                    "SELECT count(*) FILTER (WHERE state = 'succeeded'), count(*) FILTER (WHERE state = 'failed') "
                    "FROM jobs_job"
                ).fetchone()
                if done + failed >= COUNT:
                    break
                if time.time() - committed > 600:
                    print(f"only {done} of {COUNT} jobs finished in 600 s")
                    return 1
                time.sleep(0.05)
            last = conn.execute("SELECT extract(epoch FROM max(finished_at)) FROM jobs_job").fetchone()[0]
            runs = conn.execute("SELECT count(*) FROM jobs_jobprobe").fetchone()[0]
        seconds = float(last) - committed
        print(
            f"jobs on Redis, one worker (concurrency {CONCURRENCY}): {COUNT} jobs in {seconds:.2f} s = "
            f"{COUNT / seconds:.0f} jobs/s ({failed} failed, {runs} effects written)"
        )
        return 0 if failed == 0 and runs == COUNT else 1
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main())
