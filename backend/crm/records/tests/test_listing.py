"""List plumbing: searched lists keep their order, filters apply only when asked, counts stop at the cap."""

from __future__ import annotations

from crm.accounts.tests.factories import AccountFactory, ContactFactory
from crm.records.testing import count_queries

CONTACTS = "/api/v1/contacts"


def _names(page) -> list[str]:
    return [f"{row['first_name']} {row['last_name']}" for row in page["results"]]


def test_search_results_follow_the_list_order(api, user):
    account = AccountFactory(owner=user, name="Harbour Works")
    for first, last in [("Zed", "Hughes"), ("Amy", "Hughes"), ("Bob", "Abbott"), ("Cid", "Hughesworth")]:
        ContactFactory(owner=user, account=account, first_name=first, last_name=last)
    ContactFactory(owner=user, first_name="Nope", last_name="Nothing")
    page = api.get(CONTACTS, {"search": "hughes"}).data
    assert _names(page) == ["Amy Hughes", "Zed Hughes", "Cid Hughesworth"]
    assert page["count"] == 3
    newest = api.get(CONTACTS, {"search": "hughes", "ordering": "-first_name"}).data
    assert _names(newest) == ["Zed Hughes", "Cid Hughesworth", "Amy Hughes"]
    # The account's name matches too: every contact of Harbour Works, in list order.
    assert _names(api.get(CONTACTS, {"search": "harbour"}).data) == [
        "Bob Abbott",
        "Amy Hughes",
        "Zed Hughes",
        "Cid Hughesworth",
    ]


def test_search_pages_with_a_cursor_in_list_order(api, user):
    for index in range(5):
        ContactFactory(owner=user, first_name=f"P{index}", last_name=f"Pager{index}")
    first = api.get(CONTACTS, {"search": "pager", "cursor": "", "page_size": 3}).data
    assert _names(first) == ["P0 Pager0", "P1 Pager1", "P2 Pager2"]
    rest = api.get(CONTACTS, {"search": "pager", "cursor": first["next_cursor"], "page_size": 3}).data
    assert _names(rest) == ["P3 Pager3", "P4 Pager4"]
    assert rest["next_cursor"] is None


def test_filters_apply_only_when_named(api, user, admin):
    mine = ContactFactory(owner=user, last_name="Mine")
    ContactFactory(owner=admin, last_name="Theirs")
    assert [r["id"] for r in api.get(CONTACTS, {"owner": "me"}).data["results"]] == [mine.pk]
    assert api.get(CONTACTS).data["count"] == 2
    # A range filter answers to <name>_after / <name>_before.
    assert api.get(CONTACTS, {"created_after": "2999-01-01T00:00:00Z"}).data["count"] == 0
    bad = api.get(CONTACTS, {"owner": "someone"})
    assert bad.status_code == 400
    assert bad.data["errors"] == {"owner": ["Use a user id or 'me'."]}  # the parameter sent, not the column


def test_unfiltered_list_builds_no_filterset(api, user, monkeypatch):
    ContactFactory(owner=user)
    built = []
    from crm.accounts.api.views import ContactFilter

    original = ContactFilter.__init__

    def spy(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(ContactFilter, "__init__", spy)
    api.get(CONTACTS, {"page": 1, "ordering": "last_name", "search": "x"})
    assert built == []
    api.get(CONTACTS, {"account_id": 1})
    assert built == [1]


def test_searched_list_query_count_is_fixed(api, user):
    for index in range(3):
        ContactFactory(owner=user, last_name=f"Counted{index}")
    api.get(CONTACTS)  # the first request of a token also records when it was last used
    with count_queries() as few:
        api.get(CONTACTS, {"search": "counted"})
    for index in range(3, 20):
        ContactFactory(owner=user, last_name=f"Counted{index}")
    with count_queries() as many:
        assert len(api.get(CONTACTS, {"search": "counted"}).data["results"]) == 20
    assert few.count == many.count <= 4  # with the user's sharing facts


def _seed_alpha_zulu(user) -> None:
    for index in range(6):
        ContactFactory(owner=user, first_name="A", last_name=f"Alpha{index}")
    for index in range(4):
        ContactFactory(owner=user, first_name="Z", last_name=f"Zulu{index}")


def _last_names(page) -> list[str]:
    return [row["last_name"] for row in page["results"]]


def test_common_term_pages_come_from_the_start_of_the_list(api, user, settings, monkeypatch):
    # More matches than the count cap: the first rows of the list are read first (the walk).
    settings.LIST_COUNT_CAP = 5
    monkeypatch.setattr("crm.records.listing.search.SEARCH_WINDOW", 4)
    _seed_alpha_zulu(user)
    api.get(CONTACTS)
    with count_queries() as walked:
        first = api.get(CONTACTS, {"search": "alpha", "page_size": 2}).data
    assert _last_names(first) == ["Alpha0", "Alpha1"]
    assert (first["count"], first["count_capped"]) == (5, True)
    assert walked.count == 4  # token, sharing facts, count, the page from the first rows of the list
    with count_queries() as walked_again:
        second = api.get(CONTACTS, {"search": "alpha", "page_size": 2, "page": 2}).data
    assert _last_names(second) == ["Alpha2", "Alpha3"]
    assert walked_again.count == 4
    # A window of 3 rows cannot hold page 2: every match is read and sorted instead.
    monkeypatch.setattr("crm.records.listing.search.SEARCH_WINDOW", 3)
    with count_queries() as collected:
        again = api.get(CONTACTS, {"search": "alpha", "page_size": 2, "page": 2}).data
    assert _last_names(again) == ["Alpha2", "Alpha3"]
    assert collected.count == 5


def test_matches_late_in_the_list_are_still_found_in_order(api, user, settings, monkeypatch):
    settings.LIST_COUNT_CAP = 3
    monkeypatch.setattr("crm.records.listing.search.SEARCH_WINDOW", 4)
    _seed_alpha_zulu(user)
    page = api.get(CONTACTS, {"search": "zulu", "page_size": 2}).data
    assert _last_names(page) == ["Zulu0", "Zulu1"]
    assert page["count_capped"] is True


def test_cursor_pages_of_a_search_walk_then_collect(api, user, monkeypatch):
    monkeypatch.setattr("crm.records.listing.search.SEARCH_WINDOW", 4)
    _seed_alpha_zulu(user)
    seen, cursor = [], ""
    for _ in range(5):
        page = api.get(CONTACTS, {"search": "a", "cursor": cursor, "page_size": 3}).data
        seen += _last_names(page)
        cursor = page["next_cursor"]
        if cursor is None:
            break
    # "a" is in every name: the same rows and order as the unsearched list.
    assert seen == [f"Alpha{i}" for i in range(6)] + [f"Zulu{i}" for i in range(4)]
    late = api.get(CONTACTS, {"search": "zulu", "cursor": "", "page_size": 3}).data
    assert _last_names(late) == ["Zulu0", "Zulu1", "Zulu2"]
    rest = api.get(CONTACTS, {"search": "zulu", "cursor": late["next_cursor"], "page_size": 3}).data
    assert (_last_names(rest), rest["next_cursor"]) == (["Zulu3"], None)


def test_a_page_and_its_count_are_one_query(api, user, settings):
    settings.LIST_COUNT_CAP = 5
    for index in range(7):
        ContactFactory(owner=user, last_name=f"Row{index}")
    api.get(CONTACTS)
    with count_queries() as queries:
        page = api.get(CONTACTS, {"page_size": 2, "page": 2}).data
    assert queries.count == 3  # the token, the sharing facts, then the rows with the capped count
    assert _last_names(page) == ["Row2", "Row3"]
    assert (page["count"], page["count_capped"]) == (5, True)
    # The count stops at the cap, and so do page numbers: the last one ends at the cap.
    assert _last_names(api.get(CONTACTS, {"page_size": 2, "page": 3}).data) == ["Row4"]
    assert api.get(CONTACTS, {"page_size": 2, "page": 4}).status_code == 404
    settings.LIST_COUNT_CAP = 2000
    exact = api.get(CONTACTS, {"page_size": 5, "page": 2}).data
    assert (_last_names(exact), exact["count"], exact["count_capped"]) == (["Row5", "Row6"], 7, False)


def test_empty_lists_and_pages_past_the_end(api, user):
    empty = api.get(CONTACTS, {"search": "nobody-has-this-name"})
    assert (empty.status_code, empty.data["count"], empty.data["results"]) == (200, 0, [])
    ContactFactory(owner=user)
    assert api.get(CONTACTS, {"page": 2}).status_code == 404
    assert api.get(CONTACTS, {"page": 0}).status_code == 404
    assert api.get(CONTACTS, {"page": "x"}).status_code == 404
    assert api.get(CONTACTS, {"page": "99999999999999999999"}).status_code == 404
