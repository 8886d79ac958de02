from django.urls import re_path

from crm.core.routers import OptionalSlashRouter

from . import views

router = OptionalSlashRouter()
router.register("web-forms", views.WebFormViewSet, basename="web-form")
router.register("webhooks", views.WebhookViewSet, basename="webhook")
router.register("workflows", views.WorkflowViewSet, basename="workflow")
router.register("workflow-runs", views.WorkflowRunViewSet, basename="workflow-run")

urlpatterns = [
    re_path(r"^forms/(?P<key>[A-Za-z0-9_-]{1,40})/?$", views.PublicFormView.as_view(), name="public-form"),
    *router.urls,
]
