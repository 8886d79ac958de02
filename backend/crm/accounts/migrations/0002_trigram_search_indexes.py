"""Trigram indexes so ?search= stays fast on large tables (PostgreSQL only)."""

from django.db import migrations

from crm.records.migration_ops import trigram_indexes

INDEXES = {
    "account_name_trgm": ("accounts_account", "name"),
    "contact_first_name_trgm": ("accounts_contact", "first_name"),
    "contact_last_name_trgm": ("accounts_contact", "last_name"),
    "contact_email_trgm": ("accounts_contact", "email"),
}


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [trigram_indexes(INDEXES)]
