"""A scratch PostgreSQL database for the benchmarks that make their own data.

``fresh_database`` drops and creates the database and migrates it; ``django_on`` points this
process at it and sets Django up, so a script can use the models and services directly.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parents[1]
BACKEND = ROOT / "backend"


def fresh_database(url: str, env: dict[str, str] | None = None) -> None:
    """Drop and create the database of ``url``, then migrate it (with ``env`` on top of this one's)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with closing(psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True)) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    environment = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING", **(env or {})}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=BACKEND, env=environment, check=True
    )


def django_on(url: str, *, var_prefix: str) -> None:
    """Set Django up in this process on the database of ``url``, with a fresh data directory."""
    os.environ["DATABASE_URL"] = url
    os.environ["CRM_VAR_DIR"] = tempfile.mkdtemp(prefix=var_prefix)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ["LOG_LEVEL"] = "WARNING"
    if str(BACKEND) not in sys.path:
        sys.path.insert(0, str(BACKEND))
    import django

    django.setup()
