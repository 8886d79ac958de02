"""Serializer fields shared by every object.

``WebAddressField`` is the one field for web addresses (an account's or a lead's website, and
any field the object metadata calls ``url``): the web UI renders the value as a link, so only
http and https are accepted. ``javascript:``, ``data:``, ``vbscript:`` and every other scheme
answer 400, whatever their letter case and whatever whitespace or control characters are
hidden in them (browsers drop tabs and line breaks inside a URL, so ``java\\tscript:`` runs).
A bare host such as ``acme.example/about`` is stored as ``https://acme.example/about``.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from rest_framework import serializers

from .query import validate_date

WEB_SCHEMES = ("http", "https")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_HOST_AND_PORT = re.compile(r"^[^:/?#]+:\d+(?:[/?#]|$)")
_validate_url = URLValidator(schemes=list(WEB_SCHEMES))


def web_address(value: str) -> str:
    """``value`` as an http(s) URL; ValueError with a message for the user otherwise."""
    if any(ch.isspace() or ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in value):
        raise ValueError(_("A web address cannot contain spaces or control characters."))
    scheme = _SCHEME.match(value)
    if scheme is not None and not _HOST_AND_PORT.match(value):
        if scheme.group(1).lower() not in WEB_SCHEMES:
            raise ValueError(_("Use a web address starting with http:// or https://."))
    else:
        value = f"https://{value}"
    try:
        _validate_url(value)
    except DjangoValidationError:
        raise ValueError(_("Enter a valid web address, e.g. https://www.example.com.")) from None
    return value


class WebAddressField(serializers.CharField):
    """A web address users click: http or https only (see the module docstring)."""

    plain_output = True  # written as CharField writes it: lists may build it from the column (rows.py)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("help_text", "An http:// or https:// address; a bare host gets https://.")
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if value == "":
            return value
        try:
            value = web_address(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None
        if self.max_length is not None and len(value) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return value


class BoundedDateField(serializers.DateField):
    """A date inside the range every later calculation can hold (``query.EARLIEST_DATE`` to
    ``query.LATEST_DATE``): a stored 0001-01-01 or 9999-12-31 would overflow when a list shifts it
    into a time zone or adds the day that ends it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(validate_date)


class BoundedDateTimeField(serializers.DateTimeField):
    """A date-time inside the same range as ``BoundedDateField``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(validate_date)
