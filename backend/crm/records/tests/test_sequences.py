"""Per-organization number sequences: formats, independence, rollback, and parallel takers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection, transaction

from crm.billing.services.common import CONTRACT_NUMBERS, ORDER_NUMBERS
from crm.core.scoping import OrganizationScopeError, org_scope
from crm.records.models import Sequence
from crm.records.sequences import Numbering, number_next, sequence_next, sequence_reserve_through
from crm.service.models import Case
from crm.service.services import CASE_NUMBERS, case_create

PARALLEL = 20
BACKEND = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
class TestSequence:
    def test_numbers_keep_their_formats(self, org):
        with org_scope(org.pk):
            assert [number_next(ORDER_NUMBERS) for _ in range(2)] == ["ORD-00001", "ORD-00002"]
            assert number_next(CONTRACT_NUMBERS) == "CON-00001"
            assert [number_next(CASE_NUMBERS) for _ in range(2)] == ["00001001", "00001002"]

    def test_each_organization_and_key_counts_on_its_own(self, org, other_org):
        with org_scope(org.pk):
            assert [sequence_next(key="quote") for _ in range(3)] == [1, 2, 3]
            assert sequence_next(key="invoice") == 1
        with org_scope(other_org.pk):
            assert sequence_next(key="quote") == 1
        assert Sequence.all_orgs.filter(organization=org, key="quote").get().last_value == 3

    def test_a_rolled_back_transaction_gives_its_number_back(self, org):
        with org_scope(org.pk):
            assert sequence_next(key="order") == 1
            with pytest.raises(RuntimeError), transaction.atomic():
                assert sequence_next(key="order") == 2
                raise RuntimeError("the record could not be stored")
            assert sequence_next(key="order") == 2

    def test_reserving_through_a_value_skips_the_numbers_loaded_in_bulk(self, org):
        with org_scope(org.pk):
            sequence_reserve_through(key="order", value=40)
            assert number_next(ORDER_NUMBERS) == "ORD-00041"
            sequence_reserve_through(key="order", value=10)  # never moves back
            assert number_next(ORDER_NUMBERS) == "ORD-00042"

    def test_no_organization_in_scope_fails_closed(self, db):
        with pytest.raises(OrganizationScopeError):
            sequence_next(key="order")

    def test_numbering_formats(self):
        assert Numbering(key="x", prefix="INV-", width=6).format(42) == "INV-000042"
        assert Numbering(key="x", width=8, first=1001).format(1001) == "00001001"


def run_in_parallel(org_id: int, work: Callable[[], object]) -> list[object]:
    """Run ``work`` in PARALLEL threads at once, each on its own database connection."""
    barrier = threading.Barrier(PARALLEL)
    results: list[object] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            with org_scope(org_id):
                barrier.wait(timeout=30)
                value = work()
            with lock:
                results.append(value)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(results) == PARALLEL
    return results


@pytest.mark.django_db(transaction=True)
def test_parallel_creates_get_distinct_numbers_without_gaps(org, user):
    # given 20 clients creating cases at the same moment, each in its own transaction and connection
    def create() -> str:
        return case_create(data={"subject": "Parallel"}, actor=user).case_number

    # when
    numbers = run_in_parallel(org.pk, create)

    # then no number is used twice and none is skipped
    expected = [CASE_NUMBERS.format(n) for n in range(1001, 1001 + PARALLEL)]
    assert sorted(numbers) == expected
    with org_scope(org.pk):
        assert sorted(Case.objects.values_list("case_number", flat=True)) == expected
        assert Sequence.objects.get(key=CASE_NUMBERS.key).last_value == 1000 + PARALLEL


@pytest.mark.django_db(transaction=True)
def test_parallel_first_use_creates_one_row(org):
    # given a key nobody has used, taken by 20 clients at once (all of them race to create the row)
    def take() -> int:
        with transaction.atomic():
            return sequence_next(key="quote")

    # when
    values = run_in_parallel(org.pk, take)

    # then
    assert sorted(values) == list(range(1, PARALLEL + 1))
    assert Sequence.all_orgs.filter(organization=org, key="quote").count() == 1


MIGRATION_SCRIPT = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
import django
django.setup()
from django.core.management import call_command
from django.db import connection

# A database as it was before the sequences: the old counter tables, and an organization without stages.
BEFORE = [
    ("billing", "0004_payment_is_overpayment"),
    ("service", "0003_newest_first_index"),
    ("sales", "0004_newest_first_and_search_indexes"),
]
for app, target in BEFORE:
    call_command("migrate", app, target, verbosity=0)
from django.db.migrations.loader import MigrationLoader
old = MigrationLoader(connection).project_state(BEFORE).apps
Organization = old.get_model("identity", "Organization")
a = Organization.objects.create(name="A").pk
b = Organization.objects.create(name="B").pk
NumberCounter = old.get_model("billing", "NumberCounter")
NumberCounter.objects.create(organization_id=a, kind="order", last_value=17)
NumberCounter.objects.create(organization_id=a, kind="contract", last_value=3)
NumberCounter.objects.create(organization_id=b, kind="order", last_value=5)
old.get_model("service", "CaseNumberCounter").objects.create(organization_id=a, last_value=1042)
old.get_model("sales", "OpportunityStage").objects.create(organization_id=b, name="Custom", probability=20)

call_command("migrate", verbosity=0)

from crm.core.scoping import org_scope
from crm.records.sequences import number_next
from crm.billing.services.common import CONTRACT_NUMBERS, ORDER_NUMBERS
from crm.service.services import CASE_NUMBERS
from crm.sales.models import OpportunityStage

with org_scope(a):
    numbers_a = [number_next(ORDER_NUMBERS), number_next(CONTRACT_NUMBERS), number_next(CASE_NUMBERS)]
with org_scope(b):
    numbers_b = [number_next(ORDER_NUMBERS), number_next(CONTRACT_NUMBERS), number_next(CASE_NUMBERS)]
tables = connection.introspection.table_names()
print(json.dumps({
    "a": numbers_a,
    "b": numbers_b,
    "stages_a": OpportunityStage.all_orgs.filter(organization_id=a).count(),
    "stages_b": sorted(OpportunityStage.all_orgs.filter(organization_id=b).values_list("name", flat=True)),
    "old_tables": [t for t in tables if t in ("billing_numbercounter", "service_casenumbercounter")],
}))
"""


def test_the_migrations_carry_the_old_counters_into_the_sequences(tmp_path):
    # given a SQLite database at the state before the sequences, with counters in both old tables
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'before.sqlite3'}"}

    # when it is migrated to the current state
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", MIGRATION_SCRIPT],
        cwd=BACKEND,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )

    # then every organization continues its numbers, and only the one without stages got the defaults
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["a"] == ["ORD-00018", "CON-00004", "00001043"]
    assert answer["b"] == ["ORD-00006", "CON-00001", "00001001"]
    assert answer["stages_a"] == 5
    assert answer["stages_b"] == ["Custom"]
    assert answer["old_tables"] == []
