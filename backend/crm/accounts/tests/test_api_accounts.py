"""Account rules beyond the shared contract: search, sorting, filters, 360 detail, hierarchy."""

from __future__ import annotations

from conftest import make_user

from crm.accounts.models import Account
from crm.identity.models import Role
from crm.records.testing import count_queries

from .factories import AccountFactory, ContactFactory

URL = "/api/v1/accounts"


def names(response):
    return [row["name"] for row in response.data["results"]]


def test_search_by_name_is_server_side(api, user):
    AccountFactory(owner=user, name="Global Tech")
    AccountFactory(owner=user, name="Globex")
    AccountFactory(owner=user, name="Initech")
    assert sorted(names(api.get(URL, {"search": "glob"}))) == ["Global Tech", "Globex"]
    assert api.get(URL, {"search": "glob"}).data["count"] == 2


def test_sorting_by_name_phone_and_owner(api, user, org):
    zed = make_user(org, Role.USER, name="Zed Owner")
    AccountFactory(owner=user, name="Bravo", phone="3")
    AccountFactory(owner=zed, name="Alpha", phone="2")
    AccountFactory(owner=user, name="Charlie", phone="1")
    assert names(api.get(URL, {"ordering": "name"})) == ["Alpha", "Bravo", "Charlie"]
    assert names(api.get(URL, {"ordering": "-name"})) == ["Charlie", "Bravo", "Alpha"]
    assert names(api.get(URL, {"ordering": "phone"})) == ["Charlie", "Alpha", "Bravo"]
    assert names(api.get(URL, {"ordering": "-owner"}))[0] == "Alpha"


def test_unknown_ordering_is_ignored_not_an_error(api, user):
    AccountFactory(owner=user)
    assert api.get(URL, {"ordering": "password"}).status_code == 200


def test_filters_owner_me_and_type(api, user, org):
    other = make_user(org, Role.USER)
    AccountFactory(owner=user, name="Mine", type="Prospect")
    AccountFactory(owner=other, name="Theirs", type="Customer")
    assert names(api.get(URL, {"owner": "me"})) == ["Mine"]
    assert names(api.get(URL, {"owner": str(other.pk)})) == ["Theirs"]
    assert names(api.get(URL, {"type": "Prospect"})) == ["Mine"]
    bad = api.get(URL, {"type": "Galaxy"})
    assert bad.status_code == 400
    assert "type" in bad.data["errors"]


def test_pagination(api, user):
    for index in range(7):
        AccountFactory(owner=user, name=f"Acc {index}")
    page = api.get(URL, {"page_size": 3, "page": 2, "ordering": "name"})
    assert page.data["count"] == 7
    assert names(page) == ["Acc 3", "Acc 4", "Acc 5"]
    assert page.data["next"] and page.data["previous"]
    assert api.get(URL, {"page": 99}).status_code == 404


def test_create_defaults_owner_and_can_assign_colleague(api, user, org):
    colleague = make_user(org, Role.USER)
    mine = api.post(URL, {"name": "Innovate Corp"}, format="json")
    assert mine.data["owner_id"] == user.pk
    theirs = api.post(URL, {"name": "Other Corp", "owner_id": colleague.pk}, format="json")
    assert theirs.data["owner_id"] == colleague.pk


def test_owner_and_parent_from_other_organization_are_rejected(api, other_user):
    foreign_parent = AccountFactory(owner=other_user)
    response = api.post(
        URL, {"name": "Sneaky", "owner_id": other_user.pk, "parent_account_id": foreign_parent.pk}, format="json"
    )
    assert response.status_code == 400
    assert {"owner_id", "parent_account_id"} <= set(response.data["errors"])


def test_wrong_types_and_oversized_values_are_field_errors(api, user):
    response = api.post(URL, {"name": "x" * 300, "type": "Galaxy", "parent_account_id": "abc"}, format="json")
    assert response.status_code == 400
    assert {"name", "type", "parent_account_id"} <= set(response.data["errors"])
    assert not Account.all_orgs.exists()


def test_html_is_stored_as_text(api, user):
    response = api.post(URL, {"name": "<script>alert(1)</script>"}, format="json")
    assert response.status_code == 201
    assert response.data["name"] == "<script>alert(1)</script>"


def test_parent_cycle_is_refused(api, user):
    top = AccountFactory(owner=user, name="Top")
    child = AccountFactory(owner=user, name="Child", parent_account=top)
    response = api.put(f"{URL}/{top.pk}", {"parent_account_id": child.pk, "version": 1}, format="json")
    assert response.status_code == 400
    assert "parent_account_id" in response.data["errors"]
    itself = api.put(f"{URL}/{top.pk}", {"parent_account_id": top.pk, "version": 1}, format="json")
    assert itself.status_code == 400


def test_detail_includes_active_contacts_in_bounded_queries(api, user):
    account = AccountFactory(owner=user, name="Innovate Corp")
    ContactFactory(owner=user, account=account, first_name="Ann", last_name="Archer")
    gone = ContactFactory(owner=user, account=account, first_name="Old", last_name="Timer")
    gone.is_active = False
    gone.save()
    api.get(URL)
    with count_queries() as few:
        response = api.get(f"{URL}/{account.pk}")
    assert [c["name"] for c in response.data["contacts"]] == ["Ann Archer"]
    for _ in range(10):
        ContactFactory(owner=user, account=account)
    with count_queries() as many:
        response = api.get(f"{URL}/{account.pk}")
    assert len(response.data["contacts"]) == 11
    assert many.count == few.count


def test_deactivated_account_keeps_history(api, user):
    account = api.post(URL, {"name": "Archive Me"}, format="json").data
    api.put(f"{URL}/{account['id']}", {"phone": "555-0000", "version": 1}, format="json")
    api.put(f"{URL}/{account['id']}", {"is_active": False, "version": 2}, format="json")
    history = api.get(f"{URL}/{account['id']}/history").data
    assert [event["action"] for event in history] == ["deactivate", "update", "create"]
    assert history[1]["changes"]["phone"] == ["", "555-0000"]
    assert history[0]["actor_name"] == user.name


def test_reactivation(api, user):
    account = AccountFactory(owner=user, is_active=False)
    response = api.put(f"{URL}/{account.pk}", {"is_active": True, "version": 1}, format="json")
    assert response.data["is_active"] is True
    assert account.pk in [row["id"] for row in api.get(URL).data["results"]]


def test_no_change_update_keeps_version(api, user):
    account = AccountFactory(owner=user, name="Same")
    response = api.put(f"{URL}/{account.pk}", {"name": "Same", "version": 1}, format="json")
    assert response.status_code == 200
    assert response.data["version"] == 1


def test_delete_is_not_offered(api, user):
    account = AccountFactory(owner=user)
    assert api.delete(f"{URL}/{account.pk}").status_code == 405


def walk(api, params):
    ids, response = [], api.get(URL, {**params, "cursor": ""})
    while True:
        ids.extend(row["id"] for row in response.data["results"])
        if not response.data["next_cursor"]:
            return ids
        response = api.get(URL, {**params, "cursor": response.data["next_cursor"]})


def test_cursor_paging_follows_any_ordering_including_nullable_joins(api, user):
    parent = AccountFactory(owner=user, name="Parent")
    for index in range(9):
        AccountFactory(
            owner=user, name=f"N{index % 3}", phone=str(index % 2), parent_account=parent if index % 2 else None
        )
    for ordering in ("name", "-name", "phone,-name", "-owner", "parent_account__name"):
        expected = [row["id"] for row in api.get(URL, {"ordering": ordering, "page_size": 200}).data["results"]]
        assert walk(api, {"ordering": ordering, "page_size": 2}) == expected, ordering


def test_parent_ordering_puts_accounts_without_parent_last(api, user):
    parent = AccountFactory(owner=user, name="Parent")
    orphan = AccountFactory(owner=user, name="Orphan")
    child = AccountFactory(owner=user, name="Child", parent_account=parent)
    ids = [row["id"] for row in api.get(URL, {"ordering": "parent_account__name"}).data["results"]]
    assert ids[0] == child.pk
    assert set(ids[1:]) == {parent.pk, orphan.pk}


def test_invalid_cursor_is_a_field_error(api, user):
    response = api.get(URL, {"cursor": "not-a-cursor!!"})
    assert response.status_code == 400
    assert "cursor" in response.data["errors"]


def test_count_is_capped_on_huge_lists(api, user, settings):
    settings.LIST_COUNT_CAP = 5
    for _ in range(8):
        AccountFactory(owner=user)
    page = api.get(URL, {"page_size": 2}).data
    assert page["count"] == 5
    assert page["count_capped"] is True
    small = api.get(URL, {"search": "nothing-matches"}).data
    assert small["count"] == 0
    assert small["count_capped"] is False


def test_detail_with_a_full_timeline_runs_the_contract_query_count(api, user, org):
    # given an account whose timeline gathers activities of the account, its people, its deals
    # and its cases, under Private defaults (the names of what the user may see)
    from crm.activities.tests.factories import TaskFactory
    from crm.sales.tests.factories import OpportunityFactory
    from crm.service.tests.factories import CaseFactory
    from crm.sharing.models import Access
    from crm.sharing.tests.factories import set_default

    from .contract import CASES

    for name in ("account", "contact", "opportunity"):
        set_default(org.pk, name, Access.PRIVATE)
    account = AccountFactory(owner=user, name="Innovate Corp")
    empty = AccountFactory(owner=user, name="Quiet Ltd")
    ann = ContactFactory(owner=user, account=account, first_name="Ann", last_name="Archer")
    deal = OpportunityFactory(owner=user, account=account, name="Big deal")
    case = CaseFactory(owner=user, account=account, subject="Broken")
    hidden = OpportunityFactory(owner=make_user(org, Role.USER), account=account, name="Not yours")
    TaskFactory(owner=user, what_type="Account", what_id=account.pk, subject="On the account")
    TaskFactory(owner=user, who_type="Contact", who_id=ann.pk, what_type="Opportunity", what_id=deal.pk, subject="Ann")
    TaskFactory(owner=user, what_type="Case", what_id=case.pk, subject="On the case")
    TaskFactory(owner=user, what_type="Opportunity", what_id=hidden.pk, subject="Hidden deal")
    api.get(URL)
    with count_queries() as quiet:
        assert api.get(f"{URL}/{empty.pk}").status_code == 200
    with count_queries() as busy:
        response = api.get(f"{URL}/{account.pk}")
    # then every linked name is there, the deal the user may not see is not on the timeline,
    assert {row["subject"]: (row["what_name"], row["who_name"]) for row in response.data["activities"]} == {
        "On the account": ("Innovate Corp", None),
        "Ann": ("Big deal", "Ann Archer"),
        "On the case": (f"{case.case_number} Broken", None),
    }
    # and the page reads what an empty account reads: the contract's exact count
    account_case = next(c for c in CASES if c.object == "account")
    assert quiet.count == busy.count == account_case.detail_queries, [q["sql"] for q in busy.captured_queries]
