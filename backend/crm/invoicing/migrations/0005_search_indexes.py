"""Trigram indexes for the global search over quotes and invoices (PostgreSQL only)."""

from django.db import migrations

from crm.records.migration_ops import trigram_indexes

INDEXES = {
    "quote_number_trgm": ("invoicing_quote", "quote_number"),
    "quote_name_trgm": ("invoicing_quote", "name"),
    "invoice_number_trgm": ("invoicing_invoice", "number"),
}


class Migration(migrations.Migration):
    dependencies = [("invoicing", "0004_list_order_indexes")]

    operations = [trigram_indexes(INDEXES)]
