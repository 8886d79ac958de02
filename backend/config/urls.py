from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.spa import spa_view
from crm.marketing.api import public as marketing_public
from crm.operations.metrics import metrics_view
from crm.records.search import GlobalSearchView
from crm.records.views import HealthView, ObjectMetaView

api_v1 = [
    re_path(r"^meta/objects/?$", ObjectMetaView.as_view(), name="meta-objects"),
    re_path(r"^search/?$", GlobalSearchView.as_view(), name="global-search"),
    path("", include("crm.identity.api.urls")),
    path("", include("crm.records.tags.urls")),
    path("", include("crm.accounts.api.urls")),
    path("", include("crm.sales.api.urls")),
    path("", include("crm.billing.api.urls")),
    path("", include("crm.service.api.urls")),
    path("", include("crm.activities.api.urls")),
    path("", include("crm.sharing.api.urls")),
    path("", include("crm.dashboard.api.urls")),
    path("", include("crm.jobs.api.urls")),
    path("", include("crm.stripe_gateway.api.urls")),
    path("", include("crm.saas.api.urls")),
    path("", include("crm.invoicing.api.urls")),
    path("", include("crm.automation.api.urls")),
    path("", include("crm.marketing.api.urls")),
    path("", include("crm.collections.api.urls")),
    path("", include("crm.datatools.api.urls")),
]

urlpatterns = [
    re_path(r"^api/health/?$", HealthView.as_view(), name="health"),
    path("metrics", metrics_view, name="metrics"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    path("api/v1/", include(api_v1)),
    # Tracking links in marketing email (signed tokens; no session).
    path("t/o/<str:token>", marketing_public.open_pixel, name="track-open"),
    path("t/c/<str:token>", marketing_public.click, name="track-click"),
    path("u/<str:token>", marketing_public.unsubscribe, name="unsubscribe"),
    path("hooks/email/bounce", marketing_public.bounce_hook, name="email-bounce-hook"),
    re_path(r"^(?!api/|static/|metrics$).*$", spa_view, name="spa"),
]

handler404 = "crm.records.views.not_found"
