# ruff: noqa: RUF001  Bulgarian text is Cyrillic on purpose
"""A user whose language is Bulgarian reads every kind of server message in Bulgarian (business rules of sales,
billing and invoicing, record validation, sharing, the framework's own messages), an anonymous request follows
Accept-Language, and English stays the default."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from crm.billing.tests.factories import OrderFactory, won_opportunity
from crm.identity.models import User
from crm.sales.models import Lead
from crm.sales.tests.factories import LeadFactory, OpportunityFactory


@pytest.fixture
def bulgarian(user):
    User.objects.filter(pk=user.pk).update(language="bg")
    return user


def test_sales_rules_speak_bulgarian(api, bulgarian, in_org):
    lead = LeadFactory(owner=bulgarian, status=Lead.Status.CONVERTED)
    response = api.put(f"/api/v1/leads/{lead.pk}", {"phone": "1", "version": 1}, format="json")
    assert (response.status_code, response.data["code"]) == (409, "lead_converted")
    assert response.data["message"] == "Конвертиран потенциален клиент вече не може да се редактира."


def test_billing_rules_speak_bulgarian(api, bulgarian, in_org):
    opportunity = won_opportunity(bulgarian, stage="Proposal")
    response = api.post(f"/api/v1/opportunities/{opportunity.pk}/generate-order", format="json")
    assert response.status_code == 409
    assert response.data["message"] == "Само спечелена възможност може да бъде фактурирана; тази е на етап „Proposal“."


def test_invoicing_rules_speak_bulgarian(api, bulgarian, in_org):
    order = OrderFactory(owner=bulgarian, lines=[(Decimal("2"), Decimal("500.00"))])
    invoice = api.post(f"/api/v1/orders/{order.pk}/invoices", {}, format="json").data
    assert api.post(f"/api/v1/invoices/{invoice['id']}/issue", {}, format="json").status_code == 200
    again = api.post(f"/api/v1/invoices/{invoice['id']}/issue", {}, format="json")
    assert again.status_code == 409
    assert re.fullmatch(r"Фактура \S+ вече е издадена\.", again.data["message"]), again.data["message"]


def test_record_validation_speaks_bulgarian(api, bulgarian, in_org):
    response = api.post("/api/v1/accounts", {"name": "Акме", "website": "ftp://acme.example"}, format="json")
    assert (response.status_code, response.data["code"]) == (400, "validation_error")
    assert response.data["message"] == "Моля, коригирайте грешките по-долу."
    assert response.data["errors"]["website"] == ["Използвайте уеб адрес, който започва с http:// или https://."]
    search = api.get("/api/v1/search", {"q": "a"})
    assert search.status_code == 400
    assert search.data["message"] == "Въведете поне 2 знака."
    assert search.data["errors"]["q"] == ["Поне 2 знака."]


def test_sharing_speaks_bulgarian(api, bulgarian, in_org):
    deal = OpportunityFactory(owner=bulgarian)
    response = api.post(f"/api/v1/opportunities/{deal.pk}/shares", {"user_id": bulgarian.pk, "access": "Read"})
    assert (response.status_code, response.data["code"]) == (400, "already_owner")
    assert response.data["message"] == "Този потребител вече е собственик на записа."
    assert response.data["errors"]["user_id"] == ["Собственик е на записа."]
    settings = api.put("/api/v1/organization/sharing", {"Opportunity": "Private"}, format="json")
    assert (settings.status_code, settings.data["message"]) == (403, "Само администратор може да направи това.")


def test_the_frameworks_own_messages_speak_bulgarian(api, bulgarian, in_org):
    required = api.post("/api/v1/accounts", {}, format="json")
    assert required.data["errors"]["name"] == ["Това поле е задължително."]
    missing = api.get("/api/v1/accounts/987654321")
    assert (missing.status_code, missing.data["message"]) == (404, "Не е намерено.")
    date = api.post("/api/v1/opportunities", {"name": "X", "close_date": "вчера"}, format="json")
    assert date.data["errors"]["close_date"] == ["Дата е в невалиден формат. Валидни са следните формати: YYYY-MM-DD."]
    admins_only = api.post("/api/v1/products", {"name": "X"}, format="json")
    assert (admins_only.status_code, admins_only.data["message"]) == (403, "Само администратор може да промени това.")


def test_anonymous_requests_follow_accept_language(anon):
    bulgarian = anon.get("/api/v1/accounts", HTTP_ACCEPT_LANGUAGE="bg-BG,bg;q=0.9,en;q=0.5")
    assert bulgarian.status_code == 401
    assert bulgarian.data["message"] == "Не са предоставени данни за удостоверяване."
    english = anon.get("/api/v1/accounts", HTTP_ACCEPT_LANGUAGE="en")
    assert english.data["message"] == "Authentication credentials were not provided."
    malformed = anon.post("/api/v1/auth/login", b"{", content_type="application/json", HTTP_ACCEPT_LANGUAGE="bg")
    assert malformed.status_code == 400
    assert malformed.data["message"].startswith("Грешка при разчитане на JSON")


def test_throttling_and_lockout_speak_bulgarian_with_plural_forms(anon, user, monkeypatch):
    from crm.identity.api import views

    monkeypatch.setattr(views.LoginClientThrottle, "THROTTLE_RATES", {"login_client": "1/min"})
    body = {"email": "nobody@acme.example", "password": "x"}
    assert anon.post("/api/v1/auth/login", body, format="json").status_code == 400
    bulgarian = anon.post("/api/v1/auth/login", body, format="json", HTTP_ACCEPT_LANGUAGE="bg")
    assert (bulgarian.status_code, bulgarian.data["code"]) == (429, "throttled")
    assert re.fullmatch(r"Твърде много заявки\. Опитайте отново след \d+ секунд[аи]\.", bulgarian.data["message"])
    english = anon.post("/api/v1/auth/login", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert re.fullmatch(r"Request was throttled\. Expected available in \d+ seconds?\.", english.data["message"])


def test_english_stays_the_default(api, user, in_org):
    response = api.post("/api/v1/accounts", {"name": "Acme", "website": "ftp://acme.example"}, format="json")
    assert response.data["message"] == "Please correct the errors below."
    assert response.data["errors"]["website"] == ["Use a web address starting with http:// or https://."]
    lead = LeadFactory(owner=user, status=Lead.Status.CONVERTED)
    converted = api.put(f"/api/v1/leads/{lead.pk}", {"phone": "1", "version": 1}, format="json")
    assert converted.data["message"] == "A converted lead can no longer be edited."
