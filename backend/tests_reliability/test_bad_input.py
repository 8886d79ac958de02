"""Bad input gets a clear 4xx answer in the one error shape, never a 500, and nothing is written.

Explicit cases on accounts, contacts, users and tokens; money and number fields of every other
registered object are found in the OpenAPI schema and checked with its contract case's payload.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from drf_spectacular.generators import SchemaGenerator

from crm.accounts.models import Account
from crm.accounts.tests.factories import AccountFactory
from crm.core.scoping import org_scope
from crm.records.registry import registered
from crm.records.testing import collect_contract_cases

ACCOUNTS = "/api/v1/accounts"


def assert_client_error(response, field: str | None = None) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, getattr(response, "content", b"")[:300])
    body = json.loads(response.content)
    assert {"code", "message", "errors"} <= set(body), body
    if field is not None:
        assert field in body["errors"], body


@pytest.mark.django_db
class TestExplicitBadInput:
    def test_oversized_body_is_rejected_not_a_server_error(self, api, in_org):
        size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024
        body = json.dumps({"name": "Big", "description": "x" * size})
        response = api.generic("POST", ACCOUNTS, body, content_type="application/json")
        assert response.status_code == 413, response.status_code
        assert json.loads(response.content)["code"] == "request_too_large"
        assert Account.objects.count() == 0

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"name": {"nested": "object"}}, "name"),
            ({"name": ["a", "list"]}, "name"),
            ({"name": "Ok", "is_active": "maybe"}, "is_active"),
            ({"name": "Ok", "parent_account_id": "abc"}, "parent_account_id"),
            ({"name": "Ok", "parent_account_id": True}, "parent_account_id"),
            ({"name": "Ok", "parent_account_id": 1.5}, "parent_account_id"),
            ({"name": "Ok", "owner_id": [1]}, "owner_id"),
            ({"name": "Ok", "type": "Galaxy"}, "type"),
            ({"name": "Ok", "type": 7}, "type"),
            ({"name": "Ok", "parent_account_id": 10**30}, "parent_account_id"),
            ({"name": "Ok", "owner_id": -(10**30)}, "owner_id"),
            ({"name": "x" * 256}, "name"),
        ],
        ids=[
            "object-for-string",
            "list-for-string",
            "bad-boolean",
            "text-for-id",
            "boolean-for-id",
            "float-for-id",
            "list-for-id",
            "unknown-enum",
            "number-for-enum",
            "huge-id",
            "huge-negative-id",
            "too-long",
        ],
    )
    def test_wrong_types_unknown_enums_and_huge_numbers_answer_400(self, api, in_org, payload, field):
        response = api.post(ACCOUNTS, payload, format="json")
        assert_client_error(response, field)
        assert Account.objects.count() == 0

    @pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '"a string"', "null", '{"name": "\\ud800"}'], ids=str)
    def test_malformed_or_non_object_json_answers_400(self, api, in_org, raw):
        response = api.generic("POST", ACCOUNTS, raw, content_type="application/json")
        assert_client_error(response)
        assert Account.objects.count() == 0

    def test_wrong_content_type_answers_415(self, api, in_org):
        response = api.generic("POST", ACCOUNTS, "name=Acme", content_type="application/x-www-form-urlencoded")
        assert response.status_code == 415
        assert Account.objects.count() == 0

    @pytest.mark.parametrize("version", ["one", 0, -1, 10**30, None, 1.5], ids=str)
    def test_bad_or_huge_version_on_update_answers_4xx(self, api, user, version):
        account = AccountFactory(owner=user)
        response = api.patch(f"{ACCOUNTS}/{account.pk}", {"phone": "1", "version": version}, format="json")
        assert response.status_code in (400, 409), (version, response.status_code)
        account.refresh_from_db()
        assert account.version == 1

    @pytest.mark.parametrize(
        "params",
        [
            {"created_after": "2024-13-45"},
            {"created_before": "yesterday"},
            {"created_after": "2024-02-30T00:00:00Z"},
            {"owner": "somebody"},
            {"type": "Galaxy"},
            {"parent_account_id": "abc"},
        ],
        ids=str,
    )
    def test_invalid_dates_and_filter_values_answer_400(self, api, in_org, params):
        assert_client_error(api.get(ACCOUNTS, params))

    @pytest.mark.parametrize(
        "params",
        [{"parent_account_id": str(10**30)}, {"page": str(10**30)}, {"page_size": str(10**30)}, {"page": "-1"}],
        ids=str,
    )
    def test_huge_numbers_in_queries_do_not_break_lists(self, api, in_org, params):
        response = api.get(ACCOUNTS, params)
        assert response.status_code in (200, 400, 404), response.status_code
        if "parent_account_id" in params:
            assert_client_error(response, "parent_account_id")

    @pytest.mark.parametrize("pk", [str(10**30), "99999999999999999999", "0"], ids=str)
    def test_huge_ids_in_paths_answer_404(self, api, in_org, pk):
        response = api.get(f"{ACCOUNTS}/{pk}")
        assert response.status_code == 404
        assert json.loads(response.content)["code"] == "not_found"

    def test_unknown_api_path_answers_json_404(self, api):
        response = api.get("/api/v1/no-such-thing/here")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert json.loads(response.content)["code"] == "not_found"

    def test_unknown_enum_role_and_out_of_range_token_lifetime(self, admin_api):
        response = admin_api.post(
            "/api/v1/admin/users", {"name": "N", "email": "n@example.com", "role": "emperor"}, format="json"
        )
        assert_client_error(response, "role")
        response = admin_api.post("/api/v1/auth/tokens", {"name": "t", "expires_in_days": 10**12}, format="json")
        assert_client_error(response, "expires_in_days")

    def test_html_and_script_in_text_fields_are_stored_as_plain_text(self, api, in_org):
        name = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'
        response = api.post(ACCOUNTS, {"name": name, "description": "<b>bold</b>"}, format="json")
        assert response.status_code == 201
        assert response["Content-Type"] == "application/json"
        assert response.data["name"] == name
        assert Account.objects.get(pk=response.data["id"]).name == name


# --- money and number fields of every registered object, found in the OpenAPI schema ---------


def _create_schemas() -> dict[str, dict]:
    """Request body schema of each object's create operation, by object name."""
    spec = SchemaGenerator().get_schema(request=None, public=True)
    components = spec["components"]["schemas"]
    by_path = {f"/api/v1/{meta.api_path}": name for name, meta in registered().items()}
    result = {}
    for path, item in spec["paths"].items():
        if path in by_path and "post" in item:
            content = item["post"].get("requestBody", {}).get("content", {}).get("application/json", {})
            ref = content.get("schema", {}).get("$ref", "")
            if ref:
                result[by_path[path]] = components[ref.rsplit("/", 1)[-1]]
    return result


def _numeric_fields(schema: dict) -> list[tuple[str, str]]:
    fields = []
    for name, prop in schema.get("properties", {}).items():
        if prop.get("readOnly"):
            continue
        if prop.get("format") == "decimal" or prop.get("type") == "number":
            fields.append((name, "decimal"))
        elif prop.get("type") == "integer" and not name.endswith("_id") and name != "version":
            fields.append((name, "integer"))
    return fields


@pytest.mark.django_db
def test_negative_money_and_huge_numbers_are_rejected_on_every_object(org, user, admin, figure):
    from conftest import client_for

    cases = {case.object: case for case in collect_contract_cases()}
    checked = []
    for obj, schema in sorted(_create_schemas().items()):
        case = cases.get(obj)
        if case is None:
            continue
        actor = admin if case.admin_only_write else user
        client = client_for(actor)
        url = f"/api/v1/{registered()[obj].api_path}"
        with org_scope(org.pk):
            baseline = client.post(url, case.create_payload(org, actor), format="json")
        if baseline.status_code != 201:  # created through a business action, not by POST to the list
            continue
        for field, kind in _numeric_fields(schema):
            for label, value in (
                ("negative", "-1.00" if kind == "decimal" else -1),
                ("huge", "1" + "0" * 30 if kind == "decimal" else 10**30),
            ):
                with org_scope(org.pk):
                    payload = {**case.create_payload(org, actor), field: value}
                response = client.post(url, payload, format="json")
                if label == "negative" and kind == "integer":
                    assert response.status_code < 500, (obj, field, label, response.status_code)
                    continue
                assert response.status_code == 400, (obj, field, label, value, response.status_code)
                assert field in response.data["errors"], (obj, field, response.data)
                checked.append(f"{obj}.{field}:{label}")
    figure("numeric field checks on other objects", len(checked))
