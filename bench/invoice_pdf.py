#!/usr/bin/env python
"""Render time of a 20-line invoice PDF with the default template (target: p95 under 500 ms).

Builds a scratch SQLite database (migrated from scratch), an organization with IBAN and VAT
number, and a 20-line invoice, issues it, then renders its PDF --runs times through the same
path the API uses (sandboxed template, forked renderer with time and memory limits, locked-down
URL fetcher, EPC QR code). Prints p50/p95/max and, with --out, writes the English and Bulgarian
PDFs there (``pdftoppm -png`` turns them into the screenshots in docs/screenshots).

    .venv/bin/python bench/invoice_pdf.py --runs 40 --out /tmp/invoice-pdf
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "backend"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--lines", type=int, default=20)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="invoice-pdf-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
    os.environ.setdefault("CRM_VAR_DIR", str(scratch))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from crm.accounts.models import Account
    from crm.core.organizations import organization_initialise
    from crm.core.scoping import org_scope
    from crm.identity.models import Organization, Role, User
    from crm.invoicing.documents.render import invoice_pdf, render_record
    from crm.invoicing.models import Invoice, InvoiceLineItem
    from crm.invoicing.services.invoices import invoice_issue

    org = Organization.objects.create(
        name="Demo Agency",
        legal_name="Demo Agency Ltd",
        street="1 Vitosha Blvd",
        city="Sofia",
        postal_code="1000",
        country="BG",
        vat_number="BG123456789",
        registration_number="123456789",
        iban="BG80BNBG96611020345678",
        bic="BNBGBGSF",
    )
    organization_initialise(organization_id=org.pk)
    user = User.objects.create_user(
        "bench@pdf.example", "Bench-Passphrase-2026", organization=org, name="Bench", role=Role.ADMIN
    )
    services = [
        "Website design",
        "Front-end development",
        "Back-end development",
        "Content migration",
        "SEO audit",
        "Hosting (12 months)",
        "Support retainer",
        "Analytics set-up",
        "Copywriting",
        "Photography",
    ]
    timings: list[float] = []
    with org_scope(org.pk):
        account = Account.objects.create(
            name="Northwind Traders", owner=user, billing_address="12 Market Street\n4000 Plovdiv\nBulgaria"
        )
        ids = {}
        for language in ("en", "bg"):
            invoice = Invoice.objects.create(
                account=account, owner=user, language=language, billing_address=account.billing_address
            )
            for index in range(args.lines):
                reverse = index == args.lines - 1
                InvoiceLineItem.objects.create(
                    invoice=invoice,
                    description=services[index % len(services)]
                    + (f" — phase {index // len(services) + 1}" if index >= len(services) else ""),
                    quantity=Decimal(1 + index % 4),
                    unit_price=Decimal("150.00") + index * 25,
                    discount_percent=Decimal("10") if index % 5 == 0 else Decimal("0"),
                    vat_rate=Decimal("0") if reverse else Decimal("20"),
                    tax_category="AE" if reverse else "S",
                )
            from crm.invoicing.services.common import invoice_refresh_totals

            invoice_refresh_totals(invoice=invoice, actor=user)
            ids[language] = invoice_issue(invoice_id=invoice.pk, actor=user).pk
        render_record(kind="invoice", record_id=ids["en"])  # first render loads fonts (once per process)
        for _ in range(args.runs):
            started = time.perf_counter()
            rendered = render_record(kind="invoice", record_id=ids["en"])
            timings.append((time.perf_counter() - started) * 1000)
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            for language, invoice_id in ids.items():
                (args.out / f"invoice-{language}.pdf").write_bytes(invoice_pdf(invoice_id=invoice_id))
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    print(
        f"{args.lines}-line invoice PDF, {args.runs} renders: p50 {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms, max {timings[-1]:.0f} ms, {len(rendered.pdf) // 1024} KB"
    )


if __name__ == "__main__":
    main()
