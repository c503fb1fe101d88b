"""The cash-in forecast: what is expected each week over 8 weeks from as_of, from three
sources kept apart: open invoices falling due, payment-plan instalments (Step payment_plan)
and the debtors' promises to pay (PaymentPromise, recorded from the reminders' calls).

Today, a promise counts while it is "open". At a past date its later fate (kept, broken) was
not known yet: every promise made by that date and due in the window counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from app.models import PaymentPromise, Step
from app.models.debtors import ZERO
from app.services.dashboard import measures
from app.services.dashboard.board import Week

PAST_PROMISES = ("Prévision : à une date passée, chaque promesse de paiement faite au plus tard "
                 "ce jour-là est comptée, quelle qu'en ait été l'issue ensuite.")


def forecast(session: Session, creditor_id: int, as_of: date, dues: Mapping[date, Decimal],
             *, past: bool) -> list[Week]:
    """`dues`: due date → open balances on as_of falling due that day."""
    weeks = measures.weeks(as_of)
    first, last = weeks[0][0], weeks[-1][1]
    plans = _by_day(session.exec(
        select(Step.date, func.sum(Step.amount)).where(
            Step.creditor_id == creditor_id, Step.kind == "payment_plan",
            Step.date >= first, Step.date <= last).group_by(Step.date)).all())
    known = PaymentPromise.made_on <= as_of if past else PaymentPromise.status == "open"
    promises = _by_day(session.exec(
        select(PaymentPromise.due_date, func.sum(PaymentPromise.amount)).where(
            PaymentPromise.creditor_id == creditor_id, known,
            PaymentPromise.due_date >= first, PaymentPromise.due_date <= last)
        .group_by(PaymentPromise.due_date)).all())
    result = []
    for start, end in weeks:
        invoices, planned, promised = (sum((a for d, a in source.items() if start <= d <= end),
                                           ZERO) for source in (dues, plans, promises))
        result.append(Week(start, end, invoices, planned, promised,
                           invoices + planned + promised))
    return result


def _by_day(rows: list[tuple[date, Decimal | None]]) -> dict[date, Decimal]:
    return {day: Decimal(amount or ZERO) for day, amount in rows}
