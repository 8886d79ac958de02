"""Row locks are taken only in each domain's ``locks`` module, where the lock order is documented."""

from __future__ import annotations

from pathlib import Path

import crm

ROOT = Path(crm.__file__).parent


def _application_modules() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts and path.name != "locks.py"
    ]


def test_no_row_lock_outside_the_locks_modules():
    offenders = [
        str(path.relative_to(ROOT)) for path in _application_modules() if "select_for_update" in path.read_text()
    ]
    assert offenders == []


def test_every_locks_module_documents_its_lock_order():
    modules = sorted(ROOT.rglob("locks.py"))
    assert {path.parent.name for path in modules} >= {"accounts", "billing", "identity", "sales"}
    for path in modules:
        assert "Lock order" in path.read_text(), path
