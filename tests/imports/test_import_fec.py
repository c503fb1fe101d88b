"""Importing a FEC: dry run, apply in one transaction, re-import without duplicates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from app.config import Settings
from app.errors import Forbidden
from app.imports.report import FileRefused
from app.models import AuditEvent, Debtor, ImportBatch, Invoice, Payment
from app.queue import make_queue
from app.services import import_bulk, import_jobs, imports
from app.services.context import Actor
from tests.factories import make_debtor
from tests.imports.builders import ledger
from tests.jobs import finished_import


def debtors_by_name(session: Session, actor: Actor) -> dict[str, Debtor]:
    rows = session.exec(select(Debtor).where(Debtor.creditor_id == actor.creditor_id))
    return {d.legal_name: d for d in rows}


def test_dry_run_reports_what_would_be_created_and_writes_nothing(session, owner, settings,
                                                                 upload):
    batch = upload(owner, ledger().build())
    report = imports.check(session, owner, settings, batch)
    assert (report.debtors.created, report.debtors.skipped) == (3, 1)  # Hôtel du Port: settled
    assert (report.invoices.created, report.invoices.skipped) == (4, 1)
    assert report.payments.created == 2 and report.payments.skipped == 1
    assert report.credit_notes.created == 1
    assert report.refused_count == 0
    assert session.exec(select(Debtor)).all() == []
    assert batch.status == "checked"
    proposed = {p.number: p.due_date for p in report.preview}
    assert proposed["F-2026-084"] == date(2026, 10, 4)  # 4 Sept + 30 days (payment term)


def test_apply_creates_open_invoices_with_partial_lettrage_and_credits(session, owner,
                                                                      settings, upload):
    batch = upload(owner, ledger().build())
    imports.check(session, owner, settings, batch)
    imports.apply(session, owner, settings, batch)
    found = debtors_by_name(session, owner)
    assert set(found) == {"DURAND BTP", "Boulangerie Martin", "Crêperie Kérouac"}
    # VIR-8812 (23/10) came 44 days after F-2026-071 fell due (09/09): it paid 10 080 × 44 ×
    # 12,15 % / 365 = 147,64 € of penalties first (C. civ. 1343-1), so 10 080 − 1 852,36
    # + 3 780 = 12 007,64 €, the principal of the debtor page and of the letters
    assert found["DURAND BTP"].outstanding == Decimal("12007.64")
    assert found["Boulangerie Martin"].outstanding == Decimal("2200.00")  # 2 940 - 240 - 500
    invoice = session.exec(select(Invoice).where(Invoice.number == "F-2026-071")).one()
    assert (invoice.amount_ttc, invoice.amount_tva, invoice.amount_ht) == (
        Decimal("10080.00"), Decimal("1680.00"), Decimal("8400.00"))
    assert invoice.paid == Decimal("2000.00") and invoice.due_date == date(2026, 9, 9)
    payments = {p.reference: p for p in session.exec(select(Payment))}
    assert payments["VIR-8812"].invoice_id == invoice.id
    assert payments["CHQ-5521"].invoice_id is None  # no lettrage: unapplied
    assert payments["Avoir AV-2026-004"].amount == Decimal("240.00")
    assert "VIR-9001" not in payments  # settles an invoice that was not imported
    done = session.get(ImportBatch, batch.id)
    assert (done.status, done.debtors_created, done.invoices_created) == ("done", 3, 4)
    audit = session.exec(select(AuditEvent).where(AuditEvent.action == "import")).all()
    assert len(audit) == 4  # one per debtor, one for the batch


def test_the_same_file_imported_twice_creates_no_duplicate(session, owner, settings, upload):
    content = ledger().build()
    first = upload(owner, content)
    imports.apply(session, owner, settings, first)
    second = upload(owner, content)
    report = imports.apply(session, owner, settings, second)
    assert (report.debtors.created, report.invoices.created, report.payments.created) == (0, 0, 0)
    assert report.credit_notes.created == 0
    assert "déjà été importé" in report.warnings[0]
    assert len(session.exec(select(Invoice)).all()) == 4
    assert len(session.exec(select(Payment)).all()) == 3


def test_a_later_export_records_new_payments_and_lettrage(session, owner, settings, upload):
    imports.apply(session, owner, settings, upload(owner, ledger().build()))
    later = ledger()
    # CHQ-5521 is now lettered with F-2026-118 ("AC" completed), and Durand paid F-2026-084.
    later.rows = [row[:13] + (["AC"] if row[8] == "CHQ-5521" and row[4].startswith("411")
                              else row[13:14]) + row[14:] for row in later.rows]
    later.receipt("20261115", "CDURAND", "DURAND BTP", "VIR-8900", "3780.00", letter="AD")
    later.rows = [row[:13] + (["AD"] if row[8] == "F-2026-084" and row[4].startswith("411")
                              else row[13:14]) + row[14:] for row in later.rows]
    report = imports.apply(session, owner, settings, upload(owner, later.build(),
                                                            "812345678FEC20261130.txt"))
    assert report.invoices.created == 0
    assert report.payments.created == 1 and report.payments.updated == 1
    cheque = session.exec(select(Payment).where(Payment.reference == "CHQ-5521")).one()
    martin = session.exec(select(Invoice).where(Invoice.number == "F-2026-118")).one()
    assert cheque.invoice_id == martin.id
    durand = debtors_by_name(session, owner)["DURAND BTP"]
    # F-2026-071's rest (8 227,64 €) and F-2026-084's penalties paid first by VIR-8900
    # (15/11, 42 days after 04/10): 3 780 × 42 × 12,15 % / 365 = 52,85 €
    assert durand.outstanding == Decimal("8280.49")


def test_existing_debtor_is_matched_by_name_and_no_new_file_is_opened(session, owner,
                                                                      settings, upload):
    existing = make_debtor(session, owner, legal_name="Durand BTP")  # "DURAND BTP" in the FEC
    report = imports.apply(session, owner, settings, upload(owner, ledger().build()))
    assert report.debtors.created == 2 and report.debtors.updated == 1
    assert session.get(Debtor, existing.id).invoice_count == 2


def test_corrected_due_date_is_used(session, owner, settings, upload):
    batch = upload(owner, ledger().build())
    imports.configure(session, owner, settings, batch, term_days="45",
                      due_dates={"F-2026-120": "30/11/2026"})
    report = imports.apply(session, owner, settings, batch)
    invoices = {i.number: i for i in session.exec(select(Invoice))}
    assert invoices["F-2026-120"].due_date == date(2026, 11, 30)
    assert invoices["F-2026-084"].due_date == date(2026, 10, 19)  # 4 Sept + 45 days
    assert {p.number: p.due_date_proposed for p in report.preview}["F-2026-120"] is False


def test_import_is_all_or_nothing(session, owner, settings, upload, monkeypatch):
    batch = upload(owner, ledger().build())
    imports.check(session, owner, settings, batch)
    calls = []

    def failing_aggregates(*args):  # type: ignore[no-untyped-def]
        calls.append(1)  # the last write: debtors, invoices, payments are inserted by now
        raise RuntimeError("disk full")

    monkeypatch.setattr(import_bulk, "_aggregate", failing_aggregates)
    with pytest.raises(RuntimeError):
        import_jobs.launch(None, settings, session, owner, batch, "apply")  # type: ignore[arg-type]
    assert session.exec(select(Debtor)).all() == []
    assert session.exec(select(Invoice)).all() == []
    failed = session.get(ImportBatch, batch.id)
    assert failed.status == "failed" and "rien n'a été enregistré" in failed.error
    assert calls == [1]


def test_a_big_file_is_checked_then_applied_in_a_background_job(session, owner, settings,
                                                                 upload):
    batch = upload(owner, ledger().build())
    engine = session.get_bind()
    queue = make_queue(engine, settings)
    import_jobs.launch(queue, settings, session, owner, batch, "check", inline_bytes=0)
    finished_import(queue, batch.id)
    session.expire_all()
    assert session.get(ImportBatch, batch.id).status == "checked"
    import_jobs.launch(queue, settings, session, owner, session.get(ImportBatch, batch.id),
                       "apply", inline_bytes=0)
    finished_import(queue, batch.id)
    queue.close()
    session.expire_all()
    done = session.get(ImportBatch, batch.id)
    assert (done.status, done.progress, done.invoices_created) == ("done", 100, 4)


def test_read_only_member_cannot_import(session, reader, upload):
    with pytest.raises(Forbidden):
        upload(reader, ledger().build())


def test_outsider_sees_neither_the_import_nor_its_debtors(session, owner, outsider, settings,
                                                          upload):
    batch = upload(owner, ledger().build())
    imports.apply(session, owner, settings, batch)
    assert imports.history(session, outsider) == []
    from app.errors import NotFound

    with pytest.raises(NotFound):
        imports.get(session, outsider, batch.id)
    assert debtors_by_name(session, outsider) == {}


def test_kept_file_is_the_uploaded_bytes(session, owner, settings: Settings, upload):
    content = ledger().build("|", "latin-1")
    batch = upload(owner, content)
    assert imports.file_path(settings, batch).read_bytes() == content
    assert batch.size == len(content) and batch.source == "812345678"


def test_a_fec_longer_than_the_row_cap_is_refused_and_nothing_is_saved(session, owner, settings,
                                                                        upload):
    """CONTENTIEUX_IMPORT_MAX_ROWS holds for a FEC as for a spreadsheet: the reason names it."""
    batch = upload(owner, ledger().build())  # 24 lines
    imports.check(session, owner, settings, batch)
    settings.import_max_rows = 10
    with pytest.raises(FileRefused, match="plus de 10 lignes"):
        imports.apply(session, owner, settings, imports.get(session, owner, batch.id))
    assert session.exec(select(Debtor)).all() == [] and session.exec(select(Invoice)).all() == []
    other = upload(owner, ledger().build())
    with pytest.raises(FileRefused):
        import_jobs.launch(None, settings, session, owner, other, "check")  # type: ignore[arg-type]
    session.expire_all()
    refused = session.get(ImportBatch, other.id)
    assert refused.status == "refused"
    assert refused.error == ("Le fichier compte plus de 10 lignes, le maximum pour un import : "
                             "découpez-le.")
