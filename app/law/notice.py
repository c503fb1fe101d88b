"""The deadline a mise en demeure leaves the debtor (LAW.md §4 tool rule).

The letter gives N days (8 or 15) from its receipt. The deadline the app tracks ends N days after
the AR's date, or after the first presentation for a "pli avisé non réclamé" (still valid, Cass.
1re civ. 20 Jan 2021), or after the act itself for a sommation by commissaire de justice; it is
waited out by the creditor, so extended to the next working day (CPC 641, 642). Until the AR is
recorded it is an estimate: letter date + 3 days of post + N days, marked "estimation".
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import date, timedelta

from app.law.calendar import fr_date, procedural_deadline

POST_DAYS = 3  # LAW.md §4: days of post assumed until the AR is recorded
DEFAULT_DAYS = 8


@dataclass(frozen=True)
class NoticeDeadline:
    deadline: date
    estimated: bool  # no AR recorded yet: letter date + 3 days + N days
    received: date | None  # AR, first presentation, or the act served
    reason: str


def notice_deadline(
    *,
    sent: date,
    days: int,
    received: date | None,
    holidays: Container[date],
    served: bool = False,
) -> NoticeDeadline:
    """Last day left to the debtor; `served`: a sommation by commissaire de justice."""
    if served:
        received = sent
    if received is not None:
        due = procedural_deadline(received, days=days, holidays=holidays, extend=True)
        origin = (
            "Sommation signifiée" if served
            else "Reçue (avis de réception ou première présentation du pli)"
        )
        return NoticeDeadline(
            due.deadline, False, received, f"{origin} le {fr_date(received)}. " + due.reason
        )
    arrival = sent + timedelta(days=POST_DAYS)
    due = procedural_deadline(arrival, days=days, holidays=holidays, extend=True)
    return NoticeDeadline(
        due.deadline,
        True,
        None,
        f"Estimation, tant que l'avis de réception n'est pas enregistré : lettre du "
        f"{fr_date(sent)} + {POST_DAYS} jours d'acheminement + {days} jours à compter de la "
        "réception. " + due.reason,
    )
