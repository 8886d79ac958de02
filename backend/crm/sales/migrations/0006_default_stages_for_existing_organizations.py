"""Give every organization without stages the default set.

Stages used to be created on the first read; they now come with the organization, so the
organizations that never had them read get them here. The set is frozen as it was when this
migration was written.
"""

from django.db import migrations

DEFAULT_STAGES = [
    # name, probability, is_closed, is_won
    ("Qualifying", 10, False, False),
    ("Proposal", 50, False, False),
    ("Negotiation", 75, False, False),
    ("Closed Won", 100, True, True),
    ("Closed Lost", 0, True, False),
]


def forwards(apps, schema_editor):
    Organization = apps.get_model("identity", "Organization")
    OpportunityStage = apps.get_model("sales", "OpportunityStage")
    with_stages = OpportunityStage.all_orgs.values("organization_id")
    missing = list(Organization.objects.exclude(pk__in=with_stages).order_by("id").values_list("id", flat=True))
    for organization_id in missing:
        OpportunityStage.all_orgs.bulk_create(
            [
                OpportunityStage(
                    organization_id=organization_id,
                    name=name,
                    probability=probability,
                    position=position,
                    is_closed=is_closed,
                    is_won=is_won,
                )
                for position, (name, probability, is_closed, is_won) in enumerate(DEFAULT_STAGES)
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0002_organization_allow_fulfill_before_payment"),
        ("sales", "0005_orgowned_stages_lines_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
