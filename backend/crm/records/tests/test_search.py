"""Global search: by name across objects, scoped to the organization, in one query per object type."""

from __future__ import annotations

from crm.accounts.tests.factories import AccountFactory, ContactFactory
from crm.records.testing import count_queries


def test_finds_accounts_and_contacts_by_name(api, user):
    globex = AccountFactory(owner=user, name="Globex Corporation")
    ContactFactory(owner=user, account=globex, first_name="Hank", last_name="Scorpio")
    AccountFactory(owner=user, name="Initech")
    hits = api.get("/api/v1/search", {"q": "glob"}).data["results"]
    assert [(h["object"], h["title"]) for h in hits] == [("account", "Globex Corporation")]
    hits = api.get("/api/v1/search", {"q": "hank scor"}).data["results"]
    assert hits == [
        {"object": "contact", "id": hits[0]["id"], "title": "Hank Scorpio", "subtitle": "Globex Corporation"}
    ]


def test_other_organization_is_never_found(api, other_user):
    AccountFactory(owner=other_user, name="Secret Rival Plans")
    assert api.get("/api/v1/search", {"q": "secret"}).data["results"] == []


def test_deactivated_records_are_not_found(api, user):
    AccountFactory(owner=user, name="Old Client", is_active=False)
    assert api.get("/api/v1/search", {"q": "old client"}).data["results"] == []


def test_validation(api):
    assert api.get("/api/v1/search", {"q": "a"}).status_code == 400
    bad = api.get("/api/v1/search", {"q": "abc", "objects": "spaceship"})
    assert bad.status_code == 400
    assert "objects" in bad.data["errors"]


def test_query_count_is_one_per_object_type(api, user):
    for index in range(12):
        AccountFactory(owner=user, name=f"Match {index}")
    api.get("/api/v1/search", {"q": "match"})
    with count_queries() as queries:
        response = api.get("/api/v1/search", {"q": "match", "objects": "account,contact"})
    assert len(response.data["results"]) == 5
    assert queries.count <= 3  # token lookup + one per object type
