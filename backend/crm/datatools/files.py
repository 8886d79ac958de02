"""Reading an uploaded CSV or XLSX file into a header row and rows of text cells.

CSV: the encoding is UTF-8 (with or without a byte order mark) or Windows-1251, the delimiter is
sniffed from the first lines. XLSX: read-only and streamed; a file whose entries unpack to more
than ``IMPORT_MAX_UNCOMPRESSED_BYTES`` (a zip bomb) is refused before any XML is parsed. Cells are
read as text as stored: a formula is kept as its text (``=SUM(A1:A3)``), never evaluated.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from crm.core.errors import ApplicationError

CSV_DELIMITERS = ",;\t|"
SNIFF_BYTES = 64 * 1024
XLSX_MAGIC = b"PK\x03\x04"
# An entry that unpacks to more than this many times its compressed size is not a spreadsheet.
XLSX_MAX_RATIO = 200

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")


def file_error(message: str, code: str = "invalid_file") -> ApplicationError:
    return ApplicationError(code, message, {"file": [message]})


@dataclass
class Table:
    format: str  # csv | xlsx
    headers: list[str]
    encoding: str = ""
    delimiter: str = ""
    _text: str = ""
    _data: bytes = b""

    def rows(self) -> Iterator[list[str]]:
        """The data rows (after the header), every cell as text, skipping blank lines."""
        source = _csv_rows(self._text, self.delimiter) if self.format == "csv" else _xlsx_rows(self._data)
        next(source, None)  # the header
        for row in source:
            if any(cell.strip() for cell in row):
                yield row


def _check_size(data: bytes) -> None:
    limit = settings.IMPORT_MAX_BYTES
    if len(data) > limit:
        raise file_error(
            _("The file is larger than %(mb)s MB; split it into smaller files.") % {"mb": limit // (1024 * 1024)},
            "file_too_large",
        )
    if not data.strip():
        raise file_error(_("The file is empty."), "empty_file")


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        if not _utf8(data[3:]):
            _bad_encoding()
        return data[3:].decode("utf-8"), "utf-8-sig"
    if b"\x00" in data[:SNIFF_BYTES]:
        _bad_encoding()
    if _utf8(data):
        return data.decode("utf-8"), "utf-8"
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        _bad_encoding()
    if not _looks_cyrillic(text):
        _bad_encoding()
    return text, "cp1251"


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _looks_cyrillic(text: str) -> bool:
    """Windows-1251 text: its non-ASCII words are Cyrillic words (Latin-1 read as 1251 gives "cafй")."""
    words = [word for word in re.findall(r"\w+", text[:SNIFF_BYTES]) if not word.isascii()]
    if not words:
        return False
    mixed = sum(1 for word in words if _LATIN.search(word) or not _CYRILLIC.search(word))
    return mixed <= len(words) // 10


def _bad_encoding() -> Any:
    raise file_error(
        _("The file is not in a text encoding we read (UTF-8 or Windows-1251); save it as CSV UTF-8 and upload again."),
        "invalid_encoding",
    )


def _sniff(text: str) -> str:
    sample = text[:SNIFF_BYTES]
    if len(text) > SNIFF_BYTES and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    first = sample.splitlines()[0] if sample else ""
    if not any(candidate in first for candidate in CSV_DELIMITERS):
        return ","  # a single column
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:
        delimiter = ""
    if not delimiter or delimiter not in first:
        raise file_error(
            _(
                "We could not tell how the columns are separated (comma, semicolon, tab or bar); "
                "check that every line has the same number of columns."
            ),
            "delimiter_not_found",
        )
    return delimiter


def _csv_rows(text: str, delimiter: str) -> Iterator[list[str]]:
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _check_xlsx(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise file_error(_("The file is not a valid XLSX workbook."), "invalid_xlsx") from None
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        too_dense = info.file_size > 1024 * 1024 and ratio > XLSX_MAX_RATIO
        if too_dense or total > settings.IMPORT_MAX_UNCOMPRESSED_BYTES:
            raise file_error(
                _("The workbook unpacks to far more data than it holds; save it again as XLSX or CSV."),
                "xlsx_too_large",
            )


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    # data_only=False: a formula cell gives its formula text, which is what gets stored.
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in row]
    finally:
        workbook.close()


def _headers(row: list[str] | None) -> list[str]:
    if row is None or not any(cell.strip() for cell in row):
        raise file_error(_("The first line must name the columns."), "no_header")
    headers = [cell.strip() or f"Column {index + 1}" for index, cell in enumerate(row)]
    while headers and headers[-1].startswith("Column ") and not row[len(headers) - 1].strip():
        headers.pop()  # trailing empty cells of a spreadsheet row
    seen: set[str] = set()
    for header in headers:
        if header.lower() in seen:
            raise file_error(_("Two columns are named “%(name)s”; rename one.") % {"name": header}, "duplicate_header")
        seen.add(header.lower())
    return headers


def read_table(data: bytes, file_name: str) -> Table:
    """The file's format, encoding, delimiter and header row; ``rows()`` reads the data rows."""
    _check_size(data)
    if data.startswith(XLSX_MAGIC) or file_name.lower().endswith((".xlsx", ".xlsm")):
        _check_xlsx(data)
        table = Table(format="xlsx", headers=[], _data=data)
        try:
            first = next(_xlsx_rows(data), None)
        except Exception as exc:  # openpyxl raises many types for a broken workbook
            raise file_error(_("The file is not a valid XLSX workbook."), "invalid_xlsx") from exc
        table.headers = _headers(first)
        return table
    text, encoding = _decode(data)
    delimiter = _sniff(text)
    table = Table(format="csv", headers=[], encoding=encoding, delimiter=delimiter, _text=text)
    try:
        table.headers = _headers(next(_csv_rows(text, delimiter), None))
    except csv.Error as exc:
        raise file_error(_("The file is not a valid CSV file: %(error)s") % {"error": exc}) from exc
    return table
