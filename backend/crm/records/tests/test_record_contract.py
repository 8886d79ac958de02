"""The shared API contract, run for every registered object.

Each object's app declares a ContractCase in ``tests/contract.py``; an object without one
fails ``test_every_registered_object_has_a_contract_case``.
"""

from __future__ import annotations

import pytest
from conftest import client_for, make_user

from crm.audit.models import AuditEvent
from crm.core.scoping import org_scope
from crm.identity.models import Role
from crm.records.registry import registered
from crm.records.testing import collect_contract_cases, count_queries

CASES = collect_contract_cases()
IDS = [case.object for case in CASES]


def url(case, pk=None, slash=False):
    path = f"/api/v1/{registered()[case.object].api_path}"
    if pk is not None:
        path += f"/{pk}"
    return path + ("/" if slash else "")


def create_url(case, org, actor):
    """Where a new record is POSTed: the list, or the business action that creates it."""
    if case.create_url is None:
        return url(case)
    with org_scope(org.pk):
        return case.create_url(org, actor)


def writer(case, org, user, admin):
    return client_for(admin if case.admin_only_write else user), (admin if case.admin_only_write else user)


def test_every_registered_object_has_a_contract_case():
    assert sorted(registered()) == sorted(IDS)


# Objects created by an action that takes no input (orders) have nothing invalid to send.
VALIDATED = [case for case in CASES if case.invalid_payload is not None]


@pytest.mark.parametrize("case", VALIDATED, ids=[case.object for case in VALIDATED])
def test_create_validation_error_changes_nothing(case, org, user, admin):
    client, actor = writer(case, org, user, admin)
    model = _model(case)
    target = create_url(case, org, actor)
    with org_scope(org.pk):
        payload = case.invalid_payload(org, actor)
        before = model.objects.count()
    response = client.post(target, payload, format="json")
    assert response.status_code == 400
    assert response.data["code"] == case.invalid_code
    assert case.invalid_field in response.data["errors"], response.data
    with org_scope(org.pk):
        assert model.objects.count() == before


@pytest.mark.parametrize("case", CASES, ids=IDS)
class TestRecordContract:
    def test_create_sets_owner_version_and_audit(self, case, org, user, admin):
        client, actor = writer(case, org, user, admin)
        with org_scope(org.pk):
            payload = case.create_payload(org, actor)
        response = client.post(create_url(case, org, actor), payload, format="json")
        assert response.status_code == 201, response.data
        body = response.data
        assert body["owner_id"] == actor.pk
        assert body["owner_name"] == actor.name
        assert body["version"] == 1
        assert body["is_active"] is True
        assert AuditEvent.all_orgs.filter(object_id=body["id"], action="create").exists()

    def test_anonymous_gets_401(self, case, org, user, anon):
        record = case.make_record(org, user)
        assert anon.get(url(case)).status_code == 401
        assert anon.get(url(case, record.pk)).status_code == 401
        assert anon.post(url(case), {}, format="json").status_code == 401
        assert anon.put(url(case, record.pk), {"version": 1}, format="json").status_code == 401

    def test_other_organization_sees_404_and_empty_list(self, case, org, user, other_api):
        record = case.make_record(org, user)
        assert other_api.get(url(case, record.pk)).status_code == 404
        response = other_api.put(url(case, record.pk), {**case.update, "version": 1}, format="json")
        assert response.status_code == 404
        listing = other_api.get(url(case), {"is_active": "true"})
        assert listing.status_code == 200
        assert record.pk not in [row["id"] for row in listing.data["results"]]
        record.refresh_from_db()
        assert record.version == 1

    def test_update_with_version_bumps_it(self, case, org, user, admin):
        client, actor = writer(case, org, user, admin)
        record = case.make_record(org, actor)
        response = client.put(url(case, record.pk), {**case.update, "version": 1}, format="json")
        assert response.status_code == 200, response.data
        assert response.data["version"] == 2
        for key, value in case.update.items():
            assert str(response.data[key]) == str(value)
        event = AuditEvent.all_orgs.filter(object_id=record.pk, action="update").get()
        assert set(case.update) <= set(event.changes)
        assert event.actor_id == actor.pk

    def test_stale_version_answers_409_and_changes_nothing(self, case, org, user, admin):
        client, actor = writer(case, org, user, admin)
        record = case.make_record(org, actor)
        assert client.patch(url(case, record.pk), {**case.update, "version": 1}, format="json").status_code == 200
        stale = client.put(url(case, record.pk), {**case.update, "version": 1}, format="json")
        assert stale.status_code == 409
        assert stale.data["code"] == "version_conflict"
        assert stale.data["current_version"] == 2
        record.refresh_from_db()
        assert record.version == 2

    def test_update_without_version_is_a_field_error(self, case, org, user, admin):
        client, actor = writer(case, org, user, admin)
        record = case.make_record(org, actor)
        response = client.put(url(case, record.pk), case.update, format="json")
        assert response.status_code == 400
        assert "version" in response.data["errors"]

    def test_paths_work_with_and_without_trailing_slash(self, case, org, user, api):
        record = case.make_record(org, user)
        assert api.get(url(case, slash=True)).status_code == 200
        assert api.get(url(case, record.pk, slash=True)).status_code == 200

    def test_list_query_count_does_not_grow_with_rows(self, case, org, user, api):
        case.make_record(org, user)
        api.get(url(case))  # the first request of a token records its last use
        with count_queries() as one:
            assert api.get(url(case)).status_code == 200
        for _ in range(15):
            case.make_record(org, user)
        with count_queries() as many:
            response = api.get(url(case))
        assert response.status_code == 200
        assert len(response.data["results"]) >= 16
        assert many.count == one.count, [q["sql"] for q in many.captured_queries]

    def test_detail_query_count_is_exact(self, case, org, user, api):
        record = case.make_record(org, user)
        api.get(url(case))
        with count_queries() as queries:
            assert api.get(url(case, record.pk)).status_code == 200
        assert queries.count == case.detail_queries, [q["sql"] for q in queries.captured_queries]

    def test_write_permission_follows_role(self, case, org, user, admin):
        client = client_for(make_user(org, Role.USER))
        with org_scope(org.pk):
            payload = case.create_payload(org, admin)
        expected = 403 if case.admin_only_write else 201
        assert client.post(create_url(case, org, admin), payload, format="json").status_code == expected


def _model(case):
    from django.apps import apps

    for model in apps.get_models():
        if getattr(model, "object_name", None) == case.object:
            return model
    raise LookupError(case.object)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_cursor_pages_walk_the_whole_list_without_overlap(case, org, user, api):
    for _ in range(7):
        case.make_record(org, user)
    seen: list[int] = []
    response = api.get(url(case), {"cursor": "", "page_size": 3})
    while True:
        assert response.status_code == 200, response.data
        assert response.data["count"] is None
        seen.extend(row["id"] for row in response.data["results"])
        if not response.data["next_cursor"]:
            break
        response = api.get(url(case), {"cursor": response.data["next_cursor"], "page_size": 3})
    listed = [row["id"] for row in api.get(url(case), {"page_size": 200}).data["results"]]
    assert seen == listed
    assert len(seen) == len(set(seen)) >= 7


NOT_DEACTIVATABLE = [case for case in CASES if not case.deactivatable]


@pytest.mark.parametrize("case", NOT_DEACTIVATABLE, ids=[case.object for case in NOT_DEACTIVATABLE])
def test_objects_without_deactivation_refuse_it(case, org, admin):
    record = case.make_record(org, admin)
    response = client_for(admin).put(url(case, record.pk), {"is_active": False, "version": 1}, format="json")
    assert response.status_code == 400  # voided or cancelled through its own action instead
    assert response.data["errors"]["is_active"]
    with org_scope(org.pk):
        assert type(record).objects.get(pk=record.pk).is_active is True


DEACTIVATABLE = [case for case in CASES if case.deactivatable]


@pytest.mark.parametrize("case", DEACTIVATABLE, ids=[case.object for case in DEACTIVATABLE])
def test_deactivate_hides_from_list_but_keeps_detail(case, org, user, admin):
    client, actor = writer(case, org, user, admin)
    record = case.make_record(org, actor)
    response = client.put(url(case, record.pk), {"is_active": False, "version": 1}, format="json")
    assert response.status_code == 200
    ids = [row["id"] for row in client.get(url(case)).data["results"]]
    assert record.pk not in ids
    inactive = [row["id"] for row in client.get(url(case), {"is_active": "false"}).data["results"]]
    assert record.pk in inactive
    detail = client.get(url(case, record.pk))
    assert detail.status_code == 200
    assert detail.data["is_active"] is False
    history = client.get(url(case, record.pk) + "/history").data
    assert [event["action"] for event in history][:1] == ["deactivate"]
