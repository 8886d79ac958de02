"""Email rendering: merge tags in a sandbox over plain data, MJML, sanitized HTML, plain text.

- Merge tags are Jinja expressions evaluated in an immutable sandbox over plain dictionaries (never
  model instances): ``{{ contact.first_name | default("there") }}``. ``default`` also replaces
  empty values, so a contact without a first name still reads "Hi there". Unknown names render
  empty instead of failing.
- The HTML body is sanitized with nh3 after the merge: scripts, event handlers, ``javascript:``
  links and foreign tags are removed whatever the template or the merged data contain.
- MJML bodies are compiled with mjml-python; the compiler's own head (styles) is kept, the body is
  sanitized like any other.
- The plain-text alternative is the template's own text body, or the HTML reduced to text with
  each link written out after its label.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from typing import Any

import mjml
import nh3
from django.utils.translation import gettext as _
from jinja2 import ChainableUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from crm.core.errors import ApplicationError

MAX_BODY = 200_000  # characters of a template body
MAX_OUTPUT = 1_000_000  # characters of a rendered body


def _default(value: Any, fallback: Any = "", boolean: bool = True) -> Any:
    """Jinja's ``default``, applied to empty values too (an empty first name takes the fallback)."""
    if isinstance(value, ChainableUndefined) or value is None or (boolean and not value):
        return fallback
    return value


class _Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, loud about unsafe attributes (the chainable undefined would hide them)."""

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        raise SecurityError(f"{attribute!r} of {type(obj).__name__!r}")


def _environment(*, autoescape: bool) -> ImmutableSandboxedEnvironment:
    env = _Sandbox(autoescape=autoescape, undefined=ChainableUndefined)
    env.filters["default"] = _default
    env.filters["d"] = _default
    return env


HTML_ENV = _environment(autoescape=True)
TEXT_ENV = _environment(autoescape=False)

# What an email may contain: layout tables, text formatting, images, links.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "center", "code", "div", "em", "font", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
GENERIC_ATTRIBUTES = {"style", "class", "align", "valign", "width", "height", "bgcolor", "dir", "title", "role"}
ALLOWED_ATTRIBUTES = {
    "*": GENERIC_ATTRIBUTES,
    "a": {"href", "target", "name"},
    "img": {"src", "alt", "border"},
    "table": {"border", "cellpadding", "cellspacing"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "font": {"color", "face", "size"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    html: str
    text: str


def _template_error(field: str, exc: Exception) -> ApplicationError:
    if isinstance(exc, TemplateSyntaxError):
        detail = _("Line %(line)s: %(message)s") % {"line": exc.lineno, "message": exc.message}
    elif isinstance(exc, SecurityError):
        detail = _("This merge tag is not allowed: %(message)s") % {"message": str(exc)}
    else:
        detail = str(exc)
    return ApplicationError("template_error", _("The template cannot be rendered."), {field: [detail]})


def _compile(env: ImmutableSandboxedEnvironment, source: str, field: str) -> Any:
    try:
        return env.from_string(source)
    except TemplateError as exc:
        raise _template_error(field, exc) from None


def _render(env: ImmutableSandboxedEnvironment, source: str, context: dict[str, Any], field: str) -> str:
    template = _compile(env, source, field)
    try:
        out = template.render(context)
    except (TemplateError, SecurityError, TypeError, ValueError, ArithmeticError, AttributeError) as exc:
        raise _template_error(field, exc) from None
    if len(out) > MAX_OUTPUT:
        raise ApplicationError(
            "template_error", _("The template cannot be rendered."), {field: [_("The rendered email is too long.")]}
        )
    return out


def sanitize_html(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


_HEAD = re.compile(r"<head>(.*?)</head>", re.DOTALL | re.IGNORECASE)
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL | re.IGNORECASE)
_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)


def _mjml_to_html(source: str) -> tuple[str, str]:
    """(head styles, body) of the compiled MJML."""
    try:
        compiled = mjml.mjml2html(source)
    except (ValueError, RuntimeError) as exc:
        raise ApplicationError(
            "template_error",
            _("The template cannot be rendered."),
            {"body": [_("This is not valid MJML: %(message)s") % {"message": str(exc)}]},
        ) from None
    head = _HEAD.search(compiled)
    body = _BODY.search(compiled)
    styles = "\n".join(_STYLE.findall(head.group(1))) if head else ""
    # Styles cannot close their element or pull in remote content.
    styles = re.sub(r"</?\s*style|@import|expression\s*\(|javascript:", "", styles, flags=re.IGNORECASE)
    return styles, body.group(1) if body else compiled


def document(body: str, styles: str = "", title: str = "") -> str:
    style = f"<style>{styles}</style>" if styles else ""
    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html_lib.escape(title)}</title>{style}</head><body>{body}</body></html>"
    )


_LINK = re.compile(r"<a\s[^>]*href=\"([^\"]+)\"[^>]*>(.*?)</a>", re.DOTALL | re.IGNORECASE)
_BREAKS = re.compile(r"<\s*(br|/p|/div|/tr|/h[1-6]|/li|hr)[^>]*>", re.IGNORECASE)


def html_to_text(fragment: str) -> str:
    def link(match: re.Match[str]) -> str:
        href, label = html_lib.unescape(match.group(1)), match.group(2)
        plain = nh3.clean(label, tags=set()).strip()
        return f"{plain} ({href})" if plain and plain != href else href

    text = _LINK.sub(link, fragment)
    text = _BREAKS.sub("\n", text)
    text = html_lib.unescape(nh3.clean(text, tags=set()))
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def template_check(*, subject: str, body: str, body_format: str, text_body: str = "") -> None:
    """Refuse a template that cannot compile (400 with the field and line), before it is saved."""
    if len(body) > MAX_BODY:
        raise ApplicationError(
            "template_error", _("The template cannot be rendered."), {"body": [_("The body is too long.")]}
        )
    _compile(TEXT_ENV, subject, "subject")
    _compile(HTML_ENV, body, "body")
    if text_body:
        _compile(TEXT_ENV, text_body, "text_body")
    if body_format == "mjml":
        _mjml_to_html(body)


def render_parts(
    *, subject: str, body: str, body_format: str, text_body: str, context: dict[str, Any]
) -> RenderedEmail:
    """Render a template's parts with ``context`` (plain data only)."""
    rendered_subject = " ".join(_render(TEXT_ENV, subject, context, "subject").split())
    merged = _render(HTML_ENV, body, context, "body")
    styles = ""
    if body_format == "mjml":
        styles, merged = _mjml_to_html(merged)
    clean = sanitize_html(merged)
    text = _render(TEXT_ENV, text_body, context, "text_body") if text_body else html_to_text(clean)
    return RenderedEmail(subject=rendered_subject, html=document(clean, styles, rendered_subject), text=text)
