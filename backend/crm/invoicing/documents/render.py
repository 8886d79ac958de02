"""Quotes, invoices, credit notes and reminders as PDF (WeasyPrint) from the organization's templates.

The record is turned into plain data first (``document_context``: dicts, lists and formatted
strings, in the document's language with its locale formats), then the template renders in the
sandbox and WeasyPrint lays it out. Rendering runs in a forked child process with a time limit and
a memory limit: a runaway template, or a document that grows beyond the size limit, is stopped
and answered with a 400 rather than taking the server with it. The child has no database access
and its only URL fetcher is the locked-down one (fetcher.py).
"""

from __future__ import annotations

import base64
import gc
import hashlib
import logging
import os
import pickle
import resource
import select
import signal
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from crm.core.errors import ApplicationError
from crm.identity.models import Organization

from ..models import DocumentTemplate, Invoice, InvoiceLineItem, Quote, QuoteLineItem, StoredDocument
from ..services.document_extras import invoice_extras
from ..taxes import ZERO, document_totals, legal_notes, line_discount, line_net
from .labels import LABELS, LOCALES
from .qr import epc_qr_data_uri
from .sandbox import TemplateProblem, render_template, template_precompile

# WeasyPrint logs every layout step at INFO: only its warnings are worth a log line per render.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
DEFAULT_HTML = (TEMPLATE_DIR / "default.html").read_text()
DEFAULT_CSS = (TEMPLATE_DIR / "default.css").read_text()
TIME_LIMIT_SECONDS = float(getattr(settings, "DOCUMENT_RENDER_SECONDS", 10))
MEMORY_LIMIT_BYTES = int(getattr(settings, "DOCUMENT_RENDER_MEMORY_BYTES", 1536 * 1024 * 1024))
MAX_PDF_BYTES = int(getattr(settings, "DOCUMENT_MAX_BYTES", 10 * 1024 * 1024))
MAX_HTML_CHARS = 5_000_000
MAX_LOGO_BYTES = 1024 * 1024
BRAND_COLOR = "#0176d3"


@dataclass
class Rendered:
    pdf: bytes
    html: str
    template_version: int | None


# --- plain data --------------------------------------------------------------------------------------
class Formats:
    def __init__(self, language: str, currency: str) -> None:
        self.language = language if language in LABELS else "en"
        self.locale = LOCALES[self.language]
        self.currency = currency

    def money(self, value: Any) -> str:
        return format_currency(Decimal(value), self.currency, locale=self.locale)

    def number(self, value: Any) -> str:
        return format_decimal(
            Decimal(value).normalize() if Decimal(value) == Decimal(value).to_integral() else Decimal(value),
            locale=self.locale,
        )

    def percent(self, value: Any) -> str:
        return f"{format_decimal(Decimal(value).normalize(), locale=self.locale)} %"

    def date(self, value: Any) -> str:
        if value is None:
            return ""
        return format_date(value, format="dd.MM.yyyy" if self.language == "bg" else "d MMM yyyy", locale=self.locale)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _logo(org: Organization) -> str | None:
    if not org.logo:
        return None
    try:
        with org.logo.open("rb") as handle:
            data = handle.read(MAX_LOGO_BYTES + 1)
    except (OSError, ValueError):
        return None
    if len(data) > MAX_LOGO_BYTES:
        return None
    name = org.logo.name.lower()
    media = "image/png" if name.endswith(".png") else "image/svg+xml" if name.endswith(".svg") else "image/jpeg"
    return f"data:{media};base64,{base64.b64encode(data).decode()}"


def _org_context(org: Organization) -> dict[str, Any]:
    address = [org.street, " ".join(part for part in (org.postal_code, org.city) if part), org.country]
    return {
        "name": org.name,
        "legal_name": org.legal_name or org.name,
        "address": [part for part in address if part],
        "vat_number": org.vat_number,
        "registration_number": org.registration_number,
        "iban": org.iban,
        "bic": org.bic,
        "logo": _logo(org),
    }


def _line_rows(lines: list[Any], fmt: Formats) -> list[dict[str, str]]:
    return [
        {
            "description": line.description or (line.product.name if line.product_id else ""),
            "quantity": fmt.number(line.quantity),
            "unit_price": fmt.money(line.unit_price),
            "discount": fmt.percent(line.discount_percent) if line.discount_percent else "",
            "discount_amount": fmt.money(line_discount(line)),
            "vat": f"{fmt.percent(line.vat_rate)}" if line.tax_category == "S" else line.tax_category,
            "tax_category": line.tax_category,
            "net": fmt.money(line_net(line)),
        }
        for line in lines
    ]


def _language(record: Quote | Invoice, org: Organization) -> str:
    language = record.language or org.default_language or "en"
    return language if language in LABELS else "en"


def document_context(*, kind: str, record_id: int, doc_type: str | None = None) -> tuple[dict[str, Any], str]:
    """The plain data a template sees for a quote or an invoice, and the document type it prints as."""
    if kind == "quote":
        quote = Quote.objects.select_related("account", "contact").get(pk=record_id)
        org = Organization.objects.get(pk=quote.organization_id)
        lines = list(QuoteLineItem.objects.filter(quote=quote).select_related("product").order_by("id"))
        return _quote_context(quote, org, lines), doc_type or "quote"
    invoice = Invoice.objects.select_related("account", "contact", "credited_invoice").get(pk=record_id)
    org = Organization.objects.get(pk=invoice.organization_id)
    lines = list(InvoiceLineItem.objects.filter(invoice=invoice).select_related("product").order_by("id"))
    default = "credit_note" if invoice.kind == Invoice.Kind.CREDIT_NOTE else "invoice"
    return _invoice_context(invoice, org, lines, doc_type or default), doc_type or default


def _common(
    record: Quote | Invoice, org: Organization, lines: list[Any], fmt: Formats, title_key: str
) -> dict[str, Any]:
    t = LABELS[fmt.language]
    totals = document_totals(lines)
    return {
        "t": t,
        "lang": fmt.language,
        "brand": {"color": BRAND_COLOR},
        "org": _org_context(org),
        "customer": {
            "name": record.account.name,
            "contact": str(record.contact) if record.contact is not None else "",
            "address": _lines(record.billing_address),
        },
        "doc": {
            "title": t[title_key],
            "lines": _line_rows(lines, fmt),
            "vat_summary": [
                {
                    "category": row.category,
                    "rate": fmt.percent(row.rate),
                    "base": fmt.money(row.base),
                    "tax": fmt.money(row.tax),
                }
                for row in totals.summary
            ],
            "subtotal": fmt.money(totals.subtotal),
            "discount": fmt.money(totals.discount),
            "net_total": fmt.money(totals.net),
            "tax_total": fmt.money(totals.tax),
            "gross_total": fmt.money(totals.gross),
            "legal_notes": legal_notes((line.tax_category for line in lines), fmt.language),
        },
    }


def _quote_context(quote: Quote, org: Organization, lines: list[QuoteLineItem]) -> dict[str, Any]:
    fmt = Formats(_language(quote, org), org.currency)
    context = _common(quote, org, lines, fmt, "quote")
    t = context["t"]
    context["doc"].update(
        {
            "number": quote.quote_number,
            "name": quote.name,
            "facts": [
                {"label": t["date"], "value": fmt.date(quote.created_at.date())},
                *(
                    [{"label": t["expiration_date"], "value": fmt.date(quote.expiration_date)}]
                    if quote.expiration_date
                    else []
                ),
            ],
            "terms": quote.terms,
            "notes": "",
            "intro": quote.name,
        }
    )
    context["payment"] = None
    return context


def _invoice_context(
    invoice: Invoice, org: Organization, lines: list[InvoiceLineItem], doc_type: str
) -> dict[str, Any]:
    fmt = Formats(_language(invoice, org), invoice.currency)
    context = _common(invoice, org, lines, fmt, doc_type if doc_type in LABELS["en"] else "invoice")
    t = context["t"]
    facts = []
    if invoice.issue_date:
        facts.append({"label": t["issue_date"], "value": fmt.date(invoice.issue_date)})
    if invoice.due_date and invoice.kind == Invoice.Kind.INVOICE:
        facts.append({"label": t["due_date"], "value": fmt.date(invoice.due_date)})
    elif invoice.kind == Invoice.Kind.INVOICE:
        facts.append({"label": t["payment_terms"], "value": f"{invoice.payment_terms_days} {t['days']}"})
    if invoice.service_period_start:
        facts.append(
            {
                "label": t["service_period"],
                "value": f"{fmt.date(invoice.service_period_start)} - {fmt.date(invoice.service_period_end)}",
            }
        )
    if invoice.credited_invoice_id:
        facts.append({"label": t["credits_invoice"], "value": invoice.credited_invoice.number})
    balance = invoice.gross_total - invoice.amount_paid - invoice.amount_credited
    context["doc"].update(
        {
            "number": invoice.number,
            "facts": facts,
            "terms": "",
            "notes": invoice.notes,
            "intro": t["reminder_text"] if doc_type == "payment_reminder" else "",
            "amount_paid": fmt.money(invoice.amount_paid)
            if invoice.amount_paid > 0 or invoice.amount_credited > 0
            else "",
            "balance_due": fmt.money(max(balance, ZERO)),
        }
    )
    payment = None
    if org.iban and invoice.kind == Invoice.Kind.INVOICE and invoice.status != Invoice.Status.CANCELLED:
        reference = invoice.number or f"{t['invoice']} {invoice.pk}"
        qr = (
            epc_qr_data_uri(
                name=org.legal_name or org.name, iban=org.iban, bic=org.bic, amount=balance, reference=reference
            )
            if invoice.currency == "EUR"
            else None
        )
        payment = {"iban": org.iban, "bic": org.bic, "reference": reference, "qr": qr, "amount": fmt.money(balance)}
    context["payment"] = payment
    context.update(invoice_extras(invoice=invoice, language=fmt.language))
    return context


# --- rendering ---------------------------------------------------------------------------------------
def _html_document(*, html: str, css: str, context: dict[str, Any]) -> str:
    body = render_template(html=html, context=context, field="html")
    style = render_template(html=css, context=context, field="css")
    if len(body) + len(style) > MAX_HTML_CHARS:
        raise TemplateProblem(field="html", line=None, message=gettext("The rendered document is too large."))
    lang = context.get("lang", "en")
    return f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><style>{style}</style></head><body>{body}</body></html>'


def _pdf(document: str) -> bytes:
    from weasyprint import HTML

    from .fetcher import LockedDownFetcher

    return HTML(string=document, base_url="crm-static:/", url_fetcher=LockedDownFetcher()).write_pdf()


def _work(html: str, css: str, context: dict[str, Any], want_pdf: bool) -> tuple[str, bytes]:
    document = _html_document(html=html, css=css, context=context)
    return document, _pdf(document) if want_pdf else b""


class RenderLimit(ApplicationError):
    def __init__(self, message: str) -> None:
        super().__init__("render_limit", message, {"html": [message]})


def _run_limited(html: str, css: str, context: dict[str, Any], want_pdf: bool) -> tuple[str, bytes]:
    """``_work`` in a forked child under the time and memory limits."""
    # Compiled here, once per template source: the child renders with the compiled template.
    template_precompile(html=html)
    template_precompile(html=css)
    read_end, write_end = os.pipe()
    # Frozen objects are left alone by the collector, so the child does not copy the server's
    # whole heap page by page; the parent unfreezes them right after.
    gc.freeze()
    pid = os.fork()
    if pid != 0:
        gc.unfreeze()
    if pid == 0:  # the child: render, send the result, never return into the server
        status = 0
        try:
            gc.disable()
            os.close(read_end)
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
            signal.alarm(int(TIME_LIMIT_SECONDS) + 2)  # a backstop: the parent kills it first
            try:
                payload = pickle.dumps(("ok", _work(html, css, context, want_pdf)))
            except TemplateProblem as exc:
                payload = pickle.dumps(("template", (exc.field, exc.line, exc.message)))
            except MemoryError:
                payload = pickle.dumps(("limit", gettext("The document needs more memory than a render may use.")))
            except BaseException as exc:
                payload = pickle.dumps(("error", f"{type(exc).__name__}: {exc}"))
            view = memoryview(payload)
            while view:
                written = os.write(write_end, view)
                view = view[written:]
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    chunks: list[bytes] = []
    size = 0
    deadline = time.monotonic() + TIME_LIMIT_SECONDS
    killed = None
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                killed = gettext("The document took longer than %(seconds)s seconds to render and was stopped.") % {
                    "seconds": format(TIME_LIMIT_SECONDS, "g")
                }
                break
            ready, _, _ = select.select([read_end], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(read_end, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_PDF_BYTES + MAX_HTML_CHARS * 4 + 4096:
                killed = gettext("The document is larger than %(megabytes)s MB.") % {
                    "megabytes": MAX_PDF_BYTES // (1024 * 1024)
                }
                break
    finally:
        os.close(read_end)
        if killed:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    if killed:
        raise RenderLimit(killed)
    if not chunks:
        raise RenderLimit(gettext("The document could not be rendered (the renderer stopped)."))
    kind, value = pickle.loads(b"".join(chunks))  # noqa: S301 - our own child's output
    if kind == "ok":
        document, pdf = value
        if len(pdf) > MAX_PDF_BYTES:
            raise RenderLimit(
                gettext("The document is larger than %(megabytes)s MB.") % {"megabytes": MAX_PDF_BYTES // (1024 * 1024)}
            )
        return document, pdf
    if kind == "template":
        field, line, message = value
        raise template_error(TemplateProblem(field=field, line=line, message=message))
    if kind == "limit":
        raise RenderLimit(value)
    raise RuntimeError(f"Rendering failed: {value}")


def template_error(problem: TemplateProblem) -> ApplicationError:
    error = ApplicationError(
        "template_error",
        gettext("The template cannot be rendered: %(problem)s") % {"problem": problem},
        {problem.field: [str(problem)]},
    )
    error.details = {"line": problem.line, "detail": problem.message}
    return error


_warm = False


def _warm_up() -> None:
    """Load fonts and WeasyPrint's machinery once in the server process, so each forked render
    starts with them ready (copy-on-write) instead of loading them again."""
    global _warm
    if not _warm:
        # The default templates' faces (regular and bold DejaVu Sans): fonts a child loads are
        # lost when it exits.
        _pdf("<p style=\"font-family: 'DejaVu Sans'\">. <b>.</b></p>")
        _warm = True


def render_record(
    *,
    kind: str,
    record_id: int,
    doc_type: str | None = None,
    html: str | None = None,
    css: str | None = None,
    output: str = "pdf",
    extra: dict[str, Any] | None = None,
) -> Rendered:
    """Render a quote or invoice with ``html``/``css`` (a preview) or the organization's template.

    ``extra`` adds variables to the context (a payment reminder's ``reminder``: its charges)."""
    from ..services.templates import template_current

    context, doc_type = document_context(kind=kind, record_id=record_id, doc_type=doc_type)
    if extra:
        context.update(extra)
    template_version = None
    if html is None:
        template = template_current(doc_type=doc_type)
        html, css, template_version = template.html, template.css, template.version
    want_pdf = output == "pdf"
    if want_pdf:
        _warm_up()
    document, pdf = _run_limited(html, css or "", context, want_pdf)
    return Rendered(pdf=pdf, html=document, template_version=template_version)


def invoice_pdf(*, invoice_id: int) -> bytes:
    """The invoice's PDF: an issued invoice's is stored (with its SHA-256) on first render and the
    same bytes are returned ever after; a draft's is rendered fresh each time."""
    stored = StoredDocument.objects.filter(invoice_id=invoice_id).only("content").first()
    if stored is not None:
        return bytes(stored.content)
    invoice = Invoice.objects.only("status", "kind").get(pk=invoice_id)
    rendered = render_record(kind="invoice", record_id=invoice_id)
    if invoice.status == Invoice.Status.DRAFT:
        return rendered.pdf
    return invoice_store_pdf(invoice_id=invoice_id, rendered=rendered)


def invoice_store_pdf(*, invoice_id: int, rendered: Rendered | None = None) -> bytes:
    """Render and keep an issued invoice's PDF once (a job can call this after issuing). Idempotent:
    a PDF stored already, also by a concurrent call, is what every caller gets."""
    from ..services.templates import version_row

    existing = StoredDocument.objects.filter(invoice_id=invoice_id).only("content").first()
    if existing is not None:
        return bytes(existing.content)
    if rendered is None:
        rendered = render_record(kind="invoice", record_id=invoice_id)
    invoice = Invoice.objects.only("kind").get(pk=invoice_id)
    doc_type = "credit_note" if invoice.kind == Invoice.Kind.CREDIT_NOTE else "invoice"
    version = version_row(doc_type=doc_type, number=rendered.template_version)
    with transaction.atomic():
        StoredDocument.objects.bulk_create(
            [
                StoredDocument(
                    invoice_id=invoice_id,
                    content=rendered.pdf,
                    sha256=hashlib.sha256(rendered.pdf).hexdigest(),
                    template_version=version,
                )
            ],
            ignore_conflicts=True,
        )
    return bytes(StoredDocument.objects.only("content").get(invoice_id=invoice_id).content)


def default_template(doc_type: str) -> tuple[str, str]:
    return DEFAULT_HTML, DEFAULT_CSS


DOC_TYPES = tuple(value for value, _ in DocumentTemplate.DocType.choices)
