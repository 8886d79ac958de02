"""Row locks of organizations, invitations and users, taken only here.

Lock order: the organization row, then an invitation, then user rows. The organization row also
serialises an organization's account-hierarchy changes (``accounts.locks.hierarchy_lock``).
"""

from __future__ import annotations

from .models import Invitation, Organization, User


def organization_for_update(*, organization_id: int) -> Organization:
    return Organization.objects.select_for_update().get(pk=organization_id)


def active_user_for_update(*, user_id: int) -> User | None:
    return User.objects.select_for_update().filter(pk=user_id, is_active=True).first()


def invitation_for_update(*, organization_id: int, invitation_id: int) -> Invitation | None:
    """An organization's invitation, locked (None when it is not theirs)."""
    return Invitation.all_orgs.select_for_update().filter(pk=invitation_id, organization_id=organization_id).first()


def invitation_by_token_for_update(*, token_hash: str) -> Invitation | None:
    """The invitation a link's token names, locked: whichever organization it belongs to, the token
    (random, stored as its hash) is what identifies it. Two accepts of one link queue here."""
    return Invitation.all_orgs.select_for_update().filter(token_hash=token_hash).first()
