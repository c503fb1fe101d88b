"""The dashboard's figures at a past date, from the portfolio as it stood then
(app/services/dashboard/history.py): the same definitions as today's figures, which the
maintained aggregates hold, applied to the invoices, payments and steps dated by as_of.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlmodel import Session

from app.law.calendar import add_months
from app.law.stages import STAGES
from app.models import Creditor
from app.models.debtors import ZERO
from app.services.dashboard import measures, risk
from app.services.dashboard.board import TOP, Bucket, LatePayer, Portfolio, StageRow
from app.services.dashboard.forecast import PAST_PROMISES, forecast
from app.services.dashboard.history import Snapshot, snapshot

NOTES = ("Au passé, les chiffres sont recalculés à partir des factures émises, des paiements, "
         "avoirs et étapes datés au plus tard de ce jour ; les procédures collectives comptent "
         "à partir de leur jugement d'ouverture.", PAST_PROMISES,
         "Les listes de débiteurs ouvertes depuis ce tableau (tranches, étapes) montrent "
         "l'état d'aujourd'hui des dossiers, la tranche étant comptée à cette date.")


def portfolio(session: Session, creditor: Creditor, as_of: date) -> Portfolio:
    shot = snapshot(session, creditor, as_of)
    aging = aging_of(shot)
    since = add_months(as_of, -12)
    due = [i for i in shot.invoices if since <= i.due_date < as_of]
    recovered = sum((i.paid_late for i in due), ZERO)
    fell = sum((i.fell_overdue for i in due), ZERO)
    dso = measures.dso_by_month(as_of, shot.months, shown=sum((b.amount for b in aging), ZERO))
    weeks = measures.weeks(as_of)
    dues: dict[date, Decimal] = defaultdict(lambda: ZERO)
    for i in shot.invoices:
        if i.balance > 0 and weeks[0][0] <= i.due_date <= weeks[-1][1]:
            dues[i.due_date] += i.balance
    balance_at = {i.id: i.balance for i in shot.invoices}
    return Portfolio(
        creditor.id, creditor.legal_name, as_of,  # type: ignore[arg-type]
        outstanding=sum((b.amount for b in aging), ZERO),
        overdue=sum((b.amount for b in aging if b.code != "not_due"), ZERO),
        debtors=sum(b.debtors for b in aging), invoices=sum(b.invoices for b in aging),
        aging=aging, dso_days=dso[-1][1], dso_by_month=dso, stages=stages_of(shot),
        recovery_since=since, recovered=recovered, fell_overdue=fell,
        recovery_rate=measures.rate(recovered, fell),
        average_days_late=average_days_late(shot), top_late_payers=late_payers(shot),
        forecast=forecast(session, creditor.id, as_of, dues, past=True),  # type: ignore[arg-type]
        prescription=risk.prescription(session, as_of, shot.at_risk, balance_at),
        declarations=risk.declarations(
            session, creditor.id, as_of,  # type: ignore[arg-type]
            {d.id: d.outstanding for d in shot.debtors.values()}),
        past=True, notes=NOTES)


def aging_of(shot: Snapshot) -> list[Bucket]:
    amounts: dict[str, Decimal] = defaultdict(lambda: ZERO)
    invoices: dict[str, int] = defaultdict(int)
    debtors: dict[str, int] = defaultdict(int)
    for i in shot.invoices:
        if i.balance > 0:
            code = measures.bucket_of((shot.as_of - i.due_date).days)
            amounts[code] += i.balance
            invoices[code] += 1
    for d in shot.debtors.values():
        if d.oldest_due_date is not None:
            debtors[measures.bucket_of((shot.as_of - d.oldest_due_date).days)] += 1
    return [Bucket(code, label, amounts[code], invoices[code], debtors[code])
            for code, label in measures.BUCKETS.items()]


def stages_of(shot: Snapshot) -> list[StageRow]:
    amounts: dict[str, Decimal] = defaultdict(lambda: ZERO)
    counts: dict[str, int] = defaultdict(int)
    for d in shot.debtors.values():
        if d.outstanding > 0:
            amounts[d.stage] += d.outstanding
            counts[d.stage] += 1
    return [StageRow(code, label, amounts[code], counts[code]) for code, label in STAGES.items()]


def _late(shot: Snapshot) -> list[tuple[date, int]]:
    return sorted((d.oldest_due_date, d.id) for d in shot.debtors.values()
                  if d.oldest_due_date is not None and d.oldest_due_date < shot.as_of)


def average_days_late(shot: Snapshot) -> Decimal | None:
    late = _late(shot)
    if not late:
        return None
    days = sum((shot.as_of - due).days for due, _ in late)
    return (Decimal(days) / len(late)).quantize(measures.TENTH, rounding=ROUND_HALF_UP)


def late_payers(shot: Snapshot) -> list[LatePayer]:
    result = []
    for due, debtor_id in _late(shot)[:TOP]:
        d = shot.debtors[debtor_id]
        result.append(LatePayer(d.id, d.name, (shot.as_of - due).days, d.outstanding,
                                STAGES.get(d.stage, d.stage)))
    return result
