from __future__ import annotations

import pytest

from crm.accounts.models import Contact
from crm.accounts.tests.factories import AccountFactory, ContactFactory
from crm.datatools import services
from crm.datatools.models import Import

from .conftest import IMPORTS

pytestmark = pytest.mark.django_db

MAPPING = {"E-mail": "email", "Title": "title", "First": "first_name", "Last": "last_name", "Company": "account_id"}
CONTENT = (
    "E-mail,Title,First,Last,Company\n"
    "ana@acme.example,CTO,Ana,Ivanova,Acme Ltd\n"
    "nia@acme.example,CEO,Nia,Nova,Acme Ltd\n"
    "leo@acme.example,CFO,Leo,Lav,Acme Ltd\n"
)


@pytest.fixture
def acme(user):
    return AccountFactory(owner=user, name="Acme Ltd")


@pytest.fixture
def ana(user, acme):
    return ContactFactory(owner=user, account=acme, email="ana@acme.example", title="Intern", first_name="Ana")


def test_undo_removes_what_was_created_and_restores_what_changed(api, ana, start_import):
    # given an upsert that changed Ana and created Nia and Leo
    data = start_import(api, CONTENT, MAPPING, mode="upsert").data
    assert (data["created_count"], data["updated_count"]) == (2, 1)
    changesets = api.get("/api/v1/changesets").data
    listed = changesets["results"] if isinstance(changesets, dict) else changesets
    assert [(c["id"], c["row_count"], c["kind"]) for c in listed] == [(data["changeset"], 3, "import")]

    # when it is undone
    response = api.post(f"{IMPORTS}/{data['id']}/undo")

    # then the created contacts are deactivated and Ana has her title back
    assert response.status_code == 200, response.data
    assert response.data["revert_report"] == {"removed": 2, "restored": 1, "skipped": []}
    assert sorted(Contact.all_orgs.filter(is_active=True).values_list("email", flat=True)) == ["ana@acme.example"]
    ana.refresh_from_db()
    assert ana.title == "Intern"
    assert api.get(f"{IMPORTS}/{data['id']}").data["status"] == "reverted"

    # and a second undo is refused
    again = api.post(f"{IMPORTS}/{data['id']}/undo")
    assert again.status_code == 409
    assert again.data["code"] == "changeset_already_reverted"
    assert api.post(f"/api/v1/changesets/{data['changeset']}/revert").status_code == 409


def test_undo_leaves_and_reports_records_edited_since(api, ana, start_import):
    data = start_import(api, CONTENT, MAPPING, mode="upsert").data
    ana.refresh_from_db()
    nia = Contact.all_orgs.get(email="nia@acme.example")
    # someone edits Ana and Nia after the import
    assert api.patch(f"/api/v1/contacts/{ana.pk}", {"title": "Chief", "version": ana.version}).status_code == 200
    assert api.patch(f"/api/v1/contacts/{nia.pk}", {"phone": "123", "version": nia.version}).status_code == 200

    response = api.post(f"/api/v1/changesets/{data['changeset']}/revert")

    assert response.status_code == 200
    report = response.data["revert_report"]
    assert (report["removed"], report["restored"]) == (1, 0)
    assert sorted((item["record_id"], item["reason"]) for item in report["skipped"]) == sorted(
        [(ana.pk, "edited_since"), (nia.pk, "edited_since")]
    )
    ana.refresh_from_db()
    nia.refresh_from_db()
    assert (ana.title, nia.is_active) == ("Chief", True)
    assert not Contact.all_orgs.get(email="leo@acme.example").is_active


def test_a_dry_run_or_failed_import_has_nothing_to_undo(api, acme, start_import):
    data = start_import(api, CONTENT, MAPPING, dry_run="true").data
    response = api.post(f"{IMPORTS}/{data['id']}/undo")
    assert response.status_code == 409
    assert response.data["code"] == "import_not_undoable"


def test_changesets_of_another_organization_or_user_are_hidden(api, other_api, admin_api, acme, start_import, org):
    from conftest import client_for, make_user

    data = start_import(api, CONTENT, MAPPING).data
    assert other_api.get(f"/api/v1/changesets/{data['changeset']}").status_code == 404
    assert other_api.post(f"/api/v1/changesets/{data['changeset']}/revert").status_code == 404
    colleague = client_for(make_user(org))
    assert colleague.post(f"/api/v1/changesets/{data['changeset']}/revert").status_code == 404
    # an administrator sees and may undo the organization's imports
    assert admin_api.get(f"/api/v1/changesets/{data['changeset']}").status_code == 200
    assert admin_api.post(f"{IMPORTS}/{data['id']}/undo").status_code == 200


class WorkerKilled(RuntimeError):
    pass


@pytest.fixture
def crash_at():
    """Kill the import at the n-th contact it writes: a receiver of the record events (sent inside the
    writer's transaction) raises, as a worker dying mid-batch would."""
    from crm.records.events import record_event

    state = {"at": None, "seen": 0}

    def receiver(sender, event, **kwargs):
        if event.object_name != "contact" or state["at"] is None:
            return
        state["seen"] += 1
        if state["seen"] == state["at"]:
            raise WorkerKilled

    record_event.connect(receiver, dispatch_uid="datatools-test-crash")

    def arm(n):
        state["at"], state["seen"] = n, 0

    yield arm
    record_event.disconnect(dispatch_uid="datatools-test-crash")


def _start(user, content, **options):
    with services.viewer_scope(user):
        return services.import_start(
            actor=user, object_name="contact", file_name="people.csv", data=content.encode(), mapping=MAPPING, **options
        )


def test_a_rerun_after_a_crash_imports_every_row_exactly_once(user, acme, monkeypatch, crash_at):
    # given a partial import of 5 rows in batches of 2, whose job dies in its second batch
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    rows = "".join(f"p{n}@acme.example,T,P{n},L{n},Acme Ltd\n" for n in range(5))
    record = _start(user, "E-mail,Title,First,Last,Company\n" + rows, mode="upsert", commit="partial")
    crash_at(3)
    with pytest.raises(WorkerKilled):
        services.import_run(import_id=record.pk)
    record.refresh_from_db()
    assert (record.processed_rows, record.created_count, record.status) == (2, 2, "running")
    assert Contact.all_orgs.count() == 2

    # when the job runs again (twice, as a duplicate delivery would)
    crash_at(None)
    services.import_run(import_id=record.pk)
    services.import_run(import_id=record.pk)

    # then every row is there once, and the changeset holds each once
    record.refresh_from_db()
    assert (record.status, record.processed_rows, record.created_count, record.error_count) == ("succeeded", 5, 5, 0)
    assert sorted(Contact.all_orgs.values_list("email", flat=True)) == [f"p{n}@acme.example" for n in range(5)]
    assert record.changeset.rows.count() == 5
    assert Import.all_orgs.count() == 1


def test_an_all_or_nothing_import_killed_halfway_leaves_nothing_and_reruns_whole(user, acme, monkeypatch, crash_at):
    monkeypatch.setattr(services, "BATCH_SIZE", 1)
    record = _start(user, CONTENT, mode="create", commit="all_or_nothing")
    crash_at(3)
    with pytest.raises(WorkerKilled):
        services.import_run(import_id=record.pk)
    assert Contact.all_orgs.count() == 0
    crash_at(None)
    services.import_run(import_id=record.pk)
    record.refresh_from_db()
    assert (record.status, record.created_count) == ("succeeded", 3)
    assert Contact.all_orgs.count() == 3
