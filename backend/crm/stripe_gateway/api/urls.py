from django.urls import re_path

from . import views

urlpatterns = [
    re_path(
        r"^invoices/(?P<pk>[0-9]+)/payment-link/?$", views.InvoicePaymentLinkView.as_view(), name="invoice-payment-link"
    ),
    re_path(r"^stripe/webhook/?$", views.StripeWebhookView.as_view(), name="stripe-webhook"),
]
