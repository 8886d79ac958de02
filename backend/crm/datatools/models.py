"""Imports of spreadsheets into any registered object, and the changesets that make them reversible."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from crm.records.models import OrgOwned


class Changeset(OrgOwned):
    """One reversible batch of writes (an import): what it created and changed, with the values before."""

    class Kind(models.TextChoices):
        IMPORT = "import", "Import"

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.IMPORT)
    object = models.CharField(max_length=40, help_text="The registered object the rows belong to")
    label = models.CharField(max_length=255, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    reverted_at = models.DateTimeField(null=True, blank=True)
    reverted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What the revert did: counts, and the rows it left alone because someone edited them since.
    revert_report = models.JSONField(default=dict, blank=True)

    class Meta(OrgOwned.Meta):
        indexes = [models.Index(fields=["organization", "-created_at"], name="changeset_org_created")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object} #{self.pk}"


class ChangesetRow(models.Model):
    """One record a changeset created or updated; rows follow their changeset's organization."""

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"

    changeset = models.ForeignKey(Changeset, on_delete=models.CASCADE, related_name="rows")
    object = models.CharField(max_length=40)
    record_id = models.BigIntegerField()
    action = models.CharField(max_length=16, choices=Action.choices)
    before = models.JSONField(default=dict, blank=True, help_text="The changed fields' values before (updates)")
    after = models.JSONField(default=dict, blank=True, help_text="The values the changeset wrote")
    version_after = models.PositiveIntegerField(help_text="The record's version right after the write")

    class Meta:
        indexes = [models.Index(fields=["changeset", "id"], name="changesetrow_changeset")]

    def __str__(self) -> str:
        return f"{self.action} {self.object} {self.record_id}"


class Import(OrgOwned):
    """An uploaded file, its column mapping and options, and how its job went."""

    class Mode(models.TextChoices):
        CREATE = "create", "Create only"
        UPDATE = "update", "Update only"
        UPSERT = "upsert", "Create and update"

    class Commit(models.TextChoices):
        ALL_OR_NOTHING = "all_or_nothing", "All or nothing"
        PARTIAL = "partial", "Import the good rows"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        REVERTED = "reverted", "Reverted"

    object = models.CharField(max_length=40)
    file_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=8)  # csv | xlsx
    content = models.BinaryField(help_text="The uploaded file, kept so that a resumed job reads the same rows")
    encoding = models.CharField(max_length=16, blank=True, default="")
    delimiter = models.CharField(max_length=1, blank=True, default="")
    mapping = models.JSONField(default=dict, help_text="Column header -> field name")
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.CREATE)
    commit = models.CharField(max_length=16, choices=Commit.choices, default=Commit.ALL_OR_NOTHING)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    # The checkpoint: rows [0, processed_rows) are committed; a resumed job starts after them.
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="[{row, column, value, message}]")
    message = models.CharField(max_length=500, blank=True, default="")
    changeset = models.OneToOneField(
        Changeset, on_delete=models.PROTECT, null=True, blank=True, related_name="source_import"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta(OrgOwned.Meta):
        indexes = [models.Index(fields=["organization", "-created_at"], name="import_org_created")]

    def __str__(self) -> str:
        return f"import {self.object} {self.file_name}"

    @property
    def finished(self) -> bool:
        return self.status in (Import.Status.SUCCEEDED, Import.Status.FAILED, Import.Status.REVERTED)
