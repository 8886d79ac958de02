from django.urls import re_path

from crm.core.routers import OptionalSlashRouter

from . import views

router = OptionalSlashRouter()
router.register("orders", views.OrderViewSet, basename="order")
router.register("payments", views.PaymentViewSet, basename="payment")
router.register("contracts", views.ContractViewSet, basename="contract")

urlpatterns = [
    re_path(
        r"^opportunities/(?P<pk>[0-9]+)/generate-order/?$",
        views.OpportunityGenerateOrderView.as_view(),
        name="opportunity-generate-order",
    ),
    re_path(
        r"^opportunities/(?P<pk>[0-9]+)/generate-contract/?$",
        views.OpportunityGenerateContractView.as_view(),
        name="opportunity-generate-contract",
    ),
    re_path(
        r"^reports/retainer-payments/?$", views.RetainerPaymentsReportView.as_view(), name="report-retainer-payments"
    ),
    *router.urls,
]
