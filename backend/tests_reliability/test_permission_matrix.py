"""Tenancy and permissions matrix, generated from the URL configuration.

Every route under /api/ is expanded to the HTTP methods its view answers and called
- as an anonymous client: 401, except the explicit public allow-list;
- as an admin of ANOTHER organization with ids of the first organization's records: 404 on
  detail and action routes, no rows of the first organization in lists, and creates that point
  at the first organization's records are refused;
- as a plain User on admin-only routes (from the view's permission classes and the object's
  contract case): 403.

A route the matrix cannot map to a record type or to one of the explicit tables below fails
``test_every_api_route_is_classified`` and its own matrix test, naming the route.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from conftest import client_for, make_user
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.regex_helper import normalize
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.views import APIView

from crm.accounts.tests.factories import AccountFactory, ContactFactory
from crm.core.scoping import org_scope
from crm.identity.models import AuthToken, Organization, Role, User
from crm.identity.permissions import AdminWriteOrReadOnly, IsOrgAdmin
from crm.marketing.tests.factories import CampaignMemberFactory
from crm.records.models import Record
from crm.records.testing import ContractCase, collect_contract_cases
from crm.sales.tests.factories import OpportunityContactRoleFactory, OpportunityLineItemFactory
from crm.sharing.tests.factories import share_record

PUBLIC = {
    "/api/health",
    "/api/schema/",
    "/api/docs/",
    "/api/v1/auth/login",
    "/api/v1/auth/password/reset",
    "/api/v1/auth/password/set",
    # The invitation link's page: what the link names, and accepting it (the token is the credential).
    "/api/v1/invitations/check",
    "/api/v1/invitations/accept",
    # The web-to-lead endpoint: a visitor of another site posts a form; its key is the credential.
    "/api/v1/forms/{key}",
    # Stripe's events: no user signs in, the payload is signed with the webhook secret instead.
    "/api/v1/stripe/webhook",
    # SaaS mode (404 while SAAS_MODE is off): the plans, sign-up and its email verification.
    "/api/v1/saas/plans",
    "/api/v1/saas/signup",
    "/api/v1/saas/verify",
}
# Values for the parameters of public routes (they name nothing of an organization).
PUBLIC_PARAMS = {"key": "no-such-form"}

# Routes that serve only the caller's own data or organization-independent metadata.
SELF_ONLY = {
    "/api/v1/auth/me",
    # The caller's own organization (administrators change it).
    "/api/v1/organization",
    "/api/v1/auth/logout",
    # The caller's own password and sessions.
    "/api/v1/auth/password/change",
    "/api/v1/auth/sign-out-everywhere",
    # The caller's organization's logo (members read it, administrators replace it).
    "/api/v1/organization/logo",
    "/api/v1/meta/objects",
    # Organization-scoped report: its rows come from the scoped managers of the caller's organization.
    "/api/v1/reports/retainer-payments",
    # Organization settings and the Kanban report: rows from the caller's organization only
    # (the sales tests check that another organization's opportunities never appear).
    "/api/v1/opportunity-stages",
    "/api/v1/opportunities/pipeline",
    # The organization's sharing defaults (administrators; the sharing matrix covers the rest).
    "/api/v1/organization/sharing",
    # The home dashboard: figures from the caller's organization's scoped managers.
    "/api/v1/dashboard",
    # Invoicing reports and the organization's document templates: scoped managers of the caller's organization.
    "/api/v1/reports/mrr",
    "/api/v1/reports/retainer-invoiced",
    "/api/v1/document-templates",
    # SaaS mode: the caller's organization's subscription, its Checkout and its billing portal.
    "/api/v1/saas/subscription",
    "/api/v1/saas/checkout",
    "/api/v1/saas/portal",
    # A segment builder's live count: contacts and leads of the caller's organization's scoped managers.
    "/api/v1/segments/evaluate",
    # The fields and operators a segment may filter by: metadata, the same for every organization.
    "/api/v1/segments/fields",
    # Payment reminders: the organization's levels and settings, and the reminders of the invoices the
    # caller may read (the scoped managers of the caller's organization).
    "/api/v1/reminder-levels",
    "/api/v1/reminders",
    "/api/v1/collection-settings",
    # Bank statements and their transactions (administrators): the caller's organization's rows.
    "/api/v1/bank-statements",
    "/api/v1/bank-transactions",
}
SEARCH = {"/api/v1/search"}

# Routes whose view has no Record model: the object their ids name.
ROUTE_OBJECTS: dict[str, str] = {
    "/api/v1/admin/users": "user",
    "/api/v1/admin/users/{pk}": "user",
    "/api/v1/users": "user",
    "/api/v1/auth/tokens": "personal_token",
    "/api/v1/auth/tokens/{pk}": "personal_token",
    # Invitations of the organization (administrators).
    "/api/v1/invitations": "invitation",
    "/api/v1/invitations/{pk}/resend": "invitation",
    "/api/v1/invitations/{pk}/revoke": "invitation",
    # Business actions on a record: the record their pk names.
    "/api/v1/opportunities/{pk}/generate-contract": "opportunity",
    "/api/v1/opportunities/{pk}/generate-order": "opportunity",
    "/api/v1/opportunities/{pk}/line_items/{item_id}": "opportunity",
    "/api/v1/opportunities/{pk}/contact_roles/{role_id}": "opportunity",
    # Background jobs of the organization (administrators).
    "/api/v1/jobs": "job",
    "/api/v1/jobs/{pk}/retry": "job",
    # Invoicing: invoices drafted from an order or a contract, lines of quotes and invoices, templates.
    "/api/v1/orders/{pk}/invoices": "order",
    "/api/v1/contracts/{pk}/invoices": "contract",
    "/api/v1/quotes/{pk}/line_items/{line_id}": "quote",
    "/api/v1/invoices/{pk}/line_items/{line_id}": "invoice",
    # Stripe: the invoice's payment link.
    "/api/v1/invoices/{pk}/payment-link": "invoice",
    "/api/v1/document-templates/{pk}": "document_template",
    "/api/v1/document-templates/{pk}/versions": "document_template",
    "/api/v1/document-templates/{pk}/revert": "document_template",
    "/api/v1/document-templates/{pk}/preview": "document_template",
    # Automation settings (administrators).
    "/api/v1/web-forms": "web_form",
    "/api/v1/web-forms/{pk}": "web_form",
    "/api/v1/webhooks": "webhook",
    "/api/v1/webhooks/{pk}": "webhook",
    "/api/v1/webhooks/{pk}/deliveries": "webhook",
    "/api/v1/workflows": "workflow",
    "/api/v1/workflows/{pk}": "workflow",
    "/api/v1/workflows/{pk}/versions": "workflow",
    "/api/v1/workflows/{pk}/run": "workflow",
    "/api/v1/workflow-runs": "workflow_run",
    "/api/v1/workflow-runs/{pk}": "workflow_run",
    "/api/v1/workflow-runs/{pk}/retry": "workflow_run",
    "/api/v1/workflow-runs/{pk}/replay": "workflow_run",
    # Payment reminders: the actions on an invoice or an account, and a reminder level.
    "/api/v1/invoices/{pk}/send-reminder": "invoice",
    "/api/v1/invoices/{pk}/reminder-status": "invoice",
    "/api/v1/invoices/{pk}/pause-reminders": "invoice",
    "/api/v1/invoices/{pk}/resume-reminders": "invoice",
    "/api/v1/accounts/{pk}/no-reminders": "account",
    "/api/v1/reminder-levels/{pk}": "reminder_level",
    "/api/v1/bank-statements/{pk}": "bank_statement",
    "/api/v1/bank-transactions/{pk}": "bank_transaction",
    "/api/v1/bank-transactions/{pk}/match": "bank_transaction",
    "/api/v1/bank-transactions/{pk}/reject": "bank_transaction",
    "/api/v1/bank-transactions/{pk}/undo": "bank_transaction",
    # Data tools: spreadsheet imports and the changesets that undo them.
    "/api/v1/imports": "import",
    "/api/v1/imports/preview": "import",
    "/api/v1/imports/{pk}": "import",
    "/api/v1/imports/{pk}/error-report": "import",
    "/api/v1/imports/{pk}/undo": "import",
    "/api/v1/changesets": "changeset",
    "/api/v1/changesets/{pk}": "changeset",
    "/api/v1/changesets/{pk}/revert": "changeset",
    # A payment reminder's PDF.
    "/api/v1/reminders/{pk}/pdf": "reminder",
    # The organization's tags (everybody reads and creates them; administrators rename and delete).
    "/api/v1/tags": "tag",
    "/api/v1/tags/{pk}": "tag",
}

# Child rows addressed under their parent: parameter -> builds a child of the parent record.
CHILD_PARAMS: dict[str, Callable[[Any], int]] = {
    "item_id": lambda opportunity: OpportunityLineItemFactory(opportunity=opportunity).pk,
    "role_id": lambda opportunity: OpportunityContactRoleFactory(opportunity=opportunity).pk,
    "share_id": lambda record: share_record(record).pk,
    "line_id": lambda record: record.line_items.first().pk,
    "member_id": lambda campaign: (
        CampaignMemberFactory(campaign=campaign, contact=ContactFactory(owner=campaign.owner)).pk
    ),
    "tag_id": lambda record: _tag_on(record),
}


def _tag_on(record: Any) -> int:
    """A tag put on ``record`` (for the routes that take it off)."""
    from crm.records.models import Tag, Tagging

    tag = Tag.all_orgs.create(organization_id=record.organization_id, name=f"Matrix {Tag.all_orgs.count() + 1}")
    Tagging.all_orgs.create(
        organization_id=record.organization_id, tag=tag, object_name=record.object_name, record_id=record.pk
    )
    return tag.pk


WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class Route:
    path: str  # display form, e.g. /api/v1/accounts/{pk}
    template: str  # %-format with named parameters
    params: tuple[str, ...]
    view: type[APIView]
    methods: tuple[str, ...]

    @property
    def is_detail(self) -> bool:
        return bool(self.params)

    def url(self, **values: Any) -> str:
        return self.template % values


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        regex = pattern.pattern.regex.pattern
        joined = prefix + (regex[1:] if prefix and regex.startswith("^") else regex)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, joined)
        else:
            yield joined, pattern


def api_routes() -> list[Route]:
    routes: dict[str, Route] = {}
    for regex, pattern in _walk(get_resolver().url_patterns):
        template, params = normalize(regex)[0]
        template = "/" + template
        if not template.startswith("/api/"):
            continue
        callback = pattern.callback
        view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        actions = getattr(callback, "actions", None)
        if actions:
            allowed = set(getattr(view, "http_method_names", actions))
            methods = [m.upper() for m in actions if m not in ("head", "options") and m in allowed]
        elif view is not None:
            methods = [m.upper() for m in view.http_method_names if m not in ("head", "options") and hasattr(view, m)]
        else:
            methods = ["GET"]
        display = template % {p: "{" + p + "}" for p in params}
        if "api_path" in params:  # one route per object (the export of every list): each is checked
            for api_path in EXPORTABLE:
                filled = template.replace("%(api_path)s", api_path)
                rest = tuple(p for p in params if p != "api_path")
                shown = filled % {p: "{" + p + "}" for p in rest}
                routes[shown] = Route(shown, filled, rest, view, tuple(methods))
            continue
        routes[display] = Route(display, template, tuple(params), view, tuple(methods))
    return sorted(routes.values(), key=lambda r: r.path)


def _exportable() -> dict[str, str]:
    """api_path -> object of every object whose list can be exported."""
    from crm.datatools.targets import object_access
    from crm.records.registry import registered

    return {meta.api_path: meta.name for meta in registered().values() if object_access(meta.name) is not None}


EXPORTABLE = _exportable()
# The export of each list: GET /<object>/export streams the rows the caller may read.
EXPORTS = {f"/api/v1/{api_path}/export": name for api_path, name in EXPORTABLE.items()}
ROUTES = api_routes()
CASES = {case.object: case for case in collect_contract_cases()}


def object_of(route: Route) -> str | None:
    if route.path in ROUTE_OBJECTS:
        return ROUTE_OBJECTS[route.path]
    model = getattr(route.view, "model", None)
    if isinstance(model, type) and issubclass(model, Record):
        return model.object_name
    return None


def classify(route: Route) -> str:
    """public, self, search or object:<name>; raises for a route nobody has classified."""
    if route.path in PUBLIC:
        return "public"
    if route.path in SELF_ONLY:
        return "self"
    if route.path in SEARCH:
        return "search"
    if route.path in EXPORTS:
        return f"export:{EXPORTS[route.path]}"
    name = object_of(route)
    if name is None:
        raise AssertionError(
            f"Route {route.path} ({route.view.__name__ if route.view else '?'}) is not covered by the tenancy matrix: "
            "add it to ROUTE_OBJECTS, SELF_ONLY or PUBLIC in backend/tests_reliability/test_permission_matrix.py"
        )
    unknown = set(route.params) - {"pk", *CHILD_PARAMS}
    if unknown:
        raise AssertionError(f"Route {route.path} has parameters {sorted(unknown)}; add them to CHILD_PARAMS")
    if name not in CASES and name not in (
        "user",
        "personal_token",
        "job",
        "document_template",
        "invitation",
        *AUTOMATION_TARGETS,
        "reminder_level",
        "bank_statement",
        "bank_transaction",
        "tag",
        "import",
        "changeset",
        "reminder",
    ):
        raise AssertionError(f"Route {route.path} names object {name!r}, which has no contract case to build records")
    return f"object:{name}"


def test_every_api_route_is_classified():
    problems = []
    for route in ROUTES:
        try:
            classify(route)
        except AssertionError as exc:
            problems.append(str(exc))
    assert not problems, "\n".join(problems)


# --- records of the first organization -------------------------------------------------------


@dataclass
class Target:
    pk: int
    case: ContractCase | None
    reload: Callable[[], Any]
    record: Any = None

    def values(self, route: Route) -> dict[str, int]:
        values = {"pk": self.pk}
        for name in route.params:
            if name in CHILD_PARAMS:
                values[name] = CHILD_PARAMS[name](self.record)
        return values


def make_target(name: str, org: Organization, user: User) -> Target:
    if name == "user":
        other = make_user(org, Role.USER)
        return Target(other.pk, None, lambda: User.objects.get(pk=other.pk))
    if name == "personal_token":
        token, _ = AuthToken.issue(user=user, kind=AuthToken.Kind.PERSONAL, name="matrix")
        return Target(token.pk, None, lambda: AuthToken.objects.get(pk=token.pk))
    if name == "invitation":
        from crm.identity.models import Invitation

        invitation = Invitation.all_orgs.create(
            organization=org,
            email=f"matrix.{org.pk}@example.com",
            invited_by=user,
            token_hash=f"matrix-{org.pk}",
            expires_at=timezone.now() + timedelta(days=7),
            sent_at=timezone.now(),
        )
        return Target(invitation.pk, None, lambda: Invitation.all_orgs.get(pk=invitation.pk))
    if name == "job":
        from crm.jobs.models import Job

        job = Job.objects.create(organization=org, task="tests.matrix", key=f"matrix-{org.pk}", state="failed")
        return Target(job.pk, None, lambda: Job.objects.get(pk=job.pk))
    if name == "document_template":  # not a record: the organization's templates, made on first use
        from crm.invoicing.models import DocumentTemplate
        from crm.invoicing.services.templates import templates_ensure_defaults

        with org_scope(org.pk):
            templates_ensure_defaults()
            template = DocumentTemplate.objects.get(doc_type="invoice")
        return Target(template.pk, None, lambda: DocumentTemplate.all_orgs.get(pk=template.pk), template)
    if name == "tag":  # not a record: a label the organization puts on records
        from crm.records.models import Tag

        tag = Tag.all_orgs.create(organization=org, name=f"Matrix tag {org.pk}")
        return Target(tag.pk, None, lambda: Tag.all_orgs.get(pk=tag.pk), tag)
    if name in ("import", "changeset"):  # not records: an import of the organization and its changeset
        from crm.datatools.models import Changeset, Import

        with org_scope(org.pk):
            changeset = Changeset.objects.create(object="account", label="matrix import", created_by=user)
            upload = Import.objects.create(
                object="account",
                file_name="matrix.csv",
                file_format="csv",
                content=b"Name\nMatrix Ltd\n",
                mapping={"Name": "name"},
                status=Import.Status.SUCCEEDED,
                changeset=changeset,
                created_by=user,
            )
        if name == "import":
            return Target(upload.pk, None, lambda: Import.all_orgs.get(pk=upload.pk), upload)
        return Target(changeset.pk, None, lambda: Changeset.all_orgs.get(pk=changeset.pk), changeset)
    if name == "reminder":  # not a record: a payment reminder sent for an invoice
        from crm.collections.models import Reminder, ReminderLevel

        with org_scope(org.pk):
            invoice = CASES["invoice"].make_record(org, user)
            reminder = Reminder.objects.create(
                invoice=invoice,
                account_id=invoice.account_id,
                level=ReminderLevel.objects.order_by("days_after_due").first(),
                trigger="manual",
                recipient="billing@example.com",
                subject="Reminder",
                days_overdue=3,
                overdue_amount=Decimal("10.00"),
                currency="EUR",
            )
        return Target(reminder.pk, None, lambda: Reminder.all_orgs.get(pk=reminder.pk), reminder)
    if name in AUTOMATION_TARGETS:  # automation settings: not records
        row = AUTOMATION_TARGETS[name](org, user)
        model = type(row)
        return Target(row.pk, None, lambda: model.all_orgs.get(pk=row.pk), row)
    if name == "reminder_level":  # not a record: the organization's dunning settings
        from crm.collections.models import ReminderLevel

        with org_scope(org.pk):
            level = ReminderLevel.objects.order_by("days_after_due").first()
        return Target(level.pk, None, lambda: ReminderLevel.all_orgs.get(pk=level.pk), level)
    if name in ("bank_statement", "bank_transaction"):  # not records: an imported statement and its booking
        from crm.collections.models import BankStatement, BankTransaction

        with org_scope(org.pk):
            statement = BankStatement.objects.create(
                filename="matrix.xml", format="camt053", sha256="0" * 64, created_by=user
            )
            tx = BankTransaction.objects.create(
                statement=statement,
                dedupe_key=f"matrix-{statement.pk}",
                booking_date=timezone.localdate(),
                amount=Decimal("10.00"),
                currency="EUR",
            )
        if name == "bank_statement":
            return Target(statement.pk, None, lambda: BankStatement.all_orgs.get(pk=statement.pk), statement)
        return Target(tx.pk, None, lambda: BankTransaction.all_orgs.get(pk=tx.pk), tx)
    case = CASES[name]
    with org_scope(org.pk):
        record = case.make_record(org, user)
    model = type(record)
    return Target(record.pk, case, lambda: model.all_orgs.get(pk=record.pk), record)


def _web_form(org: Organization, user: User) -> Any:
    from crm.automation.tests.factories import WebFormFactory

    return WebFormFactory(lead_owner=user if user.organization_id == org.pk else make_user(org, Role.ADMIN))


def _webhook(org: Organization, user: User) -> Any:
    from crm.automation.tests.factories import WebhookFactory

    return WebhookFactory(organization=org)


def _workflow(org: Organization, user: User) -> Any:
    from crm.automation.tests.factories import make_workflow

    return make_workflow(user if user.organization_id == org.pk and user.is_admin else make_user(org, Role.ADMIN))


def _workflow_run(org: Organization, user: User) -> Any:
    from crm.automation.models import WorkflowRun
    from crm.sales.tests.factories import LeadFactory

    workflow = _workflow(org, user)
    lead = LeadFactory(owner=workflow.run_as)
    return WorkflowRun.all_orgs.create(
        organization=org,
        workflow=workflow,
        workflow_version=workflow.current,
        object_name="lead",
        record_id=lead.pk,
        status="failed",
    )


AUTOMATION_TARGETS: dict[str, Callable[[Organization, User], Any]] = {
    "web_form": _web_form,
    "webhook": _webhook,
    "workflow": _workflow,
    "workflow_run": _workflow_run,
}


def body_for(route: Route, method: str, target: Target | None, org: Organization, user: User) -> dict[str, Any]:
    case = target.case if target else None
    if method in ("PUT", "PATCH"):
        return {**(case.update if case else {"name": "Changed"}), "version": 1}
    if method == "POST" and not route.is_detail and case is not None:
        with org_scope(org.pk):
            return case.create_payload(org, user)
    return {"version": 1}


def call(client: APIClient, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return getattr(client, method.lower())(url, body if method != "GET" else None, format="json")


def admin_only_methods(route: Route, plain: User) -> set[str]:
    """Methods a plain User may not call, from the view's permission classes and the contract case."""
    denied: set[str] = set()
    factory = APIRequestFactory()
    for method in route.methods:
        request = getattr(factory, method.lower())(route.url(**dict.fromkeys(route.params, 1)))
        request.user = plain
        view = route.view()
        for permission_class in getattr(route.view, "permission_classes", []):
            if permission_class in (IsOrgAdmin, AdminWriteOrReadOnly) and not permission_class().has_permission(
                request, view
            ):
                denied.add(method)
    name = object_of(route)
    if name in CASES and CASES[name].admin_only_write:
        denied |= WRITE_METHODS & set(route.methods)
    return denied


MATRIX_IDS = [route.path for route in ROUTES]


@pytest.mark.parametrize("route", ROUTES, ids=MATRIX_IDS)
def test_anonymous_gets_401_except_public_routes(route, org, user, anon):
    kind = classify(route)
    values = {}
    if kind == "public":
        values = {name: PUBLIC_PARAMS[name] for name in route.params}
    elif route.is_detail:
        values = make_target(kind.split(":", 1)[1], org, user).values(route)
    for method in route.methods:
        response = call(anon, method, route.url(**values), {})
        if kind == "public":
            assert response.status_code != 401, (route.path, method)
        else:
            assert response.status_code == 401, (route.path, method, response.status_code)


def _kind(route: Route) -> str:
    try:
        return classify(route)
    except AssertionError:
        return "unclassified"  # test_every_api_route_is_classified names it


def _routes(prefix: str) -> list[Route]:
    return [route for route in ROUTES if _kind(route).startswith(prefix)]


SEARCH_ROUTES = _routes("search")
SELF_ROUTES = _routes("self")
OBJECT_ROUTES = _routes("object:")
ADMIN_ONLY_ROUTES = [
    route for route in OBJECT_ROUTES if admin_only_methods(route, User(role=Role.USER, email="plain@example.com"))
]


def _ids(routes: list[Route]) -> list[str]:
    return [route.path for route in routes]


@pytest.mark.parametrize("route", SEARCH_ROUTES, ids=_ids(SEARCH_ROUTES))
def test_another_organization_finds_nothing_of_the_first(route, org, user, other_user):
    AccountFactory(owner=user, name="Matrixsecret Holdings")
    response = client_for(other_user).get(route.url(), {"q": "Matrixsecret"})
    assert response.status_code == 200
    assert response.data["results"] == []


@pytest.mark.parametrize("route", SELF_ROUTES, ids=_ids(SELF_ROUTES))
def test_self_routes_answer_for_the_callers_own_organization(route, org, user, other_user, settings):
    settings.SAAS_MODE = route.path.startswith("/api/v1/saas/")  # SaaS routes answer 404 while it is off
    for method in route.methods:
        client = client_for(other_user)  # logout revokes the token it is called with
        response = call(client, method, route.url(), {})
        if route.path == "/api/v1/organization/logo" and method == "GET":
            assert response.status_code == 404  # the caller's organization has no logo; nobody else's is served
            continue
        if route.path in ("/api/v1/organization/logo", "/api/v1/bank-statements") and method == "POST":
            assert response.status_code == 415  # an upload is multipart; a JSON body is refused as such
            continue
        if route.path == "/api/v1/saas/portal":
            assert response.status_code == 409  # no billing account before the organization subscribed
            continue
        # Answered for the caller's own organization (a report may ask for parameters: 400).
        assert response.status_code in (200, 201, 202, 204, 400), (route.path, method, response.status_code)
        if method == "GET" and route.path in ("/api/v1/auth/me", "/api/v1/organization"):
            expected = other_user.pk if route.path == "/api/v1/auth/me" else other_user.organization_id
            assert response.data["id"] == expected


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=_ids(OBJECT_ROUTES))
def test_another_organization_sees_nothing_of_the_first(route, org, user, other_user):
    other = client_for(other_user)
    target = make_target(_kind(route).split(":", 1)[1], org, user)
    before = target.reload()
    for method in route.methods:
        body = body_for(route, method, target, org, user)
        if route.is_detail:
            response = call(other, method, route.url(**target.values(route)), body)
            assert response.status_code == 404, (route.path, method, response.status_code, response.data)
        elif method == "GET":
            response = other.get(route.url(), {"is_active": "true"} if target.case else None)
            assert response.status_code == 200, (route.path, response.status_code)
            rows = response.data["results"] if isinstance(response.data, dict) else response.data
            assert target.pk not in [row.get("id") for row in rows], route.path
        elif method == "POST":
            response = call(other, method, route.url(), body)
            foreign = [k for k, v in body.items() if k.endswith("_id") and isinstance(v, int)]
            if foreign:
                assert response.status_code == 400, (route.path, body, response.status_code)
                assert set(foreign) & set(response.data.get("errors", {})), (route.path, response.data)
            elif route.path in MULTIPART_ROUTES:
                assert response.status_code == 415, (route.path, response.status_code)  # a JSON body is refused
            else:
                assert response.status_code in (201, 400, 405), (route.path, response.status_code)
        else:
            raise AssertionError(f"{method} on list route {route.path} is not covered by the matrix")
    after = target.reload()
    assert getattr(after, "version", None) == getattr(before, "version", None)
    assert getattr(after, "revoked_at", None) == getattr(before, "revoked_at", None)
    assert getattr(after, "is_active", None) == getattr(before, "is_active", None)


EXPORT_ROUTES = _routes("export:")
# Uploads of a spreadsheet: multipart only (their tenancy is the import's, checked on its detail routes).
MULTIPART_ROUTES = {"/api/v1/imports", "/api/v1/imports/preview"}


@pytest.mark.parametrize("route", EXPORT_ROUTES, ids=_ids(EXPORT_ROUTES))
def test_another_organizations_export_holds_nothing_of_the_first(route, org, user, other_user):
    name = _kind(route).split(":", 1)[1]
    target = make_target(name, org, user)
    mine = client_for(user).get(route.url(), {"format": "csv", "columns": "id"})
    assert mine.status_code == 200, (route.path, mine.status_code)
    assert str(target.pk) in b"".join(mine.streaming_content).decode().split(), route.path  # the check can fail
    theirs = client_for(other_user).get(route.url(), {"format": "csv", "columns": "id"})
    if theirs.status_code == 403:  # an object the other organization's role may not export
        return
    assert theirs.status_code == 200, (route.path, theirs.status_code)
    assert str(target.pk) not in b"".join(theirs.streaming_content).decode().split(), route.path


@pytest.mark.parametrize("route", ADMIN_ONLY_ROUTES, ids=_ids(ADMIN_ONLY_ROUTES))
def test_plain_user_gets_403_on_admin_only_routes(route, org, user, admin):
    plain = make_user(org, Role.USER)
    denied = admin_only_methods(route, plain)
    assert denied
    target = make_target(_kind(route).split(":", 1)[1], org, admin)
    client = client_for(plain)
    for method in sorted(denied):
        url = route.url(**target.values(route)) if route.is_detail else route.url()
        response = call(client, method, url, body_for(route, method, target, org, admin))
        assert response.status_code == 403, (route.path, method, response.status_code)


def test_matrix_size(figure):
    calls = sum(len(route.methods) for route in ROUTES)
    assert len(ROUTES) >= 20
    figure("api routes in the matrix", len(ROUTES))
    figure("route x method combinations", calls)
    figure("routes with admin-only methods", len(ADMIN_ONLY_ROUTES))
