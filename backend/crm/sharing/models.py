"""Record sharing, modelled on Salesforce: an organization-wide default per object, and shares of
single records with single users. The rule that reads them lives in ``visibility.py``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from crm.records.models import OrgOwned


class Access(models.TextChoices):
    """An organization-wide default: who sees and who edits an object's records."""

    PRIVATE = "Private", "Private"
    PUBLIC_READ_ONLY = "PublicReadOnly", "Public Read Only"
    PUBLIC_READ_WRITE = "PublicReadWrite", "Public Read/Write"


class SharingDefault(OrgOwned):
    """The default of one object in one organization; an object without a row is PublicReadWrite."""

    object = models.CharField(max_length=32, help_text="The object's name, e.g. opportunity")
    access = models.CharField(max_length=16, choices=Access.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(OrgOwned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["organization", "object"], name="sharing_default_unique_object"),
        ]

    def __str__(self) -> str:
        return f"{self.object}: {self.access}"


class RecordShare(OrgOwned):
    """One record shared with one user, for reading or for editing."""

    class Level(models.TextChoices):
        READ = "Read", "Read Only"
        EDIT = "Edit", "Read/Write"

    object = models.CharField(max_length=32)
    record_id = models.BigIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    access = models.CharField(max_length=8, choices=Level.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(OrgOwned.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "object", "record_id", "user"], name="sharing_share_unique_user"
            ),
        ]
        # The visibility rule reads "records of this object shared with these users".
        indexes = [models.Index(fields=["organization", "user", "object", "record_id"], name="sharing_share_user")]

    def __str__(self) -> str:
        return f"{self.object}#{self.record_id} -> user {self.user_id} ({self.access})"
