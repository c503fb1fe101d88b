"""A debtor's stage and next action (app/law/stages.py), kept on the debtor's row.

Recomputed with its alerts (services/alerts.store): when its file changed, and once a day,
so the debtors list filters and sorts on indexed columns and the funnel reads StageTotal.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlmodel import Session, select

from app.law.alerts import Alert
from app.law.stages import STAGE_RANK, StepFact, next_action, stage
from app.models import Debtor, Step


def maintain(session: Session, debtor: Debtor, alerts: Iterable[Alert], today: date) -> None:
    steps = session.exec(select(Step).where(Step.debtor_id == debtor.id, Step.date <= today))
    code = stage([StepFact(s.kind, s.date, s.level, s.end_date) for s in steps],
                 proceedings_kind=debtor.proceedings_kind)
    overdue = debtor.oldest_due_date is not None and debtor.oldest_due_date < today
    action = next_action(code, alerts, overdue=overdue, as_of=today)
    debtor.stage, debtor.stage_rank = code, STAGE_RANK[code]
    debtor.next_action_key = action.key if action else ""
    debtor.next_action = action.label if action else ""
    debtor.next_action_date = action.date if action else None
    session.add(debtor)
