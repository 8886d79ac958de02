"""Reads of identity data for the API: an organization's open invitations."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Invitation


def invitation_list_pending() -> QuerySet[Invitation]:
    """The current organization's invitations not yet accepted or revoked (expired ones too: they
    can be sent again), newest first, with who sent them."""
    return (
        Invitation.objects.filter(status=Invitation.Status.PENDING)
        .select_related("invited_by")
        .order_by("-created_at", "-id")
    )
