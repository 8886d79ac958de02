"""`manage.py migrate` alone prepares a database that answers sign-ins: the throttle's cache
table (the database cache of the default settings) comes with the migrations."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from . import dbutil

BACKEND = Path(settings.BACKEND_DIR)
EMAIL = "migrate.owner@example.com"
PASSWORD = "Migrate-Only-Password-42"  # noqa: S105  a throwaway test account

SCRIPT = f"""
import json
from django.core.management import call_command
from django.db import connection
from django.test import Client
call_command("migrate", verbosity=0, interactive=False)
call_command("create_organization", name="Migrated Agency", admin_email="{EMAIL}", admin_password="{PASSWORD}")
with connection.cursor() as cursor:
    tables = connection.introspection.table_names(cursor)
response = Client().post(
    "/api/v1/auth/login", {{"email": "{EMAIL}", "password": "{PASSWORD}"}}, content_type="application/json"
)
print(json.dumps({{"status": response.status_code, "email": response.json()["user"]["email"],
                  "cache_table": "crm_cache" in tables}}))
"""


def _run(database_url: str, var_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST") and k != "REDIS_URL"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.base", DATABASE_URL=database_url, CRM_VAR_DIR=str(var_dir))
    env.update(LOG_LEVEL="ERROR", CRM_ENV="development", EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", SCRIPT],
        cwd=BACKEND,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.django_db
def test_a_database_prepared_by_migrate_alone_answers_login(tmp_path):
    if connection.vendor == "postgresql":
        with dbutil.scratch_postgres_database("crm_migrate_only") as db:
            auth = f"{db['USER']}:{db['PASSWORD']}@" if db.get("PASSWORD") else f"{db['USER']}@"
            url = f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
            result = _run(url, tmp_path / "var")
    else:
        result = _run(f"sqlite:///{tmp_path / f'{uuid.uuid4().hex}.sqlite3'}", tmp_path / "var")
    assert result == {"status": 200, "email": EMAIL, "cache_table": True}
