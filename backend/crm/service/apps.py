from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "crm.service"
    label = "service"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import objects  # noqa: F401  registers the UI metadata
