"""The one JSON parser of the API: bodies nested deeper than any of our documents are refused.

Python's JSON decoder recurses once per level of nesting: ``[[[[...]]]]`` a hundred thousand
levels deep raised RecursionError (a 500) before any view code ran, on every endpoint that
reads a body, the sign-in included. No request body of ours nests more than a few levels, so
the parser counts the nesting first (a linear scan, no recursion) and refuses anything deeper
than ``MAX_DEPTH`` with a 400 in the API's error shape.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json as strict_json

MAX_DEPTH = 64

# A JSON string (whose brackets do not count) or one bracket.
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


def nesting_depth(text: str, limit: int = MAX_DEPTH) -> int:
    """How deeply ``text`` nests arrays and objects, counting no further than ``limit`` + 1."""
    if text.count("[") + text.count("{") <= limit:
        return 0  # cannot nest deeper than it has brackets
    depth = deepest = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif token in ("]", "}"):
            depth -= 1
    return deepest


class JSONBodyParser(JSONParser):
    """DRF's JSON parser with a nesting limit; malformed JSON answers ``invalid_json``."""

    max_depth = MAX_DEPTH

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding") or "utf-8"
        try:
            text = codecs.getreader(encoding)(stream).read() if stream is not None else ""
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(
                _("The body is not valid %(encoding)s text: %(error)s") % {"encoding": encoding, "error": exc},
                code="invalid_json",
            ) from None
        if nesting_depth(text, self.max_depth) > self.max_depth:
            raise ParseError(
                _("The JSON body nests arrays or objects more than %(max_depth)s levels deep.")
                % {"max_depth": self.max_depth},
                code="too_deep",
            )
        parse_constant = strict_json.strict_constant if self.strict else None
        try:
            return json.loads(text, parse_constant=parse_constant)
        except RecursionError:  # cannot happen below MAX_DEPTH; kept as a last line of defence
            raise ParseError(_("The JSON body nests too deeply."), code="too_deep") from None
        except ValueError as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}, code="invalid_json") from None
