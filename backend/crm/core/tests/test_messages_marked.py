"""Every user-facing server message goes through gettext: a scan of the code finds error, validation and mail
texts written as bare literals (or f-strings, or formatted before translation), which would never be Bulgarian."""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

TRANSLATE = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
# Errors whose first positional argument is a machine code (kept English) and whose other arguments are texts.
CODED_ERRORS = {"ApplicationError", "InvalidStateTransition", "VersionConflict", "error_body"}
# Errors (DRF, Django, our own) whose arguments are texts.
TEXT_ERRORS = {
    "ValidationError",
    "APIException",
    "ParseError",
    "AuthenticationFailed",
    "NotAuthenticated",
    "PermissionDenied",
    "NotFound",
    "MethodNotAllowed",
    "NotAcceptable",
    "UnsupportedMediaType",
    "Throttled",
    "TemplateProblem",
}
# Errors whose first positional argument is a method, a media type or a wait, not a text.
NOT_TEXT_FIRST = {"MethodNotAllowed", "UnsupportedMediaType", "Throttled"}
NOT_TEXT_KEYWORDS = {"code", "field", "line", "params", "status_code", "wait"}
MAILS = {"send_mail", "EmailMessage", "EmailMultiAlternatives", "mail_admins", "mail_managers"}
CODE = re.compile(r"^[a-z0-9_.]+$")
SENTENCE = re.compile(r"^[A-Z].* .*[.?!]$")


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _root(node: ast.expr) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _is_code(node: ast.expr) -> bool:
    """A machine code such as ``order_closed`` or ``f"{kind}_inactive"``."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and CODE.match(node.value) is not None
    if isinstance(node, ast.JoinedStr):
        texts = [part.value for part in node.values if isinstance(part, ast.Constant)]
        return all(isinstance(text, str) and re.match(r"^[a-z0-9_.]*$", text) for text in texts)
    return False


def _sentence(node: ast.expr) -> bool:
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and SENTENCE.match(node.value) is not None


def _untranslated(node: ast.expr | None) -> ast.expr | None:
    """The first piece of ``node`` that is text a user reads but that gettext never sees."""
    if node is None:
        return None
    if isinstance(node, ast.Constant):
        return node if isinstance(node.value, str) and node.value.strip() else None
    if isinstance(node, ast.JoinedStr):
        return node
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
        return _untranslated(node.left) or (_untranslated(node.right) if isinstance(node.op, ast.Add) else None)
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute) and node.func.attr == "format":
            return _untranslated(node.func.value)
        if _name(node.func) in TRANSLATE:
            # Inside gettext the text must be a plain literal: formatting comes after translation.
            for arg in node.args[:1]:
                if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                    return arg
        return None
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return next(filter(None, map(_untranslated, node.elts)), None)
    if isinstance(node, ast.Dict):
        return next(filter(None, map(_untranslated, node.values)), None)
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        return _untranslated(node.elt)
    if isinstance(node, ast.DictComp):
        return _untranslated(node.value)
    if isinstance(node, ast.IfExp):
        return _untranslated(node.body) or _untranslated(node.orelse)
    if isinstance(node, ast.BoolOp):
        return next(filter(None, map(_untranslated, node.values)), None)
    return None


def _error_classes(trees: list[ast.Module]) -> tuple[set[str], set[str]]:
    """The error names above plus every class of ours that derives from one of them."""
    coded, text = set(CODED_ERRORS), set(TEXT_ERRORS)
    grown = True
    while grown:
        grown = False
        for tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef):
                    bases = {_name(base) for base in node.bases}
                    for family in (coded, text):
                        if bases & family and node.name not in family:
                            family.add(node.name)
                            grown = True
    return coded, text


def unmarked_messages(trees: dict[str, ast.Module]) -> Iterator[str]:
    """``path:line: text`` for every message of ``trees`` that is not marked for translation."""
    coded, text = _error_classes(list(trees.values()))
    for path, tree in trees.items():
        found_here: dict[int, tuple[int, str]] = {}  # by node: several rules may find the same text
        # Inside our own error classes, super().__init__(code, message, fields) passes messages too.
        constructors = {
            id(call)
            for cls in ast.walk(tree)
            if isinstance(cls, ast.ClassDef) and cls.name in coded
            for call in ast.walk(cls)
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "__init__"
        }
        for node in ast.walk(tree):
            candidates: list[ast.expr] = []
            if isinstance(node, ast.ClassDef):
                # A permission's message, an exception's default detail.
                for statement in node.body:
                    if isinstance(statement, ast.Assign) and any(
                        isinstance(target, ast.Name) and target.id in {"message", "default_detail", "create_hint"}
                        for target in statement.targets
                    ):
                        candidates.append(statement.value)
            if isinstance(node, ast.Call):
                name = "ApplicationError" if id(node) in constructors else _name(node.func)
                if name in coded or name in text:
                    args = list(node.args)
                    if name in coded and args and _is_code(args[0]):
                        args = args[1:]
                    if name in NOT_TEXT_FIRST:
                        args = args[1:]
                    candidates += args
                    candidates += [kw.value for kw in node.keywords if kw.arg not in NOT_TEXT_KEYWORDS]
                elif name in MAILS:
                    candidates += node.args[:1]
                    candidates += [kw.value for kw in node.keywords if kw.arg == "subject"]
                elif name == "append" and "error" in (_root(node.func) or ""):
                    candidates += node.args
                candidates += [kw.value for kw in node.keywords if kw.arg == "error_messages"]
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    # A "message" in an answer body is read by the user as well.
                    if isinstance(key, ast.Constant) and key.value == "message" and value is not None:
                        candidates.append(value)
                    # {field: ["A sentence."]} is a field error wherever it is built.
                    if isinstance(value, ast.List) and any(_sentence(item) for item in value.elts):
                        candidates.append(value)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = {_root(target) or "" for target in targets}
                if node.value is not None and any(
                    "error" in name.lower() or name in {"message", "detail"} for name in names
                ):
                    candidates.append(node.value)
            for candidate in candidates:
                found = _untranslated(candidate)
                if found is not None:
                    found_here[id(found)] = (found.lineno, ast.unparse(found)[:80])
        for line, text_found in sorted(found_here.values()):
            yield f"{path}:{line}: {text_found}"


def _sources() -> dict[str, ast.Module]:
    backend = Path(settings.BACKEND_DIR)
    trees: dict[str, ast.Module] = {}
    for root in ("crm", "config"):
        for path in sorted((backend / root).rglob("*.py")):
            relative = path.relative_to(backend)
            if {"tests", "migrations"} & set(relative.parts):
                continue
            trees[str(relative)] = ast.parse(path.read_text(encoding="utf-8"), filename=str(relative))
    return trees


def _scan(source: str) -> list[str]:
    return list(unmarked_messages({"example.py": ast.parse(textwrap.dedent(source))}))


def test_every_server_message_is_marked_for_translation():
    assert list(unmarked_messages(_sources())) == []


def test_the_scan_finds_bare_messages():
    planted = _scan(
        """
        from django.utils.translation import gettext as _
        from rest_framework import serializers
        from crm.core.errors import ApplicationError, InvalidStateTransition, error_body

        class OrderLocked(InvalidStateTransition):
            def __init__(self, order):
                super().__init__("order_locked", "The order is locked.", {"status": "Locked."})

        class IsOwner(BasePermission):
            message = "Only the owner can do this."

        def check(order, errors):
            raise ApplicationError("order_closed", "The order is closed.")
            raise ApplicationError("x", _("Fine."), {"amount": ["Must be more than 0."]})
            raise OrderLocked("order_locked", f"Order {order} is locked.")
            raise OrderLocked(f"{kind}_locked", f"The {kind} is locked.")
            raise serializers.ValidationError({"name": "Required."})
            raise ValidationError("Not a valid date: %s" % order)
            raise ApplicationError("bad", _("Order %s") % order, {"x": _(f"Order {order}")})
            errors["lines.0.amount"] = "Too large."
            errors.setdefault("non_field_errors", []).append("Keep one stage.")
            errors["stages"] = [f"Stage {name!r} is in use." for name in order]
            return Response({"id": order.pk, "message": "Order created."})

        def links(values):
            if not values:
                return {"what_id": ["Give the id of the record."]}
            message = "Send one of order_id or contract_id."
            return {"fields": ["name", "email"], "order_id": [message]}
            body = error_body("request_failed", "Request failed.")
            send_mail("Your invoice", body, None, ["a@example.com"])
            amount = serializers.DecimalField(max_digits=9, decimal_places=2, error_messages={"invalid": "A number."})
        """
    )
    texts = [line.split(": ", 1)[1] for line in planted]
    assert texts == [
        "'Locked.'",
        "'The order is locked.'",
        "'Only the owner can do this.'",
        "'The order is closed.'",
        "'Must be more than 0.'",
        "f'Order {order} is locked.'",
        "f'The {kind} is locked.'",
        "'Required.'",
        "'Not a valid date: %s'",
        "f'Order {order}'",
        "'Too large.'",
        "'Keep one stage.'",
        "f'Stage {name!r} is in use.'",
        "'Order created.'",
        "'Give the id of the record.'",
        "'Send one of order_id or contract_id.'",
        "'Request failed.'",
        "'Your invoice'",
        "'A number.'",
    ]


def test_the_scan_accepts_marked_messages_and_machine_codes():
    assert (
        _scan(
            """
        from django.utils.translation import gettext as _, gettext_lazy
        LIMIT = gettext_lazy("Too many lines.")

        def check(order, errors, exc):
            raise ApplicationError("order_closed", _("The order %(number)s is closed.") % {"number": order})
            raise InvalidStateTransition("order_locked", LIMIT, {"status": [_("Locked.")]})
            raise ValidationError(exc.messages, code="invalid")
            errors["amount"] = _("Must be more than 0.")
            send_mail(_("Your invoice %(number)s") % {"number": order}, render(order), None, [])
        """
        )
        == []
    )
