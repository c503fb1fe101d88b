"""The apply of a FEC reuses what its dry run read (app/imports/parsed.py): same rows, same
report as reading the file again, and a reading again whenever the kept file is missing,
damaged or of another version."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session

from app.config import Settings
from app.imports import fec, lettrage, parsed
from app.models import ImportBatch
from app.services import imports
from app.services.context import Actor
from tests.imports.test_import_bulk import assert_consistent, generated, stored_figures

BROKEN = b"VT\tVentes\t9999\t20260105\t411000\r\n"  # 5 columns of 18: refused, line named


def content() -> bytes:
    return generated(seed=5).build() + BROKEN


def kept_file(settings: Settings, batch: ImportBatch) -> Path:
    return parsed.path_for(settings.data_dir / "cache" / "imports", batch.sha256)


def comparable(report: imports.ImportReport) -> dict[str, object]:
    data = report.to_json()
    data.pop("preview")  # names the debtors, whose creditor differs
    return data


def reference(session: Session, actor: Actor, settings: Settings, upload
              ) -> tuple[dict[str, object], dict[str, object]]:
    """The import of the same bytes by another creditor, read from the file at the apply."""
    report = imports.apply(session, actor, settings, upload(actor, content()))
    return comparable(report), stored_figures(session, actor.creditor_id)["invoices"]


def test_the_apply_reuses_the_dry_runs_reading(session, owner, outsider, settings, upload,
                                               monkeypatch):  # type: ignore[no-untyped-def]
    batch = upload(owner, content())
    checked = imports.check(session, owner, settings, batch)
    assert kept_file(settings, batch).is_file()

    def not_read_again(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the apply read the file again")

    monkeypatch.setattr(fec, "customer_lines", not_read_again)
    report = imports.apply(session, owner, settings, batch)
    monkeypatch.undo()
    assert report.refused_count == checked.refused_count == 1
    assert report.refusals[0].line == report.lines_read + 1
    assert not kept_file(settings, batch).exists()  # applied: no longer needed
    assert_consistent(session, owner)
    expected_report, expected_invoices = reference(session, outsider, settings, upload)
    assert comparable(report) == expected_report
    assert stored_figures(session, owner.creditor_id)["invoices"] == expected_invoices


@pytest.mark.parametrize("damage", ["removed", "truncated", "older version", "other file"])
def test_without_a_usable_kept_file_the_apply_reads_the_file_again(
        session, owner, outsider, settings, upload, damage):  # type: ignore[no-untyped-def]
    batch = upload(owner, content())
    imports.check(session, owner, settings, batch)
    path = kept_file(settings, batch)
    if damage == "removed":
        path.unlink()
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:-40])
    elif damage == "older version":
        path.rename(path.with_name(path.name.replace(f".v{parsed.VERSION}.", ".v0.")))
        path.write_bytes(path.with_name(path.name.replace(f".v{parsed.VERSION}.", ".v0."))
                         .read_bytes().replace(b'"version":%d' % parsed.VERSION,
                                               b'"version":0'))
    else:  # another file's kept reading under this file's name
        other = upload(owner, generated(seed=6).build())
        imports.check(session, owner, settings, other)
        path.write_bytes(kept_file(settings, other).read_bytes())
    report = imports.apply(session, owner, settings, batch)
    expected_report, expected_invoices = reference(session, outsider, settings, upload)
    assert comparable(report) == expected_report
    assert stored_figures(session, owner.creditor_id)["invoices"] == expected_invoices


def test_a_dry_run_stopped_midway_keeps_nothing(session, owner, settings, upload,
                                                monkeypatch):  # type: ignore[no-untyped-def]
    batch = upload(owner, content())
    calls: list[str] = []

    def failing_second(code, account):  # type: ignore[no-untyped-def]
        calls.append(code)
        if len(calls) == 2:
            raise RuntimeError("stopped")
        return one_customer(code, account)

    one_customer = lettrage._customer
    monkeypatch.setattr(lettrage, "_customer", failing_second)
    with pytest.raises(RuntimeError):
        imports.check(session, owner, settings, batch)
    folder = kept_file(settings, batch).parent
    assert list(folder.iterdir()) == []  # neither the kept file nor its part
