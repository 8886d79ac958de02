"""Imports (validate and write every row through the object's own API serializer and the record
write path) and changesets (undo an import: remove what it created, restore what it changed).

Reliability: in "partial" mode every batch of rows is written in one transaction together with the
import's checkpoint (``processed_rows``), so a job killed halfway and run again continues after the
last committed batch and writes every row exactly once. "All or nothing" and dry runs write the
whole file in one transaction (rolled back for a dry run or when any row fails).
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from crm.audit.services import json_value
from crm.core.errors import ApplicationError, VersionConflict
from crm.core.scoping import current_viewer, viewer_scope
from crm.jobs.services import enqueue_on_commit
from crm.records.api import ScopedRelatedField
from crm.records.models import Record
from crm.records.services import (
    diff_fields,
    record_bulk_change,
    record_create,
    record_create_many,
    record_update,
)

from . import locks
from .files import Table, file_error, read_table
from .models import Changeset, ChangesetRow, Import
from .targets import NaturalKey, ObjectAccess, object_access

if TYPE_CHECKING:
    from crm.identity.models import User

BATCH_SIZE = 1000
PREVIEW_ROWS = 10
# Errors kept on the import (the report); the count goes on beyond.
MAX_ERRORS = 50_000
IMPORT_TASK = "datatools.import_run"


# --- what can be imported ---------------------------------------------------------------------


def _access(object_name: str) -> ObjectAccess:
    access = object_access(object_name)
    if access is None or not access.meta.creatable:
        raise ApplicationError(
            "validation_error",
            _("Records of this kind cannot be imported."),
            {"object": [_("Choose an object that can be imported.")]},
        )
    return access


def _write_serializer(
    access: ObjectAccess, context: dict[str, Any] | None = None, **kwargs: Any
) -> serializers.Serializer[Any]:
    serializer_class = access.viewset.serializer_class
    if serializer_class is None:
        raise TypeError(f"{access.viewset.__name__} sets no serializer_class")
    serializer = serializer_class(context={"importing": True, **(context or {})}, **kwargs)
    if not isinstance(serializer, serializers.Serializer):
        raise TypeError(f"{access.viewset.__name__}'s serializer has no fields")
    return serializer


def _known_rows(access: ObjectAccess, rows: list[dict[str, Any]]) -> dict[Any, dict[int, Any]]:
    """The records the batch's lookup fields name, read at once through each field's own queryset
    (the organization's, as the user may see them): the serializer then checks each row against them."""
    known: dict[Any, dict[int, Any]] = {}
    for name, item in _write_serializer(access).fields.items():
        if not isinstance(item, ScopedRelatedField) or item.read_only:
            continue
        pks = {int(data[name]) for data in rows if str(data.get(name, "")).isdigit()}
        if pks:
            rows_by_pk = item.get_queryset().in_bulk(pks)
            known.setdefault(item.related_model, {}).update(rows_by_pk)
    return known


def importable_fields(access: ObjectAccess) -> list[dict[str, Any]]:
    """The fields a column can fill: the writable fields of the object's API, with their labels."""
    labels = {meta.name: meta.label for meta in access.meta.fields}
    out = []
    for name, item in _write_serializer(access).fields.items():
        if item.read_only or name == "version":
            continue
        out.append(
            {"name": name, "label": labels.get(name, name.replace("_", " ").capitalize()), "required": item.required}
        )
    return out


def _simple(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


# Common headers of other systems' exports, by their simplified form.
ALIASES = {
    "first": "first_name",
    "last": "last_name",
    "surname": "last_name",
    "mail": "email",
    "emailaddress": "email",
    "company": "account_id",
    "domain": "website",
    "url": "website",
}


def suggest_mapping(headers: list[str], fields: list[dict[str, Any]]) -> dict[str, str]:
    """Column -> field, by the field's name or label (``E-mail`` -> email, ``Account`` -> account_id)."""
    names: dict[str, str] = {}
    for item in fields:
        name = item["name"]
        for alias in (name, name.removesuffix("_id"), item["label"]):
            names.setdefault(_simple(alias), name)
    for alias, name in ALIASES.items():
        if any(item["name"] == name for item in fields):
            names.setdefault(alias, name)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for header in headers:
        found = names.get(_simple(header))
        if found is not None and found not in used:
            mapping[header] = found
            used.add(found)
    return mapping


def import_preview(*, object_name: str, data: bytes, file_name: str) -> dict[str, Any]:
    """The file's columns, its first rows, the fields they can fill and a suggested mapping."""
    access = _access(object_name)
    table = read_table(data, file_name)
    fields = importable_fields(access)
    rows = list(itertools.islice(table.rows(), PREVIEW_ROWS))
    return {
        "object": object_name,
        "format": table.format,
        "encoding": table.encoding,
        "delimiter": table.delimiter,
        "headers": table.headers,
        "rows": [_pad(row, len(table.headers)) for row in rows],
        "total_rows": sum(1 for _row in table.rows()),
        "fields": fields,
        "suggested_mapping": suggest_mapping(table.headers, fields),
        "natural_keys": [key.field for key in access.target.keys],
    }


def _pad(row: list[str], width: int) -> list[str]:
    return (row + [""] * width)[:width]


# --- starting an import -----------------------------------------------------------------------


def _check_mapping(access: ObjectAccess, table: Table, mapping: dict[str, str], mode: str) -> dict[str, str]:
    writable = {item["name"] for item in importable_fields(access)}
    errors: list[str] = []
    clean: dict[str, str] = {}
    targets: set[str] = set()
    for column, target in mapping.items():
        if not target:
            continue
        if column not in table.headers:
            errors.append(_("The file has no column “%(column)s”.") % {"column": column})
        elif target not in writable:
            errors.append(_("“%(field)s” is not a field you can import into.") % {"field": target})
        elif target in targets:
            errors.append(_("Two columns fill “%(field)s”; map it once.") % {"field": target})
        else:
            clean[column] = target
            targets.add(target)
    if not clean and not errors:
        errors.append(_("Map at least one column to a field."))
    keys = [key.field for key in access.target.keys]
    if mode != Import.Mode.CREATE and not any(key in targets for key in keys):
        if keys:
            errors.append(_("To update records, map a column to %(keys)s.") % {"keys": ", ".join(keys)})
        else:
            errors.append(_("An import can only create records of this kind, not update them."))
    if errors:
        raise ApplicationError("validation_error", _("Please correct the errors below."), {"mapping": errors})
    return clean


@transaction.atomic(durable=True)
def import_start(
    *,
    actor: User,
    object_name: str,
    file_name: str,
    data: bytes,
    mapping: dict[str, str],
    mode: str,
    commit: str,
    dry_run: bool = False,
) -> Import:
    """Check the file and the mapping, store the import and queue its job."""
    access = _access(object_name)
    table = read_table(data, file_name)
    clean = _check_mapping(access, table, mapping, mode)
    total = sum(1 for _row in table.rows())
    if total == 0:
        raise file_error(_("The file has a header row but no data rows."), "empty_file")
    record = Import.objects.create(
        object=object_name,
        file_name=file_name[:255],
        file_format=table.format,
        content=data,
        encoding=table.encoding,
        delimiter=table.delimiter,
        mapping=clean,
        mode=mode,
        commit=commit,
        dry_run=dry_run,
        total_rows=total,
        created_by=actor,
    )
    enqueue_on_commit(
        IMPORT_TASK, key=f"import:{record.pk}", organization_id=actor.organization_id, import_id=record.pk
    )
    return record


# --- running an import (the job) --------------------------------------------------------------


@dataclass
class RowError:
    row: int
    column: str
    value: str
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "message": self.message}


@dataclass
class _Row:
    number: int  # the line in the file; the header is line 1
    raw: dict[str, str]  # field -> cell text
    data: dict[str, Any] = field(default_factory=dict)
    key: tuple[NaturalKey, str] | None = None
    errors: list[RowError] = field(default_factory=list)

    def fail(self, column: str, message: str, value: str | None = None) -> None:
        self.errors.append(RowError(self.number, column, self.raw.get(column, "") if value is None else value, message))


class _Rollback(Exception):
    """Raised to roll back a dry run or a failed all-or-nothing import after its rows were checked."""


class ImportRunner:
    def __init__(self, record: Import, actor: User) -> None:
        self.record = record
        self.actor = actor
        self.access = _access(record.object)
        self.model = self.access.model
        self.target = self.access.target
        self.column_of = {target: column for column, target in record.mapping.items()}
        self.created = 0
        self.updated = 0
        self.errors: list[RowError] = []
        self.seen: dict[str, int] = {}
        self.changeset: Changeset | None = None

    # rows
    def rows(self, start: int) -> Iterator[_Row]:
        table = read_table(bytes(self.record.content), self.record.file_name)
        index = {header: position for position, header in enumerate(table.headers)}
        for number, cells in enumerate(itertools.islice(table.rows(), start, None), start=start):
            raw = {}
            for column, target in self.record.mapping.items():
                position = index[column]
                raw[target] = cells[position].strip() if position < len(cells) else ""
            yield _Row(number=number + 2, raw=raw)

    def column(self, name: str) -> str:
        found: str = self.column_of.get(name, self.column_of.get(f"{name}_id", name))
        return found

    # one batch
    def process(self, batch: list[_Row]) -> None:
        for row in batch:
            row.data = {name: value for name, value in row.raw.items() if value != ""}
        self._resolve_links(batch)
        matches = self._match(batch)
        instances = self.model.objects.in_bulk([pk for pk in matches.values() if pk])
        creates: list[tuple[_Row, dict[str, Any]]] = []
        updates: list[tuple[_Row, Record, dict[str, Any]]] = []
        viewer = current_viewer()
        context = {"known_rows": _known_rows(self.access, [row.data for row in batch if not row.errors])}
        # One serializer for the batch's creates and one for its updates (building a model
        # serializer's fields costs more than validating a row); each row is validated in turn.
        create_serializer = _write_serializer(self.access, context)
        update_serializer = _write_serializer(self.access, context, partial=True)
        for row in batch:
            if row.errors:
                continue
            pk = matches.get(row.number)
            instance = None
            if pk is not None:
                instance = instances.get(pk)
                if self.record.mode == Import.Mode.CREATE or instance is None:
                    key = row.key
                    column = self.column(key[0].field) if key else ""
                    row.fail(column, _("A record with this value already exists."))
                    continue
                if viewer is not None and not viewer.can_edit(instance):
                    row.fail("", _("You can see this record but not change it."))
                    continue
            elif self.record.mode == Import.Mode.UPDATE:
                key = row.key
                column = self.column(key[0].field) if key else self.column(self.target.keys[0].field)
                row.fail(column, _("No existing record has this value."))
                continue
            serializer = update_serializer if instance is not None else create_serializer
            serializer.instance = instance
            serializer.initial_data = row.data
            try:
                validated = dict(serializer.run_validation(row.data))
            except serializers.ValidationError as exc:
                detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
                self._field_errors(row, detail)
                continue
            validated.pop("version", None)
            if pk is not None:
                updates.append((row, instances[pk], validated))
            else:
                creates.append((row, validated))
        changeset_rows = self._write_creates(creates) + self._write_updates(updates)
        if self.changeset is not None and changeset_rows:
            for item in changeset_rows:
                item.changeset = self.changeset
            ChangesetRow.objects.bulk_create(changeset_rows, batch_size=BATCH_SIZE)
        for row in batch:
            self.errors.extend(row.errors)

    def _field_errors(self, row: _Row, errors: Any) -> None:
        for name, messages in dict(errors).items():
            text = " ".join(str(message) for message in (messages if isinstance(messages, list) else [messages]))
            if name in ("non_field_errors", "detail"):
                row.fail("", text, "")
            else:
                column = self.column(name)
                row.fail(column, text, row.raw.get(name, row.raw.get(f"{name}_id", "")))

    def _resolve_links(self, batch: list[_Row]) -> None:
        for name, (object_name, keys) in self.target.links.items():
            pending = [row for row in batch if not row.errors and name in row.data and not row.data[name].isdigit()]
            if not pending:
                continue
            linked = object_access(object_name)
            if linked is None:
                continue
            found: dict[tuple[str, str], set[int]] = {}
            for key in keys:
                wanted = {key.normalize(row.data[name]) for row in pending} - {""}
                for value, pk in key.find(linked.model.objects.all(), wanted):
                    found.setdefault((key.field, value), set()).add(pk)
            for row in pending:
                given = row.data[name]
                ids: set[int] = set()
                for key in keys:
                    ids = found.get((key.field, key.normalize(given)), set())
                    if ids:
                        break
                column = self.column_of.get(name, name)
                if len(ids) == 1:
                    row.data[name] = next(iter(ids))
                elif ids:
                    row.fail(
                        column, _("Several %(object)s records match; give the id instead.") % {"object": object_name}
                    )
                else:
                    row.fail(column, _("No %(object)s has this name or web address.") % {"object": object_name})

    def _match(self, batch: list[_Row]) -> dict[int, int | None]:
        """Row number -> the id of the existing record the row's natural key finds (or None)."""
        by_key: dict[str, set[str]] = {}
        for row in batch:
            if row.errors:
                continue
            for key in self.target.keys:
                value = row.raw.get(key.field, "")
                normalized = key.normalize(value) if value else ""
                if normalized:
                    row.key = (key, normalized)
                    seen = self.seen.get(f"{key.field}:{normalized}")
                    if seen is not None:
                        row.fail(self.column(key.field), _("The same value is on line %(line)s.") % {"line": seen})
                    else:
                        self.seen[f"{key.field}:{normalized}"] = row.number
                        by_key.setdefault(key.field, set()).add(normalized)
                    break
        found: dict[tuple[str, str], list[int]] = {}
        for key in self.target.keys:
            wanted = by_key.get(key.field)
            if wanted:
                for value, pk in key.find(self.model.objects.all(), wanted):
                    found.setdefault((key.field, value), []).append(pk)
        out: dict[int, int | None] = {}
        for row in batch:
            if row.key is None or row.errors:
                continue
            ids = found.get((row.key[0].field, row.key[1]), [])
            if len(ids) > 1:
                row.fail(self.column(row.key[0].field), _("Several existing records have this value."))
            elif ids:
                out[row.number] = ids[0]
        return out

    def _write_creates(self, creates: list[tuple[_Row, dict[str, Any]]]) -> list[ChangesetRow]:
        if not creates:
            return []
        try:
            with transaction.atomic():
                records = record_create_many(model=self.model, rows=[data for _row, data in creates], actor=self.actor)
            written = list(zip(creates, records, strict=True))
        except (ApplicationError, DatabaseError):
            written = []  # one by one, to tell which rows the database or a rule refuses
            for row, data in creates:
                try:
                    with transaction.atomic():
                        written.append(((row, data), record_create(model=self.model, data=data, actor=self.actor)))
                except ApplicationError as exc:
                    self._application_error(row, exc)
                except DatabaseError as exc:
                    row.fail("", _("The database refused this row: %(error)s") % {"error": str(exc)[:200]}, "")
        self.created += len(written)
        return [
            ChangesetRow(
                object=self.record.object,
                record_id=record.pk,
                action=ChangesetRow.Action.CREATED,
                after={name: json_value(value) for name, value in data.items()},
                version_after=record.version,
            )
            for (_row, data), record in written
        ]

    def _write_updates(self, updates: list[tuple[_Row, Record, dict[str, Any]]]) -> list[ChangesetRow]:
        out: list[ChangesetRow] = []
        for row, instance, data in updates:
            changes = diff_fields(instance, data)
            if not changes.diff:
                self.updated += 1  # already as the file says: nothing to write or undo
                continue
            try:
                with transaction.atomic():
                    saved = record_update(
                        record=instance, data=data, expected_version=instance.version, actor=self.actor
                    )
            except VersionConflict:
                row.fail("", _("Someone changed this record while it was imported; import the row again."), "")
                continue
            except ApplicationError as exc:
                self._application_error(row, exc)
                continue
            self.updated += 1
            out.append(
                ChangesetRow(
                    object=self.record.object,
                    record_id=instance.pk,
                    action=ChangesetRow.Action.UPDATED,
                    before={name: json_value(old) for name, (old, _new) in changes.diff.items()},
                    after={name: json_value(new) for name, (_old, new) in changes.diff.items()},
                    version_after=saved.version,
                )
            )
        return out

    def _application_error(self, row: _Row, exc: ApplicationError) -> None:
        if not exc.fields:
            row.fail("", exc.message, "")
        for name, messages in exc.fields.items():
            row.fail(self.column(name.removesuffix("_id")), " ".join(str(m) for m in messages))

    def new_changeset(self) -> Changeset:
        self.changeset = Changeset.objects.create(
            kind=Changeset.Kind.IMPORT,
            object=self.record.object,
            label=_("Import of %(file)s") % {"file": self.record.file_name},
            created_by=self.actor,
        )
        return self.changeset


def _progress_key(import_id: int) -> str:
    return f"datatools:import:{import_id}:progress"


def import_progress(record: Import) -> int:
    """Rows processed so far: the committed checkpoint, or the running transaction's count."""
    if record.status != Import.Status.RUNNING:
        return record.processed_rows
    live = cache.get(_progress_key(record.pk))
    return max(record.processed_rows, int(live or 0))


def _errors_json(errors: list[RowError], already: int = 0) -> list[dict[str, Any]]:
    room = max(MAX_ERRORS - already, 0)
    return [error.as_json() for error in errors[:room]]


def _batches(rows: Iterator[_Row]) -> Iterator[list[_Row]]:
    while batch := list(itertools.islice(rows, BATCH_SIZE)):
        yield batch


def import_run(*, import_id: int) -> None:
    """The job: import the rows (resuming after the checkpoint) as the user who uploaded the file."""
    record = Import.all_orgs.select_related("created_by").filter(pk=import_id).first()
    if record is None or record.finished:
        return
    actor = record.created_by
    with viewer_scope(actor):
        if record.dry_run or record.commit == Import.Commit.ALL_OR_NOTHING:
            _run_in_one_transaction(record, actor)
        else:
            _run_in_batches(record, actor)


def _locked(import_id: int) -> Import:
    return locks.imports_for_update().get(pk=import_id)


def _run_in_one_transaction(record: Import, actor: User) -> None:
    Import.objects.filter(pk=record.pk).update(status=Import.Status.RUNNING)
    runner = ImportRunner(record, actor)
    processed = 0
    try:
        with transaction.atomic():
            changeset = None if record.dry_run else runner.new_changeset()
            for batch in _batches(runner.rows(0)):
                runner.process(batch)
                processed += len(batch)
                cache.set(_progress_key(record.pk), processed, timeout=3600)
            if record.dry_run or runner.errors:
                raise _Rollback
            locked = _locked(record.pk)
            locked.changeset = changeset
            _finish(locked, runner, processed, Import.Status.SUCCEEDED)
            return
    except _Rollback:
        pass
    with transaction.atomic():
        locked = _locked(record.pk)
        if record.dry_run:
            status = Import.Status.SUCCEEDED
            locked.message = _("Dry run: nothing was saved.")
        else:
            status = Import.Status.FAILED
            locked.message = _("Nothing was imported: correct the rows in the error report and import again.")
            runner.created = runner.updated = 0
        _finish(locked, runner, processed, status)


def _finish(locked: Import, runner: ImportRunner, processed: int, status: str) -> None:
    locked.processed_rows = processed
    locked.created_count = runner.created
    locked.updated_count = runner.updated
    locked.error_count = len(runner.errors)
    locked.errors = _errors_json(runner.errors)
    locked.status = status
    locked.finished_at = timezone.now()
    locked.save()


def _run_in_batches(record: Import, actor: User) -> None:
    with transaction.atomic():
        locked = _locked(record.pk)
        if locked.finished:
            return
        runner = ImportRunner(locked, actor)
        if locked.changeset_id is None:
            locked.changeset = runner.new_changeset()
        else:
            runner.changeset = locked.changeset
        locked.status = Import.Status.RUNNING
        locked.save(update_fields=["status", "changeset"])
    # A rerun after a crash starts after the last committed batch.
    for batch in _batches(runner.rows(locked.processed_rows)):
        with transaction.atomic():
            locked = _locked(record.pk)
            if locked.processed_rows != batch[0].number - 2:
                return  # another run moved the checkpoint: it owns the rest
            runner.created = runner.updated = 0
            runner.errors = []
            runner.process(batch)
            locked.processed_rows += len(batch)
            locked.created_count += runner.created
            locked.updated_count += runner.updated
            locked.errors = [*locked.errors, *_errors_json(runner.errors, len(locked.errors))]
            locked.error_count += len(runner.errors)
            locked.save(update_fields=["processed_rows", "created_count", "updated_count", "errors", "error_count"])
    with transaction.atomic():
        locked = _locked(record.pk)
        locked.status = Import.Status.SUCCEEDED
        locked.finished_at = timezone.now()
        if locked.error_count:
            locked.message = _("The good rows were imported; the others are in the error report.")
        locked.save(update_fields=["status", "finished_at", "message"])


def import_error_report(record: Import) -> str:
    """The per-row error report as CSV: row, column, value, message."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["row", "column", "value", "message"])
    for error in record.errors:
        writer.writerow([error["row"], error["column"], _escape(str(error["value"])), error["message"]])
    return out.getvalue()


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _escape(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


# --- undo ---------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def changeset_revert(*, changeset_id: int, actor: User) -> Changeset:
    """Remove what the changeset created and restore what it changed, leaving (and reporting) every
    record edited since; a second revert answers 409."""
    changeset = locks.changesets_for_update().filter(pk=changeset_id).first()
    if changeset is None:
        raise ApplicationError("not_found", _("No such changeset."), status_code=404)
    if changeset.created_by_id != actor.pk and not actor.is_admin:
        raise ApplicationError("forbidden", _("Only its author or an administrator can undo this."), status_code=403)
    if changeset.reverted_at is not None:
        raise ApplicationError("changeset_already_reverted", _("This change was already undone."), status_code=409)
    access = object_access(changeset.object)
    if access is None:
        raise ApplicationError("not_found", _("No such changeset."), status_code=404)
    removed = restored = 0
    skipped: list[dict[str, Any]] = []
    viewer = current_viewer()
    rows = changeset.rows.order_by("-id")
    for chunk in _chunks(rows.iterator(chunk_size=BATCH_SIZE)):
        records = access.model.objects.in_bulk([row.record_id for row in chunk])
        created: dict[int, int] = {}
        for row in chunk:
            record = records.get(row.record_id)
            reason = ""
            if record is None:
                reason = "missing"
            elif record.version != row.version_after:
                reason = "edited_since"
            elif viewer is not None and not viewer.can_edit(record):
                reason = "read_only"
            if record is None or reason:
                skipped.append({"record_id": row.record_id, "action": row.action, "reason": reason})
            elif row.action == ChangesetRow.Action.CREATED:
                created[record.pk] = record.version
            else:
                record_update(record=record, data=row.before, expected_version=record.version, actor=actor)
                restored += 1
        # The records the changeset created are deactivated (the record mechanism's soft delete) at once.
        record_bulk_change(model=access.model, versions=created, data={"is_active": False}, actor=actor)
        removed += len(created)
    changeset.reverted_at = timezone.now()
    changeset.reverted_by = actor
    changeset.revert_report = {"removed": removed, "restored": restored, "skipped": skipped[:MAX_ERRORS]}
    changeset.save(update_fields=["reverted_at", "reverted_by", "revert_report"])
    Import.objects.filter(changeset=changeset).update(status=Import.Status.REVERTED)
    return changeset


def import_undo(*, import_id: int, actor: User) -> Changeset:
    record = Import.objects.filter(pk=import_id).first()
    if record is None:
        raise ApplicationError("not_found", _("No such import."), status_code=404)
    if record.changeset_id is None or record.dry_run:
        raise ApplicationError("import_not_undoable", _("This import saved nothing to undo."), status_code=409)
    return changeset_revert(changeset_id=record.changeset_id, actor=actor)


def _chunks(rows: Iterator[ChangesetRow]) -> Iterator[list[ChangesetRow]]:
    while chunk := list(itertools.islice(rows, BATCH_SIZE)):
        yield chunk
