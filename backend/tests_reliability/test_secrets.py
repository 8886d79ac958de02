"""No secret is committed: every tracked file is scanned for keys, tokens and hard-coded passwords.

The production settings' refusal of the default SECRET_KEY and of DEBUG is tested in
crm/records/tests/test_platform.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

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
