"""Issue the missing billing-cycle invoices of every active contract and mark overdue invoices.

Safe to run any number of times, and from two machines at once: a contract and period get one invoice."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from crm.identity.models import Organization
from crm.invoicing.services.retainers import retainer_billing_run


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", type=int, help="Only this organization (id).")
        parser.add_argument("--date", type=datetime.date.fromisoformat, help="Bill as of this day (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        organizations = Organization.objects.order_by("id")
        if options.get("organization"):
            organizations = organizations.filter(pk=options["organization"])
        for organization_id in organizations.values_list("pk", flat=True):
            run = retainer_billing_run(organization_id=organization_id, today=options.get("date"))
            self.stdout.write(
                f"organization {organization_id}: {len(run.created)} invoices issued, "
                f"{run.skipped} periods already invoiced, {run.overdue} overdue"
            )
