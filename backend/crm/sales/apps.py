from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "crm.sales"
    label = "sales"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from crm.core.organizations import register_organization_initialiser

        from . import objects  # noqa: F401  registers the UI metadata
        from .services.stages import stages_create_defaults

        register_organization_initialiser("sales.default_stages", stages_create_defaults)
