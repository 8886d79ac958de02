from __future__ import annotations

import datetime

import pytest
from conftest import make_user

from crm.accounts.tests.factories import AccountFactory, ContactFactory
from crm.activities.links import model_for
from crm.activities.models import Activity
from crm.activities.selectors import activity_timeline
from crm.core.scoping import org_scope
from crm.records.testing import count_queries
from crm.service.tests.factories import CaseFactory

from .factories import EventFactory, LeadFactory, OpportunityFactory, TaskFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/activities"
UTC = datetime.UTC


def at(day: str, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=UTC)


def ids(response):
    assert response.status_code == 200, response.data
    return [row["id"] for row in response.data["results"]]


class TestCreate:
    def test_task_defaults(self, api, user):
        response = api.post(URL, {"type": "Task", "subject": "Call back", "due_date": "2025-09-10"}, format="json")
        assert response.status_code == 201, response.data
        body = response.data
        assert body["status"] == "Not Started"
        assert body["priority"] == "Normal"
        assert body["assigned_to_id"] == user.pk
        assert body["assigned_to_name"] == user.name
        assert body["completed_at"] is None
        assert body["what_name"] is None
        assert body["who_name"] is None

    def test_task_related_to_an_opportunity_and_a_contact(self, api, user):
        # the seed's Workflow 4 request
        opportunity = OpportunityFactory(owner=user, name="Awesome Project")
        contact = ContactFactory(owner=user, first_name="Jane", last_name="Doe", account=opportunity.account)
        payload = {
            "type": "Task",
            "subject": "Follow up",
            "what_id": opportunity.pk,
            "what_type": "Opportunity",
            "who_id": contact.pk,
            "who_type": "Contact",
        }
        response = api.post(URL, payload, format="json")
        assert response.status_code == 201, response.data
        assert response.data["what_name"] == "Awesome Project"
        assert response.data["who_name"] == "Jane Doe"

    def test_types_are_accepted_in_any_letter_case(self, api, user):
        account = AccountFactory(owner=user)
        response = api.post(
            URL, {"type": "Task", "subject": "x", "what_type": "account", "what_id": account.pk}, format="json"
        )
        assert response.status_code == 201, response.data
        assert response.data["what_type"] == "Account"
        assert response.data["what_name"] == account.name

    def test_event(self, api, user):
        lead = LeadFactory(owner=user, first_name="Max", last_name="Power")
        payload = {
            "type": "Event",
            "subject": "Discovery meeting",
            "start_time": "2025-09-15T10:00:00Z",
            "end_time": "2025-09-15T11:00:00Z",
            "location": "Their office",
            "who_type": "Lead",
            "who_id": lead.pk,
        }
        response = api.post(URL, payload, format="json")
        assert response.status_code == 201, response.data
        assert response.data["status"] == ""
        assert response.data["who_name"] == "Max Power"
        assert response.data["location"] == "Their office"

    def test_assign_to_a_colleague(self, api, org):
        colleague = make_user(org)
        response = api.post(URL, {"type": "Task", "subject": "x", "assigned_to_id": colleague.pk}, format="json")
        assert response.status_code == 201, response.data
        assert response.data["assigned_to_id"] == colleague.pk

    @pytest.mark.parametrize(
        ("payload", "fields", "code"),
        [
            ({"subject": "x"}, {"type"}, "validation_error"),
            ({"type": "Call", "subject": "x"}, {"type"}, "validation_error"),
            ({"type": "Task"}, {"subject"}, "validation_error"),
            ({"type": "Task", "subject": "x", "status": ""}, {"status"}, "invalid_activity"),
            ({"type": "Task", "subject": "x", "status": "Done"}, {"status"}, "validation_error"),
            ({"type": "Task", "subject": "x", "priority": "Urgent"}, {"priority"}, "validation_error"),
            ({"type": "Event", "subject": "x"}, {"start_time", "end_time"}, "invalid_activity"),
            ({"type": "Event", "subject": "x", "start_time": "2025-09-15T10:00:00Z"}, {"end_time"}, "invalid_activity"),
            (
                {
                    "type": "Event",
                    "subject": "x",
                    "start_time": "2025-09-15T10:00:00Z",
                    "end_time": "2025-09-15T10:00:00Z",
                },
                {"end_time"},
                "invalid_activity",
            ),
            ({"type": "Task", "subject": "x", "what_type": "Product", "what_id": 1}, {"what_type"}, "validation_error"),
            ({"type": "Task", "subject": "x", "what_type": "Contact", "what_id": 1}, {"what_type"}, "validation_error"),
            ({"type": "Task", "subject": "x", "who_type": "Account", "who_id": 1}, {"who_type"}, "validation_error"),
            ({"type": "Task", "subject": "x", "what_id": 1}, {"what_type"}, "invalid_activity"),
            ({"type": "Task", "subject": "x", "what_type": "Account"}, {"what_id"}, "invalid_activity"),
            (
                {"type": "Task", "subject": "x", "what_type": "Account", "what_id": 999999},
                {"what_id"},
                "invalid_activity",
            ),
            ({"type": "Task", "subject": "x", "who_type": "Lead", "who_id": 999999}, {"who_id"}, "invalid_activity"),
            (
                {"type": "Task", "subject": "x", "what_type": "Account", "what_id": "abc"},
                {"what_id"},
                "validation_error",
            ),
            ({"type": "Task", "subject": "x", "assigned_to_id": None}, {"assigned_to_id"}, "validation_error"),
            ({"type": "Task", "subject": "x", "assigned_to_id": 999999}, {"assigned_to_id"}, "validation_error"),
        ],
    )
    def test_validation_errors_write_nothing(self, api, in_org, payload, fields, code):
        response = api.post(URL, payload, format="json")
        assert response.status_code == 400
        assert response.data["code"] == code
        assert set(response.data["errors"]) == fields, response.data
        assert not Activity.objects.exists()

    def test_another_organizations_records_are_field_errors(self, api, other_user, in_org):
        account = AccountFactory(owner=other_user)
        contact = ContactFactory(owner=other_user)
        lead = LeadFactory(owner=other_user)
        for what, who, field in [
            (("Account", account.pk), None, "what_id"),
            (None, ("Contact", contact.pk), "who_id"),
            (None, ("Lead", lead.pk), "who_id"),
        ]:
            payload = {"type": "Task", "subject": "x"}
            if what:
                payload.update(what_type=what[0], what_id=what[1])
            if who:
                payload.update(who_type=who[0], who_id=who[1])
            response = api.post(URL, payload, format="json")
            assert response.status_code == 400
            assert list(response.data["errors"]) == [field]
        assert not Activity.objects.exists()

    def test_assignee_must_be_an_active_user_of_the_organization(self, api, org, other_user):
        former = make_user(org)
        former.is_active = False
        former.save()
        for assignee in (former, other_user):
            response = api.post(URL, {"type": "Task", "subject": "x", "assigned_to_id": assignee.pk}, format="json")
            assert response.status_code == 400
            assert "assigned_to_id" in response.data["errors"]

    def test_order_and_contract_links_follow_the_billing_models(self, api, user):
        account = AccountFactory(owner=user)
        for label in ("Order", "Contract"):
            response = api.post(
                URL, {"type": "Task", "subject": "x", "what_type": label, "what_id": 999999}, format="json"
            )
            assert response.status_code == 400
            expected = "what_id" if model_for(label) is not None else "what_type"
            assert list(response.data["errors"]) == [expected]
        assert account.pk  # the account exists: an account link still works
        ok = api.post(URL, {"type": "Task", "subject": "x", "what_type": "Account", "what_id": account.pk})
        assert ok.status_code == 201


class TestUpdate:
    def test_completing_a_task_sets_completed_at(self, api, user):
        task = TaskFactory(owner=user)
        response = api.put(f"{URL}/{task.pk}", {"status": "Completed", "version": 1}, format="json")
        assert response.status_code == 200, response.data
        assert response.data["version"] == 2
        assert response.data["completed_at"] is not None
        reopened = api.put(f"{URL}/{task.pk}", {"status": "In Progress", "version": 2}, format="json")
        assert reopened.data["completed_at"] is None

    def test_stale_version_is_409(self, api, user):
        task = TaskFactory(owner=user)
        assert api.put(f"{URL}/{task.pk}", {"priority": "High", "version": 1}, format="json").status_code == 200
        stale = api.put(f"{URL}/{task.pk}", {"status": "Completed", "version": 1}, format="json")
        assert stale.status_code == 409
        task.refresh_from_db()
        assert task.completed_at is None

    def test_type_cannot_change(self, api, user):
        task = TaskFactory(owner=user)
        response = api.put(f"{URL}/{task.pk}", {"type": "Event", "version": 1}, format="json")
        assert response.status_code == 400
        assert "type" in response.data["errors"]

    def test_end_is_checked_against_the_stored_start(self, api, user):
        event = EventFactory(owner=user, start_time=at("2025-09-15", 10), end_time=at("2025-09-15", 11))
        response = api.put(f"{URL}/{event.pk}", {"end_time": "2025-09-15T09:00:00Z", "version": 1}, format="json")
        assert response.status_code == 400
        assert list(response.data["errors"]) == ["end_time"]
        moved = api.put(f"{URL}/{event.pk}", {"end_time": "2025-09-15T12:00:00Z", "version": 1}, format="json")
        assert moved.status_code == 200

    def test_links_are_checked_and_can_be_cleared(self, api, user, other_user):
        account = AccountFactory(owner=user)
        task = TaskFactory(owner=user, what_type="Account", what_id=account.pk)
        foreign = AccountFactory(owner=other_user)
        bad = api.put(f"{URL}/{task.pk}", {"what_id": foreign.pk, "version": 1}, format="json")
        assert bad.status_code == 400
        assert list(bad.data["errors"]) == ["what_id"]
        cleared = api.put(f"{URL}/{task.pk}", {"what_type": None, "what_id": None, "version": 1}, format="json")
        assert cleared.status_code == 200, cleared.data
        assert (cleared.data["what_type"], cleared.data["what_id"], cleared.data["what_name"]) == ("", None, None)

    def test_other_organization_gets_404(self, other_api, user):
        task = TaskFactory(owner=user)
        assert other_api.get(f"{URL}/{task.pk}").status_code == 404
        assert other_api.put(f"{URL}/{task.pk}", {"status": "Completed", "version": 1}).status_code == 404


class TestList:
    def test_to_do_list(self, api, user, org):
        colleague = make_user(org)
        today = datetime.date(2025, 9, 10)
        later = TaskFactory(owner=user, due_date=today + datetime.timedelta(days=5))
        undated = TaskFactory(owner=user, due_date=None)
        overdue = TaskFactory(owner=user, due_date=today - datetime.timedelta(days=2), status="In Progress")
        TaskFactory(owner=user, due_date=today, status="Completed")
        TaskFactory(owner=colleague, due_date=today)
        EventFactory(owner=user)
        mine_by_colleague = TaskFactory(owner=colleague, assigned_to=user, due_date=today)
        response = api.get(URL, {"type": "Task", "assigned_to": "me", "status_ne": "Completed"})
        assert ids(response) == [overdue.pk, mine_by_colleague.pk, later.pk, undated.pk]
        assert ids(api.get(URL, {"type": "Task", "assigned_to": colleague.pk})) == [
            row.pk for row in Activity.all_orgs.filter(assigned_to=colleague).order_by("due_date")
        ]
        assert api.get(URL, {"assigned_to": "someone"}).status_code == 400

    def test_calendar_returns_events_overlapping_the_range(self, api, user):
        def event(start, end):
            return EventFactory(owner=user, start_time=start, end_time=end)

        crossing_in = event(at("2025-08-31", 22), at("2025-09-01", 2))
        inside = event(at("2025-09-15", 10), at("2025-09-15", 11))
        last_evening = event(at("2025-09-30", 23), at("2025-10-01", 1))
        spanning = event(at("2025-08-20"), at("2025-10-10"))
        event(at("2025-08-31", 9), at("2025-09-01"))  # ends as the range starts
        event(at("2025-10-01"), at("2025-10-01", 1))  # starts after the range
        TaskFactory(owner=user, due_date=datetime.date(2025, 9, 15))
        response = api.get(
            URL, {"type": "Event", "assigned_to": "me", "start_date": "2025-09-01", "end_date": "2025-09-30"}
        )
        assert ids(response) == [spanning.pk, crossing_in.pk, inside.pk, last_evening.pk]
        assert api.get(URL, {"start_date": "September"}).status_code == 400

    def test_filters(self, api, user):
        account = AccountFactory(owner=user)
        contact = ContactFactory(owner=user, account=account)
        on_account = TaskFactory(owner=user, what_type="Account", what_id=account.pk, priority="High")
        with_contact = EventFactory(owner=user, who_type="Contact", who_id=contact.pk)
        soon = TaskFactory(owner=user, due_date=datetime.date(2025, 9, 2), status="Deferred")
        assert ids(api.get(URL, {"what_type": "Account", "what_id": account.pk})) == [on_account.pk]
        assert ids(api.get(URL, {"who_type": "contact", "who_id": contact.pk})) == [with_contact.pk]
        assert ids(api.get(URL, {"priority": "High"})) == [on_account.pk]
        assert ids(api.get(URL, {"status": "Deferred"})) == [soon.pk]
        assert ids(api.get(URL, {"due_after": "2025-09-01", "due_before": "2025-09-03"})) == [soon.pk]
        assert ids(api.get(URL, {"type": "Event"})) == [with_contact.pk]
        assert api.get(URL, {"what_type": "Product"}).status_code == 400
        assert api.get(URL, {"status_ne": "Done"}).status_code == 400

    def test_names_cost_one_query_per_linked_type_not_per_row(self, api, user):
        accounts = [AccountFactory(owner=user) for _ in range(4)]
        contacts = [ContactFactory(owner=user, account=account) for account in accounts]
        opportunities = [OpportunityFactory(owner=user, account=account) for account in accounts]
        cases = [CaseFactory(owner=user, account=account) for account in accounts]
        leads = [LeadFactory(owner=user) for _ in range(4)]
        whats = [("Account", accounts), ("Opportunity", opportunities), ("Case", cases)]
        whos = [("Contact", contacts), ("Lead", leads)]

        def add(index):
            what_type, what_rows = whats[index % 3]
            who_type, who_rows = whos[index % 2]
            return TaskFactory(
                owner=user,
                what_type=what_type,
                what_id=what_rows[index % 4].pk,
                who_type=who_type,
                who_id=who_rows[index % 4].pk,
            )

        # given one row of each linked type
        for index in range(3):
            add(index)
        api.get(URL)
        with count_queries() as few:
            assert len(ids(api.get(URL))) == 3
        # when twenty more rows of mixed types are listed
        expected = {}
        for index in range(3, 23):
            task = add(index)
            expected[task.pk] = (str(whats[index % 3][1][index % 4]), str(whos[index % 2][1][index % 4]))
        with count_queries() as many:
            response = api.get(URL, {"page_size": 50})
        # then the query count is the same and every name is right
        assert many.count == few.count, [q["sql"] for q in many.captured_queries]
        assert len(response.data["results"]) == 23
        for row in response.data["results"]:
            if row["id"] in expected:
                assert (row["what_name"], row["who_name"]) == expected[row["id"]]

    def test_one_row_and_twenty_rows_of_the_same_types_cost_the_same(self, api, user):
        account = AccountFactory(owner=user)
        contact = ContactFactory(owner=user, account=account)
        link = {"what_type": "Account", "what_id": account.pk, "who_type": "Contact", "who_id": contact.pk}
        TaskFactory(owner=user, **link)
        api.get(URL)
        with count_queries() as one:
            api.get(URL)
        for _ in range(19):
            other = ContactFactory(owner=user)
            TaskFactory(owner=user, **{**link, "what_id": other.account_id, "who_id": other.pk})
        with count_queries() as twenty:
            response = api.get(URL)
        assert len(response.data["results"]) == 20
        assert twenty.count == one.count


class TestTimeline:
    def test_account_detail_includes_activities_of_its_people_and_records(self, api, user):
        account = AccountFactory(owner=user)
        contact = ContactFactory(owner=user, account=account, first_name="Jane", last_name="Doe")
        opportunity = OpportunityFactory(owner=user, account=account)
        case = CaseFactory(owner=user, account=account)
        elsewhere = AccountFactory(owner=user)
        direct = TaskFactory(owner=user, what_type="Account", what_id=account.pk, due_date=datetime.date(2025, 9, 1))
        by_person = TaskFactory(owner=user, who_type="Contact", who_id=contact.pk, due_date=datetime.date(2025, 9, 5))
        on_deal = EventFactory(
            owner=user,
            what_type="Opportunity",
            what_id=opportunity.pk,
            start_time=at("2025-09-03", 10),
            end_time=at("2025-09-03", 11),
        )
        on_case = TaskFactory(owner=user, what_type="Case", what_id=case.pk, due_date=datetime.date(2025, 9, 4))
        TaskFactory(owner=user, what_type="Account", what_id=elsewhere.pk)
        TaskFactory(owner=user, what_type="Account", what_id=account.pk, is_active=False)
        TaskFactory(owner=user, what_type="Opportunity", what_id=OpportunityFactory(owner=user).pk)
        response = api.get(f"/api/v1/accounts/{account.pk}")
        assert response.status_code == 200
        rows = response.data["activities"]
        assert [row["id"] for row in rows] == [by_person.pk, on_case.pk, on_deal.pk, direct.pk]
        assert rows[0]["who_name"] == "Jane Doe"
        assert rows[2]["what_name"] == opportunity.name

    def test_account_timeline_costs_a_fixed_number_of_queries(self, api, user):
        account = AccountFactory(owner=user)
        contact = ContactFactory(owner=user, account=account)
        opportunity = OpportunityFactory(owner=user, account=account)
        TaskFactory(owner=user, what_type="Opportunity", what_id=opportunity.pk, who_type="Contact", who_id=contact.pk)
        TaskFactory(owner=user, what_type="Account", what_id=account.pk)
        api.get(f"/api/v1/accounts/{account.pk}")
        with count_queries() as few:
            api.get(f"/api/v1/accounts/{account.pk}")
        for _ in range(10):
            person = ContactFactory(owner=user, account=account)
            deal = OpportunityFactory(owner=user, account=account)
            TaskFactory(owner=user, what_type="Opportunity", what_id=deal.pk, who_type="Contact", who_id=person.pk)
        with count_queries() as many:
            response = api.get(f"/api/v1/accounts/{account.pk}")
        assert len(response.data["activities"]) == 12
        assert many.count == few.count

    def test_timeline_keeps_the_fifty_newest(self, api, user):
        contact = ContactFactory(owner=user)
        base = datetime.date(2025, 1, 1)
        for day in range(55):
            TaskFactory(owner=user, who_type="Contact", who_id=contact.pk, due_date=base + datetime.timedelta(days=day))
        rows = api.get(f"/api/v1/contacts/{contact.pk}").data["activities"]
        assert len(rows) == 50
        assert rows[0]["due_date"] == "2025-02-24"
        assert rows[-1]["due_date"] == "2025-01-06"

    def test_case_detail_lists_its_activities(self, api, user):
        case = CaseFactory(owner=user)
        task = TaskFactory(owner=user, what_type="Case", what_id=case.pk)
        TaskFactory(owner=user, what_type="Account", what_id=case.account_id)
        rows = api.get(f"/api/v1/cases/{case.pk}").data["activities"]
        assert [row["id"] for row in rows] == [task.pk]
        assert rows[0]["what_name"] == str(case)

    def test_lead_and_opportunity_timelines(self, user, org):
        lead = LeadFactory(owner=user)
        opportunity = OpportunityFactory(owner=user)
        on_lead = TaskFactory(owner=user, who_type="Lead", who_id=lead.pk)
        on_deal = TaskFactory(owner=user, what_type="Opportunity", what_id=opportunity.pk)
        with org_scope(org.pk):
            assert [row.pk for row in activity_timeline(record=lead)] == [on_lead.pk]
            assert [row.pk for row in activity_timeline(record=opportunity)] == [on_deal.pk]


def test_activity_metadata_is_hidden_from_navigation(api):
    response = api.get("/api/v1/meta/objects")
    assert response.status_code == 200
    activity = next(meta for meta in response.data["objects"] if meta["name"] == "activity")
    assert activity["extra"]["hidden_from_nav"] is True
    assert activity["icon"] == "task"


@pytest.mark.parametrize("ordering", ["when", "-when"])
def test_cursor_pages_by_when_visit_every_activity_once(api, user, in_org, ordering):
    # given tasks (dated by their due date) and events (by their start) interleaved in time
    base = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
    ids = []
    for day in range(6):
        ids.append(TaskFactory(owner=user, due_date=(base + datetime.timedelta(days=day)).date()).pk)
        ids.append(TaskFactory(owner=user, due_date=(base + datetime.timedelta(days=day)).date()).pk)
        ids.append(EventFactory(owner=user, start_time=base + datetime.timedelta(days=day, hours=2)).pk)
    # when the list is walked with cursors, two rows at a time
    seen: list[int] = []
    params = {"ordering": ordering, "page_size": 2, "cursor": ""}
    for _ in range(40):
        page = api.get(URL, params).data
        seen += [row["id"] for row in page["results"]]
        if not page.get("next_cursor"):
            break
        params["cursor"] = page["next_cursor"]
    # then every activity comes once, none repeats
    assert sorted(seen) == sorted(ids)
