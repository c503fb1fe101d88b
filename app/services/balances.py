"""Maintained balances: invoice paid/balance and debtor outstanding/oldest due date.

Called after every change to invoices or payments of a debtor, so the debtors list and
dashboards read one indexed row instead of aggregating invoices at read time.
Payments naming no invoice go to the oldest due invoice first (C. civ. 1342-10), in the
order they were received. Each invoice also keeps what was unpaid on its due date and what
the debtor paid of it afterwards: the dashboard's recovery rate.
"""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, select

from app.models import Debtor, Invoice, Payment
from app.models.debtors import ZERO

Share = tuple[Payment, Decimal]  # a payment, and the part of it that went to one invoice


def refresh(session: Session, debtor: Debtor) -> None:
    invoices = list(session.exec(
        select(Invoice).where(Invoice.debtor_id == debtor.id)
        .order_by(Invoice.due_date, Invoice.id)  # type: ignore[arg-type]
    ))
    payments = list(session.exec(select(Payment).where(Payment.debtor_id == debtor.id)
                                 .order_by(Payment.date, Payment.id)))  # type: ignore[arg-type]
    for invoice, shares in zip(invoices, impute(invoices, payments), strict=True):
        invoice.paid = sum((amount for _, amount in shares), ZERO)
        invoice.balance = max(invoice.amount_ttc - invoice.paid, ZERO)
        invoice.fell_overdue, invoice.paid_late = overdue_and_recovered(invoice, shares)
        session.add(invoice)
    open_invoices = [inv for inv in invoices if inv.balance > 0]
    debtor.outstanding = sum((inv.balance for inv in open_invoices), Decimal("0.00"))
    debtor.oldest_due_date = min((inv.due_date for inv in open_invoices), default=None)
    debtor.invoice_count = len(invoices)
    session.add(debtor)


def impute(invoices: list[Invoice], payments: list[Payment]) -> list[list[Share]]:
    """Each invoice's payments (in the order of `invoices`): those naming it, then the others,
    oldest due invoice first."""
    shares: list[list[Share]] = [[] for _ in invoices]
    position = {inv.id: k for k, inv in enumerate(invoices)}
    room = [inv.amount_ttc for inv in invoices]
    for payment in payments:
        if payment.invoice_id in position:
            k = position[payment.invoice_id]
            shares[k].append((payment, payment.amount))
            room[k] -= payment.amount
    for payment in (p for p in payments if p.invoice_id not in position):
        left = payment.amount
        for k in range(len(invoices)):
            take = min(max(room[k], ZERO), left)
            if take > 0:
                shares[k].append((payment, take))
                room[k] -= take
                left -= take
    return shares


def overdue_and_recovered(invoice: Invoice, shares: list[Share]) -> tuple[Decimal, Decimal]:
    """(unpaid on the due date, paid after it). A credit note cancels part of the debt at any
    date: it is deducted from what fell overdue, never counted as recovered."""
    credited = sum((a for p, a in shares if p.kind == "credit_note"), ZERO)
    on_time = sum((a for p, a in shares if p.kind != "credit_note" and p.date <= invoice.due_date),
                  ZERO)
    late = sum((a for p, a in shares if p.kind != "credit_note" and p.date > invoice.due_date),
               ZERO)
    fell_overdue = max(invoice.amount_ttc - credited - on_time, ZERO)
    return fell_overdue, min(late, fell_overdue)
