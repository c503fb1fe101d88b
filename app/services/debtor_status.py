"""A debtor's stage and next action (app/law/stages.py), kept on the debtor's row.

Recomputed with its alerts (services/alerts.store): when its file changed, and once a day,
so the debtors list filters and sorts on indexed columns and the funnel reads StageTotal.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlmodel import Session

from app.law.alerts import Alert
from app.law.stages import NEXT_LETTER, STAGE_RANK, StepFact, next_action, stage
from app.models import Debtor
from app.services.debtor_file import DebtorFile
from app.services.reminders.plan import next_letter


def maintain(session: Session, debtor: Debtor, alerts: Iterable[Alert], today: date,
             file: DebtorFile) -> None:
    """`file`: the debtor's file at `today`; on the amiable track, what its reminder scenario
    sends next is read from it (services/reminders/plan.py), else the next relance by hand."""
    code = stage([StepFact(s.kind, s.date, s.level, s.end_date) for s in file.steps
                  if s.date <= today], proceedings_kind=debtor.proceedings_kind)
    overdue = debtor.oldest_due_date is not None and debtor.oldest_due_date < today
    letter = next_letter(session, file, today) if code in NEXT_LETTER else None
    action = next_action(code, alerts, overdue=overdue, as_of=today, letter=letter)
    debtor.stage, debtor.stage_rank = code, STAGE_RANK[code]
    debtor.next_action_key = action.key if action else ""
    debtor.next_action = action.label if action else ""
    debtor.next_action_date = action.date if action else None
    session.add(debtor)
