"""``job_task``: how a function becomes a job, and the sweeper that rescues stuck jobs."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval

from . import services

# Every job task by name, for the sweeper, the retry endpoint and tests.
JOB_TASKS: dict[str, Any] = {}


def job_task(
    name: str, *, atomic: bool = True, max_retries: int = 5, backoff: int = 10, backoff_max: int = 300
) -> Callable[[Callable[..., Any]], Any]:
    """Register ``fn(**ids)`` as the Celery task ``name`` that runs jobs made by ``enqueue_on_commit``.

    Late acknowledgement (and reject on worker loss) means a message is only removed once the job
    ran: a worker killed mid-job leaves it to be delivered again. Failures retry with exponential
    backoff (``backoff`` * 2^n seconds, at most ``backoff_max``, with jitter) up to ``max_retries``
    times, then the job is failed with its error for the Jobs page.
    """

    def decorate(fn: Callable[..., Any]) -> Any:
        @shared_task(name=name, bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=max_retries)
        def run(self: Any, job_id: int) -> str:
            outcome, _ = services.run_job(
                job_id, fn, atomic=atomic, retries=self.request.retries, max_retries=max_retries
            )
            if outcome == "retry":
                countdown = get_exponential_backoff_interval(
                    factor=backoff, retries=self.request.retries, maximum=backoff_max, full_jitter=True
                )
                raise self.retry(countdown=countdown)
            return outcome

        run.job_function = fn
        JOB_TASKS[name] = run
        return run

    return decorate


@shared_task(name="jobs.sweep", ignore_result=True)
def sweep() -> int:
    """Periodic (beat): send again the jobs stuck in queued or running beyond JOBS_STUCK_SECONDS."""
    return services.jobs_sweep()


class ProbeFailure(RuntimeError):
    """Raised by a probe asked to fail: shows that failures reach the Jobs page and the metrics."""


@job_task("jobs.probe", max_retries=0)
def probe(marker: str, seconds: float = 0.0, fail: bool = False) -> None:
    """Wait ``seconds``, then write one JobProbe row (in the job's transaction: a killed run leaves none);
    with ``fail``, raise ProbeFailure instead."""
    from .models import Job, JobProbe

    time.sleep(min(float(seconds), 60.0))
    if fail:
        raise ProbeFailure("The probe job was asked to fail (manage.py job_probe --fail).")
    job = Job.objects.filter(task="jobs.probe", key=marker).only("id").first()  # probes are keyed by marker
    JobProbe.objects.create(marker=marker, job=job)
