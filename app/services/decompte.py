"""A debtor's décompte from the database: its invoices and payments turned into law inputs.

The one place that maps rows to `app.law.interest.compute_decompte`, so the debtor page, the
letters and the claim file show the same figures. A consumer's legal interest runs from the
first mise en demeure sent (C. civ. 1231-6, 1344-1); collective proceedings stop interest
at their opening judgment (C. com. L622-28).
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from app.law.interest import DebtorKind, Decompte, InvoiceInput, PaymentInput, compute_decompte
from app.models import Creditor, Debtor, Invoice, Payment, Step
from app.services.rates import current_rates


def debtor_kind(debtor: Debtor) -> DebtorKind:
    return "consumer" if debtor.kind == "consumer" else "professional"


def formal_notice_date(session: Session, debtor: Debtor, as_of: date) -> date | None:
    """The first mise en demeure sent on or before `as_of`, if any."""
    query = (
        select(Step.date)
        .where(Step.debtor_id == debtor.id, Step.kind == "mise_en_demeure", Step.date <= as_of)
        .order_by(Step.date)  # type: ignore[arg-type]
    )
    return session.exec(query).first()


def decompte_inputs(session: Session, debtor: Debtor) -> tuple[list[InvoiceInput], list[PaymentInput]]:
    invoices = list(
        session.exec(
            select(Invoice).where(Invoice.debtor_id == debtor.id).order_by(Invoice.due_date, Invoice.number)  # type: ignore[arg-type]
        )
    )
    numbers = {inv.id: inv.number for inv in invoices}
    creditor = session.get(Creditor, debtor.creditor_id)
    # The invoice's own rate, else the creditor's terms of sale (L441-10 II), else ECB + 10.
    default_rate = creditor.default_penalty_rate if creditor else None
    payments = session.exec(
        select(Payment).where(Payment.debtor_id == debtor.id).order_by(Payment.date, Payment.id)  # type: ignore[arg-type]
    )
    return (
        [
            InvoiceInput(inv.number, inv.amount_ttc, inv.issue_date, inv.due_date,
                         inv.contractual_rate if inv.contractual_rate is not None else default_rate)
            for inv in invoices
            if inv.amount_ttc > 0
        ],
        [PaymentInput(p.date, p.amount, numbers.get(p.invoice_id)) for p in payments if p.amount > 0],
    )


def debtor_decompte(session: Session, debtor: Debtor, as_of: date) -> Decompte:
    """The statement of account of `debtor` at `as_of` (LAW.md §2, tool rules 1-9)."""
    invoices, payments = decompte_inputs(session, debtor)
    opened = debtor.proceedings_judgment_date if debtor.proceedings_kind else None
    return compute_decompte(
        as_of=as_of,
        debtor_kind=debtor_kind(debtor),
        invoices=invoices,
        payments=payments,
        rates=current_rates(session),
        formal_notice_date=formal_notice_date(session, debtor, as_of),
        collective_proceedings_opened=opened,
    )
