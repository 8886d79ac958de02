"""``manage.py job_probe``: send one probe job through the broker and wait for a worker to run it."""

from __future__ import annotations

import time
import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from crm.jobs.models import Job, JobProbe
from crm.jobs.services import enqueue_on_commit


class Command(BaseCommand):
    help = "Enqueue a probe job and wait until a worker ran it (checks broker and workers end to end)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seconds", type=float, default=0.0, help="How long the probe job sleeps.")
        parser.add_argument("--timeout", type=float, default=30.0, help="How long to wait for it.")

    def handle(self, *args: Any, **options: Any) -> None:
        marker = uuid.uuid4().hex
        started = time.monotonic()
        with transaction.atomic():
            job = enqueue_on_commit("jobs.probe", key=marker, marker=marker, seconds=options["seconds"])
        while time.monotonic() - started < options["timeout"]:
            job.refresh_from_db()
            if job.finished:
                break
            time.sleep(0.1)
        runs = JobProbe.objects.filter(marker=marker).count()
        seconds = time.monotonic() - started
        if job.state != Job.State.SUCCEEDED:
            raise CommandError(f"probe job {job.pk} is {job.state} after {seconds:.1f} s {job.last_error}".strip())
        self.stdout.write(f"probe job {job.pk} succeeded in {seconds:.2f} s (runs: {runs})")
