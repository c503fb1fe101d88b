"""A debtor's décompte from the database: its invoices and payments turned into law inputs.

The one place that maps rows to `app.law.interest.compute_decompte`, so the debtor page, the
letters and the claim file show the same figures. A consumer's legal interest runs from the
first mise en demeure sent (C. civ. 1231-6, 1344-1), or from the due date when the creditor's
terms make it the notice (C. civ. 1344); collective proceedings stop interest
at their opening judgment (C. com. L622-28), read as everywhere else (`collective_of`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from app.law.facts import COLLECTIVE_STEPS, CollectiveProceedingsFacts, DatedStep, collective_proceedings
from app.law.interest import DebtorKind, Decompte, InvoiceInput, PaymentInput, compute_decompte
from app.law.rates import RateTables
from app.models import Creditor, Debtor, Invoice, Payment, Step
from app.services.rates import current_rates


def debtor_kind(debtor: Debtor) -> DebtorKind:
    return "consumer" if debtor.kind == "consumer" else "professional"


def collective_of(debtor: Any, steps: Iterable[DatedStep]) -> CollectiveProceedingsFacts:
    """The debtor's collective proceedings from its form's fields and its file's steps: the
    one reading of the page, the décompte, the alerts, the checklist, the letters and the
    reminders (app/law/facts.py `collective_proceedings`)."""
    return collective_proceedings(debtor.proceedings_kind, debtor.proceedings_judgment_date,
                                  getattr(debtor, "proceedings_bodacc_date", None), steps)


def debtor_collective(session: Session, debtor: Debtor) -> CollectiveProceedingsFacts:
    """`collective_of` for a debtor whose file is not loaded: its steps that tell of them."""
    return collective_of(debtor, session.exec(select(Step).where(
        Step.debtor_id == debtor.id, col(Step.kind).in_(COLLECTIVE_STEPS))))


def notice_dates(steps: Sequence[Step], as_of: date) -> list[date]:
    """Every mise en demeure sent on or before `as_of`, the first first."""
    return sorted(s.date for s in steps if s.kind == "mise_en_demeure" and s.date <= as_of)


def decompte_from(creditor: Creditor, debtor: Debtor, invoices: Sequence[Invoice],
                  payments: Sequence[Payment], steps: Sequence[Step], rates: RateTables,
                  as_of: date) -> Decompte:
    """The décompte from rows already loaded (LAW.md §2, tool rules 1-9). `steps`: the
    file's, or at least its mises en demeure and its opening of collective proceedings."""
    numbers = {inv.id: inv.number for inv in invoices}
    # The invoice's own rate, else the creditor's terms of sale (L441-10 II), else ECB + 10.
    default_rate = creditor.default_penalty_rate
    notices = notice_dates(steps, as_of)
    return compute_decompte(
        as_of=as_of,
        debtor_kind=debtor_kind(debtor),
        invoices=[InvoiceInput(inv.number, inv.amount_ttc, inv.issue_date, inv.due_date,
                               inv.contractual_rate if inv.contractual_rate is not None
                               else default_rate)
                  for inv in sorted(invoices, key=lambda i: (i.due_date, i.number))
                  if inv.amount_ttc > 0],
        payments=[PaymentInput(p.date, p.amount, numbers.get(p.invoice_id), ref=p.id,
                               credit=p.kind == "credit_note",
                               excess=getattr(p, "excess", ""))  # an import's rows: none
                  for p in sorted(payments, key=lambda p: (p.date, p.id or 0)) if p.amount > 0],
        rates=rates,
        formal_notice_date=notices[0] if notices else None,
        later_notices=notices[1:],
        collective_proceedings_opened=collective_of(debtor, steps).opened_on,
        notice_by_due_date=creditor.notice_by_due_date,  # C. civ. 1344 clause of the terms
    )


def debtor_decompte(session: Session, debtor: Debtor, as_of: date) -> Decompte:
    """The statement of account of `debtor` at `as_of`, read from the database."""
    creditor = session.get(Creditor, debtor.creditor_id)
    assert creditor is not None
    rows = [list(session.exec(select(model).where(model.debtor_id == debtor.id)))
            for model in (Invoice, Payment, Step)]
    return decompte_from(creditor, debtor, *rows, rates=current_rates(session), as_of=as_of)
