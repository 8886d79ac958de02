"""Backups: back up a populated database, restore it into an empty one, compare every table row for row."""

from __future__ import annotations

import io
import re
import sqlite3
import time
from pathlib import Path

import pytest
from conftest import client_for, make_user
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from crm.accounts.models import Account
from crm.accounts.tests.factories import AccountFactory, ContactFactory
from crm.core.scoping import org_scope
from crm.identity.models import Organization, Role
from crm.operations import backups
from crm.records import services
from crm.records.models import Record
from crm.records.testing import collect_contract_cases

from . import dbutil

pytestmark = pytest.mark.django_db(transaction=True)


def populate() -> dict[str, int]:
    """Two organizations with users, accounts, contacts, audit events, tokens and one record of every object."""
    orgs = [Organization.objects.create(name="Acme Agency"), Organization.objects.create(name="Rival Agency")]
    for org in orgs:
        users = [make_user(org, role) for role in (Role.OWNER, Role.ADMIN, Role.MANAGER, Role.USER)]
        for user in users:
            client_for(user)  # a session token row
        accounts = AccountFactory.create_batch(12, owner=users[3])
        for account in accounts:
            ContactFactory.create_batch(2, owner=users[2], account=account)
        with org_scope(org.pk):
            for n in range(5):
                account = services.record_create(
                    model=Account, data={"name": f"Audited {n} <b>&</b> ü", "owner": users[1]}, actor=users[1]
                )
                services.record_update(
                    record=account, data={"phone": "555-0100"}, expected_version=account.version, actor=users[0]
                )
        for case in collect_contract_cases():
            with org_scope(org.pk):
                for _ in range(3):
                    case.make_record(org, users[3])
    counts = {}
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            manager = model.all_orgs if issubclass(model, Record) else model._base_manager
            counts[model._meta.db_table] = manager.count()
    return counts


def _backup_path(stdout: str) -> Path:
    match = re.match(r"^(\S+) (\d+) bytes", stdout.strip())
    assert match, stdout
    path = Path(match.group(1))
    assert path.is_file()
    assert path.stat().st_size == int(match.group(2))
    return path


def test_backup_then_restore_into_an_empty_database_keeps_every_row(tmp_path, figure):
    counts = populate()
    covered = {case.object for case in collect_contract_cases()}
    for model in apps.get_models():
        if getattr(model, "object_name", None) in covered:
            assert counts[model._meta.db_table] > 0, f"{model.__name__} was not populated"

    out = io.StringIO()
    call_command("backup", dir=tmp_path / "backups", keep=3, stdout=out)
    path = _backup_path(out.getvalue())
    if dbutil.engine() == "sqlite":
        source = dbutil.dump_tables_django()
    else:  # the same client library and type adapters on both sides
        source = dbutil.dump_tables_postgres(connection.settings_dict["NAME"])

    if dbutil.engine() == "sqlite":
        assert path.suffix == ".sqlite3"
        target_file = tmp_path / "restored.sqlite3"
        target = sqlite3.connect(target_file)
        assert target.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0  # empty
        started = time.perf_counter()
        backups.restore_sqlite(path, target)
        seconds = time.perf_counter() - started
        target.close()
        restored = dbutil.dump_tables_sqlite(str(target_file))
        assert sqlite3.connect(target_file).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    else:
        assert path.suffix == ".dump"
        with dbutil.scratch_postgres_database("crm_restore") as target:
            assert dbutil.dump_tables_postgres(target["NAME"]) == {}  # empty
            started = time.perf_counter()
            backups.restore_postgresql(path, target)
            seconds = time.perf_counter() - started
            restored = dbutil.dump_tables_postgres(target["NAME"])
            assert dbutil.postgres_sequences(target["NAME"]) == dbutil.postgres_sequences(
                connection.settings_dict["NAME"]
            )

    assert sorted(restored) == sorted(source)
    for table in source:
        assert restored[table] == source[table], f"table {table} differs after restore"
    rows = sum(len(rows) for rows in source.values())
    assert rows > 200
    figure("tables compared", f"{len(source)} ({sum(1 for rows in source.values() if rows)} with rows)")
    figure("rows compared", rows)
    figure("backup size bytes", path.stat().st_size)
    figure("restore seconds", f"{seconds:.3f}")


def test_restore_command_refuses_a_database_with_data_unless_told_yes(tmp_path):
    org = Organization.objects.create(name="Acme Agency")
    user = make_user(org, Role.ADMIN)
    kept = AccountFactory(owner=user, name="Kept")
    out = io.StringIO()
    call_command("backup", dir=tmp_path, stdout=out)
    path = _backup_path(out.getvalue())
    AccountFactory(owner=user, name="Written after the backup")

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(path), stdout=io.StringIO())
    assert Account.all_orgs.count() == 2  # nothing touched

    out = io.StringIO()
    call_command("restore", str(path), yes=True, stdout=out)
    assert "Restored" in out.getvalue()
    assert list(Account.all_orgs.values_list("name", flat=True)) == [kept.name]


def test_restore_rejects_a_file_of_the_other_engine_or_a_missing_file(tmp_path):
    wrong = tmp_path / ("crm-x.dump" if dbutil.engine() == "sqlite" else "crm-x.sqlite3")
    wrong.write_bytes(b"not a backup")
    with pytest.raises(CommandError, match="not a"):
        call_command("restore", str(wrong), yes=True)
    missing = tmp_path / ("crm-missing.sqlite3" if dbutil.engine() == "sqlite" else "crm-missing.dump")
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(missing), yes=True)


def test_backup_keeps_only_the_newest_files(tmp_path):
    for _ in range(4):
        call_command("backup", dir=tmp_path, keep=2, stdout=io.StringIO())
    files = backups.backup_files(tmp_path)
    assert len(files) == 2
    assert not list(tmp_path.glob("*.partial*"))


def test_scheduled_backup_job_runs_when_due_and_not_before(tmp_path, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from crm.jobs.models import Job
    from crm.operations.tasks import backup_if_due

    day = timedelta(hours=24)
    with django_capture_on_commit_callbacks(execute=True):  # jobs run eagerly in the tests
        assert backup_if_due(directory=tmp_path, interval=day, keep=5)
    assert len(backups.backup_files(tmp_path)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert not backup_if_due(directory=tmp_path, interval=day, keep=5)  # the newest is younger
    assert len(backups.backup_files(tmp_path)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert backup_if_due(directory=tmp_path, interval=timedelta(microseconds=1), keep=5)
    assert len(backups.backup_files(tmp_path)) == 2
    assert set(Job.objects.filter(task="operations.backup").values_list("state", flat=True)) == {"succeeded"}
