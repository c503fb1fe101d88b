"""The cash-in forecast: what is expected each week over 8 weeks from as_of, from three
sources kept apart: open invoices falling due, payment-plan instalments not yet paid (Step
payment_plan) and the debtors' promises to pay (PaymentPromise, recorded from the reminders' calls).

Today, a promise counts while it is "open". At a past date its later fate (kept, broken) was
not known yet: every promise made by that date and due in the window counts, unless a person
had cancelled it by then.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from app.models import Debtor, PaymentPromise, Step
from app.models.debtors import ZERO
from app.services import law_facts
from app.services.dashboard import measures
from app.services.dashboard.board import Week

PAST_PROMISES = ("Prévision : à une date passée, chaque promesse de paiement faite au plus tard "
                 "ce jour-là est comptée, quelle qu'en ait été l'issue ensuite.")


def forecast(session: Session, creditor_id: int, as_of: date, dues: Mapping[date, Decimal],
             *, past: bool) -> list[Week]:
    """`dues`: due date → open balances on as_of falling due that day."""
    weeks = measures.weeks(as_of)
    first, last = weeks[0][0], weeks[-1][1]
    plans = instalments_due(session, creditor_id, as_of, first, last)
    known = and_(PaymentPromise.made_on <= as_of,  # a cancelled promise: until cancelled
                 or_(col(PaymentPromise.cancelled_on).is_(None),
                     col(PaymentPromise.cancelled_on) > as_of)) \
        if past else PaymentPromise.status == "open"
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


def instalments_due(session: Session, creditor_id: int, as_of: date, first: date,
                    last: date) -> dict[date, Decimal]:
    """The payment-plan instalments due in [first, last] not yet paid on as_of, as the
    debtor's alerts see them (law_facts.instalments: paid in order by the payments received
    from a month before the first instalment). Only the debtors with such a step are read."""
    debtor_ids = session.exec(select(Step.debtor_id).distinct().where(
        Step.creditor_id == creditor_id, Step.kind == "payment_plan",
        Step.date >= first, Step.date <= last)).all()
    result: dict[date, Decimal] = defaultdict(lambda: ZERO)
    for debtor_id in debtor_ids:
        debtor = session.get(Debtor, debtor_id)
        assert debtor is not None
        for instalment in law_facts.instalments(law_facts.load(session, debtor, as_of)):
            if not instalment.paid and first <= instalment.due_date <= last:
                result[instalment.due_date] += instalment.amount
    return result


def _by_day(rows: list[tuple[date, Decimal | None]]) -> dict[date, Decimal]:
    return {day: Decimal(amount or ZERO) for day, amount in rows}
