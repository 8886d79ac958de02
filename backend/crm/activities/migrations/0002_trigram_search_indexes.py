"""Trigram indexes so ?search= stays fast on large tables (PostgreSQL only)."""

from django.db import migrations

from crm.records.migration_ops import trigram_indexes

INDEXES = {
    "activity_subject_trgm": ("activities_activity", "subject"),
}


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [trigram_indexes(INDEXES)]
