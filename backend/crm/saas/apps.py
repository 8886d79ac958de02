from django.apps import AppConfig


class SaasConfig(AppConfig):
    """SaaS mode (SAAS_MODE=1): public sign-up, plans with limits, Stripe subscriptions."""

    name = "crm.saas"
    label = "saas"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from crm.core.limits import install_policy
        from crm.stripe_gateway.services.webhooks import register_event_handler

        from . import limits
        from .services import subscriptions

        install_policy(limits.PlanLimits())
        register_event_handler("checkout.session.completed", subscriptions.on_checkout_completed)
        for event_type in (
            "customer.subscription.created",
            "customer.subscription.updated",
            "customer.subscription.deleted",
        ):
            register_event_handler(event_type, subscriptions.on_subscription_event)
