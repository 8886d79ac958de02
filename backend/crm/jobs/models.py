"""One row per background job: what runs, for whom, with which ids, and how it went."""

from __future__ import annotations

from django.db import models


class Job(models.Model):
    """A job enqueued with ``crm.jobs.services.enqueue_on_commit``; the Celery message carries only its id."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    # Null for the installation's own jobs (backups, the sweeper); else the organization it works for.
    organization = models.ForeignKey(
        "identity.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    task = models.CharField(max_length=120, help_text="The registered task name, e.g. operations.backup")
    key = models.CharField(max_length=200, help_text="Idempotency key: one job per task and key")
    args = models.JSONField(default=dict, blank=True, help_text="Ids and plain values only, never objects")
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "key"], name="job_unique_task_key")]
        indexes = [
            models.Index(fields=["organization", "state", "-created_at"], name="job_org_state_created"),
            models.Index(fields=["state", "updated_at"], name="job_state_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.task} [{self.key}] {self.state}"

    @property
    def finished(self) -> bool:
        return self.state in (Job.State.SUCCEEDED, Job.State.FAILED)


class JobProbe(models.Model):
    """One row per run of the ``jobs.probe`` job: proof that the pipeline runs jobs, and runs each once."""

    marker = models.CharField(max_length=100, db_index=True)
    job = models.ForeignKey(Job, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.marker
