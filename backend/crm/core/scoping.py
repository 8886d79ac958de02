"""The current organization of a request or job, held in a ContextVar.

Every organization-scoped manager reads it and fails closed when it is missing, so a query
that forgot its tenant raises instead of leaking another organization's rows.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from django.db.models import Q, QuerySet

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


# --- the viewer: who is asking, for record-level sharing ------------------------------------


class Viewer(Protocol):
    """The signed-in user a request reads records as (implemented by ``crm.sharing``).

    The organization-scoped manager hands every queryset to ``restrict``, so record-level
    visibility (Private defaults, the manager chain, shares) applies wherever the manager is used.
    """

    user_id: int

    def restrict(self, queryset: QuerySet[Any]) -> QuerySet[Any]: ...

    def can_edit(self, record: Any) -> bool: ...

    def restricts(self, model: type[Any]) -> bool:
        """Whether ``restrict`` narrows this model's rows (a subquery of them is worth adding)."""
        ...

    def branches(self, model: type[Any]) -> list[Q] | None:
        """The rows ``restrict`` keeps as disjoint conditions, each answerable by one index (for
        reports that count or sum them); None when ``restrict`` is to be used as it is."""
        ...


_current_viewer: ContextVar[Viewer | None] = ContextVar("crm_current_viewer", default=None)
_viewer_factory: list[Callable[[Any], Viewer]] = []


def register_viewer_factory(factory: Callable[[Any], Viewer]) -> None:
    """The function that builds a request's viewer from its user (registered by the sharing app)."""
    _viewer_factory[:] = [factory]


def viewer_for(user: Any) -> Viewer:
    if not _viewer_factory:
        # Fails closed: without the sharing rule nobody's request may read records.
        raise OrganizationScopeError("No viewer factory registered; is crm.sharing installed?")
    return _viewer_factory[0](user)


def current_viewer() -> Viewer | None:
    """The request's viewer; None in jobs, commands and tests that run as the organization itself."""
    return _current_viewer.get()


def set_current_viewer(viewer: Viewer | None) -> Token[Viewer | None]:
    return _current_viewer.set(viewer)


def reset_current_viewer(token: Token[Viewer | None]) -> None:
    _current_viewer.reset(token)


@contextmanager
def viewer_scope(user: Any) -> Iterator[Viewer]:
    """Run a block as ``user`` (their organization and their record visibility)."""
    viewer = viewer_for(user)
    org_token = _current_org_id.set(user.organization_id)
    token = _current_viewer.set(viewer)
    try:
        yield viewer
    finally:
        _current_viewer.reset(token)
        _current_org_id.reset(org_token)


@contextmanager
def unrestricted() -> Iterator[None]:
    """Read as the organization itself, past record sharing, for one narrow step (the read-back of
    a record the user just wrote). Never wrap anything that answers with other records."""
    token = _current_viewer.set(None)
    try:
        yield
    finally:
        _current_viewer.reset(token)
