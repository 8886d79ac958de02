"""Trigram index for the activity list's search on location (PostgreSQL only)."""

from django.db import migrations

from crm.records.migration_ops import trigram_indexes

INDEXES = {
    "activity_location_trgm": ("activities_activity", "location"),
}


class Migration(migrations.Migration):
    dependencies = [("activities", "0004_calendar_index_by_end")]

    operations = [trigram_indexes(INDEXES)]
