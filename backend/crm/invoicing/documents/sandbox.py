"""Document templates render in Jinja2's sandbox over plain data (dicts, lists, strings, numbers):
no attribute of a model is reachable, nothing is read from files or the network, and a template
that does not compile or fails while rendering is reported with its line and message."""

from __future__ import annotations

import contextlib
import functools
import sys
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from jinja2 import Template, TemplateError, TemplateSyntaxError, Undefined
from jinja2.sandbox import SandboxedEnvironment


@dataclass
class TemplateProblem(Exception):
    """A template that does not compile or render: where and why, for a 400 answer."""

    field: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.message}"


class _Environment(SandboxedEnvironment):
    """The sandbox with no loader (no ``include``/``import`` of files) and HTML escaping on."""

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=Undefined, trim_blocks=True, lstrip_blocks=True)


ENVIRONMENT = _Environment()


def _template_line(exc: BaseException) -> int | None:
    lineno = getattr(exc, "lineno", None)
    if lineno:
        return int(lineno)
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


@functools.lru_cache(maxsize=32)
def _compiled(source: str) -> Template:
    """The compiled template of ``source``: compiling costs about as much as rendering a page of
    lines, and a server renders the same few templates again and again. Compiling only turns the
    source into Python code (no user code runs), so it needs no sandbox limits of its own."""
    return ENVIRONMENT.from_string(source)


def template_precompile(*, html: str) -> None:
    """Compile ``html`` into the cache now (a source that does not compile is left to
    ``render_template``, which reports it): a renderer forked afterwards finds it compiled."""
    with contextlib.suppress(TemplateSyntaxError):
        _compiled(html)


def render_template(*, html: str, context: dict[str, Any], field: str = "html") -> str:
    try:
        template = _compiled(html)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(field=field, line=exc.lineno, message=exc.message or str(exc)) from None
    try:
        return template.render(context)
    except TemplateError as exc:
        raise TemplateProblem(field=field, line=_template_line(exc), message=str(exc)) from None
    except RecursionError:
        raise TemplateProblem(field=field, line=None, message=_("The template recurses too deeply.")) from None
    except MemoryError:
        raise TemplateProblem(field=field, line=None, message=_("The template needs too much memory.")) from None
    except Exception as exc:  # a failing filter or operation inside the template: the user's error
        raise TemplateProblem(
            field=field,
            line=_template_line(exc),
            message=_("%(name)s: %(error)s") % {"name": type(exc).__name__, "error": exc},
        ) from None


def check_syntax(*, html: str) -> None:
    try:
        ENVIRONMENT.parse(html)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(field="html", line=exc.lineno, message=exc.message or str(exc)) from None


sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
