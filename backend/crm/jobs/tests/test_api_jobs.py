from crm.jobs.models import Job


def make_job(org, state="failed", **extra):
    return Job.objects.create(
        organization=org, task="tests.record_call", key=f"{state}-{Job.objects.count()}", state=state, **extra
    )


def test_admin_lists_the_organizations_jobs_newest_first(admin_api, org, other_org, django_assert_max_num_queries):
    failed = make_job(org, last_error="RuntimeError: boom")
    done = make_job(org, state="succeeded")
    make_job(other_org)
    Job.objects.create(task="operations.backup", key="installation")  # the installation's own
    for _ in range(5):
        make_job(org, state="queued")
    with django_assert_max_num_queries(4):
        response = admin_api.get("/api/v1/jobs")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 7
    ids = [row["id"] for row in body["results"]]
    assert failed.pk in ids and done.pk in ids
    assert ids == sorted(ids, reverse=True)
    row = next(r for r in body["results"] if r["id"] == failed.pk)
    assert (row["state"], row["last_error"]) == ("failed", "RuntimeError: boom")


def test_jobs_filter_by_state_and_refuse_an_unknown_state(admin_api, org):
    failed = make_job(org)
    make_job(org, state="succeeded")
    response = admin_api.get("/api/v1/jobs?state=failed")
    assert [r["id"] for r in response.json()["results"]] == [failed.pk]
    bad = admin_api.get("/api/v1/jobs?state=lost")
    assert bad.status_code == 400
    assert "state" in bad.json()["errors"]


def test_jobs_page_by_page(admin_api, org):
    for _ in range(3):
        make_job(org)
    body = admin_api.get("/api/v1/jobs?page_size=2").json()
    assert len(body["results"]) == 2 and body["next"]


def test_only_admins_see_jobs(api, anon):
    assert api.get("/api/v1/jobs").status_code == 403
    assert anon.get("/api/v1/jobs").status_code in (401, 403)
    assert api.post("/api/v1/jobs/1/retry").status_code == 403


def test_retry_queues_a_failed_job_again(admin_api, org, monkeypatch, django_capture_on_commit_callbacks):
    from crm.jobs import services

    sent = []
    monkeypatch.setattr(services, "_send", lambda job_id, task, countdown=None: sent.append(job_id))
    job = make_job(org, last_error="boom", attempts=3)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post(f"/api/v1/jobs/{job.pk}/retry")
    assert response.status_code == 200
    assert response.json()["state"] == "queued"
    assert response.json()["version"] == 2
    assert sent == [job.pk]


def test_retry_refuses_a_job_that_did_not_fail(admin_api, org):
    job = make_job(org, state="succeeded")
    response = admin_api.post(f"/api/v1/jobs/{job.pk}/retry")
    assert response.status_code == 409
    assert response.json()["code"] == "job_not_failed"
    job.refresh_from_db()
    assert job.state == "succeeded"


def test_another_organizations_job_is_not_found(admin_api, other_org):
    job = make_job(other_org)
    assert admin_api.post(f"/api/v1/jobs/{job.pk}/retry").status_code == 404
    job.refresh_from_db()
    assert job.state == "failed"
