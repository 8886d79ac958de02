"""Trigram indexes so ?search= stays fast on large tables (PostgreSQL only)."""

from django.db import migrations

from crm.records.migration_ops import trigram_indexes

INDEXES = {
    "case_subject_trgm": ("service_case", "subject"),
    "case_number_trgm": ("service_case", "case_number"),
}


class Migration(migrations.Migration):
    dependencies = [("service", "0001_initial")]

    operations = [trigram_indexes(INDEXES)]
