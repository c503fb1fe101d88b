"""A spreadsheet import costs a bounded amount of work (issue 14, item 7: a 3.2 MB .xlsx
inflating to 824 MB ran for minutes at ~600 MB, in the request, after the client left).

The inflated size of every member of an .xlsx is checked before openpyxl opens it; rows are
capped; reading done while a person waits stops after a few seconds, and any reading stops
when its `cancelled()` says so, even inside openpyxl; a workbook that inflates past the
inline threshold is read in the background, whatever its compressed size."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook
from sqlmodel import Session

from app.config import Settings
from app.imports.csv import open_table
from app.imports.limits import MB, ReadLimits
from app.imports.report import FileRefused
from app.models import ImportBatch
from app.queue import InlineQueue, Runtime
from app.services import import_jobs, imports
from app.services.context import Actor
from tests.jobs import finished_import

HEADERS = ["N° facture", "Client", "Date", "Montant TTC"]


def _workbook(rows: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADERS)
    for n in range(rows):
        sheet.append([f"F-2026-{n:06d}", "Durand BTP SAS", "15/09/2026", 1250.5])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _bomb(inflated_bytes: int) -> bytes:
    """A valid small workbook, plus a member of zeros that inflates to `inflated_bytes`."""
    out = io.BytesIO(_workbook(3))
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive, \
            archive.open("xl/media/padding.bin", "w", force_zip64=True) as member:
        chunk = bytes(MB)
        for _ in range(inflated_bytes // MB):
            member.write(chunk)
    return out.getvalue()


def _upload(session: Session, actor: Actor, settings: Settings, content: bytes,
            name: str = "balance.xlsx") -> ImportBatch:
    settings.ensure_dirs()
    return imports.upload(session, actor, settings, io.BytesIO(content), name, "csv")


@pytest.fixture
def no_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl was asked to parse a workbook that should be refused")
    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def test_a_workbook_inflating_past_the_default_limit_is_refused_before_parsing(
        session: Session, owner: Actor, settings: Settings, no_openpyxl: None) -> None:
    bomb = _bomb(201 * MB)
    assert len(bomb) < 1 * MB
    with pytest.raises(FileRefused, match="se décompresse en plus de 200 Mo"):
        _upload(session, owner, settings, bomb)
    assert session.get(ImportBatch, 1) is None


def test_the_inflated_size_limit_is_a_setting(session: Session, owner: Actor,
                                              settings: Settings, no_openpyxl: None) -> None:
    small = settings.model_copy(update={"import_max_inflated_mb": 1})
    with pytest.raises(FileRefused, match="plus de 1 Mo"):
        _upload(session, owner, small, _bomb(2 * MB))


def test_rows_past_the_cap_refuse_the_file(session: Session, owner: Actor,
                                           settings: Settings) -> None:
    capped = settings.model_copy(update={"import_max_rows": 100})
    batch = _upload(session, owner, capped, _workbook(150))
    with pytest.raises(FileRefused, match="plus de 100 lignes"):
        imports.check(session, owner, capped, batch)


def test_reading_past_its_deadline_stops_even_inside_openpyxl(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    path.write_bytes(_workbook(2000))
    with pytest.raises(FileRefused, match="trop long à lire"):
        open_table(path, "big.xlsx", ReadLimits().within(-1))


def test_reading_stops_when_nobody_waits_any_more(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    path.write_bytes(_workbook(20000))
    reads = [0]

    def gone() -> bool:  # the client leaves after a few reads of the file
        reads[0] += 1
        return reads[0] > 8

    with pytest.raises(FileRefused, match="plus personne"):
        for _ in open_table(path, "big.xlsx", ReadLimits(cancelled=gone)).rows():
            pass
    assert reads[0] == 9  # stopped at the first read after the client left


def test_a_small_file_that_inflates_big_runs_in_the_background(
        engine, session: Session, owner: Actor, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    threshold = 200_000
    batch = _upload(session, owner, settings, _workbook(2000))
    assert batch.size < threshold < imports.work_size(settings, batch)
    queue = InlineQueue(Runtime(engine, settings))
    import_jobs.launch(queue, settings, session, owner, batch, "check", inline_bytes=threshold)
    assert batch.status == "checking"  # queued, not run within the request
    assert finished_import(queue, batch.id).status == "checked"  # type: ignore[arg-type]
    queue.close()
