from __future__ import annotations

from typing import Any

from conftest import make_user

from crm.identity.models import Role, User
from crm.sharing.models import Access, RecordShare, SharingDefault


def share_record(record: Any, user: User | None = None, access: str = RecordShare.Level.READ) -> RecordShare:
    """A share of ``record`` (with a new plain user unless one is given), stored directly."""
    if user is None:
        user = make_user(record.owner.organization, Role.USER)
    return RecordShare.all_orgs.create(
        organization_id=record.organization_id,
        object=record.object_name,
        record_id=record.pk,
        user=user,
        access=access,
    )


def set_default(organization_id: int, object_name: str, access: str = Access.PRIVATE) -> None:
    SharingDefault.all_orgs.update_or_create(
        organization_id=organization_id, object=object_name, defaults={"access": access}
    )
