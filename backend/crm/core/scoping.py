"""The current organization of a request or job, held in a ContextVar.

Every organization-scoped manager reads it and fails closed when it is missing, so a query
that forgot its tenant raises instead of leaking another organization's rows.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import Any, TypeVar

_current_org_id: ContextVar[int | None] = ContextVar("crm_current_org_id", default=None)

F = TypeVar("F", bound=Callable[..., Any])


class OrganizationScopeError(RuntimeError):
    """Raised when scoped data is queried with no organization in context."""


def current_org_id() -> int:
    org_id = _current_org_id.get()
    if org_id is None:
        raise OrganizationScopeError("No organization in scope; use org_scope() or the unscoped manager.")
    return org_id


def current_org_id_or_none() -> int | None:
    return _current_org_id.get()


def set_current_org(org_id: int | None) -> Token[int | None]:
    return _current_org_id.set(org_id)


def reset_current_org(token: Token[int | None]) -> None:
    _current_org_id.reset(token)


@contextmanager
def org_scope(org_id: int) -> Iterator[None]:
    """Run a block (a command, a job, a test) as one organization."""
    token = _current_org_id.set(org_id)
    try:
        yield
    finally:
        _current_org_id.reset(token)


def with_org_scope(func: F) -> F:
    """Decorate a job that takes ``organization_id`` so its queries are scoped to it."""

    @functools.wraps(func)
    def wrapper(*args: Any, organization_id: int, **kwargs: Any) -> Any:
        with org_scope(organization_id):
            return func(*args, organization_id=organization_id, **kwargs)

    return wrapper  # type: ignore[return-value]
