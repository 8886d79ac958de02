"""Export of any registered object's list view to CSV or XLSX, streamed.

The rows are the list endpoint's own: the object's viewset filters, searches, sorts and scopes the
queryset (tenancy and record sharing) exactly as for ``GET /<object>``, and its list serializer
writes each row. They are fetched in chunks and written as they come, so a million rows never sit
in memory. A cell that a spreadsheet would read as a formula gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import itertools
import os
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.request import Request

from crm.core.errors import ApplicationError
from crm.core.scoping import viewer_scope
from crm.records.api import RecordViewSet
from crm.records.rows import row_plan

from .targets import ObjectAccess

CHUNK_SIZE = 2000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def neutralize(value: Any) -> Any:
    """A text that starts like a formula (= + - @ tab CR) as plain text: prefixed with ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return f"'{value}"
    return value


def list_view_for(access: ObjectAccess, request: Request) -> RecordViewSet:
    """The object's list viewset, set up for ``request`` as the router would (without dispatching)."""
    view = access.viewset(**access.initkwargs)
    view.action_map = {"get": "list"}
    view.action = "list"
    view.request = request
    view.args = ()
    view.kwargs = {}
    view.format_kwarg = None
    view.headers = {}
    view.check_permissions(request)
    return view


def export_columns(access: ObjectAccess, view: RecordViewSet, requested: str) -> list[tuple[str, str]]:
    """(key of the list row, header) per column: ``columns=`` or the list view's columns. A lookup
    exports the linked record's name (``account_name``) rather than its id."""
    serializer_class = view.get_serializer_class()
    available = serializer_class().fields
    meta = {item.name: item for item in access.meta.fields}
    names = [name.strip() for name in requested.split(",") if name.strip()] if requested else []
    names = names or list(access.meta.list_columns)
    unknown = [name for name in names if name not in available]
    if unknown:
        raise ApplicationError(
            "validation_error",
            _("Please correct the errors below."),
            {"columns": [_("Unknown column: %(names)s.") % {"names": ", ".join(unknown)}]},
        )
    out = []
    for name in names:
        item = meta.get(name)
        key = item.display if item is not None and item.display and item.display in available else name
        out.append((key, item.label if item is not None else name.replace("_", " ").capitalize()))
    return out


def _rows(view: RecordViewSet, queryset: QuerySet[Any]) -> Iterator[dict[str, Any]]:
    serializer_class = view.get_serializer_class()
    plan = row_plan(serializer_class, queryset)
    if plan is not None:
        values = queryset.values_list(*plan.paths).iterator(chunk_size=CHUNK_SIZE)
        while chunk := list(itertools.islice(values, CHUNK_SIZE)):
            yield from plan.build(chunk)
        return
    records = queryset.iterator(chunk_size=CHUNK_SIZE)
    context = view.get_serializer_context()
    while chunk := list(itertools.islice(records, CHUNK_SIZE)):
        yield from serializer_class(chunk, many=True, context=context).data


def _scoped(user: Any, rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The rows are read while the response streams, after the view returned: as the same user."""
    with viewer_scope(user):
        yield from rows


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        value = ", ".join(str(item) for item in value) if isinstance(value, list) else str(value)
    if isinstance(value, bool):
        return value
    return neutralize(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_stream(columns: list[tuple[str, str]], rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that spreadsheet programs read UTF-8
    yield writer.writerow([neutralize(header) for _key, header in columns])
    buffer: list[str] = []
    for row in rows:
        buffer.append(writer.writerow([_cell(row.get(key)) for key, _header in columns]))
        if len(buffer) >= 500:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


def _xlsx_stream(columns: list[tuple[str, str]], rows: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """The workbook, written row by row (openpyxl's write-only mode) to a temporary file, then sent."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([neutralize(header) for _key, header in columns])
    for row in rows:
        sheet.append([_cell(row.get(key)) for key, _header in columns])
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        workbook.save(path)
        with open(path, "rb") as file:
            while chunk := file.read(64 * 1024):
                yield chunk
    finally:
        os.unlink(path)


def export_response(
    *, access: ObjectAccess, view: RecordViewSet, fmt: str, columns: list[tuple[str, str]]
) -> StreamingHttpResponse:
    queryset = view.filter_queryset(view.get_queryset())
    rows = _scoped(view.request.user, _rows(view, queryset))
    stream: Iterator[Any] = _csv_stream(columns, rows) if fmt == "csv" else _xlsx_stream(columns, rows)
    response = StreamingHttpResponse(stream, content_type=FORMATS[fmt])
    name = f"{access.meta.api_path}-{timezone.localdate().isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
