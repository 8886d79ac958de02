"""Crash safety: SIGKILL the real app server in the middle of a stream of writes.

The server (gunicorn, the production entry point) runs in its own process group on a fresh
database. Client threads create accounts; after a number of acknowledged writes the whole
server is killed with SIGKILL, restarted, and every write the client got a 201 for must be
there, with its audit event, and the database must pass its integrity checks.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from . import dbutil

BACKEND = Path(settings.BACKEND_DIR)
VENV_BIN = Path(sys.executable).parent
GUNICORN = VENV_BIN / "gunicorn"
EMAIL = "crash.owner@example.com"
PASSWORD = "Crash-Test-Password-42"  # noqa: S105  a throwaway test account
WRITERS = 4
KILL_AFTER_ACKS = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(database_url: str, var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DATABASE_URL=database_url,
        CRM_VAR_DIR=str(var_dir),
        LOG_LEVEL="ERROR",
        CRM_ENV="development",
    )
    return env


def _prepare_database(env: dict[str, str]) -> None:
    script = (
        "from django.core.management import call_command as c;"
        "c('migrate', verbosity=0, interactive=False);"
        f"c('create_organization', name='Crash Agency', admin_email='{EMAIL}', admin_password='{PASSWORD}')"
    )
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=BACKEND,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )


@contextlib.contextmanager
def _server(env: dict[str, str], port: int, log: Path) -> Iterator[subprocess.Popen]:
    with log.open("ab") as out:
        process = subprocess.Popen(  # noqa: S603
            [
                str(GUNICORN),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--log-level",
                "error",
            ],
            cwd=BACKEND,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: master and workers die together
        )
    try:
        _wait_healthy(port, process, log)
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _wait_healthy(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {log.read_text()[-2000:]}")
        with contextlib.suppress(OSError):
            status, _ = _request(port, "GET", "/api/health", timeout=1)
            if status == 200:
                return
        time.sleep(0.1)
    raise AssertionError(f"server did not become healthy: {log.read_text()[-2000:]}")


def _request(
    port: int, method: str, path: str, body: Any = None, token: str | None = None, timeout: float = 10
) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


@contextlib.contextmanager
def _database(kind: str, tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """A database URL and a function opening a DB-API connection to it."""
    if kind == "sqlite":
        path = tmp_path / "crash.sqlite3"
        yield f"sqlite:///{path}", lambda: sqlite3.connect(path)
        return
    with dbutil.scratch_postgres_database("crm_crash") as target:
        s = target
        url = f"postgres://{s.get('USER') or 'postgres'}"
        if s.get("PASSWORD"):
            url += f":{s['PASSWORD']}"
        url += f"@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"
        yield url, lambda: dbutil.pg_connect(s["NAME"])


@pytest.mark.parametrize("kind", [dbutil.engine()])
def test_acknowledged_writes_survive_sigkill_of_the_server(kind, tmp_path, figure):
    port = _free_port()
    log = tmp_path / "server.log"
    started = time.monotonic()
    with _database(kind, tmp_path) as (url, connect):
        env = _server_env(url, tmp_path / "var")
        _prepare_database(env)

        acked: list[tuple[int, str]] = []
        errors: list[str] = []
        stop = threading.Event()
        lock = threading.Lock()

        with _server(env, port, log) as server:
            status, body = _request(
                port, "POST", "/api/v1/auth/login", {"email": EMAIL, "password": PASSWORD, "issue_token": True}
            )
            assert status == 200, body
            token = body["token"]

            def writer(n: int) -> None:
                i = 0
                while not stop.is_set():
                    name = f"Crash {n}-{i}"
                    i += 1
                    try:
                        status, body = _request(port, "POST", "/api/v1/accounts", {"name": name}, token, timeout=5)
                    except (OSError, ValueError, http.client.HTTPException) as exc:  # the server is gone mid-request
                        with lock:
                            errors.append(type(exc).__name__)
                        return
                    if status == 201:
                        with lock:
                            acked.append((body["id"], name))
                    else:
                        with lock:
                            errors.append(f"HTTP {status}: {body}")
                        return

            threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(WRITERS)]
            for thread in threads:
                thread.start()
            deadline = time.monotonic() + 10
            while len(acked) < KILL_AFTER_ACKS and time.monotonic() < deadline and not errors:
                time.sleep(0.005)
            os.killpg(server.pid, signal.SIGKILL)  # master and workers, mid-stream
            server.wait()
            stop.set()
            for thread in threads:
                thread.join(timeout=10)
        assert not [e for e in errors if e.startswith("HTTP")], errors
        acknowledged = list(acked)
        assert len(acknowledged) >= KILL_AFTER_ACKS, (acknowledged, errors, log.read_text()[-2000:])

        with _server(env, port, log):
            status, body = _request(
                port, "POST", "/api/v1/auth/login", {"email": EMAIL, "password": PASSWORD, "issue_token": True}
            )
            assert status == 200, body
            token = body["token"]
            for pk, name in acknowledged:
                status, body = _request(port, "GET", f"/api/v1/accounts/{pk}", token=token)
                assert status == 200, (pk, status, body)
                assert body["name"] == name
            status, _ = _request(port, "POST", "/api/v1/accounts", {"name": "After restart"}, token)
            assert status == 201

        conn = connect()
        try:
            if kind == "sqlite":
                assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
                assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
            accounts = dict(conn.execute("SELECT id, version FROM accounts_account").fetchall())
            created = {
                row[0]
                for row in conn.execute(
                    "SELECT object_id FROM records_auditevent WHERE object_type = 'accounts.account' AND action = 'create'"
                ).fetchall()
            }
        finally:
            conn.close()
    found = [pk for pk, _ in acknowledged if pk in accounts]
    assert len(found) == len(acknowledged)
    assert set(accounts) <= created, "an account without its create audit event"
    assert all(version >= 1 for version in accounts.values())
    figure("writes acknowledged before the kill", len(acknowledged))
    figure("acknowledged writes found after restart", len(found))
    figure("rows in the database after restart", len(accounts))
    figure("requests cut by the kill", len(errors))
    figure("seconds", f"{time.monotonic() - started:.1f}")
