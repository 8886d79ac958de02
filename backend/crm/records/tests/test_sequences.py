"""Per-organization number sequences: formats, independence, rollback, and parallel takers."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, transaction

from crm.billing.services.common import CONTRACT_NUMBERS, ORDER_NUMBERS
from crm.records.models import Sequence
from crm.records.scoping import OrganizationScopeError, org_scope
from crm.records.sequences import Numbering, number_next, sequence_next, sequence_reserve_through
from crm.service.models import Case
from crm.service.services import CASE_NUMBERS, case_create

PARALLEL = 20


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
