"""An import written in bulk (app/services/import_bulk.py) leaves the same rows as the per-row
services would: every maintained figure equals its fresh recomputation.

After each import of a generated ledger (partial lettrage, unapplied payments, credit notes,
consumers, debtors already on file with invoices and payments of their own, a later export
that letters what was unapplied), the test checks, in the way `contentieux check` checks the
store against the database:
- each invoice's paid, balance, fell_overdue and paid_late, and each debtor's outstanding,
  oldest due date and invoice count, against `balances.refresh` (the per-row path);
- the dashboard's aggregates (AgingDay, MonthFigure, StageTotal) against a rebuild from the rows;
- every debtor the import touched has its alerts to compute again, and once computed they equal
  a fresh computation; one audit event per debtor written.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from app.models import AlertEntry, AuditEvent, Debtor, Invoice, Payment
from app.services import alerts, balances, imports
from app.services.context import Actor
from app.services.dashboard import maintain
from tests.dashboard.test_maintain import snapshot
from tests.factories import make_debtor, make_invoice, make_payment
from tests.imports.builders import Fec

TODAY = date(2026, 12, 15)
FIGURES = ("paid", "balance", "fell_overdue", "paid_late")


def generated(seed: int, customers: int = 25, entries: int = 120) -> Fec:
    """Sales, receipts (lettered in full, in part, or not at all) and credit notes."""
    rng = random.Random(seed)
    fec = Fec()
    for number in range(1, entries + 1):
        customer = rng.randrange(customers)
        aux = f"C{customer:03d}"
        name = f"M. Client {customer:03d}" if customer % 7 == 0 else f"Client {customer:03d} SARL"
        ttc = Decimal(rng.randrange(5_000, 500_000)) / 100
        day = f"2026{rng.randint(1, 10):02d}{rng.randint(1, 28):02d}"
        roll = rng.random()
        letter = f"L{seed}-{number}" if roll < 0.7 else ""
        fec.sale(day, aux, name, f"F-{seed}-{number:04d}", str(ttc), letter=letter)
        if letter:
            paid = ttc if roll < 0.45 else (ttc / 3).quantize(Decimal("0.01"))
            fec.receipt(day, aux, name, f"VIR-{seed}-{number:04d}", str(paid), letter=letter)
        elif roll < 0.8:
            fec.receipt(day, aux, name, f"CHQ-{seed}-{number:04d}", "100.00")
        elif roll < 0.85:
            fec.credit_note(day, aux, name, f"AV-{seed}-{number:04d}", "50.00")
    return fec


def stored_figures(session: Session, creditor_id: int) -> dict[str, Any]:
    session.expire_all()
    invoices = {i.number: tuple(getattr(i, f) for f in FIGURES)
                for i in session.exec(select(Invoice).where(Invoice.creditor_id == creditor_id))}
    debtors = {d.id: (d.outstanding, d.oldest_due_date, d.invoice_count)
               for d in session.exec(select(Debtor).where(Debtor.creditor_id == creditor_id))}
    return {"invoices": invoices, "debtors": debtors}


def assert_consistent(session: Session, actor: Actor) -> None:
    kept = stored_figures(session, actor.creditor_id)
    aggregates = snapshot(session)
    for debtor in session.exec(select(Debtor).where(Debtor.creditor_id == actor.creditor_id)):
        balances.refresh(session, debtor)  # the per-row path, for every debtor
    session.flush()
    assert stored_figures(session, actor.creditor_id) == kept
    maintain.rebuild(session, actor.creditor_id)
    assert snapshot(session) == aggregates
    session.rollback()
    alerts.refresh_stale(session, TODAY)
    for debtor in session.exec(select(Debtor).where(Debtor.creditor_id == actor.creditor_id)):
        fresh = alerts.compute(session, debtor, TODAY)
        stored = session.exec(select(AlertEntry.key, AlertEntry.date).where(
            AlertEntry.debtor_id == debtor.id)).all()
        assert sorted(stored) == sorted((a.key, a.date) for a in fresh), debtor.legal_name


def test_a_bulk_import_leaves_every_figure_as_a_fresh_recomputation(
        session, owner, settings, upload):  # type: ignore[no-untyped-def]
    # Already on file: a consumer with an invoice of its own and an unapplied payment (the
    # 1342-10 imputation, at the consumer's rate), matched by name by the import.
    consumer = make_debtor(session, owner, legal_name="M. Client 000", kind="consumer",
                           siren="", is_merchant="")
    make_invoice(session, owner, consumer, number="MAN-1", issue_date="2026-01-05",
                 due_date="2026-02-04", amount_ht="500.00", amount_tva="100.00",
                 amount_ttc="600.00")
    make_payment(session, owner, consumer, date="2026-03-01", amount="250.00",
                 reference="VIR MANUEL")
    alerts.refresh_stale(session, TODAY)
    first = generated(seed=1)
    report = imports.apply(session, owner, settings, upload(owner, first.build()))
    assert report.invoices.created > 20 and report.payments.created > 10
    assert report.credit_notes.created > 0 and report.debtors.updated == 1
    touched = session.exec(select(Debtor).where(Debtor.alerts_on != None)).all()  # noqa: E711
    assert touched == []  # every debtor the import touched: alerts to compute again
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "import",
                                                   AuditEvent.object_type == "debtor")).all()
    assert len(events) == report.debtors.created + report.debtors.updated
    assert_consistent(session, owner)

    # A later export: more entries, and the earlier unlettered cheques now lettered.
    later = generated(seed=1)
    later.rows = [row[:13] + ([f"X{row[8]}"] if row[8].startswith("CHQ-") and
                              row[4].startswith("411") else row[13:14]) + row[14:]
                  for row in later.rows]
    for row in later.rows:  # each cheque lettered with the sale of the same number
        if row[8].startswith("F-1-") and row[4].startswith("411") and not row[13]:
            row[13] = f"XCHQ-1-{row[8][4:]}"
    extra = generated(seed=2)
    later.rows += extra.rows
    report = imports.apply(session, owner, settings, upload(owner, later.build(),
                                                            "812345678FEC20261130.txt"))
    assert report.payments.updated > 0 and report.invoices.updated > 0
    relettered = session.exec(select(Payment).where(Payment.reference.startswith("CHQ-1-"),  # type: ignore[attr-defined]
                                                    Payment.invoice_id != None)).all()  # noqa: E711
    assert relettered
    assert_consistent(session, owner)


def test_the_same_file_twice_writes_nothing_the_second_time(session, owner, settings, upload):  # type: ignore[no-untyped-def]
    content = generated(seed=3).build()
    imports.apply(session, owner, settings, upload(owner, content))
    kept = stored_figures(session, owner.creditor_id), snapshot(session)
    report = imports.apply(session, owner, settings, upload(owner, content))
    assert (report.debtors.created, report.invoices.created, report.payments.created) == (0, 0, 0)
    assert (stored_figures(session, owner.creditor_id), snapshot(session)) == kept
    assert_consistent(session, owner)
