from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

IMPORTS = "/api/v1/imports"


def upload(content: bytes | str, name: str = "people.csv") -> SimpleUploadedFile:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def start_import(django_capture_on_commit_callbacks) -> Callable[..., Any]:
    """POST /imports and run its job (the test settings run jobs in the process, once committed)."""

    def start(client: Any, content: bytes | str, mapping: dict[str, str], **fields: Any) -> Any:
        body = {
            "file": upload(content, fields.pop("name", "people.csv")),
            "object": fields.pop("object", "contact"),
            "mapping": json.dumps(mapping),
            **fields,
        }
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(IMPORTS, body, format="multipart")
        if response.status_code == 202:
            assert "id" in response.data, response.data
            return client.get(f"{IMPORTS}/{response.data['id']}")
        return response

    return start
