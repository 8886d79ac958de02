"""Property-based fuzzing of every operation in the app's own OpenAPI schema (Schemathesis).

The schema is loaded from /api/schema/ through the WSGI app (no network). Each operation runs a
bounded, deterministic number of generated requests as a signed-in administrator with a real
bearer token; every response must be a non-5xx answer that matches the schema (status code,
content type and body).
"""

from __future__ import annotations

import pytest
import schemathesis
from conftest import make_user
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from crm.accounts.tests.factories import AccountFactory, ContactFactory
from crm.identity.models import AuthToken, Organization, Role, User

MAX_EXAMPLES = 15
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
# The generated examples already cover each operation; the extra boundary-value phase would
# multiply the run time by five without finding a different class of bug here.
schema.config.phases.coverage.enabled = False


@pytest.fixture(autouse=True)
def _keep_the_test_transaction_open():
    """Requests go through the WSGI handler, whose end-of-request hook would close the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_admin(db):
    org = Organization.objects.create(name="Fuzz Agency")
    admin = make_user(org, Role.ADMIN, email="fuzz.admin@example.com")
    account = AccountFactory(owner=admin, name="Fuzz Account <script>alert(1)</script>")
    ContactFactory(owner=admin, account=account)
    return admin


@pytest.fixture
def examples(record_property):
    counter = {"n": 0}
    yield counter
    record_property("figure:sum:fuzz cases run", counter["n"])


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_without_5xx_and_matches_the_schema(case, fuzz_admin, examples):
    cache.clear()  # throttle counters: a 429 after many generated logins is not what this test is about
    # A generated update may demote or deactivate the fuzzing user itself; every example starts as admin.
    User.objects.filter(pk=fuzz_admin.pk).update(is_active=True, role=Role.ADMIN)
    _, raw = AuthToken.issue(user=fuzz_admin, kind=AuthToken.Kind.SESSION)
    examples["n"] += 1
    case.call_and_validate(headers={"Authorization": f"Bearer {raw}"}, checks=CHECKS)
