"""Tags: /tags (create, rename, recolour, delete, usage), tags on any record, lists filtered by tag."""

from __future__ import annotations

import pytest
from conftest import client_for, make_user

from crm.accounts.tests.factories import AccountFactory, ContactFactory
from crm.audit.models import AuditEvent
from crm.identity.models import Role
from crm.records import events
from crm.records.models import Tag, Tagging
from crm.records.testing import count_queries
from crm.sales.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

TAGS = "/api/v1/tags"
CONTACTS = "/api/v1/contacts"


def tag_names(rows):
    return [tag["name"] for tag in rows]


def add(api, path, pk, tag):
    return api.post(f"/api/v1/{path}/{pk}/tags", {"tag": tag}, format="json")


@pytest.fixture
def published():
    """The domain events of records published during the test."""
    seen: list[events.RecordEvent] = []

    def receive(sender, event, **kwargs):
        seen.append(event)

    events.record_event.connect(receive, dispatch_uid="test_api_tags")
    yield seen
    events.record_event.disconnect(dispatch_uid="test_api_tags")


# --- /tags ---------------------------------------------------------------------------------------


def test_anyone_creates_a_tag_names_are_unique_whatever_the_case(api):
    created = api.post(TAGS, {"name": "  VIP   client ", "colour": "#FF0000"}, format="json")
    assert created.status_code == 201, created.data
    assert (created.data["name"], created.data["colour"], created.data["usage_count"]) == ("VIP client", "#ff0000", 0)
    again = api.post(TAGS, {"name": "vip CLIENT"}, format="json")
    assert again.status_code == 400
    assert "name" in again.data["errors"]
    assert Tag.all_orgs.count() == 1
    assert AuditEvent.all_orgs.filter(object_type="records.tag", action="create").count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [({"name": ""}, "name"), ({"name": "x" * 65}, "name"), ({"name": "ok", "colour": "red"}, "colour"), ({}, "name")],
)
def test_bad_tag_input_is_a_field_error_and_saves_nothing(api, body, field):
    response = api.post(TAGS, body, format="json")
    assert response.status_code == 400
    assert field in response.data["errors"]
    assert not Tag.all_orgs.exists()


def test_list_is_by_name_with_usage_counts(api, user):
    contact = ContactFactory(owner=user)
    lead = LeadFactory(owner=user)
    add(api, "contacts", contact.pk, "beta")
    add(api, "leads", lead.pk, "beta")
    add(api, "leads", lead.pk, "Alpha")
    api.post(TAGS, {"name": "gamma"}, format="json")
    response = api.get(TAGS)
    assert response.status_code == 200
    assert [(row["name"], row["usage_count"]) for row in response.data] == [("Alpha", 1), ("beta", 2), ("gamma", 0)]


def test_only_admins_rename_recolour_and_delete(api, admin_api, user):
    tag = api.post(TAGS, {"name": "Hot"}, format="json").data
    url = f"{TAGS}/{tag['id']}"
    assert api.patch(url, {"name": "Warm"}, format="json").status_code == 403
    assert api.delete(url).status_code == 403
    renamed = admin_api.patch(url, {"name": "Warm", "colour": "#00aa00"}, format="json")
    assert (renamed.status_code, renamed.data["name"], renamed.data["colour"]) == (200, "Warm", "#00aa00")
    contact = ContactFactory(owner=user)
    add(api, "contacts", contact.pk, tag["id"])
    assert tag_names(api.get(f"{CONTACTS}/{contact.pk}").data["tags"]) == ["Warm"]
    assert admin_api.delete(url).status_code == 204
    assert not Tag.all_orgs.exists()
    assert not Tagging.all_orgs.exists()
    assert api.get(f"{CONTACTS}/{contact.pk}").data["tags"] == []
    assert AuditEvent.all_orgs.filter(object_type="records.tag", name="tag_deleted").exists()


def test_rename_to_a_taken_name_is_refused(api, admin_api):
    api.post(TAGS, {"name": "Hot"}, format="json")
    cold = api.post(TAGS, {"name": "Cold"}, format="json").data
    response = admin_api.patch(f"{TAGS}/{cold['id']}", {"name": "HOT"}, format="json")
    assert response.status_code == 400
    assert "name" in response.data["errors"]
    assert Tag.all_orgs.get(pk=cold["id"]).name == "Cold"


def test_another_organizations_tags_are_404_and_not_listed(api, other_api, admin):
    tag = api.post(TAGS, {"name": "Ours"}, format="json").data
    other_admin = client_for(make_user(admin.organization, Role.USER))
    assert other_admin.get(TAGS).status_code == 200
    assert other_api.get(TAGS).data == []
    assert other_api.get(f"{TAGS}/{tag['id']}").status_code == 404
    assert other_api.delete(f"{TAGS}/{tag['id']}").status_code == 404


def test_anonymous_is_401(anon):
    assert anon.get(TAGS).status_code == 401
    assert anon.post(TAGS, {"name": "x"}, format="json").status_code == 401


# --- tags on records -------------------------------------------------------------------------------


def test_tag_a_record_by_name_makes_the_tag_then_by_id(api, user, published):
    contact = ContactFactory(owner=user)
    first = add(api, "contacts", contact.pk, "Newsletter")
    assert first.status_code == 201, first.data
    assert tag_names(first.data) == ["Newsletter"]
    tag = Tag.all_orgs.get()
    again = add(api, "contacts", contact.pk, tag.pk)
    assert (again.status_code, tag_names(again.data)) == (200, ["Newsletter"])  # carried already
    same_name = add(api, "contacts", contact.pk, "newsletter")
    assert same_name.status_code == 200
    assert Tag.all_orgs.count() == 1 and Tagging.all_orgs.count() == 1
    # audited on the record, one "tag added" event
    audit = AuditEvent.all_orgs.get(object_type="accounts.contact", object_id=contact.pk, name="tag_added")
    assert audit.changes == {"tags": [None, "Newsletter"]}
    added = [event for event in published if event.type == events.TAG_ADDED]
    assert len(added) == 1
    assert (added[0].object_name, added[0].record_id, added[0].extra) == (
        "contact",
        contact.pk,
        {"tag_id": tag.pk, "tag_name": "Newsletter"},
    )
    # the record's version does not move: tags are not fields
    assert api.get(f"{CONTACTS}/{contact.pk}").data["version"] == 1


def test_remove_a_tag(api, user, published):
    lead = LeadFactory(owner=user)
    tag_id = add(api, "leads", lead.pk, "Cold").data[0]["id"]
    add(api, "leads", lead.pk, "Event 2026")
    response = api.delete(f"/api/v1/leads/{lead.pk}/tags/{tag_id}")
    assert (response.status_code, tag_names(response.data)) == (200, ["Event 2026"])
    assert api.delete(f"/api/v1/leads/{lead.pk}/tags/{tag_id}").status_code == 404
    assert AuditEvent.all_orgs.filter(object_id=lead.pk, name="tag_removed").count() == 1
    assert [event.type for event in published if event.type.startswith("tag.")] == [
        events.TAG_ADDED,
        events.TAG_ADDED,
        events.TAG_REMOVED,
    ]
    assert Tag.all_orgs.filter(pk=tag_id).exists()  # the tag stays for other records


@pytest.mark.parametrize("body", [{}, {"tag": ""}, {"tag": True}, {"tag": [1]}, {"tag": "x" * 65}, {"tag": 0}])
def test_bad_tag_reference_is_a_field_error(api, user, body):
    contact = ContactFactory(owner=user)
    response = api.post(f"{CONTACTS}/{contact.pk}/tags", body, format="json")
    assert response.status_code == 400
    assert "tag" in response.data["errors"] or "name" in response.data["errors"]
    assert not Tagging.all_orgs.exists() and not Tag.all_orgs.exists()


def test_tenancy_another_organizations_record_is_404_and_its_tag_unknown(api, user, other_api, other_user):
    mine = ContactFactory(owner=user)
    theirs = ContactFactory(owner=other_user)
    their_tag = add(other_api, "contacts", theirs.pk, "Theirs").data[0]["id"]
    assert add(api, "contacts", theirs.pk, "x").status_code == 404
    assert api.delete(f"{CONTACTS}/{theirs.pk}/tags/{their_tag}").status_code == 404
    unknown = add(api, "contacts", mine.pk, their_tag)
    assert unknown.status_code == 400
    assert "tag" in unknown.data["errors"]
    assert Tagging.all_orgs.count() == 1


def test_a_record_shared_read_only_cannot_be_tagged(org, user):
    from crm.sharing.models import Access
    from crm.sharing.tests.factories import set_default

    account = AccountFactory(owner=make_user(org, Role.USER))
    set_default(org.pk, "account", Access.PUBLIC_READ_ONLY)
    client = client_for(user)
    assert client.get(f"/api/v1/accounts/{account.pk}").status_code == 200
    assert add(client, "accounts", account.pk, "Mine").status_code == 403
    assert not Tagging.all_orgs.exists() and not Tag.all_orgs.exists()


def test_tags_in_list_rows_and_detail_without_extra_queries(api, user):
    contacts = [ContactFactory(owner=user) for _ in range(3)]
    add(api, "contacts", contacts[0].pk, "b")
    add(api, "contacts", contacts[0].pk, "A")
    api.get(CONTACTS)
    with count_queries() as one:
        listed = api.get(CONTACTS)
    rows = {row["id"]: row["tags"] for row in listed.data["results"]}
    assert tag_names(rows[contacts[0].pk]) == ["A", "b"]
    assert rows[contacts[1].pk] == []
    for index in range(15):
        other = ContactFactory(owner=user)
        add(api, "contacts", other.pk, f"t{index}")
    with count_queries() as many:
        listed = api.get(CONTACTS)
    assert len(listed.data["results"]) == 18
    assert many.count == one.count, [q["sql"] for q in many.captured_queries]
    # the same tags on keyset pages and searched lists
    cursor_page = api.get(CONTACTS, {"cursor": "", "search": contacts[0].last_name})
    assert tag_names(cursor_page.data["results"][0]["tags"]) == ["A", "b"]
    detail = api.get(f"{CONTACTS}/{contacts[0].pk}")
    assert [(tag["name"], tag["colour"]) for tag in detail.data["tags"]] == [("A", "#706e6b"), ("b", "#706e6b")]


def test_tags_in_rows_of_a_list_built_by_its_serializer(api, user):
    lead = LeadFactory(owner=user)
    add(api, "leads", lead.pk, "Webinar")
    row = next(row for row in api.get("/api/v1/leads").data["results"] if row["id"] == lead.pk)
    assert tag_names(row["tags"]) == ["Webinar"]


# --- lists filtered by tag -------------------------------------------------------------------------


def test_filter_a_list_by_tag_id_or_name_several_mean_any(api, user):
    ana, boris, cveta = (ContactFactory(owner=user, last_name=name) for name in ("Ana", "Boris", "Cveta"))
    vip = add(api, "contacts", ana.pk, "VIP").data[0]["id"]
    add(api, "contacts", boris.pk, "Partner")
    add(api, "contacts", cveta.pk, "VIP")
    lead = LeadFactory(owner=user)
    add(api, "leads", lead.pk, "VIP")  # another object's record with the same tag

    def names(params):
        response = api.get(CONTACTS, params)
        assert response.status_code == 200, response.data
        return sorted(row["last_name"] for row in response.data["results"])

    assert names({"tag": vip}) == ["Ana", "Cveta"]
    assert names({"tag": "vip"}) == ["Ana", "Cveta"]
    assert names({"tag": ["vip", "partner"]}) == ["Ana", "Boris", "Cveta"]
    assert names({"tag": "nobody uses this"}) == []
    assert names({"tag": "VIP", "search": "Ana"}) == ["Ana"]
    assert api.get(CONTACTS, {"tag": "VIP"}).data["count"] == 2
    assert [row["id"] for row in api.get("/api/v1/leads", {"tag": "VIP"}).data["results"]] == [lead.pk]


def test_filter_by_another_organizations_tag_finds_nothing(api, user, other_api, other_user):
    ContactFactory(owner=user)
    theirs = ContactFactory(owner=other_user)
    their_tag = add(other_api, "contacts", theirs.pk, "Theirs").data[0]["id"]
    assert api.get(CONTACTS, {"tag": their_tag}).data["results"] == []


def test_bad_tag_filters_are_400(api):
    assert api.get(CONTACTS, {"tag": [str(n) for n in range(21)]}).status_code == 400
    response = api.get(CONTACTS, {"tag": "x" * 65})
    assert response.status_code == 400
    assert "tag" in response.data["errors"]


def test_every_object_takes_tags(api, user):
    account = AccountFactory(owner=user)
    assert add(api, "accounts", account.pk, "Key account").status_code == 201
    assert tag_names(api.get(f"/api/v1/accounts/{account.pk}").data["tags"]) == ["Key account"]
    assert [row["id"] for row in api.get("/api/v1/accounts", {"tag": "key account"}).data["results"]] == [account.pk]
