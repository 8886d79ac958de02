"""Row locks of organizations and users, taken only here.

Lock order: the organization row before any user row. The organization row also serialises an
organization's account-hierarchy changes (``accounts.locks.hierarchy_lock``).
"""

from __future__ import annotations

from .models import Organization, User


def organization_for_update(*, organization_id: int) -> Organization:
    return Organization.objects.select_for_update().get(pk=organization_id)


def active_user_for_update(*, user_id: int) -> User | None:
    return User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
