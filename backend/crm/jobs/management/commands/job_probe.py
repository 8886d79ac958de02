"""``manage.py job_probe``: send one probe job through the broker and wait for a worker to run it.

``--fail`` makes the probe fail (to check that failures reach the Jobs page, the metrics and the
alerting on them); ``--organization`` puts it on that organization's Jobs page; ``--inline`` runs it
in this process instead of waiting for a worker.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from crm.identity.models import Organization
from crm.jobs.models import Job, JobProbe
from crm.jobs.services import enqueue_on_commit
from crm.jobs.tasks import JOB_TASKS


class Command(BaseCommand):
    help = "Enqueue a probe job and wait until a worker ran it (checks broker and workers end to end)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seconds", type=float, default=0.0, help="How long the probe job sleeps.")
        parser.add_argument("--timeout", type=float, default=30.0, help="How long to wait for it.")
        parser.add_argument("--fail", action="store_true", help="The probe fails with an error.")
        parser.add_argument("--organization", default="", help="Id or name of the organization it belongs to.")
        parser.add_argument("--inline", action="store_true", help="Run it here rather than in a worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        organization_id = self._organization(options["organization"])
        marker = uuid.uuid4().hex
        started = time.monotonic()
        with transaction.atomic():
            job = enqueue_on_commit(
                "jobs.probe",
                key=marker,
                organization_id=organization_id,
                marker=marker,
                seconds=options["seconds"],
                fail=options["fail"],
            )
        if options["inline"]:
            JOB_TASKS["jobs.probe"].apply(args=[job.pk])
        while time.monotonic() - started < options["timeout"]:
            job.refresh_from_db()
            if job.finished:
                break
            time.sleep(0.1)
        runs = JobProbe.objects.filter(marker=marker).count()
        seconds = time.monotonic() - started
        if options["fail"] and job.state == Job.State.FAILED:
            self.stdout.write(f"probe job {job.pk} failed as asked in {seconds:.2f} s: {job.last_error}")
            return
        if job.state != Job.State.SUCCEEDED:
            raise CommandError(f"probe job {job.pk} is {job.state} after {seconds:.1f} s {job.last_error}".strip())
        self.stdout.write(f"probe job {job.pk} succeeded in {seconds:.2f} s (runs: {runs})")

    def _organization(self, value: str) -> int | None:
        if not value:
            return None
        found = (
            Organization.objects.filter(pk=int(value)) if value.isdigit() else Organization.objects.filter(name=value)
        )
        organization = found.first()
        if organization is None:
            raise CommandError(f"No organization {value!r}.")
        return organization.pk
