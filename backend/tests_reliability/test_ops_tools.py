"""make audit's verdicts (tools/audit.py) and the pool settings read from the environment."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def audit():
    spec = importlib.util.spec_from_file_location("crm_audit_tool", ROOT / "tools" / "audit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_run(answers):
    def run(args, **kwargs):
        tool = "npm" if args[0] == "npm" else "pip"
        stdout, stderr = answers[tool]
        return SimpleNamespace(stdout=stdout, stderr=stderr, returncode=1)

    return run


PIP_CLEAN = json.dumps({"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]})
PIP_FIXABLE = json.dumps(
    {
        "dependencies": [
            {"name": "django", "version": "5.2.19", "vulns": [{"id": "PYSEC-1", "fix_versions": ["5.2.20"]}]}
        ]
    }
)
PIP_SKIPPED = json.dumps({"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}]})
NPM_CLEAN = json.dumps({"vulnerabilities": {}, "metadata": {}})
NPM_UNFIXED = json.dumps({"vulnerabilities": {"left-pad": {"severity": "low", "fixAvailable": False}}})
NPM_DOWN = ("", "npm warn audit 405 Method Not Allowed\nnpm error audit endpoint returned an error\n")


def test_clean_locks_pass(audit, monkeypatch, capsys):
    monkeypatch.setattr(audit.subprocess, "run", fake_run({"pip": (PIP_CLEAN, ""), "npm": (NPM_CLEAN, "")}))
    assert audit.main() == 0
    assert "audit passed" in capsys.readouterr().out


def test_a_vulnerability_with_a_fix_fails(audit, monkeypatch, capsys):
    monkeypatch.setattr(audit.subprocess, "run", fake_run({"pip": (PIP_FIXABLE, ""), "npm": (NPM_UNFIXED, "")}))
    assert audit.main() == 1
    out = capsys.readouterr().out
    assert "PYSEC-1 (fixed in 5.2.20)" in out
    assert "left-pad (low): no fix yet" in out


def test_unreachable_advisories_are_reported_as_not_checked(audit, monkeypatch, capsys):
    monkeypatch.setattr(audit.subprocess, "run", fake_run({"pip": (PIP_SKIPPED, ""), "npm": NPM_DOWN}))
    assert audit.main() == audit.UNREACHABLE == 3
    out = capsys.readouterr().out
    assert "requirements/lock.txt: NOT CHECKED" in out
    assert "frontend/package-lock.json: NOT CHECKED" in out
    assert "audit endpoint returned an error" in out
    assert "passed" not in out


def pool_settings(**env):
    code = (
        "from django.conf import settings; import json; print(json.dumps(settings.DATABASES['default'], default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT / "backend",
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_the_postgresql_pool_takes_its_sizes_from_the_environment():
    pooled = pool_settings(DATABASE_URL="postgres://u@127.0.0.1:5432/x", DB_POOL_MIN="2", DB_POOL_MAX="9")
    assert pooled["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 9, "timeout": 10.0}
    assert pooled["CONN_MAX_AGE"] == 0
    plain = pool_settings(DATABASE_URL="postgres://u@127.0.0.1:5432/x", DB_POOL_MAX="")
    assert "pool" not in plain["OPTIONS"]
