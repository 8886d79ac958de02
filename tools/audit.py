"""`make audit`: known vulnerabilities in the locked dependencies (Python and the web UI).

pip-audit checks requirements/lock.txt (and the test tools' lock) against the Python advisory
database; `npm audit` checks frontend/package-lock.json against the npm registry's advisories.
A vulnerability with a fixed version available fails the audit (exit 1); one without a fix is
listed but does not fail. When an advisory service cannot be reached the audit says so and exits 3:
nothing was checked, and it does not pretend otherwise.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
UNREACHABLE = 3
NETWORK_SIGNS = (
    "connectionerror",
    "max retries",
    "name or service not known",
    "temporary failure in name resolution",
    "network is unreachable",
    "timed out",
    "enotfound",
    "econnrefused",
    "eai_again",
    "etimedout",
    "connection refused",
    "failed to resolve",
    "audit endpoint returned an error",
    "request to https",
)


def unreachable(text: str) -> bool:
    lowered = text.lower()
    return any(sign in lowered for sign in NETWORK_SIGNS)


def pip_audit(lock: Path) -> tuple[int, list[str], str | None]:
    """(fixable count, report lines, error if the service was not reached)."""
    result = subprocess.run(
        [
            str(BIN / "pip-audit"),
            "--requirement",
            str(lock),
            "--no-deps",
            "--disable-pip",
            "--progress-spinner",
            "off",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        message = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        if unreachable(result.stderr + result.stdout):
            return 0, [], f"the Python advisory service could not be reached ({message[0]})"
        return 0, [], f"pip-audit failed: {message[0]}"
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if "skip_reason" in d]
    if skipped:
        # pip-audit says "No known vulnerabilities found" even when it could look none up.
        return (
            0,
            [],
            (
                f"{len(skipped)} of {len(dependencies)} packages could not be looked up in the Python advisory "
                f"service (e.g. {skipped[0]['skip_reason']})"
            ),
        )
    fixable, lines = 0, []
    for dependency in dependencies:
        for vuln in dependency.get("vulns", []):
            fixes = vuln.get("fix_versions") or []
            fixable += bool(fixes)
            fix = f"fixed in {', '.join(fixes)}" if fixes else "no fix yet"
            lines.append(f"  {dependency['name']} {dependency['version']}: {vuln['id']} ({fix})")
    return fixable, lines, None


def npm_audit() -> tuple[int, list[str], str | None]:
    result = subprocess.run(
        ["npm", "audit", "--package-lock-only", "--json"],
        cwd=ROOT / "frontend",
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        report = {}
    if "vulnerabilities" not in report:
        # npm answers an error object (or nothing) when the registry's audit endpoint refused or was not reached.
        error = report.get("error") or report
        summary = (
            error.get("summary") or error.get("message") or (result.stderr.strip().splitlines() or ["no output"])[-1]
        )
        return 0, [], f"the npm advisory service could not be reached or refused the audit ({summary})"
    fixable, lines = 0, []
    for name, vuln in sorted(report.get("vulnerabilities", {}).items()):
        fix = vuln.get("fixAvailable")
        fixable += bool(fix)
        lines.append(f"  {name} ({vuln.get('severity')}): {'fix available' if fix else 'no fix yet'}")
    return fixable, lines, None


def main() -> int:
    failures, errors = 0, []
    for label, check in (
        ("requirements/lock.txt", lambda: pip_audit(ROOT / "requirements" / "lock.txt")),
        ("requirements/test-lock.txt", lambda: pip_audit(ROOT / "requirements" / "test-lock.txt")),
        ("frontend/package-lock.json", npm_audit),
    ):
        fixable, lines, error = check()
        if error:
            print(f"{label}: NOT CHECKED: {error}")
            errors.append(label)
            continue
        print(f"{label}: {len(lines)} known vulnerabilities, {fixable} with a fix available")
        print("\n".join(lines)) if lines else None
        failures += fixable
    if failures:
        print(f"audit failed: {failures} known vulnerabilities have a fix; upgrade those packages.")
        return 1
    if errors:
        print(f"audit incomplete: {', '.join(errors)} could not be checked (advisory service unreachable).")
        return UNREACHABLE
    print("audit passed: no known vulnerability with a fix available.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
