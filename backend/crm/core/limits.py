"""Plan limits, asked before users and records are added (SaaS mode).

Identity (adding a user), the record base (creating a record) and the API views of a plan feature
(marketing) ask here; they know no plans. The
SaaS app installs its policy from its AppConfig.ready(); without one (or with SAAS_MODE off, which
the policy itself checks) every check passes. A refused check raises an ApplicationError with a
message that says which limit of which plan was reached.
"""

from __future__ import annotations

from typing import Any, Protocol


class LimitPolicy(Protocol):
    def ensure_can_add_user(self, organization_id: int) -> None: ...

    def ensure_can_create(self, organization_id: int, model: type[Any]) -> None: ...

    def ensure_feature(self, organization_id: int, feature: str) -> None: ...


_policy: LimitPolicy | None = None


def install_policy(policy: LimitPolicy | None) -> None:
    global _policy
    _policy = policy


def check_add_user(*, organization_id: int) -> None:
    if _policy is not None:
        _policy.ensure_can_add_user(organization_id)


def check_create(*, organization_id: int, model: type[Any]) -> None:
    if _policy is not None:
        _policy.ensure_can_create(organization_id, model)


def check_feature(*, organization_id: int, feature: str) -> None:
    """Refuse a feature (``marketing``, ``ai``) outside the organization's plan."""
    if _policy is not None:
        _policy.ensure_feature(organization_id, feature)
