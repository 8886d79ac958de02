"""Seats under races: concurrent accepts of invitations, and concurrent new users, with one seat
left take it exactly once (the organization row is locked while the seats are counted)."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

import pytest
from conftest import make_user
from django.core import mail
from django.db import connection

from crm.core.errors import ApplicationError
from crm.identity.models import Invitation, Role, User
from crm.identity.services import invitation_accept, invitation_create, user_create

from .test_limits import put_on

PARALLEL = 6


def run_at_once(works: list[Callable[[], object]]) -> tuple[list[object], list[BaseException]]:
    """Run each work in its own thread (and database connection), all released together."""
    barrier = threading.Barrier(len(works))
    results: list[object] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(work: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=30)
            value = work()
            with lock:
                results.append(value)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return results, errors


def one_seat_left(org) -> User:
    put_on(org, "free")  # 3 seats
    admin = make_user(org, Role.ADMIN, email="admin@acme.example", name="Ada Admin")
    make_user(org, Role.USER, email="second@acme.example", name="Second User")
    return admin


@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_with_one_free_seat_create_one_user(saas, org):
    admin = one_seat_left(org)
    tokens = []
    for n in range(PARALLEL):
        invitation_create(actor=admin, email=f"invited{n}@acme.example", role=Role.USER)
        tokens.append(re.search(r"token=(\S+)", mail.outbox[-1].body).group(1))
    assert len(set(tokens)) == PARALLEL

    results, errors = run_at_once(
        [
            lambda token=token, n=n: invitation_accept(
                token=token, name=f"Invited {n}", password="A-long-enough-pass-42"
            )
            for n, token in enumerate(tokens)
        ]
    )

    assert len(results) == 1
    assert len(errors) == PARALLEL - 1
    assert all(isinstance(error, ApplicationError) and error.code == "plan_seat_limit" for error in errors), errors
    assert User.objects.filter(organization=org, email__startswith="invited").count() == 1
    assert User.objects.filter(organization=org, is_active=True).count() == 3
    assert Invitation.all_orgs.filter(organization=org, status=Invitation.Status.ACCEPTED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_new_users_with_one_free_seat_create_one(saas, org):
    admin = one_seat_left(org)

    results, errors = run_at_once(
        [
            lambda n=n: user_create(actor=admin, name=f"New {n}", email=f"new{n}@acme.example", role=Role.USER)
            for n in range(PARALLEL)
        ]
    )

    assert len(results) == 1 and len(errors) == PARALLEL - 1
    assert all(isinstance(error, ApplicationError) and error.code == "plan_seat_limit" for error in errors), errors
    assert User.objects.filter(organization=org, is_active=True).count() == 3
