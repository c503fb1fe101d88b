"""Maintained balances: invoice paid/balance and debtor outstanding/oldest due date.

Called after every change to invoices or payments of a debtor, so the debtors list and
dashboards read one indexed row instead of aggregating invoices at read time.
Payments naming no invoice go to the oldest due invoice first (C. civ. 1342-10).
"""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, select

from app.models import Debtor, Invoice, Payment
from app.models.debtors import ZERO


def refresh(session: Session, debtor: Debtor) -> None:
    invoices = list(session.exec(
        select(Invoice).where(Invoice.debtor_id == debtor.id)
        .order_by(Invoice.due_date, Invoice.id)  # type: ignore[arg-type]
    ))
    payments = list(session.exec(select(Payment).where(Payment.debtor_id == debtor.id)))
    paid = {inv.id: ZERO for inv in invoices}
    unassigned = ZERO
    for payment in payments:
        if payment.invoice_id in paid:
            paid[payment.invoice_id] += payment.amount
        else:
            unassigned += payment.amount
    for invoice in invoices:
        room = max(invoice.amount_ttc - paid[invoice.id], ZERO)
        take = min(room, unassigned)
        unassigned -= take
        invoice.paid = paid[invoice.id] + take
        invoice.balance = max(invoice.amount_ttc - invoice.paid, ZERO)
        session.add(invoice)
    open_invoices = [inv for inv in invoices if inv.balance > 0]
    debtor.outstanding = sum((inv.balance for inv in open_invoices), Decimal("0.00"))
    debtor.oldest_due_date = min((inv.due_date for inv in open_invoices), default=None)
    debtor.invoice_count = len(invoices)
    session.add(debtor)
