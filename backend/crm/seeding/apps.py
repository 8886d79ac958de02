from django.apps import AppConfig


class SeedingConfig(AppConfig):
    """Demo data (``seed_demo``) and benchmark-scale data (``seed_scale``) for every domain, in one place."""

    name = "crm.seeding"
    label = "seeding"
