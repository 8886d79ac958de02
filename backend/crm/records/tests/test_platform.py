"""Platform behaviour: health, OpenAPI docs, metadata, structured logs, scoping, settings safety."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crm.accounts.models import Account
from crm.core.scoping import OrganizationScopeError, org_scope

BACKEND = Path(__file__).resolve().parents[3]


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=BACKEND,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_health_ok(anon, db):
    response = anon.get("/api/health")
    assert response.status_code == 200
    assert response.data == {"status": "ok", "database": "ok"}


def test_health_answers_503_when_the_database_is_unreachable():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings.test'; django.setup();"
        "from django.test import Client; r = Client().get('/api/health'); print(r.status_code, r.content.decode())"
    )
    result = run_python(code, DATABASE_URL="postgres://postgres@127.0.0.1:1/nowhere")
    assert result.stdout.startswith("503"), result.stderr
    assert "unreachable" in result.stdout


def test_production_settings_refuse_default_secret_and_debug():
    code = "import os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings.production'; import django; django.setup()"
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "CRM_ENV")}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=BACKEND, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    debug = run_python(code, SECRET_KEY="a-real-secret-from-the-environment-1234567890", DEBUG="1")
    assert debug.returncode != 0
    ok = run_python(code, SECRET_KEY="a-real-secret-from-the-environment-1234567890", DEBUG="0")
    assert ok.returncode == 0, ok.stderr


def test_openapi_schema_documents_bodies_and_errors(anon, db):
    response = anon.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    paths = schema["paths"]
    update = paths["/api/v1/accounts/{id}"]["put"]
    assert {"200", "400", "401", "404", "409"} <= set(update["responses"])
    assert "requestBody" in update
    assert "/api/v1/auth/login" in paths
    assert "429" in paths["/api/v1/auth/login"]["post"]["responses"]
    assert "Contact" in schema["components"]["schemas"]
    assert "Error" in schema["components"]["schemas"]


def test_docs_page_is_served_without_external_assets(anon, db):
    response = anon.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn.jsdelivr" not in html


def test_object_metadata_lists_fields_and_related_lists(api):
    response = api.get("/api/v1/meta/objects")
    assert response.status_code == 200
    objects = {obj["name"]: obj for obj in response.data["objects"]}
    account = objects["account"]
    assert account["api_path"] == "accounts"
    fields = {f["name"]: f for f in account["fields"]}
    assert fields["name"]["required"] is True
    assert fields["type"]["type"] == "picklist"
    assert "Customer" in fields["type"]["options"]
    assert fields["parent_account_id"]["lookup"] == "account"
    assert account["related"][0]["object"] == "contact"
    contact_fields = {f["name"]: f for f in objects["contact"]["fields"]}
    assert contact_fields["account_id"]["required"] is True


def test_each_request_is_logged_as_structured_fields(api, user, caplog):
    caplog.set_level(logging.INFO, logger="crm.request")
    response = api.get("/api/v1/accounts", HTTP_X_REQUEST_ID="req-123")
    assert response["X-Request-ID"] == "req-123"
    record = next(r for r in caplog.records if r.name == "crm.request")
    assert record.request_id == "req-123"
    assert record.user_id == user.pk
    assert record.organization_id == user.organization_id
    assert record.path == "/api/v1/accounts"
    assert record.status == 200
    assert record.duration_ms >= 0


def test_log_lines_are_json(tmp_path):
    code = (
        "import django, os, logging; os.environ['DJANGO_SETTINGS_MODULE']='config.settings.base'; django.setup();"
        "logging.getLogger('crm.request').info('request', extra={'path': '/x', 'status': 200})"
    )
    result = run_python(code, CRM_VAR_DIR=str(tmp_path))
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "request"
    assert line["path"] == "/x"
    assert line["level"] == "INFO"


def test_scoped_manager_fails_closed_without_an_organization(org):
    with pytest.raises(OrganizationScopeError):
        list(Account.objects.all())
    with org_scope(org.pk):
        assert list(Account.objects.all()) == []


def test_unknown_api_path_is_json_404(api):
    assert api.get("/api/v1/accounts/999999").status_code == 404
    assert api.get("/api/v1/accounts/999999").data["code"] == "not_found"


def test_security_headers(anon, db):
    response = anon.get("/api/health")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self';" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"


def test_docs_page_needs_no_inline_script(anon, db):
    html = anon.get("/api/docs/").content.decode()
    assert "<script>" not in html.replace(" ", "")
    script = anon.get("/api/docs/?script=")
    assert script.status_code == 200


def test_organization_picklists_come_from_the_organization(api):
    objects = {obj["name"]: obj for obj in api.get("/api/v1/meta/objects").data["objects"]}
    stage = next(f for f in objects["opportunity"]["fields"] if f["name"] == "stage")
    assert stage["options"] == ["Qualifying", "Proposal", "Negotiation", "Closed Won", "Closed Lost"]
