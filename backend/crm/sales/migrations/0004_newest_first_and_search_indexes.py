"""Indexes for search: newest leads and opportunities first (global search walks them) and
trigram indexes for the searched lead, opportunity and product columns (PostgreSQL only)."""

from django.db import migrations, models

from crm.records.migration_ops import trigram_indexes

TRIGRAM_INDEXES = {
    "lead_first_name_trgm": ("sales_lead", "first_name"),
    "lead_last_name_trgm": ("sales_lead", "last_name"),
    "lead_company_trgm": ("sales_lead", "company"),
    "lead_email_trgm": ("sales_lead", "email"),
    "opportunity_name_trgm": ("sales_opportunity", "name"),
}


class Migration(migrations.Migration):
    dependencies = [("sales", "0003_opportunity_amount")]

    operations = [
        migrations.AddIndex(
            model_name="lead",
            index=models.Index(fields=["organization", "-created_at"], name="lead_org_created"),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(fields=["organization", "-created_at"], name="opp_org_created"),
        ),
        trigram_indexes(TRIGRAM_INDEXES),
    ]
