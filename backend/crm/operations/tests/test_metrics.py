"""/metrics: Prometheus text, from loopback or with the token only."""

import pytest
from django.test import Client

from crm.jobs.models import Job


@pytest.fixture
def local():
    return Client(REMOTE_ADDR="127.0.0.1")


def test_metrics_from_loopback_show_latency_statuses_and_jobs(db, local, admin_api, org):
    Job.objects.create(organization=org, task="t", key="a", state="failed", last_error="x")
    Job.objects.create(task="t", key="b", state="queued")
    admin_api.get("/api/v1/jobs")
    admin_api.get("/api/health")
    response = local.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert 'crm_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/v1/jobs"' in text
    assert 'crm_http_responses_total{method="GET",route="/api/v1/jobs",status="200"}' in text
    assert 'crm_jobs{state="failed"} 1.0' in text
    assert 'crm_jobs{state="queued"} 1.0' in text
    assert "crm_db_pool_connections" in text


def test_metrics_are_hidden_from_other_addresses_and_relayed_requests(db, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 404
    relayed = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert relayed.get("/metrics").status_code == 404
    wrong = Client(REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.get("/metrics").status_code == 404
    right = Client(REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert right.get("/metrics").status_code == 200


def test_no_token_configured_means_loopback_only(db, settings):
    settings.METRICS_TOKEN = ""
    assert Client(REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer ").get("/metrics").status_code == 404


def test_each_response_names_its_instance(db, settings, local):
    settings.CRM_INSTANCE = "app2"
    assert local.get("/api/health")["X-CRM-Instance"] == "app2"
