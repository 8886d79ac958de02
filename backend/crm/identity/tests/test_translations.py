# ruff: noqa: RUF001  Bulgarian text is Cyrillic on purpose
"""Every server message exists in Bulgarian: the catalog has no empty translation, every string
the code marks for translation is in it, the compiled catalog is current, and a request in
Bulgarian (the user's language, or Accept-Language when anonymous) gets Bulgarian messages."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings

from crm.identity.models import User

LOCALE = Path(settings.BACKEND_DIR) / "locale" / "bg" / "LC_MESSAGES"
KEYWORDS = {"_": None, "gettext": None, "gettext_lazy": None}


def _texts(value):
    """A message's id or string; plural forms as a tuple of them."""
    return tuple(value) if isinstance(value, (list, tuple)) else value


def _catalog():
    with (LOCALE / "django.po").open("rb") as handle:
        return read_po(handle)


def _marked_strings() -> set[str]:
    found: set[str] = set()
    for root in ("crm", "config"):
        for _filename, _line, message, _comments, _context in extract_from_dir(
            Path(settings.BACKEND_DIR) / root,
            method_map=[("**/tests/**", "ignore"), ("**/migrations/**", "ignore"), ("**.py", "python")],
            keywords=KEYWORDS,
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_the_catalog_has_no_empty_or_fuzzy_translation():
    catalog = _catalog()
    empty = [message.id for message in catalog if message.id and not all(_texts(message.string) or [""])]
    fuzzy = [message.id for message in catalog if message.id and message.fuzzy]
    assert (empty, fuzzy) == ([], [])
    assert len(catalog) >= 30


def test_every_translatable_string_in_the_code_has_a_bulgarian_translation():
    translated = {message.id for message in _catalog() if message.id and message.string}
    missing = sorted(_marked_strings() - translated)
    assert missing == [], f"run `make messages` and translate: {missing}"


def test_the_compiled_catalog_matches_the_source():
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = {
            _texts(message.id): _texts(message.string) for message in read_mo(io.BytesIO(handle.read())) if message.id
        }
    source = {_texts(message.id): _texts(message.string) for message in _catalog() if message.id}
    assert compiled == source, "run `make messages` (pybabel compile) and commit django.mo"


@pytest.mark.django_db
def test_a_user_who_speaks_bulgarian_gets_bulgarian_messages(admin_api, admin):
    User.objects.filter(pk=admin.pk).update(language="bg")
    response = admin_api.patch("/api/v1/organization", {"iban": "BG80BNBG96611020345679", "version": 1}, format="json")
    assert response.status_code == 400
    assert response.data["errors"]["iban"] == ["Невалиден IBAN."]
    assert response.data["message"] == "Някои полета не са валидни."
    required = admin_api.patch("/api/v1/organization", {"name": "X"}, format="json")
    assert required.data["errors"]["version"] == ["Това поле е задължително."]


@pytest.mark.django_db
def test_anonymous_requests_follow_accept_language(anon, user):
    body = {"email": user.email, "password": "wrong"}
    bulgarian = anon.post("/api/v1/auth/login", body, format="json", HTTP_ACCEPT_LANGUAGE="bg,en;q=0.5")
    assert bulgarian.data["message"] == "Невалиден имейл или парола."
    english = anon.post("/api/v1/auth/login", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.data["message"] == "Invalid email or password."


@pytest.mark.django_db
def test_mails_use_the_recipients_language(anon, user, mailoutbox):
    User.objects.filter(pk=user.pk).update(language="bg")
    assert anon.post("/api/v1/auth/password/reset", {"email": user.email}, format="json").status_code == 202
    assert mailoutbox[0].subject == "Нулиране на CRM паролата ви в Acme Agency"
    assert "Здравейте, Sam Seller," in mailoutbox[0].body
