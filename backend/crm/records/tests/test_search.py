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
    assert queries.count <= 4  # token lookup + sharing facts + one per object type


def _newest_first_titles(api, term: str, limit: int) -> list[str]:
    hits = api.get("/api/v1/search", {"q": term, "objects": "account", "limit": limit}).data["results"]
    return [h["title"] for h in hits]


def test_common_term_gives_the_newest_matches(api, user, monkeypatch):
    # The newest rows hold enough matches: they are found without collecting every match.
    monkeypatch.setattr("crm.records.search.RECENT_WINDOW", 3)
    for index in range(8):
        AccountFactory(owner=user, name=f"Common {index}")
    assert _newest_first_titles(api, "common", 2) == ["Common 7", "Common 6"]


def test_rare_term_is_found_however_old(api, user, monkeypatch):
    # Too few matches among the newest rows: every match is collected, still newest first.
    monkeypatch.setattr("crm.records.search.RECENT_WINDOW", 3)
    AccountFactory(owner=user, name="Rarity Old")
    AccountFactory(owner=user, name="Rarity Older Sibling")
    for index in range(6):
        AccountFactory(owner=user, name=f"Filler {index}")
    AccountFactory(owner=user, name="Rarity New")
    assert _newest_first_titles(api, "rarity", 5) == ["Rarity New", "Rarity Older Sibling", "Rarity Old"]
    assert _newest_first_titles(api, "rarity", 2) == ["Rarity New", "Rarity Older Sibling"]


def test_inactive_rows_in_the_newest_window_do_not_hide_matches(api, user, monkeypatch):
    monkeypatch.setattr("crm.records.search.RECENT_WINDOW", 2)
    AccountFactory(owner=user, name="Keeper One")
    AccountFactory(owner=user, name="Keeper Two")
    for _ in range(3):
        AccountFactory(owner=user, name="Keeper Gone", is_active=False)
    assert _newest_first_titles(api, "keeper", 5) == ["Keeper Two", "Keeper One"]
