from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "crm.sharing"
    label = "sharing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from crm.core.scoping import register_viewer_factory

        from .visibility import RecordViewer

        register_viewer_factory(RecordViewer)
