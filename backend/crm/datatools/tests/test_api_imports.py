# ruff: noqa: RUF001  Bulgarian text is Cyrillic on purpose
from __future__ import annotations

import csv
import io

import pytest

from crm.accounts.models import Account, Contact
from crm.accounts.tests.factories import AccountFactory, ContactFactory
from crm.audit.models import AuditEvent
from crm.sales.models import Product

from .conftest import IMPORTS, upload, xlsx

pytestmark = pytest.mark.django_db

MAPPING = {"First": "first_name", "Last": "last_name", "E-mail": "email", "Company": "account_id"}


@pytest.fixture
def acme(user):
    return AccountFactory(owner=user, name="Acme Ltd", website="https://www.acme.example/about")


def test_preview_gives_columns_rows_and_a_suggested_mapping(api, acme):
    content = "First,Last,E-mail,Company\nAna,Ivanova,ana@acme.example,Acme Ltd\n"
    response = api.post(f"{IMPORTS}/preview", {"file": upload(content), "object": "contact"}, format="multipart")
    assert response.status_code == 200, response.data
    assert response.data["headers"] == ["First", "Last", "E-mail", "Company"]
    assert response.data["rows"] == [["Ana", "Ivanova", "ana@acme.example", "Acme Ltd"]]
    assert response.data["total_rows"] == 1
    assert response.data["delimiter"] == ","
    assert response.data["suggested_mapping"] == MAPPING
    assert "email" in response.data["natural_keys"]
    assert Contact.all_orgs.count() == 0  # a preview stores nothing


def test_import_creates_contacts_linked_by_account_name_or_domain(api, acme, user, start_import):
    content = (
        "First,Last,E-mail,Company\n"
        "Ana,Ivanova,ana@acme.example,Acme Ltd\n"
        "Boris,Petrov,boris@acme.example,acme.example\n"
    )
    response = start_import(api, content, MAPPING, mode="create", commit="all_or_nothing")
    assert response.status_code == 200
    data = response.data
    assert data["status"] == "succeeded", data
    assert (data["created_count"], data["updated_count"], data["error_count"]) == (2, 0, 0)
    assert data["progress"] == data["total_rows"] == 2
    contacts = Contact.all_orgs.order_by("first_name")
    assert [(c.first_name, c.email, c.account_id, c.owner_id) for c in contacts] == [
        ("Ana", "ana@acme.example", acme.pk, user.pk),
        ("Boris", "boris@acme.example", acme.pk, user.pk),
    ]
    # written through the record path: audited like a create in the API
    assert AuditEvent.all_orgs.filter(object_type="accounts.contact", action="create").count() == 2


def test_rows_are_checked_by_the_api_rules_and_reported(api, acme, start_import):
    content = (
        "First,Last,E-mail,Company\n"
        "Ana,Ivanova,not-an-email,Acme Ltd\n"
        "Boris,,boris@acme.example,Acme Ltd\n"
        "Cveta,Koleva,cveta@acme.example,Nobody Inc\n"
        "Dora,Dimova,dora@acme.example,Acme Ltd\n"
    )
    response = start_import(api, content, MAPPING, commit="all_or_nothing")
    data = response.data
    assert data["status"] == "failed"
    assert data["error_count"] == 3
    assert {(e["row"], e["column"]) for e in data["errors"]} == {(2, "E-mail"), (3, "Last"), (4, "Company")}
    assert next(e for e in data["errors"] if e["row"] == 2)["value"] == "not-an-email"
    assert Contact.all_orgs.count() == 0  # all or nothing: the good row is not written either
    assert data["changeset"] is None

    report = api.get(f"{IMPORTS}/{data['id']}/error-report")
    assert report.status_code == 200
    assert report["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(report.content.decode())))
    assert rows[0] == ["row", "column", "value", "message"]
    assert len(rows) == 4


def test_partial_commit_imports_the_good_rows(api, acme, start_import):
    content = "First,Last,E-mail,Company\nAna,Ivanova,bad,Acme Ltd\nDora,Dimova,dora@acme.example,Acme Ltd\n"
    data = start_import(api, content, MAPPING, commit="partial").data
    assert data["status"] == "succeeded"
    assert (data["created_count"], data["error_count"]) == (1, 1)
    assert list(Contact.all_orgs.values_list("email", flat=True)) == ["dora@acme.example"]


def test_dry_run_reports_and_saves_nothing(api, acme, start_import):
    content = "First,Last,E-mail,Company\nAna,Ivanova,ana@acme.example,Acme Ltd\nBo,,bo@acme.example,Acme Ltd\n"
    data = start_import(api, content, MAPPING, dry_run="true", commit="partial").data
    assert data["status"] == "succeeded"
    assert data["dry_run"] is True
    assert (data["created_count"], data["error_count"]) == (1, 1)
    assert Contact.all_orgs.count() == 0
    assert data["changeset"] is None


def test_modes_update_only_and_create_and_update(api, user, acme, start_import):
    existing = ContactFactory(owner=user, account=acme, email="Ana@Acme.example", title="Intern")
    content = "E-mail,Title,First,Last,Company\nana@acme.example,CTO,Ana,Ivanova,Acme Ltd\nnew@acme.example,CEO,Nia,Nova,Acme Ltd\n"
    mapping = {"E-mail": "email", "Title": "title", "First": "first_name", "Last": "last_name", "Company": "account_id"}

    data = start_import(api, content, mapping, mode="update", commit="partial").data
    assert (data["updated_count"], data["created_count"], data["error_count"]) == (1, 0, 1)
    assert data["errors"][0]["column"] == "E-mail"
    existing.refresh_from_db()
    assert (existing.title, existing.version) == ("CTO", 2)

    data = start_import(api, content, mapping, mode="create", commit="partial").data
    assert (data["created_count"], data["error_count"]) == (1, 1)  # ana exists: refused in create only

    data = start_import(api, content.replace("CTO", "VP"), mapping, mode="upsert", commit="partial").data
    assert (data["updated_count"], data["created_count"], data["error_count"]) == (2, 0, 0)
    existing.refresh_from_db()
    assert existing.title == "VP"
    assert Contact.all_orgs.count() == 2


def test_the_same_key_twice_in_a_file_is_reported(api, acme, start_import):
    content = "First,Last,E-mail,Company\nAna,I,ana@acme.example,Acme Ltd\nAna,J,ANA@acme.example,Acme Ltd\n"
    data = start_import(api, content, MAPPING, commit="partial").data
    assert data["created_count"] == 1
    assert data["errors"][0]["row"] == 3
    assert "line 2" in data["errors"][0]["message"]


def test_accounts_deduplicate_by_website_domain(api, user, start_import):
    account = AccountFactory(owner=user, name="Old name", website="https://www.globex.example")
    content = "Name,Website\nGlobex Corp,http://globex.example/contact\nInitech,initech.example\n"
    data = start_import(api, content, {"Name": "name", "Website": "website"}, object="account", mode="upsert").data
    assert data["status"] == "succeeded", data
    assert (data["created_count"], data["updated_count"]) == (1, 1)
    account.refresh_from_db()
    assert account.name == "Globex Corp"
    assert Account.all_orgs.get(name="Initech").website == "https://initech.example"


def test_products_update_by_code_and_only_administrators_import_them(api, admin_api, admin, start_import):
    Product.all_orgs.create(
        organization=admin.organization, owner=admin, name="Hosting", product_code="HOST", standard_list_price="10"
    )
    content = "Code,Name,Price\nHOST,Hosting Plus,12.50\nSEO,SEO audit,-1\n"
    mapping = {"Code": "product_code", "Name": "name", "Price": "standard_list_price"}
    refused = start_import(api, content, mapping, object="product", mode="upsert", commit="partial")
    assert refused.status_code == 403

    data = start_import(admin_api, content, mapping, object="product", mode="upsert", commit="partial").data
    assert (data["updated_count"], data["created_count"], data["error_count"]) == (1, 0, 1)
    assert data["errors"][0]["column"] == "Price"
    assert str(Product.all_orgs.get(product_code="HOST").standard_list_price) == "12.50"


def test_leads_from_xlsx_keep_formulas_as_text(api, start_import):
    content = xlsx(
        [
            ["Last name", "Company", "Email", "Description", "Status"],
            ["Ray", "Umbrella", "ray@u.example", "=1+2", "New"],
            [None, None, None, None, None],
        ]
    )
    mapping = {
        "Last name": "last_name",
        "Company": "company",
        "Email": "email",
        "Description": "description",
        "Status": "status",
    }
    data = start_import(api, content, mapping, object="lead", name="leads.xlsx").data
    assert data["status"] == "succeeded", data
    assert data["file_format"] == "xlsx"
    from crm.sales.models import Lead

    lead = Lead.all_orgs.get()
    assert (lead.last_name, lead.description) == ("Ray", "=1+2")


def test_windows_1251_csv_with_semicolons(api, acme, start_import):
    content = "First;Last;E-mail;Company\nАна;Иванова;ana@acme.example;Acme Ltd\n".encode("cp1251")
    data = start_import(api, content, MAPPING).data
    assert data["status"] == "succeeded", data
    assert (data["encoding"], data["delimiter"]) == ("cp1251", ";")
    assert Contact.all_orgs.get().last_name == "Иванова"


def test_utf8_with_byte_order_mark(api, acme, start_import):
    content = "\ufeffFirst,Last,E-mail,Company\nAna,Ivanova,ana@acme.example,Acme Ltd\n".encode()
    data = start_import(api, content, MAPPING).data
    assert (data["status"], data["encoding"]) == ("succeeded", "utf-8-sig")


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ("First,Last\nAna,Ivanova\n".encode("utf-16"), "invalid_encoding"),
        ("First,Last\nCafé,Crème\n".encode("latin-1"), "invalid_encoding"),
        (b"First,Last;Email\nAna;Iva,nova;x\nBo,b;c,d;e\n", "delimiter_not_found"),
        (b"", "validation_error"),
        (b"First,Last,E-mail,Company\n", "empty_file"),
        (b"PK\x03\x04not really a workbook", "invalid_xlsx"),
    ],
)
def test_bad_files_are_refused_with_a_clear_error(api, acme, start_import, content, code):
    response = start_import(api, content, MAPPING)
    assert response.status_code == 400, response.data
    assert response.data["code"] == code
    assert response.data["errors"]["file"]
    assert Contact.all_orgs.count() == 0


def test_a_file_over_the_size_limit_is_refused(api, acme, start_import, settings):
    settings.IMPORT_MAX_BYTES = 100
    content = "First,Last,E-mail,Company\n" + "Ana,Ivanova,ana@acme.example,Acme Ltd\n" * 10
    response = start_import(api, content, MAPPING)
    assert response.status_code == 400
    assert response.data["code"] == "file_too_large"


def test_an_xlsx_bomb_is_refused_before_it_is_read(api, acme, start_import, settings):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<a>" + "0" * (20 * 1024 * 1024) + "</a>")
    response = start_import(api, buffer.getvalue(), MAPPING, name="bomb.xlsx")
    assert response.status_code == 400
    assert response.data["code"] == "xlsx_too_large"


def test_mapping_is_checked(api, acme, start_import):
    content = "First,Last,E-mail,Company\nAna,Ivanova,ana@acme.example,Acme Ltd\n"
    response = start_import(api, content, {"First": "first_name", "Nope": "email", "Last": "version"}, mode="update")
    assert response.status_code == 400
    assert len(response.data["errors"]["mapping"]) == 3  # unknown column, unwritable field, no key to update by
    response = start_import(api, content, MAPPING, object="widget")
    assert response.status_code == 400
    assert "object" in response.data["errors"]
    response = start_import(api, content, MAPPING, mode="sometimes")
    assert response.status_code == 400
    assert "mode" in response.data["errors"]


def test_imports_of_another_organization_answer_404(api, other_api, acme, start_import):
    content = "First,Last,E-mail,Company\nAna,Ivanova,ana@acme.example,Acme Ltd\n"
    data = start_import(api, content, MAPPING).data
    assert other_api.get(f"{IMPORTS}/{data['id']}").status_code == 404
    assert other_api.get(f"{IMPORTS}/{data['id']}/error-report").status_code == 404
    assert other_api.post(f"{IMPORTS}/{data['id']}/undo").status_code == 404
    assert other_api.get(IMPORTS).data["results"] == [] if "results" in other_api.get(IMPORTS).data else True


def test_a_link_to_another_organizations_account_is_not_found(api, other_user, start_import):
    AccountFactory(owner=other_user, name="Rival Account")
    content = "First,Last,E-mail,Company\nAna,Ivanova,ana@acme.example,Rival Account\n"
    data = start_import(api, content, MAPPING).data
    assert data["status"] == "failed"
    assert data["errors"][0]["column"] == "Company"


def test_signed_out_callers_are_refused(anon):
    assert anon.get(IMPORTS).status_code == 401
    assert anon.post(f"{IMPORTS}/preview", {}).status_code == 401
