"""The plans of SaaS mode, read from the SAAS_PLANS setting (seats, record limit, features and the
Stripe price id of each; see config/settings/base.py). ``None`` means no limit."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

FEATURES = ("ai", "marketing")


@dataclass(frozen=True)
class Plan:
    code: str
    name: str
    seats: int | None
    record_limit: int | None
    features: frozenset[str]
    price_id: str
    monthly_price: str

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "seats": self.seats,
            "record_limit": self.record_limit,
            "features": sorted(self.features),
            "monthly_price": self.monthly_price,
            "purchasable": bool(self.price_id),
        }


def plans() -> list[Plan]:
    return [
        Plan(
            code=entry["code"],
            name=entry["name"],
            seats=entry.get("seats"),
            record_limit=entry.get("record_limit"),
            features=frozenset(entry.get("features", ())),
            price_id=entry.get("price_id") or "",
            monthly_price=entry.get("monthly_price", ""),
        )
        for entry in settings.SAAS_PLANS
    ]


def free_plan() -> Plan:
    return plans()[0]


def plan_by_code(code: str) -> Plan | None:
    return next((plan for plan in plans() if plan.code == code), None)


def plan_by_price(price_id: str) -> Plan | None:
    return next((plan for plan in plans() if price_id and plan.price_id == price_id), None)
