"""The job layer: enqueue after commit, idempotency, retries with backoff, the sweeper."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from crm.jobs import services
from crm.jobs.models import Job
from crm.jobs.tasks import JOB_TASKS, job_task

CALLS: list[dict] = []


@job_task("tests.record_call", max_retries=2, backoff=1, backoff_max=1)
def record_call(**ids):
    CALLS.append(ids)


@job_task("tests.always_fails", max_retries=2, backoff=1, backoff_max=1)
def always_fails(**ids):
    CALLS.append(ids)
    raise RuntimeError("the mail server said no")


@pytest.fixture(autouse=True)
def _clear():
    CALLS.clear()


@pytest.fixture
def sent(monkeypatch):
    """The messages sent to the broker, as (job id, task)."""
    messages: list[tuple[int, str]] = []
    monkeypatch.setattr(services, "_send", lambda job_id, task, countdown=None: messages.append((job_id, task)))
    return messages


def test_the_message_is_sent_only_after_commit(db, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = services.enqueue_on_commit("tests.record_call", key="a", account_id=7)
        assert sent == []  # still inside the transaction
    assert len(callbacks) == 1
    assert sent == [(job.pk, "tests.record_call")]
    job.refresh_from_db()
    assert (job.state, job.args, job.organization_id) == ("queued", {"account_id": 7}, None)


def test_a_rolled_back_transaction_enqueues_nothing(db, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.enqueue_on_commit("tests.record_call", key="b", account_id=7)
        raise RuntimeError("refused")
    assert sent == []
    assert not Job.objects.filter(key="b").exists()


def test_objects_are_refused_as_arguments(db):
    with pytest.raises(TypeError, match="id or a plain value"):
        services.enqueue_on_commit("tests.record_call", account=object())


def test_the_same_key_is_one_job(db, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.enqueue_on_commit("tests.record_call", key="same", account_id=1)
        second = services.enqueue_on_commit("tests.record_call", key="same", account_id=1)
    assert first.pk == second.pk
    assert len(sent) == 1
    assert Job.objects.count() == 1


def test_a_duplicate_delivery_of_a_finished_job_does_nothing(db, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.enqueue_on_commit("tests.record_call", key="dup", account_id=3)
    JOB_TASKS["tests.record_call"].apply(args=[job.pk])
    JOB_TASKS["tests.record_call"].apply(args=[job.pk])
    assert CALLS == [{"account_id": 3}]
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("succeeded", 1)
    assert job.finished_at is not None


def test_a_failing_job_retries_then_fails_with_its_error(db, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.enqueue_on_commit("tests.always_fails", key="f", invoice_id=9)
    JOB_TASKS["tests.always_fails"].apply(args=[job.pk])  # eager: the retries run at once
    assert len(CALLS) == 3  # the first run and two retries
    job.refresh_from_db()
    assert job.state == "failed"
    assert job.attempts == 3
    assert "RuntimeError: the mail server said no" in job.last_error


def test_an_atomic_job_that_fails_leaves_no_writes(db, org, sent, django_capture_on_commit_callbacks):
    from crm.identity.models import Organization

    @job_task("tests.rename_then_fail", max_retries=0)
    def rename_then_fail(organization_id):
        Organization.objects.filter(pk=organization_id).update(name="Renamed")
        raise ValueError("halfway")

    with django_capture_on_commit_callbacks(execute=True):
        job = services.enqueue_on_commit("tests.rename_then_fail", organization_id=org.pk)
    JOB_TASKS["tests.rename_then_fail"].apply(args=[job.pk])
    org.refresh_from_db()
    assert org.name != "Renamed"
    job.refresh_from_db()
    assert job.state == "failed"


def test_enqueueing_a_failed_key_again_queues_it_again(db, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.enqueue_on_commit("tests.always_fails", key="again")
    JOB_TASKS["tests.always_fails"].apply(args=[job.pk])
    with django_capture_on_commit_callbacks(execute=True):
        again = services.enqueue_on_commit("tests.always_fails", key="again")
    assert again.pk == job.pk
    assert again.state == "queued"
    assert len(sent) == 2


def test_the_sweeper_sends_stuck_jobs_again(db, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        stuck = services.enqueue_on_commit("tests.record_call", key="stuck")
        fresh = services.enqueue_on_commit("tests.record_call", key="fresh")
        done = services.enqueue_on_commit("tests.record_call", key="done")
    Job.objects.filter(pk=stuck.pk).update(state="running", updated_at=timezone.now() - timedelta(hours=1))
    Job.objects.filter(pk=done.pk).update(state="succeeded", updated_at=timezone.now() - timedelta(hours=1))
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.jobs_sweep(stuck_after=timedelta(minutes=15)) == 1
    assert sent == [(stuck.pk, "tests.record_call")]
    stuck.refresh_from_db()
    assert stuck.state == "queued"
    JOB_TASKS["tests.record_call"].apply(args=[stuck.pk])
    assert CALLS == [{}]
    assert fresh.pk != stuck.pk


def test_the_job_of_a_killed_worker_runs_again_when_redelivered(db, sent, django_capture_on_commit_callbacks):
    """A worker killed mid-job left it running (attempt 1); the redelivered message runs it to the end."""
    with django_capture_on_commit_callbacks(execute=True):
        job = services.enqueue_on_commit("tests.record_call", key="killed", account_id=5)
    Job.objects.filter(pk=job.pk).update(state="running", attempts=1)
    JOB_TASKS["tests.record_call"].apply(args=[job.pk])
    job.refresh_from_db()
    assert (job.state, job.attempts, CALLS) == ("succeeded", 2, [{"account_id": 5}])


@pytest.mark.django_db(transaction=True)
def test_the_probe_job_runs_once_through_the_command():
    import io

    from django.core.management import call_command

    from crm.jobs.models import JobProbe

    out = io.StringIO()
    call_command("job_probe", timeout=5, stdout=out)  # a real commit; the job runs eagerly
    assert "succeeded" in out.getvalue()
    assert JobProbe.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_probe_asked_to_fail_lands_failed_with_its_error_on_the_organizations_page():
    import io

    from django.core.management import call_command

    from crm.identity.models import Organization

    org = Organization.objects.create(name="Probe Agency")
    out = io.StringIO()
    call_command("job_probe", fail=True, inline=True, organization="Probe Agency", timeout=5, stdout=out)
    assert "failed as asked" in out.getvalue()
    job = Job.objects.get(task="jobs.probe")
    assert (job.organization_id, job.state) == (org.pk, "failed")
    assert "ProbeFailure: The probe job was asked to fail" in job.last_error
