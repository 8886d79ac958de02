"""Row locks of SaaS mode, taken only here.

Lock order: a sign-up request before anything its verification creates; an organization's
subscription on its own (webhooks apply one event at a time per organization).
"""

from __future__ import annotations

from .models import SignupRequest, Subscription


def subscription_for_update(*, organization_id: int) -> Subscription:
    return Subscription.objects.select_for_update().get(organization_id=organization_id)


def signup_request_for_update(*, token_hash: str) -> SignupRequest | None:
    return SignupRequest.objects.select_for_update().filter(token_hash=token_hash).first()
