"""Newest cases first (global search walks this index)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("service", "0002_trigram_search_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["organization", "-created_at"], name="case_org_created"),
        ),
    ]
