"""No secret is committed: every tracked file is scanned for keys, tokens and hard-coded passwords.

Without SECRET_KEY in the environment, a start outside production generates a private key file
instead of using a key written in the source.

The production settings' refusal of the default SECRET_KEY and of DEBUG is tested in
crm/records/tests/test_platform.py.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings

from config.secret_key import load_or_create_secret_key

REPO = Path(settings.BACKEND_DIR).parent
DOCUMENTED_DEVELOPMENT_KEY = "insecure-development-key-do-not-use-in-production"
MAX_BYTES = 2_000_000

SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----"),
    "AWS access key id": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "AWS secret access key": re.compile(r"aws_secret_access_key\s*[=:]\s*['\"]?[A-Za-z0-9/+=]{40}", re.IGNORECASE),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    "Stripe live key": re.compile(r"\b[sr]k_live_[A-Za-z0-9]{16,}"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    "credentials in a URL": re.compile(r"\b(?:postgres(?:ql)?|mysql|redis|amqp)://[^\s:/@'\"]+:[^\s@'\"]{3,}@"),
}
# In settings: a literal assigned to a secret-looking name (values must come from the environment).
SETTINGS_LITERAL = re.compile(
    r"^\s*[A-Z_]*(?:SECRET|PASSWORD|TOKEN|API_KEY)[A-Z_]*\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE
)


def _tracked_files() -> list[Path]:
    git = shutil.which("git")
    if git is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run([git, "ls-files", "-z"], cwd=REPO, capture_output=True, check=True)  # noqa: S603
    return [REPO / name for name in listed.stdout.decode().split("\0") if name]


def _text(path: Path) -> str | None:
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    if b"\0" in data[:8192]:
        return None  # binary
    return data.decode("utf-8", errors="replace")


def test_no_secret_in_tracked_files(figure):
    files = _tracked_files()
    findings = []
    scanned = 0
    for path in files:
        text = _text(path)
        if text is None:
            continue
        scanned += 1
        findings += [
            f"{path.relative_to(REPO)}: {label}: {match.group(0)[:24]}..."
            for label, pattern in SECRET_PATTERNS.items()
            for match in pattern.finditer(text)
        ]
    assert not findings, "\n".join(findings)
    assert scanned > 50
    figure("tracked files scanned for secrets", scanned)


def test_settings_take_secrets_from_the_environment_only():
    findings = []
    for path in sorted((REPO / "backend" / "config").rglob("*.py")):
        findings += [
            f"{path.relative_to(REPO)}: {match.group(0).strip()}"
            for match in SETTINGS_LITERAL.finditer(path.read_text())
            if match.group(1) != DOCUMENTED_DEVELOPMENT_KEY
        ]
    assert not findings, "\n".join(findings)


def test_no_environment_or_key_files_are_tracked():
    names = [path.relative_to(REPO).as_posix() for path in _tracked_files()]
    forbidden = re.compile(r"(^|/)(\.env(\.[^/]*)?|id_rsa|id_ed25519|[^/]+\.(pem|key|p12|pfx))$")
    allowed = {".env.example"}
    tracked = [name for name in names if forbidden.search(name) and Path(name).name not in allowed]
    assert not tracked, tracked


def test_the_scanner_finds_what_it_looks_for():
    fake_key = "AKIA" + "ABCDEFGHIJKLMNOP"
    fake_pem = "-----BEGIN RSA " + "PRIVATE KEY-----"
    assert SECRET_PATTERNS["AWS access key id"].search(f"key = '{fake_key}'")
    assert SECRET_PATTERNS["private key"].search(fake_pem)
    assert SECRET_PATTERNS["credentials in a URL"].search("postgres://crm:" + "s3cret@db/crm")
    assert not SECRET_PATTERNS["credentials in a URL"].search("postgres://postgres@127.0.0.1:5432/crm")
    assert SETTINGS_LITERAL.search('EMAIL_HOST_PASSWORD = "' + 'hunter2"')


def test_development_secret_key_is_generated_private_and_reused(tmp_path):
    path = tmp_path / "var" / "secret_key"
    key = load_or_create_secret_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert key != DOCUMENTED_DEVELOPMENT_KEY
    assert len(key) >= 50
    assert load_or_create_secret_key(path) == key, "reused on the next start"
    assert load_or_create_secret_key(tmp_path / "elsewhere" / "secret_key") != key, "random per installation"
    assert [p.name for p in path.parent.iterdir()] == ["secret_key"], "no temporary file left behind"


def test_workers_starting_together_agree_on_one_key(tmp_path):
    path = tmp_path / "secret_key"
    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = set(pool.map(lambda _: load_or_create_secret_key(path), range(16)))
    assert keys == {path.read_text().strip()}


def _settings_secret_key(var_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    base = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "CRM_ENV")}
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=REPO / "backend",
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings.base", "CRM_VAR_DIR": str(var_dir), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_start_without_secret_key_uses_the_generated_key_not_the_public_one(tmp_path):
    first = _settings_secret_key(tmp_path)
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip()
    assert key != DOCUMENTED_DEVELOPMENT_KEY
    assert key == (tmp_path / "secret_key").read_text().strip()
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert _settings_secret_key(tmp_path).stdout.strip() == key
    from_env = _settings_secret_key(tmp_path, SECRET_KEY="k" * 60)
    assert from_env.stdout.strip() == "k" * 60


def test_production_refuses_a_missing_or_public_key_and_writes_no_key_file(tmp_path):
    missing = _settings_secret_key(tmp_path, CRM_ENV="production")
    assert missing.returncode != 0
    assert "SECRET_KEY" in missing.stderr
    public = _settings_secret_key(tmp_path, CRM_ENV="production", SECRET_KEY=DOCUMENTED_DEVELOPMENT_KEY)
    assert public.returncode != 0
    assert not (tmp_path / "secret_key").exists()
