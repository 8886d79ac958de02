from django.urls import re_path

from crm.core.routers import OptionalSlashRouter

from . import views

router = OptionalSlashRouter()
router.register("quotes", views.QuoteViewSet, basename="quote")
router.register("invoices", views.InvoiceViewSet, basename="invoice")
router.register("document-templates", views.DocumentTemplateViewSet, basename="document-template")

urlpatterns = [
    re_path(r"^orders/(?P<pk>[0-9]+)/invoices/?$", views.OrderInvoicesView.as_view(), name="order-invoices"),
    re_path(r"^contracts/(?P<pk>[0-9]+)/invoices/?$", views.ContractInvoicesView.as_view(), name="contract-invoices"),
    re_path(r"^reports/mrr/?$", views.MrrReportView.as_view(), name="report-mrr"),
    re_path(
        r"^reports/retainer-invoiced/?$", views.RetainerInvoicedReportView.as_view(), name="report-retainer-invoiced"
    ),
    *router.urls,
]
