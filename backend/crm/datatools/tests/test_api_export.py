from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from crm.accounts.tests.factories import AccountFactory, ContactFactory
from crm.sharing.tests.factories import set_default

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[list[str]]:
    assert response.status_code == 200, getattr(response, "data", response)
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_export_uses_the_list_views_columns_filters_search_and_sort(api, user):
    acme = AccountFactory(owner=user, name="Acme Ltd", website="https://acme.example")
    AccountFactory(owner=user, name="Zeta", type="Partner")
    AccountFactory(owner=user, name="Beta", type="Customer")
    ContactFactory(owner=user, account=acme, first_name="Ana", last_name="Ivanova", email="ana@acme.example")

    rows = rows_of(api.get("/api/v1/accounts/export"))
    assert rows[0] == ["Account Name", "Phone", "Website", "Type", "Account Owner"]
    assert [row[0] for row in rows[1:]] == ["Acme Ltd", "Beta", "Zeta"]  # the list's default sort
    assert rows[1][4] == user.name  # a lookup exports the linked record's name

    rows = rows_of(
        api.get("/api/v1/accounts/export", {"type": "Customer", "ordering": "-name", "columns": "name,type"})
    )
    assert rows == [["Account Name", "Type"], ["Beta", "Customer"], ["Acme Ltd", "Customer"]]

    rows = rows_of(api.get("/api/v1/accounts/export", {"search": "zet", "columns": "name"}))
    assert rows == [["Account Name"], ["Zeta"]]

    rows = rows_of(api.get("/api/v1/contacts/export", {"columns": "name,account_id,email"}))
    assert rows == [["Name", "Account Name", "Email"], ["Ana Ivanova", "Acme Ltd", "ana@acme.example"]]


def test_export_neutralizes_spreadsheet_formulas(api, user):
    for name in ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tTab", "\rCR", "Plain"]:
        AccountFactory(owner=user, name=name)
    rows = rows_of(api.get("/api/v1/accounts/export", {"columns": "name", "ordering": "created_at"}))
    assert [row[0] for row in rows[1:]] == [
        '\'=HYPERLINK("http://x")',
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "'\tTab",
        "'\rCR",
        "Plain",
    ]


def test_xlsx_export(api, user):
    AccountFactory(owner=user, name="=1+1")
    AccountFactory(owner=user, name="Acme")
    response = api.get("/api/v1/accounts/export", {"format": "xlsx", "columns": "name,type"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values == [["Account Name", "Type"], ["'=1+1", "Customer"], ["Acme", "Customer"]]


def test_export_is_scoped_to_the_organization(api, other_user, user):
    AccountFactory(owner=user, name="Mine")
    AccountFactory(owner=other_user, name="Theirs")
    rows = rows_of(api.get("/api/v1/accounts/export", {"columns": "name"}))
    assert rows == [["Account Name"], ["Mine"]]


def test_a_private_object_exports_only_the_rows_the_user_may_see(api, user, org, admin_api):
    from conftest import make_user

    colleague = make_user(org)
    AccountFactory(owner=user, name="Mine")
    AccountFactory(owner=colleague, name="Colleague's")
    set_default(org.pk, "account")
    assert rows_of(api.get("/api/v1/accounts/export", {"columns": "name"})) == [["Account Name"], ["Mine"]]
    # the list shows the same rows
    listed = api.get("/api/v1/accounts").data
    assert [row["name"] for row in listed["results"]] == ["Mine"]
    everything = rows_of(admin_api.get("/api/v1/accounts/export", {"columns": "name"}))
    assert sorted(row[0] for row in everything[1:]) == ["Colleague's", "Mine"]


def test_export_validation(api, anon):
    assert api.get("/api/v1/accounts/export", {"format": "pdf"}).status_code == 400
    response = api.get("/api/v1/accounts/export", {"columns": "name,secret"})
    assert response.status_code == 400
    assert "columns" in response.data["errors"]
    assert api.get("/api/v1/widgets/export").status_code == 404
    assert anon.get("/api/v1/accounts/export").status_code == 401


def test_export_reads_in_chunks_not_one_query_per_row(api, user, django_assert_max_num_queries):
    for n in range(30):
        AccountFactory(owner=user, name=f"A{n:02d}")
    with django_assert_max_num_queries(12):
        rows = rows_of(api.get("/api/v1/accounts/export", {"columns": "name,owner_id"}))
    assert len(rows) == 31
