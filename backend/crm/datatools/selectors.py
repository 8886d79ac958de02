"""Reads of imports and changesets: a user sees their own, an administrator the organization's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet

from .models import Changeset, Import

if TYPE_CHECKING:
    from crm.identity.models import User


def import_list(*, viewer: User) -> QuerySet[Import]:
    imports = Import.objects.defer("content").select_related("created_by").order_by("-created_at", "-id")
    return imports if viewer.is_admin else imports.filter(created_by=viewer)


def changeset_list(*, viewer: User) -> QuerySet[Changeset]:
    changesets = (
        Changeset.objects.select_related("created_by").annotate(row_total=Count("rows")).order_by("-created_at", "-id")
    )
    return changesets if viewer.is_admin else changesets.filter(created_by=viewer)
