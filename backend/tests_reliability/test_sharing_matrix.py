"""Record sharing matrix, generated from the URL configuration: role x default x every route.

Every API route is sorted by the tenancy matrix's enumeration (``test_permission_matrix``):
- a route on a record (list, detail, history, actions, child rows, shares) is called by every role
  below, with every object of the organization set to each organization-wide default:
  Private, PublicReadOnly and PublicReadWrite. The record belongs to ``seller``; the expected answer
  follows from the rule (see ``expected``): 404 where the record is not readable, 403 where it is
  readable but not editable (or its shares not the caller's to manage), and anything else (200, a
  validation 400, a business-rule 409) where the caller may act;
- a route that reports on records (search, pipeline, retainer report, dashboard) is checked for
  counting exactly what each role may see (``REPORTS``);
- every other route says why sharing does not concern it (``UNSHARED``).

A route in none of these fails ``test_every_route_is_in_the_sharing_matrix``, naming it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from conftest import client_for, make_user
from django.utils import timezone

from crm.accounts.tests.factories import AccountFactory
from crm.billing.tests.factories import ContractFactory, PaymentFactory
from crm.core.scoping import org_scope
from crm.identity.models import Organization, Role, User
from crm.sales.tests.factories import OpportunityFactory
from crm.sharing.models import Access, RecordShare
from crm.sharing.rules import CHILDREN, OBJECTS
from crm.sharing.tests.factories import set_default, share_record
from tests_reliability.test_permission_matrix import (
    CASES,
    EXPORTS,
    ROUTES,
    Route,
    Target,
    _kind,
    body_for,
    call,
    make_target,
)

DEFAULTS = [Access.PRIVATE, Access.PUBLIC_READ_ONLY, Access.PUBLIC_READ_WRITE]

# Routes sharing does not concern, and why.
UNSHARED: dict[str, str] = {
    # Tags: the organization's labels, not records; tagging a record follows the record's own rule below.
    "/api/v1/tags": "tags: the organization's labels (not records); a record's tags follow the record's sharing",
    "/api/v1/tags/{pk}": "tags: the organization's labels (not records); a record's tags follow the record's sharing",
    "/api/v1/products/{pk}/tags": "the catalog: everybody reads it, administrators write it",
    "/api/v1/products/{pk}/tags/{tag_id}": "the catalog: everybody reads it, administrators write it",
    "/api/v1/campaigns/{pk}/tags": "campaigns: the organization's marketing plan, public read-write like Salesforce's default for campaigns (no sharing default)",
    "/api/v1/campaigns/{pk}/tags/{tag_id}": "campaigns: the organization's marketing plan, public read-write like Salesforce's default for campaigns (no sharing default)",
    "/api/v1/segments/{pk}/tags": "segments: saved filters of the organization's marketing (no sharing default); their counts read contacts and leads through the scoped managers, so each user counts only whom they may see",
    "/api/v1/segments/{pk}/tags/{tag_id}": "segments: saved filters of the organization's marketing (no sharing default); their counts read contacts and leads through the scoped managers, so each user counts only whom they may see",
    "/api/v1/email-templates/{pk}/tags": "email templates: shared content of the organization's marketing (no sharing default)",
    "/api/v1/email-templates/{pk}/tags/{tag_id}": "email templates: shared content of the organization's marketing (no sharing default)",
    "/api/v1/email-campaigns/{pk}/tags": "email sends: the organization's marketing sends (no sharing default; sending is for managers and administrators)",
    "/api/v1/email-campaigns/{pk}/tags/{tag_id}": "email sends: the organization's marketing sends (no sharing default; sending is for managers and administrators)",
    "/api/health": "public",
    "/api/schema/": "public",
    "/api/docs/": "public",
    "/api/v1/auth/login": "public",
    "/api/v1/auth/logout": "the caller's session",
    "/api/v1/auth/me": "the caller",
    "/api/v1/auth/password/change": "the caller",
    "/api/v1/auth/sign-out-everywhere": "the caller's sessions",
    "/api/v1/auth/password/reset": "public",
    "/api/v1/auth/password/set": "public",
    "/api/v1/stripe/webhook": "public: Stripe's signed events",
    "/api/v1/saas/plans": "public (SaaS mode)",
    "/api/v1/saas/signup": "public (SaaS mode)",
    "/api/v1/saas/verify": "public (SaaS mode)",
    "/api/v1/saas/subscription": "the caller's organization's plan (SaaS mode)",
    "/api/v1/saas/checkout": "the caller's organization's plan (SaaS mode, administrators)",
    "/api/v1/saas/portal": "the caller's organization's billing (SaaS mode, administrators)",
    "/api/v1/auth/tokens": "the caller's tokens",
    "/api/v1/auth/tokens/{pk}": "the caller's tokens",
    "/api/v1/admin/users": "users, not records (administrators)",
    "/api/v1/admin/users/{pk}": "users, not records (administrators)",
    "/api/v1/invitations": "invitations, not records (administrators)",
    "/api/v1/invitations/{pk}/resend": "invitations, not records (administrators)",
    "/api/v1/invitations/{pk}/revoke": "invitations, not records (administrators)",
    "/api/v1/invitations/check": "public: the invitation link's token",
    "/api/v1/invitations/accept": "public: the invitation link's token",
    "/api/v1/users": "the user picker",
    "/api/v1/organization": "organization settings",
    "/api/v1/organization/logo": "organization settings",
    "/api/v1/organization/sharing": "the defaults themselves (administrators; see crm/sharing/tests)",
    "/api/v1/meta/objects": "metadata",
    "/api/v1/opportunity-stages": "organization settings",
    "/api/v1/products": "the catalog: everybody reads it, administrators write it",
    "/api/v1/products/{pk}": "the catalog: everybody reads it, administrators write it",
    "/api/v1/products/{pk}/history": "the catalog: everybody reads it, administrators write it",
    "/api/v1/reports/retainer-invoiced": "sums only the invoices the caller may read (the scoped manager); not counted per role here",
    "/api/v1/jobs": "background jobs, not records (administrators)",
    "/api/v1/jobs/{pk}/retry": "background jobs, not records (administrators)",
    "/api/v1/document-templates": "document templates: organization settings (administrators)",
    "/api/v1/document-templates/{pk}": "document templates: organization settings (administrators)",
    "/api/v1/document-templates/{pk}/preview": "document templates: organization settings (administrators)",
    "/api/v1/web-forms": "web-to-lead forms: organization settings (administrators)",
    "/api/v1/web-forms/{pk}": "web-to-lead forms: organization settings (administrators)",
    "/api/v1/webhooks": "outbound webhooks: organization settings (administrators)",
    "/api/v1/webhooks/{pk}": "outbound webhooks: organization settings (administrators)",
    "/api/v1/webhooks/{pk}/deliveries": "outbound webhooks: organization settings (administrators)",
    "/api/v1/workflows": "workflows: organization settings (administrators)",
    "/api/v1/workflows/{pk}": "workflows: organization settings (administrators)",
    "/api/v1/workflows/{pk}/versions": "workflows: organization settings (administrators)",
    "/api/v1/workflows/{pk}/run": "workflows: administrators start a run on a record of their organization",
    "/api/v1/workflow-runs": "workflow run history (administrators, who see every record)",
    "/api/v1/workflow-runs/{pk}": "workflow run history (administrators, who see every record)",
    "/api/v1/workflow-runs/{pk}/retry": "workflow run history (administrators, who see every record)",
    "/api/v1/workflow-runs/{pk}/replay": "workflow run history (administrators, who see every record)",
    "/api/v1/forms/{key}": "public: a visitor's submission makes a lead owned by the form's lead owner",
    "/api/v1/document-templates/{pk}/revert": "document templates: organization settings (administrators)",
    "/api/v1/document-templates/{pk}/versions": "document templates: organization settings (administrators)",
    "/api/v1/email-templates": "email templates: shared content of the organization's marketing (no sharing default)",
    "/api/v1/email-templates/{pk}": "email templates: shared content of the organization's marketing (no sharing default)",
    "/api/v1/email-templates/{pk}/history": "email templates: shared content of the organization's marketing (no sharing default)",
    "/api/v1/email-templates/{pk}/versions": "email templates: shared content of the organization's marketing (no sharing default)",
    "/api/v1/email-templates/{pk}/revert": "email templates: shared content of the organization's marketing (no sharing default)",
    "/api/v1/email-templates/{pk}/preview": "email templates: shared content of the organization's marketing (no sharing default)",
    "/api/v1/segments": "segments: saved filters of the organization's marketing (no sharing default); their counts read contacts and leads through the scoped managers, so each user counts only whom they may see",
    "/api/v1/segments/{pk}": "segments: saved filters of the organization's marketing (no sharing default); their counts read contacts and leads through the scoped managers, so each user counts only whom they may see",
    "/api/v1/segments/{pk}/history": "segments: saved filters of the organization's marketing (no sharing default); their counts read contacts and leads through the scoped managers, so each user counts only whom they may see",
    "/api/v1/segments/{pk}/preview": "segments: saved filters of the organization's marketing (no sharing default); their counts read contacts and leads through the scoped managers, so each user counts only whom they may see",
    "/api/v1/segments/evaluate": "segments: saved filters of the organization's marketing (no sharing default); their counts read contacts and leads through the scoped managers, so each user counts only whom they may see",
    "/api/v1/email-campaigns": "email sends: the organization's marketing sends (no sharing default; sending is for managers and administrators)",
    "/api/v1/email-campaigns/{pk}": "email sends: the organization's marketing sends (no sharing default; sending is for managers and administrators)",
    "/api/v1/email-campaigns/{pk}/history": "email sends: the organization's marketing sends (no sharing default; sending is for managers and administrators)",
    "/api/v1/email-campaigns/{pk}/send": "email sends: the organization's marketing sends (no sharing default; sending is for managers and administrators)",
    "/api/v1/email-campaigns/{pk}/test-send": "email sends: the organization's marketing sends (no sharing default; sending is for managers and administrators)",
    "/api/v1/email-campaigns/{pk}/pause": "email sends: the organization's marketing sends (no sharing default; sending is for managers and administrators)",
    "/api/v1/email-campaigns/{pk}/resume": "email sends: the organization's marketing sends (no sharing default; sending is for managers and administrators)",
    "/api/v1/email-campaigns/{pk}/cancel": "email sends: the organization's marketing sends (no sharing default; sending is for managers and administrators)",
    "/api/v1/email-campaigns/{pk}/stats": "email sends: the organization's marketing sends (no sharing default; sending is for managers and administrators)",
    "/api/v1/email-campaigns/{pk}/recipients": "email sends: the organization's marketing sends (no sharing default; sending is for managers and administrators)",
    "/api/v1/campaigns/{pk}/email-stats": "campaigns: the organization's marketing plan, public read-write like Salesforce's default for campaigns (no sharing default)",
    "/api/v1/campaigns": "campaigns: the organization's marketing plan, public read-write like Salesforce's default for campaigns (no sharing default)",
    "/api/v1/campaigns/{pk}": "campaigns: the organization's marketing plan, public read-write like Salesforce's default for campaigns (no sharing default)",
    "/api/v1/campaigns/{pk}/history": "campaigns: the organization's marketing plan, public read-write like Salesforce's default for campaigns (no sharing default)",
    "/api/v1/campaigns/{pk}/members": "campaigns: the organization's marketing plan, public read-write like Salesforce's default for campaigns (no sharing default)",
    "/api/v1/campaigns/{pk}/members/{member_id}": "campaigns: the organization's marketing plan, public read-write like Salesforce's default for campaigns (no sharing default)",
    "/api/v1/campaigns/{pk}/roi": "campaigns: the organization's marketing plan, public read-write like Salesforce's default for campaigns (no sharing default)",
    "/api/v1/reminder-levels": "reminder levels: organization settings (administrators write)",
    "/api/v1/reminder-levels/{pk}": "reminder levels: organization settings (administrators write)",
    "/api/v1/collection-settings": "organization settings (administrators write)",
    "/api/v1/bank-statements": "bank statements: administrators only, not records",
    "/api/v1/bank-statements/{pk}": "bank statements: administrators only, not records",
    "/api/v1/bank-transactions": "bank transactions: administrators only, not records",
    "/api/v1/bank-transactions/{pk}": "bank transactions: administrators only, not records",
    "/api/v1/bank-transactions/{pk}/match": "bank transactions: administrators only, not records",
    "/api/v1/bank-transactions/{pk}/reject": "bank transactions: administrators only, not records",
    "/api/v1/bank-transactions/{pk}/undo": "bank transactions: administrators only, not records",
    "/api/v1/reminders": "lists only reminders of invoices the caller may read (the scoped invoice manager; see crm/collections/tests)",
    "/api/v1/reminders/{pk}/pdf": "only reminders of invoices the caller may read (the scoped invoice manager)",
    "/api/v1/segments/fields": "metadata: the fields a segment may filter by",
    "/api/v1/imports": "imports of the caller (administrators see the organization's); the rows they write are records with their own sharing",
    "/api/v1/imports/preview": "reads the uploaded file only; nothing of the organization",
    "/api/v1/imports/{pk}": "imports of the caller (administrators see the organization's)",
    "/api/v1/imports/{pk}/error-report": "imports of the caller (administrators see the organization's)",
    "/api/v1/imports/{pk}/undo": "imports of the caller (administrators see the organization's); undoing writes through the record mechanism",
    "/api/v1/changesets": "changesets of the caller (administrators see the organization's)",
    "/api/v1/changesets/{pk}": "changesets of the caller (administrators see the organization's)",
    "/api/v1/changesets/{pk}/revert": "changesets of the caller (administrators see the organization's); reverting writes through the record mechanism",
    **dict.fromkeys(
        EXPORTS,
        "the export streams the object's own list view with its sharing filter (crm/datatools/tests/test_api_export.py)",
    ),
}


@dataclass
class Team:
    org: Organization
    seller: User  # owns the records
    boss: User  # the seller's manager
    chief: User  # the boss's manager: above the seller too
    peer: User  # nobody's manager, nothing shared
    reader: User  # the record is shared with them for Read
    editor: User  # ... and with them for Edit
    admin: User
    guest: User  # whom records are shared with during the test (not a role)

    def roles(self) -> dict[str, User]:
        return {name: getattr(self, name) for name in ROLES}


ROLES = ("seller", "boss", "chief", "peer", "reader", "editor", "admin")
ABOVE = {"seller", "boss", "chief", "admin"}  # always see and edit the seller's records


@pytest.fixture
def team(org) -> Team:
    chief = make_user(org, Role.USER, name="Chief")
    boss = make_user(org, Role.MANAGER, name="Boss")
    seller = make_user(org, Role.USER, name="Seller")
    User.objects.filter(pk=boss.pk).update(manager=chief)
    User.objects.filter(pk=seller.pk).update(manager=boss)
    seller.refresh_from_db()
    return Team(
        org=org,
        seller=seller,
        boss=boss,
        chief=chief,
        peer=make_user(org, Role.USER, name="Peer"),
        reader=make_user(org, Role.USER, name="Reader"),
        editor=make_user(org, Role.MANAGER, name="Editor"),
        admin=make_user(org, Role.ADMIN, name="Admin"),
        guest=make_user(org, Role.USER, name="Guest"),
    )


def set_every_default(org: Organization, access: str) -> None:
    for name in OBJECTS:
        set_default(org.pk, name, access)


def readable(role: str, default: str) -> bool:
    return role in ABOVE or role in ("reader", "editor") or default != Access.PRIVATE


def expected(role: str, default: str, kind: str) -> str:
    """``ok``, ``403`` or ``404`` for a role calling a route of kind read / write / manage."""
    if not readable(role, default):
        return "404"
    if role in ABOVE or kind == "read":
        return "ok"
    if kind == "manage":
        return "403"
    return "ok" if default == Access.PUBLIC_READ_WRITE or role == "editor" else "403"


def kind_of(route: Route, method: str) -> str:
    if "/shares" in route.path:
        return "manage"
    return "read" if method == "GET" else "write"


# Records whose access is their parent's (payments): by object name.
CONTROLLED_BY_PARENT = {label.split(".", 1)[1] for label in CHILDREN} & set(CASES)


def shared_object(route: Route) -> str | None:
    kind = _kind(route)
    if not kind.startswith("object:"):
        return None
    name = kind.split(":", 1)[1]
    if name in OBJECTS or name in CONTROLLED_BY_PARENT:
        return name
    return None


RECORD_ROUTES = [route for route in ROUTES if shared_object(route) is not None]
DETAIL_ROUTES = [route for route in RECORD_ROUTES if route.is_detail]
LIST_ROUTES = [route for route in RECORD_ROUTES if not route.is_detail]


def _check(response: Any, want: str, context: tuple[Any, ...]) -> None:
    status = response.status_code
    if want == "ok":
        assert status not in (403, 404) and status < 500, (*context, status, getattr(response, "data", None))
    else:
        assert status == int(want), (*context, status, getattr(response, "data", None))


def _target(route: Route, team: Team) -> Target:
    target = make_target(shared_object(route) or "", team.org, team.seller)
    record = target.record
    # The record is shared with reader and editor (a payment or a quote through its parent).
    shared = record
    for field, _ in CHILDREN.get(record._meta.label_lower, ()):
        if getattr(record, field) is not None:
            shared = getattr(record, field)
            break
    share_record(shared, team.reader, RecordShare.Level.READ)
    share_record(shared, team.editor, RecordShare.Level.EDIT)
    return target


@pytest.mark.parametrize("default", DEFAULTS)
@pytest.mark.parametrize("route", DETAIL_ROUTES, ids=[route.path for route in DETAIL_ROUTES])
def test_record_routes_follow_the_sharing_rule(route, default, team):
    # given every object at this default, and one record of the seller's shared with reader and editor
    set_every_default(team.org, default)
    target = _target(route, team)
    # when each role calls each method of the route, then it gets what the rule says
    for role, user in team.roles().items():
        client = client_for(user)
        for method in route.methods:
            want = expected(role, default, kind_of(route, method))
            body = body_for(route, method, target, team.org, team.seller)
            if "/shares" in route.path and method == "POST":
                body = {"user_id": team.guest.pk, "access": "Read"}
            response = call(client, method, route.url(**target.values(route)), body)
            _check(response, want, (route.path, method, role, default))


@pytest.mark.parametrize("default", DEFAULTS)
@pytest.mark.parametrize("route", LIST_ROUTES, ids=[route.path for route in LIST_ROUTES])
def test_lists_show_what_the_rule_lets_each_role_read(route, default, team):
    set_every_default(team.org, default)
    target = _target(route, team)
    for role, user in team.roles().items():
        client = client_for(user)
        for method in route.methods:
            if method == "GET":
                response = client.get(route.url(), {"is_active": "true", "page_size": 200})
                assert response.status_code == 200, (route.path, role, response.status_code)
                ids = [row["id"] for row in response.data["results"]]
                assert (target.pk in ids) == readable(role, default), (route.path, role, default)
            elif method == "POST":
                # A new record may point only at records its author may read (like another organization's);
                # the payload links to new records of the seller's, shared with nobody.
                with org_scope(team.org.pk):
                    payload = target.case.create_payload(team.org, team.seller)
                response = call(client, "POST", route.url(), payload)
                links = [k for k, v in payload.items() if k.endswith("_id") and isinstance(v, int)]
                if route.path == "/api/v1/payments":
                    # Logged on an order or contract named in the body; this one names neither.
                    assert response.status_code == 400, (route.path, role, response.status_code)
                elif not getattr(route.view, "creatable", True):
                    assert response.status_code == 405, (route.path, role, response.status_code)
                elif links and role not in ABOVE and default == Access.PRIVATE:
                    assert response.status_code == 400, (route.path, role, default, response.status_code)
                    assert set(links) & set(response.data["errors"]), (route.path, role, response.data)
                elif (
                    shared_object(route) in CONTROLLED_BY_PARENT
                    and role not in ABOVE
                    and default != Access.PUBLIC_READ_WRITE
                ):
                    # A child (a quote) of a new parent the author may only read: refused like an edit.
                    assert response.status_code == 403, (route.path, role, default, response.status_code)
                else:
                    assert response.status_code == 201, (route.path, role, default, response.data)
            else:
                raise AssertionError(f"{method} on list route {route.path} is not covered by the sharing matrix")


# --- reports: they count what the caller may see ------------------------------------------------


def _search(client: Any, team: Team) -> set[int]:
    response = client.get("/api/v1/search", {"q": "Matrixshared"})
    assert response.status_code == 200
    return {row["id"] for row in response.data["results"]}


def _pipeline(client: Any, team: Team) -> Decimal:
    response = client.get("/api/v1/opportunities/pipeline")
    assert response.status_code == 200
    return sum((Decimal(str(stage["amount"])) for stage in response.data["stages"]), Decimal(0))


def _retainer(client: Any, team: Team) -> int:
    response = client.get("/api/v1/reports/retainer-payments", {"year": timezone.localdate().year})
    assert response.status_code == 200, response.data
    return int(response.data["count"])


def _dashboard(client: Any, team: Team) -> Decimal:
    response = client.get("/api/v1/dashboard")
    assert response.status_code == 200, response.data
    return sum((Decimal(str(stage["amount"])) for stage in response.data["pipeline"]), Decimal(0))


def _report_data(team: Team) -> None:
    account = AccountFactory(owner=team.seller, name="Matrixshared Ltd")
    OpportunityFactory(owner=team.seller, account=account, name="Matrixshared deal", amount=Decimal("700.00"))
    start = timezone.localdate().replace(day=1)
    contract = ContractFactory(
        owner=team.seller, account=account, start_date=start, end_date=start + datetime.timedelta(days=365)
    )
    PaymentFactory(
        owner=team.seller,
        contract=contract,
        amount=Decimal("50.00"),
        service_period_start=start,
        service_period_end=start + datetime.timedelta(days=27),
    )


def _mrr(client: Any, team: Team) -> Decimal:
    response = client.get("/api/v1/reports/mrr")
    assert response.status_code == 200, response.data
    return max(Decimal(month["mrr"]) for month in response.data["months"])


# What each report shows of the seller's data when it is readable, and when not.
REPORTS: dict[str, tuple[Callable[[Any, Team], Any], Callable[[Any], bool]]] = {
    "/api/v1/search": (_search, lambda found: bool(found)),
    "/api/v1/opportunities/pipeline": (_pipeline, lambda amount: amount == Decimal("700.00")),
    "/api/v1/reports/retainer-payments": (_retainer, lambda count: count == 1),
    "/api/v1/dashboard": (_dashboard, lambda amount: amount == Decimal("700.00")),
    "/api/v1/reports/mrr": (_mrr, lambda mrr: mrr == Decimal("500.00")),
}


@pytest.mark.parametrize("default", DEFAULTS)
@pytest.mark.parametrize("path", sorted(REPORTS))
def test_reports_count_what_each_role_may_see(path, default, team):
    set_every_default(team.org, default)
    _report_data(team)
    read, sees_it = REPORTS[path]
    for role in ("seller", "boss", "chief", "peer", "admin"):
        client = client_for(getattr(team, role))
        assert sees_it(read(client, team)) == readable(role, default), (path, role, default)


def test_every_route_is_in_the_sharing_matrix():
    missing = [
        route.path
        for route in ROUTES
        if route.path not in UNSHARED and route.path not in REPORTS and shared_object(route) is None
    ]
    assert not missing, (
        "Routes not covered by the sharing matrix (add them to UNSHARED with a reason, or to REPORTS): "
        + ", ".join(missing)
    )
    assert not (set(UNSHARED) & {route.path for route in RECORD_ROUTES})


def test_matrix_size(figure):
    cells = sum(len(route.methods) for route in RECORD_ROUTES) * len(DEFAULTS) * len(ROLES)
    assert len(RECORD_ROUTES) >= 40
    assert set(CASES) >= set(OBJECTS)
    figure("sharing matrix: record routes", len(RECORD_ROUTES))
    figure("sharing matrix: role x default x route x method calls", cells)
    figure("sharing matrix: report routes", len(REPORTS))
