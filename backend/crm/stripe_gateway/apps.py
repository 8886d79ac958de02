from django.apps import AppConfig


class StripeGatewayConfig(AppConfig):
    """Stripe: Checkout payment links for invoices and the signed webhook that settles them."""

    name = "crm.stripe_gateway"
    label = "stripe_gateway"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from crm.invoicing.services.document_extras import register_invoice_extra

        from .services import links, webhooks

        register_invoice_extra("stripe_payment_link", links.invoice_pay_online)
        webhooks.register_event_handler("checkout.session.completed", links.on_checkout_completed)
        webhooks.register_event_handler("checkout.session.async_payment_succeeded", links.on_checkout_completed)
        webhooks.register_event_handler("checkout.session.expired", links.on_checkout_expired)
        webhooks.register_event_handler("charge.refunded", links.on_charge_refunded)
