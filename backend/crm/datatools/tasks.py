"""The import job: ``datatools.import_run`` writes an import's rows (see services.import_run)."""

from __future__ import annotations

from crm.jobs.tasks import job_task

from .services import import_run


# Not atomic: the import commits its own batches with their checkpoint, so a rerun resumes after them.
@job_task("datatools.import_run", atomic=False, max_retries=3)
def run_import(import_id: int) -> None:
    import_run(import_id=import_id)
