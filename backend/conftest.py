"""Fixtures shared by every test: organizations, users by role, and signed-in API clients."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from crm.core.organizations import organization_initialise
from crm.core.scoping import org_scope
from crm.identity.models import AuthToken, Organization, Role, User

PASSWORD = "Correct-Horse-Battery-9"


def make_user(org: Organization, role: str = Role.USER, email: str | None = None, name: str | None = None) -> User:
    n = User.objects.count() + 1
    return User.objects.create_user(
        email or f"user{n}.{org.pk}@example.com", PASSWORD, organization=org, name=name or f"User {n}", role=role
    )


def client_for(user: User) -> APIClient:
    client = APIClient()
    _, raw = AuthToken.issue(user=user, kind=AuthToken.Kind.SESSION)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.user = user  # type: ignore[attr-defined]
    return client


@pytest.fixture(autouse=True, scope="session")
def _flush_despite_append_only_audit():
    """SQLite empties tables with DELETE, which the audit table's triggers refuse: lift them per flush."""
    from django.db import connection

    from crm.audit import append_only

    if connection.vendor != "sqlite":
        yield
        return
    operations = type(connection.ops)
    original = operations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with append_only.lifted(self.connection):
            return original(self, sql_list)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(operations, "execute_sql_flush", execute_sql_flush)
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


def make_organization(name: str) -> Organization:
    """An organization as ``organization_create`` leaves it (default stages...), without its first user."""
    org = Organization.objects.create(name=name)
    organization_initialise(organization_id=org.pk)
    return org


@pytest.fixture
def org(db) -> Organization:
    return make_organization("Acme Agency")


@pytest.fixture
def other_org(db) -> Organization:
    return make_organization("Rival Agency")


@pytest.fixture
def admin(org) -> User:
    return make_user(org, Role.ADMIN, email="admin@acme.example", name="Ada Admin")


@pytest.fixture
def owner(org) -> User:
    return make_user(org, Role.OWNER, email="owner@acme.example", name="Olga Owner")


@pytest.fixture
def user(org) -> User:
    return make_user(org, Role.USER, email="sam@acme.example", name="Sam Seller")


@pytest.fixture
def other_user(other_org) -> User:
    return make_user(other_org, Role.ADMIN, email="eve@rival.example", name="Eve Rival")


@pytest.fixture
def api(user) -> APIClient:
    return client_for(user)


@pytest.fixture
def admin_api(admin) -> APIClient:
    return client_for(admin)


@pytest.fixture
def other_api(other_user) -> APIClient:
    return client_for(other_user)


@pytest.fixture
def anon() -> APIClient:
    return APIClient()


@pytest.fixture
def in_org(org):
    with org_scope(org.pk):
        yield org
