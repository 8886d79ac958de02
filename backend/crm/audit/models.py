"""The audit trail: one append-only row per change of a record (who, when, which fields, old and
new values). Below identity, so that every layer, identity included, writes it."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models

from crm.core.owned import OrgOwned


class AuditEvent(OrgOwned):
    """One row per change of a record: who, when, which fields, old and new values. Append-only."""

    class Action(models.TextChoices):
        CREATE = "create"
        UPDATE = "update"
        DEACTIVATE = "deactivate"
        REACTIVATE = "reactivate"
        ACTION = "action"

    object_type = models.CharField(max_length=64)
    object_id = models.BigIntegerField()
    action = models.CharField(max_length=16, choices=Action.choices)
    name = models.CharField(max_length=64, blank=True, default="")
    changes = models.JSONField(default=dict)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta(OrgOwned.Meta):
        # The table keeps the name it was created with in ``records``: moving the model moved no data.
        db_table = "records_auditevent"
        indexes = [
            models.Index(
                fields=["organization", "object_type", "object_id", "-at"], name="records_aud_organiz_ef5331_idx"
            )
        ]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise RuntimeError("Audit events are append-only.")
