from django.apps import AppConfig


class CollectionsConfig(AppConfig):
    name = "crm.collections"
    label = "collections"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from crm.core.organizations import register_organization_initialiser

        from . import tasks  # noqa: F401  registers the jobs
        from .services.reminders import reminder_levels_create_defaults

        register_organization_initialiser("collections.default_reminder_levels", reminder_levels_create_defaults)
