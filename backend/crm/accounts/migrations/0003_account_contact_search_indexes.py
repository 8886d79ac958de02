"""Trigram indexes for the other searched account and contact columns (PostgreSQL only)."""

from django.db import migrations

from crm.records.migration_ops import trigram_indexes

INDEXES = {
    "account_website_trgm": ("accounts_account", "website"),
    "account_phone_trgm": ("accounts_account", "phone"),
}


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_trigram_search_indexes")]

    operations = [trigram_indexes(INDEXES)]
