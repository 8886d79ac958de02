from django.urls import re_path

from crm.core.routers import OptionalSlashRouter

from . import views

router = OptionalSlashRouter()
router.register("imports", views.ImportViewSet, basename="import")
router.register("changesets", views.ChangesetViewSet, basename="changeset")

urlpatterns = [
    *router.urls,
    re_path(r"^(?P<api_path>[a-z][a-z0-9-]*)/export/?$", views.ExportView.as_view(), name="record-export"),
]
