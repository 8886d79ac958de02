from __future__ import annotations

import hashlib
import subprocess
from decimal import Decimal

import pytest

from crm.identity.models import Organization

from ..documents.fetcher import LockedDownFetcher, RefusedURL
from ..models import DocumentTemplateVersion, StoredDocument
from .factories import OrderFactory, open_opportunity, quote_body


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607 - poppler-utils, a fixed argument list


@pytest.fixture
def issued(api, user, in_org, org):
    Organization.objects.filter(pk=org.pk).update(
        legal_name="Acme Agency Ltd", iban="BG80BNBG96611020345678", bic="BNBGBGSF", vat_number="BG123456789"
    )
    order = OrderFactory(owner=user, lines=[(Decimal("2"), Decimal("500.00"))])
    invoice = api.post(f"/api/v1/orders/{order.pk}/invoices", {}, format="json").data
    return api.post(f"/api/v1/invoices/{invoice['id']}/issue", {}, format="json").data


def test_issued_invoice_pdf_is_stored_and_returned_byte_for_byte(api, issued, tmp_path):
    first = api.get(f"/api/v1/invoices/{issued['id']}/pdf")
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    pdf = first.content
    assert pdf.startswith(b"%PDF")
    stored = StoredDocument.objects.get(invoice_id=issued["id"])
    assert stored.sha256 == hashlib.sha256(pdf).hexdigest()
    assert stored.template_version is not None and stored.template_version.number == 1
    assert api.get(f"/api/v1/invoices/{issued['id']}/pdf").content == pdf
    text = _text(pdf, tmp_path)
    assert issued["number"] in text
    assert "Acme Agency Ltd" in text and "BG80BNBG96611020345678" in text
    assert "1.200,00" in text or "1,200.00" in text or "1 200,00" in text


def test_bulgarian_document_uses_bulgarian_words_and_formats(api, user, in_org, org, tmp_path):
    Organization.objects.filter(pk=org.pk).update(default_language="bg", legal_name="Акме ООД")
    order = OrderFactory(owner=user, lines=[(Decimal("1"), Decimal("1234.50"))])
    invoice = api.post(f"/api/v1/orders/{order.pk}/invoices", {}, format="json").data
    text = _text(api.get(f"/api/v1/invoices/{invoice['id']}/pdf").content, tmp_path)
    assert "Фактура" in text and "Данъчна основа" in text
    assert "1234,50" in text or "1 234,50" in text


def test_quote_pdf_and_template_preview(api, admin_api, user, in_org, tmp_path):
    quote = api.post("/api/v1/quotes", quote_body(open_opportunity(user)), format="json").data
    response = api.get(f"/api/v1/quotes/{quote['id']}/pdf")
    assert response.status_code == 200
    assert quote["quote_number"] in _text(response.content, tmp_path)
    templates = admin_api.get("/api/v1/document-templates").data
    assert sorted(t["doc_type"] for t in templates) == ["credit_note", "invoice", "payment_reminder", "quote"]
    template = next(t for t in templates if t["doc_type"] == "quote")
    preview = admin_api.post(
        f"/api/v1/document-templates/{template['id']}/preview",
        {
            "html": "<h1>{{ doc.number }} for {{ customer.name }}</h1>",
            "css": "h1 { color: red }",
            "record": {"type": "quote", "id": quote["id"]},
            "format": "html",
        },
        format="json",
    )
    assert preview.status_code == 200, preview.content
    assert quote["quote_number"] in preview.content.decode()
    pdf = admin_api.post(
        f"/api/v1/document-templates/{template['id']}/preview",
        {"record": {"type": "quote", "id": quote["id"]}},
        format="json",
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert api.get("/api/v1/document-templates").status_code == 403


def test_broken_template_answers_400_with_line(admin_api, api, user, in_org):
    quote = api.post("/api/v1/quotes", quote_body(open_opportunity(user)), format="json").data
    template = admin_api.get("/api/v1/document-templates").data[0]
    broken = admin_api.post(
        f"/api/v1/document-templates/{template['id']}/preview",
        {"html": "<p>ok</p>\n<p>{% for x in %}</p>", "record": {"type": "quote", "id": quote["id"]}},
        format="json",
    )
    assert broken.status_code == 400
    assert broken.data["code"] == "template_error" and broken.data["line"] == 2
    failing = admin_api.post(
        f"/api/v1/document-templates/{template['id']}/preview",
        {
            "html": "<p>{{ doc.__class__ }}</p>\n{{ 1 / 0 }}",
            "record": {"type": "quote", "id": quote["id"]},
            "format": "html",
        },
        format="json",
    )
    assert failing.status_code == 400 and failing.data["line"] == 2
    saved = admin_api.patch(
        f"/api/v1/document-templates/{template['id']}",
        {"html": "{% if %}", "version": template["version"]},
        format="json",
    )
    assert saved.status_code == 400 and "html" in saved.data["errors"]


def test_runaway_template_is_stopped(admin_api, api, user, in_org, monkeypatch):
    from ..documents import render

    monkeypatch.setattr(render, "TIME_LIMIT_SECONDS", 1.0)
    quote = api.post("/api/v1/quotes", quote_body(open_opportunity(user)), format="json").data
    template = admin_api.get("/api/v1/document-templates").data[0]
    runaway = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    response = admin_api.post(
        f"/api/v1/document-templates/{template['id']}/preview",
        {"html": runaway, "record": {"type": "quote", "id": quote["id"]}, "format": "html"},
        format="json",
    )
    assert response.status_code == 400 and response.data["code"] == "render_limit"


def test_versions_and_revert(admin_api, in_org):
    template = admin_api.get("/api/v1/document-templates").data[0]
    saved = admin_api.patch(
        f"/api/v1/document-templates/{template['id']}",
        {"html": "<p>v2</p>", "version": template["version"]},
        format="json",
    )
    assert saved.status_code == 200 and saved.data["version"] == 2
    stale = admin_api.patch(
        f"/api/v1/document-templates/{template['id']}", {"html": "<p>x</p>", "version": 1}, format="json"
    )
    assert stale.status_code == 409
    versions = admin_api.get(f"/api/v1/document-templates/{template['id']}/versions").data
    assert [v["number"] for v in versions] == [2, 1]
    reverted = admin_api.post(
        f"/api/v1/document-templates/{template['id']}/revert", {"number": 1, "version": 2}, format="json"
    )
    assert reverted.status_code == 200 and reverted.data["version"] == 3 and reverted.data["html"] == template["html"]
    assert DocumentTemplateVersion.objects.filter(template_id=template["id"]).count() == 3


def test_fetcher_refuses_network_and_files():
    fetcher = LockedDownFetcher()
    for url in (
        "http://example.com/x.png",
        "https://169.254.169.254/",
        "file:///etc/passwd",
        "crm-static:../../settings.py",
    ):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,hello").status == 200


def test_external_images_are_left_out(admin_api, api, user, in_org):
    quote = api.post("/api/v1/quotes", quote_body(open_opportunity(user)), format="json").data
    template = admin_api.get("/api/v1/document-templates").data[0]
    response = admin_api.post(
        f"/api/v1/document-templates/{template['id']}/preview",
        {
            "html": '<img src="http://127.0.0.1:9/x.png"><link rel="stylesheet" href="file:///etc/passwd">ok',
            "record": {"type": "quote", "id": quote["id"]},
        },
        format="json",
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_epc_qr_carries_balance_and_number():
    from ..documents.qr import epc_qr_data_uri

    assert epc_qr_data_uri(name="Acme", iban="", bic="", amount=Decimal("10"), reference="INV-1") is None
    assert (
        epc_qr_data_uri(name="Acme", iban="BG80BNBG96611020345678", bic="", amount=Decimal("0"), reference="X") is None
    )
    uri = epc_qr_data_uri(
        name="Acme", iban="BG80BNBG96611020345678", bic="BNBGBGSF", amount=Decimal("12.50"), reference="INV-2026-000001"
    )
    assert uri is not None and uri.startswith("data:image/svg+xml;base64,")
    from segno import helpers

    code = helpers.make_epc_qr(
        name="Acme", iban="BG80BNBG96611020345678", bic="BNBGBGSF", amount=Decimal("12.50"), text="INV-2026-000001"
    )
    assert code.designator  # the same content segno encodes for the document
