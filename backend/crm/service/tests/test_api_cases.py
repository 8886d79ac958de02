from __future__ import annotations

import threading

import pytest
from django.db import connection

from crm.accounts.tests.factories import AccountFactory, ContactFactory
from crm.core.scoping import org_scope
from crm.records.sequences import number_next
from crm.records.testing import count_queries
from crm.service.models import Case
from crm.service.services import CASE_NUMBERS, case_create

from .factories import CaseFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases"


def ids(response):
    assert response.status_code == 200, response.data
    return [row["id"] for row in response.data["results"]]


class TestCreate:
    def test_numbers_are_sequential_per_organization(self, api, user, other_api, other_user):
        account = AccountFactory(owner=user)
        first = api.post(URL, {"subject": "Site down", "account_id": account.pk}, format="json")
        second = api.post(URL, {"subject": "Broken form", "account_id": account.pk}, format="json")
        rival = other_api.post(URL, {"subject": "Their issue"}, format="json")
        assert (first.status_code, second.status_code, rival.status_code) == (201, 201, 201)
        assert first.data["case_number"] == "00001001"
        assert second.data["case_number"] == "00001002"
        assert rival.data["case_number"] == "00001001"

    def test_defaults_and_names(self, api, user):
        contact = ContactFactory(owner=user, first_name="Jane", last_name="Doe")
        response = api.post(
            URL, {"subject": "Login fails", "account_id": contact.account_id, "contact_id": contact.pk}, format="json"
        )
        assert response.status_code == 201, response.data
        body = response.data
        assert body["status"] == "New"
        assert body["priority"] == "Medium"
        assert body["account_name"] == contact.account.name
        assert body["contact_name"] == "Jane Doe"
        assert body["is_closed"] is False
        assert body["closed_at"] is None

    def test_account_is_filled_from_the_contact(self, api, user):
        contact = ContactFactory(owner=user)
        response = api.post(URL, {"subject": "Invoice question", "contact_id": contact.pk}, format="json")
        assert response.status_code == 201, response.data
        assert response.data["account_id"] == contact.account_id

    def test_contact_of_another_account_is_a_field_error(self, api, user, in_org):
        account = AccountFactory(owner=user)
        stranger = ContactFactory(owner=user)
        response = api.post(
            URL, {"subject": "Mismatch", "account_id": account.pk, "contact_id": stranger.pk}, format="json"
        )
        assert (response.status_code, response.data["code"]) == (400, "contact_not_on_account")
        assert "contact_id" in response.data["errors"]
        assert not Case.objects.exists()

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"status": "New"}, "subject"),
            ({"subject": "x", "status": "Resolved"}, "status"),
            ({"subject": "x", "priority": "Urgent"}, "priority"),
            ({"subject": "x", "origin": "Fax"}, "origin"),
            ({"subject": "x", "account_id": 999999}, "account_id"),
        ],
    )
    def test_validation_errors(self, api, payload, field):
        response = api.post(URL, payload, format="json")
        assert response.status_code == 400
        assert field in response.data["errors"], response.data

    def test_other_organizations_account_or_contact_is_rejected(self, api, other_user):
        foreign = ContactFactory(owner=other_user)
        response = api.post(
            URL, {"subject": "x", "account_id": foreign.account_id, "contact_id": foreign.pk}, format="json"
        )
        assert response.status_code == 400
        assert set(response.data["errors"]) == {"account_id", "contact_id"}

    def test_case_number_is_read_only(self, api):
        response = api.post(URL, {"subject": "x", "case_number": "1"}, format="json")
        assert response.status_code == 201
        assert response.data["case_number"] != "1"


class TestUpdate:
    def test_closing_sets_closed_at_and_reopening_clears_it(self, api, user):
        case = CaseFactory(owner=user)
        closed = api.put(f"{URL}/{case.pk}", {"status": "Closed", "version": 1}, format="json")
        assert closed.status_code == 200, closed.data
        assert closed.data["is_closed"] is True
        assert closed.data["closed_at"] is not None
        closed_at = closed.data["closed_at"]
        again = api.put(f"{URL}/{case.pk}", {"priority": "Low", "status": "Closed", "version": 2}, format="json")
        assert again.data["closed_at"] == closed_at
        reopened = api.put(f"{URL}/{case.pk}", {"status": "In Progress", "version": 3}, format="json")
        assert reopened.status_code == 200
        assert reopened.data["closed_at"] is None
        assert reopened.data["is_closed"] is False

    def test_created_closed_has_closed_at(self, api):
        response = api.post(URL, {"subject": "Handled on the phone", "status": "Closed"}, format="json")
        assert response.status_code == 201
        assert response.data["closed_at"] is not None

    def test_changing_account_away_from_the_contact_is_a_field_error(self, api, user):
        contact = ContactFactory(owner=user)
        case = CaseFactory(owner=user, account=contact.account, contact=contact)
        other = AccountFactory(owner=user)
        response = api.put(f"{URL}/{case.pk}", {"account_id": other.pk, "version": 1}, format="json")
        assert (response.status_code, response.data["code"]) == (400, "contact_not_on_account")
        assert "contact_id" in response.data["errors"]
        moved = api.put(f"{URL}/{case.pk}", {"account_id": other.pk, "contact_id": None, "version": 1}, format="json")
        assert moved.status_code == 200, moved.data
        assert moved.data["contact_id"] is None

    def test_stale_version_is_409(self, api, user):
        case = CaseFactory(owner=user)
        assert api.put(f"{URL}/{case.pk}", {"status": "Escalated", "version": 1}, format="json").status_code == 200
        stale = api.put(f"{URL}/{case.pk}", {"status": "Closed", "version": 1}, format="json")
        assert stale.status_code == 409
        case.refresh_from_db()
        assert case.status == "Escalated"
        assert case.closed_at is None


class TestList:
    def test_default_order_is_priority_then_newest(self, api, user):
        low = CaseFactory(owner=user, priority="Low")
        high_old = CaseFactory(owner=user, priority="High")
        medium = CaseFactory(owner=user, priority="Medium")
        high_new = CaseFactory(owner=user, priority="High")
        assert ids(api.get(URL)) == [high_new.pk, high_old.pk, medium.pk, low.pk]
        assert ids(api.get(URL, {"ordering": "-priority"}))[-1] in (high_new.pk, high_old.pk)

    def test_cursor_pages_follow_priority_order(self, api, user):
        for priority in ["Low", "High", "Medium", "High", "Low", "Medium", "High"]:
            CaseFactory(owner=user, priority=priority)
        expected = ids(api.get(URL))
        seen = []
        response = api.get(URL, {"cursor": "", "page_size": 2})
        while True:
            seen.extend(ids(response))
            if not response.data["next_cursor"]:
                break
            response = api.get(URL, {"cursor": response.data["next_cursor"], "page_size": 2})
        assert seen == expected

    def test_filters(self, api, user, other_user):
        contact = ContactFactory(owner=user)
        mine = CaseFactory(owner=user, account=contact.account, contact=contact, status="Escalated", priority="High")
        closed = CaseFactory(owner=user, status="Closed")
        plain = CaseFactory(owner=user)
        CaseFactory(owner=other_user)
        assert ids(api.get(URL, {"status": "Escalated"})) == [mine.pk]
        assert ids(api.get(URL, {"priority": "High"})) == [mine.pk]
        assert ids(api.get(URL, {"account_id": contact.account_id})) == [mine.pk]
        assert ids(api.get(URL, {"contact_id": contact.pk})) == [mine.pk]
        assert ids(api.get(URL, {"is_closed": "true"})) == [closed.pk]
        assert set(ids(api.get(URL, {"is_closed": "false"}))) == {mine.pk, plain.pk}
        assert set(ids(api.get(URL, {"owner": "me"}))) == {mine.pk, closed.pk, plain.pk}
        assert api.get(URL, {"status": "Bogus"}).status_code == 400

    def test_search_by_subject_number_and_account_name(self, api, user):
        account = AccountFactory(owner=user, name="Zephyr Hotels")
        by_account = CaseFactory(owner=user, account=account, subject="Booking widget")
        by_subject = CaseFactory(owner=user, subject="Zephyr-themed banner broken")
        by_number = CaseFactory(owner=user, case_number="00004242")
        assert set(ids(api.get(URL, {"search": "zephyr"}))) == {by_account.pk, by_subject.pk}
        assert ids(api.get(URL, {"search": "4242"})) == [by_number.pk]

    def test_list_shows_account_and_contact_names(self, api, user):
        contact = ContactFactory(owner=user, first_name="Ana", last_name="Ivanova")
        CaseFactory(owner=user, account=contact.account, contact=contact)
        row = api.get(URL).data["results"][0]
        assert row["account_name"] == contact.account.name
        assert row["contact_name"] == "Ana Ivanova"

    def test_list_query_count_is_constant(self, api, user):
        contact = ContactFactory(owner=user)
        CaseFactory(owner=user, account=contact.account, contact=contact)
        api.get(URL)
        with count_queries() as one:
            api.get(URL)
        for _ in range(20):
            other = ContactFactory(owner=user)
            CaseFactory(owner=user, account=other.account, contact=other)
        with count_queries() as many:
            response = api.get(URL)
        assert len(response.data["results"]) == 21
        assert many.count == one.count

    def test_other_organization_gets_404(self, other_api, user):
        case = CaseFactory(owner=user)
        assert other_api.get(f"{URL}/{case.pk}").status_code == 404

    def test_anonymous_gets_401(self, anon):
        assert anon.get(URL).status_code == 401


class TestEmbeds:
    def test_account_detail_lists_its_cases_with_a_fixed_query_count(self, api, user):
        account = AccountFactory(owner=user)
        contact = ContactFactory(owner=user, account=account)
        open_case = CaseFactory(owner=user, account=account, contact=contact, priority="High")
        closed = CaseFactory(owner=user, account=account, status="Closed")
        CaseFactory(owner=user)  # another account's case
        api.get(f"/api/v1/accounts/{account.pk}")
        with count_queries() as few:
            response = api.get(f"/api/v1/accounts/{account.pk}")
        assert response.status_code == 200
        rows = response.data["cases"]
        assert [row["id"] for row in rows] == [open_case.pk, closed.pk]
        assert rows[0]["contact_name"] == str(contact)
        for _ in range(10):
            CaseFactory(owner=user, account=account, contact=ContactFactory(owner=user, account=account))
        with count_queries() as many:
            response = api.get(f"/api/v1/accounts/{account.pk}")
        assert len(response.data["cases"]) == 12
        assert many.count == few.count

    def test_contact_detail_lists_its_cases(self, api, user):
        contact = ContactFactory(owner=user)
        case = CaseFactory(owner=user, account=contact.account, contact=contact)
        CaseFactory(owner=user, account=contact.account)
        response = api.get(f"/api/v1/contacts/{contact.pk}")
        assert [row["id"] for row in response.data["cases"]] == [case.pk]


def test_case_numbers_count_up_per_organization(org, other_org):
    with org_scope(org.pk):
        numbers = [number_next(CASE_NUMBERS) for _ in range(3)]
    assert numbers == ["00001001", "00001002", "00001003"]
    with org_scope(other_org.pk):
        assert number_next(CASE_NUMBERS) == "00001001"


@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_never_share_a_case_number(org, user):
    # given four clients creating cases at the same moment
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def create() -> None:
        try:
            with org_scope(org.pk):
                barrier.wait(timeout=10)
                for _ in range(3):
                    case_create(data={"subject": "Parallel"}, actor=user)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=create) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # then
    assert errors == []
    with org_scope(org.pk):
        numbers = sorted(Case.objects.values_list("case_number", flat=True))
    assert numbers == [f"{n:08d}" for n in range(1001, 1013)]
