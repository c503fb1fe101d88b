"""Imports of accounting exports: upload, preview, column mapping, dry run, apply, history.

The uploaded file is kept in the content-addressed store as evidence of the accounting state
on that date. A dry run reads it and says what would change; applying it writes everything in
one transaction (all or nothing). Big files run as jobs of the queue (`import_jobs`) whose
progress the page polls; the file is streamed from the store, never loaded whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from sqlmodel import Session, col, select

from app.config import Settings
from app.errors import DomainError, NotFound, ValidationFailed
from app.imports import fec, parsed
from app.imports.columns import FIELDS, check_mapping, guess_mapping
from app.imports.csv import Table, open_table
from app.imports.items import Customer
from app.imports.lettrage import Ledger, paused_gc
from app.imports.limits import REQUEST_SECONDS, ReadLimits, check_xlsx
from app.imports.report import FileRefused, ImportReport
from app.imports.spreadsheet import read_customers
from app.models import Creditor, ImportBatch, ImportMapping, User
from app.models.types import utcnow
from app.parsing import FormReader, control_character_error, parse_date
from app.services import audit, import_writer
from app.services.context import Actor
from app.storage import FileStore, StagedFile, TooLarge

KINDS = {"fec": "FEC (écritures comptables)", "csv": "CSV ou Excel (.xlsx)"}
INLINE_BYTES = 1_000_000  # smaller files are checked and applied within the request
RUNNING = ("checking", "applying")
CHUNK = 1 << 20
FEC_NAME = re.compile(r"^(\d{9})FEC(\d{8})", re.IGNORECASE)  # SIRENFECAAAAMMJJ (A47 A-1)
Progress = Callable[[float], None]


@dataclass(frozen=True)
class ImportPreview:
    label: str
    headers: list[str]
    rows: list[list[Any]]
    mapping: dict[str, str]
    fields: dict[str, str]


def _store(settings: Settings) -> FileStore:
    return FileStore(settings.files_dir)


def file_path(settings: Settings, batch: ImportBatch) -> Path:
    return _store(settings).path_for(batch.sha256)


def get(session: Session, actor: Actor, batch_id: int) -> ImportBatch:
    batch = session.get(ImportBatch, batch_id)
    if batch is None or batch.creditor_id != actor.creditor_id:
        raise NotFound("Import")
    return batch


def history(session: Session, actor: Actor, limit: int = 100
            ) -> list[tuple[ImportBatch, str]]:
    """The creditor's imports, newest first, with who uploaded each."""
    rows = session.exec(
        select(ImportBatch, User.email)
        .join(User, col(User.id) == ImportBatch.created_by, isouter=True)
        .where(ImportBatch.creditor_id == actor.creditor_id)
        .order_by(col(ImportBatch.created_at).desc(), col(ImportBatch.id).desc()).limit(limit))
    return [(batch, email or "") for batch, email in rows]


def uploader(session: Session, batch: ImportBatch) -> str:
    user = session.get(User, batch.created_by) if batch.created_by else None
    return user.email if user else ""


# -- upload ----------------------------------------------------------------------------------

def upload(session: Session, actor: Actor, settings: Settings, fileobj: BinaryIO,
           filename: str, kind: str, source: str = "") -> ImportBatch:
    """Store the file (refused files are not kept) and open an import batch for it."""
    _check_choices(actor, kind, source)  # before a byte is written
    staged = _store(settings).stage(limit=settings.max_upload_bytes)
    try:
        while chunk := fileobj.read(CHUNK):
            staged.write(chunk)
    except TooLarge:
        raise too_large(settings) from None
    except BaseException:
        staged.discard()
        raise
    return upload_staged(session, actor, settings, staged, filename, kind, source)


def too_large(settings: Settings) -> FileRefused:
    return FileRefused(f"Fichier trop volumineux : {settings.max_upload_mb} Mo au plus.")


def _check_choices(actor: Actor, kind: str, source: str) -> None:
    actor.require_write()
    if kind not in KINDS:
        raise ValidationFailed({"kind": "Choisissez le type de fichier : FEC ou CSV / Excel."})
    if control := control_character_error(source):
        raise ValidationFailed({"source": control})


def upload_staged(session: Session, actor: Actor, settings: Settings, staged: StagedFile,
                  filename: str, kind: str, source: str = "") -> ImportBatch:
    """`upload` of a file already staged, as a request's body streamed it in
    (app/web/uploads.py): kept in the store, or discarded when anything refuses it."""
    with staged:
        _check_choices(actor, kind, source)
        filename = Path(filename or "").name[:255] or "import"
        staged.finish()
        file_kind, guessed_source, headers = _inspect(staged.path, filename, kind,
                                                      _limits(settings, in_request=True))
        sha = staged.commit()
    source = (source.strip() or guessed_source)[:120]
    creditor = session.get(Creditor, actor.creditor_id)
    assert creditor is not None
    options: dict[str, Any] = {"term_days": creditor.payment_term_days, "due_dates": {}}
    if file_kind != "fec":
        options["mapping"] = _remembered_columns(session, actor, source, headers)
    batch = ImportBatch(creditor_id=actor.creditor_id, kind=file_kind, source=source,
                        original_name=filename, sha256=sha, size=staged.size, options=options,
                        created_by=actor.user_id)
    session.add(batch)
    session.flush()
    audit.record(session, actor, action="create", obj=batch,
                 summary=f"Fichier « {filename} » déposé pour import ({KINDS[kind]})",
                 changes={"sha256": sha, "size": staged.size, "kind": file_kind})
    session.commit()
    return batch


def _inspect(path: Path, filename: str, kind: str, limits: ReadLimits
             ) -> tuple[str, str, list[str]]:
    """(kind, source guessed from the name, headers); FileRefused if unreadable."""
    if kind == "fec":
        fmt = fec.sniff(path)
        match = FEC_NAME.match(filename)
        return "fec", match.group(1) if match else "FEC", sorted(fmt.columns, key=fmt.columns.get)  # type: ignore[arg-type]
    table = open_table(path, filename, limits)
    stem = re.sub(r"[\d_\-\s.()]+", " ", Path(filename).stem).strip().lower()
    return table.kind, stem or table.kind, table.headers


def _remembered_columns(session: Session, actor: Actor, source: str,
                        headers: list[str]) -> dict[str, str]:
    remembered = _mapping(session, actor, "csv", source)
    if remembered and remembered.columns and all(h in headers for h in remembered.columns.values()):
        return dict(remembered.columns)
    return guess_mapping(headers)


def _mapping(session: Session, actor: Actor, family: str, source: str) -> ImportMapping | None:
    return session.exec(select(ImportMapping).where(
        ImportMapping.creditor_id == actor.creditor_id, ImportMapping.kind == family,
        ImportMapping.source == source)).first()


def _family(batch: ImportBatch) -> str:
    return "fec" if batch.kind == "fec" else "csv"


# -- preview and options ---------------------------------------------------------------------

def preview(settings: Settings, batch: ImportBatch) -> ImportPreview:
    path = file_path(settings, batch)
    mapping = dict(batch.options.get("mapping", {}))
    fields = {name: label for name, (label, _) in FIELDS.items()}
    if batch.kind == "fec":
        fmt = fec.sniff(path)
        headers = sorted(fmt.columns, key=fmt.columns.get)  # type: ignore[arg-type]
        return ImportPreview(fmt.label, headers, fec.preview_rows(path, fmt), mapping, fields)
    table = _table(settings, batch, in_request=True)
    return ImportPreview(table.label, table.headers, table.preview(), mapping, fields)


def _table(settings: Settings, batch: ImportBatch, *, in_request: bool) -> Table:
    return open_table(file_path(settings, batch), batch.original_name,
                      _limits(settings, in_request=in_request))


def _limits(settings: Settings, *, in_request: bool) -> ReadLimits:
    """The configured bounds; reading done while a person waits stops after a few seconds."""
    limits = ReadLimits.from_settings(settings)
    return limits.within(REQUEST_SECONDS) if in_request else limits


def work_size(settings: Settings, batch: ImportBatch) -> int:
    """Bytes the reader will go through: a workbook's inflated size, else the file's."""
    if batch.kind != "xlsx":
        return batch.size
    return check_xlsx(file_path(settings, batch), _limits(settings, in_request=False))


def options_from_form(data: Mapping[str, str]) -> dict[str, Any]:
    """Form fields map_<field>, term_days and due:<invoice number> → options to configure."""
    return {
        "mapping": {k[4:]: v for k, v in data.items() if k.startswith("map_") and v},
        "term_days": data.get("term_days", ""),
        "due_dates": {k[4:]: v for k, v in data.items() if k.startswith("due:") and v},
    }


def configure(session: Session, actor: Actor, settings: Settings, batch: ImportBatch, *,
              mapping: dict[str, str] | None = None, term_days: Any = None,
              due_dates: Mapping[str, str] | None = None) -> None:
    """Validate and keep the user's choices; ValidationFailed with French messages."""
    actor.require_write()
    _editable(batch)
    options = dict(batch.options)
    reader = FormReader({"term_days": term_days if term_days is not None else ""})
    days = reader.integer("term_days", minimum=0, maximum=365)
    if days is not None:
        options["term_days"] = days
    options["due_dates"] = {**options.get("due_dates", {}), **_due_dates(due_dates or {}, reader)}
    reader.check()
    if batch.kind != "fec" and mapping is not None:
        options["mapping"] = check_mapping(mapping,
                                           _table(settings, batch, in_request=True).headers)
    batch.options = options
    session.add(batch)
    session.commit()


def _due_dates(values: Mapping[str, str], reader: FormReader) -> dict[str, str]:
    dates = {}
    for number, text in values.items():
        try:
            dates[number] = parse_date(text).isoformat()
        except ValueError:
            reader.error(f"due:{number}", f"Échéance de la facture {number} invalide : "
                                          "JJ/MM/AAAA attendu.")
    return dates


def _editable(batch: ImportBatch) -> None:
    if batch.status == "done":
        raise DomainError("Cet import a déjà été appliqué : déposez un nouveau fichier.")
    if batch.status in RUNNING:
        raise DomainError("Cet import est en cours : attendez la fin.")
    if batch.status == "refused":
        raise DomainError("Ce fichier a été refusé : corrigez-le et déposez-le de nouveau.")


# -- dry run and apply -----------------------------------------------------------------------

def check(session: Session, actor: Actor, settings: Settings, batch: ImportBatch,
          progress: Progress | None = None) -> ImportReport:
    """The dry run: what the import would create, update, skip and refuse. Writes nothing
    but the report (and the column mapping, remembered for the next file of this source)."""
    actor.require_write()
    report = _run(session, actor, settings, batch, write=False, progress=progress)
    batch = get(session, actor, batch.id)  # type: ignore[arg-type]
    batch.report = report.to_json()
    batch.status, batch.progress, batch.error = "checked", 100, ""  # an earlier failure's reason
    batch.refused_rows = report.refused_count
    session.add(batch)
    if batch.kind != "fec":
        _remember(session, actor, batch, columns=batch.options.get("mapping", {}))
    session.commit()
    return report


def apply(session: Session, actor: Actor, settings: Settings, batch: ImportBatch,
          progress: Progress | None = None) -> ImportReport:
    """The import itself, in one transaction: every debtor, invoice and payment, or nothing."""
    actor.require_write()
    if batch.status == "done":
        raise DomainError("Cet import a déjà été appliqué : déposez un nouveau fichier.")
    try:
        accounts: dict[str, int] = {}
        report = _run(session, actor, settings, batch, write=True, progress=progress,
                      accounts=accounts)
        batch = get(session, actor, batch.id)  # type: ignore[arg-type]
        _finish(session, actor, batch, report, accounts)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    if batch.kind == "fec":
        parsed.forget(_parsed_dir(settings), batch.sha256)
    return report


def _finish(session: Session, actor: Actor, batch: ImportBatch, report: ImportReport,
            accounts: dict[str, int]) -> None:
    report.applied = True
    batch.report = report.to_json()
    batch.status, batch.progress, batch.error = "done", 100, ""
    batch.debtors_created = report.debtors.created
    batch.invoices_created = report.invoices.created
    batch.invoices_updated = report.invoices.updated
    batch.payments_created = report.payments.created + report.credit_notes.created
    batch.refused_rows = report.refused_count
    batch.applied_by, batch.applied_at = actor.user_id, utcnow()
    session.add(batch)
    _remember(session, actor, batch, accounts=accounts)
    audit.record(session, actor, action="import", obj=batch,
                 summary=f"Import de « {batch.original_name} » appliqué : "
                         f"{report.debtors.created} débiteur(s) et {report.invoices.created} "
                         f"facture(s) créés, {batch.payments_created} règlement(s) ou avoir(s)",
                 changes={"sha256": batch.sha256, "debtors": report.debtors.created,
                          "invoices": report.invoices.created,
                          "invoices_updated": report.invoices.updated,
                          "payments": batch.payments_created, "refused": report.refused_count})


def _run(session: Session, actor: Actor, settings: Settings, batch: ImportBatch, *,
         write: bool, progress: Progress | None, accounts: dict[str, int] | None = None
         ) -> ImportReport:
    with paused_gc():  # hundreds of thousands of young objects, and no cycle among them
        return _read_and_plan(session, actor, settings, batch, write=write, progress=progress,
                              accounts=accounts)


def _read_and_plan(session: Session, actor: Actor, settings: Settings, batch: ImportBatch, *,
                   write: bool, progress: Progress | None,
                   accounts: dict[str, int] | None = None) -> ImportReport:
    report = ImportReport(kind=batch.kind)
    _warn_if_already_imported(session, actor, batch, report)
    remembered = _mapping(session, actor, _family(batch), batch.source)
    known_accounts = {**(remembered.accounts if remembered else {})}
    customers, total = _customers(settings, batch, report, _phase(progress, 0.0, 0.5),
                                  reuse=write)
    writer = import_writer.ImportWriter(
        session, actor, batch, report, _writer_settings(batch), known_accounts, write=write)
    try:
        writer.run(customers, total, _phase(progress, 0.5, 0.5))
    finally:
        if isinstance(customers, Generator):  # a dry run stopped midway keeps nothing
            customers.close()
    if accounts is not None:
        accounts.update(writer.accounts)
    return report


def _customers(settings: Settings, batch: ImportBatch, report: ImportReport,
               progress: Progress | None, *, reuse: bool) -> tuple[Iterator[Customer], int]:
    """The file's customers: a FEC's as its dry run kept them (`reuse`, the apply), else read
    from the file (and kept for the apply)."""
    path = file_path(settings, batch)
    if batch.kind == "fec":
        limits = _limits(settings, in_request=False)
        kept = parsed.recall(_parsed_dir(settings), batch.sha256, report) if reuse else None
        if kept is not None:
            limits.check_time()
            limits.check_row(report.lines_read)
            return kept
        fmt = fec.sniff(path)
        report.encoding, report.separator = fmt.encoding, fmt.separator
        ledger = Ledger().add_all(fec.customer_lines(path, fmt, report, progress, limits))
        total = len(ledger.accounts)
        if reuse:
            return ledger.customers(), total
        return parsed.keep(_parsed_dir(settings), batch.sha256, report, ledger.customers(),
                           total), total
    table = _table(settings, batch, in_request=False)
    report.encoding, report.separator = table.encoding, table.separator
    mapping = check_mapping(dict(batch.options.get("mapping", {})), table.headers)
    customers = read_customers(table, mapping, report, progress=progress)
    return iter(customers), len(customers)


def _parsed_dir(settings: Settings) -> Path:
    return settings.data_dir / "cache" / "imports"


def _writer_settings(batch: ImportBatch) -> import_writer.Settings:
    due = {number: date.fromisoformat(day)
           for number, day in batch.options.get("due_dates", {}).items()}
    return import_writer.Settings(term_days=int(batch.options.get("term_days", 30)),
                                  due_dates=due)


def _phase(progress: Progress | None, start: float, span: float) -> Progress | None:
    if progress is None:
        return None
    return lambda fraction: progress(start + span * min(max(fraction, 0.0), 1.0))


def _warn_if_already_imported(session: Session, actor: Actor, batch: ImportBatch,
                              report: ImportReport) -> None:
    earlier = session.exec(select(ImportBatch).where(
        ImportBatch.creditor_id == actor.creditor_id, ImportBatch.sha256 == batch.sha256,
        ImportBatch.status == "done", ImportBatch.id != batch.id)).first()
    if earlier is not None and earlier.applied_at is not None:
        report.warn(f"Ce fichier a déjà été importé le {earlier.applied_at:%d/%m/%Y} (import "
                    f"n° {earlier.id}) : rien ne sera créé en double.")


def _remember(session: Session, actor: Actor, batch: ImportBatch, *,
              columns: dict[str, str] | None = None, accounts: dict[str, int] | None = None
              ) -> None:
    mapping = _mapping(session, actor, _family(batch), batch.source)
    if mapping is None:
        mapping = ImportMapping(creditor_id=actor.creditor_id, kind=_family(batch),
                                source=batch.source)
    if columns is not None:
        mapping.columns = dict(columns)
    if accounts:
        mapping.accounts = {**mapping.accounts, **accounts}
    mapping.updated_at = utcnow()
    session.add(mapping)
