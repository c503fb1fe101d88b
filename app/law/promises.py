"""Promises to pay (issue 17): kept, broken or still open, and the alert a broken one raises.

A promise to pay is no acknowledgment we rely on (a call leaves no writing: C. civ. 2240 needs
proof) and no reminder: it only pauses the amicable scenario until its date. Tool rule: a
promise made on day M to pay amount A by day D is **kept** when the debtor's payments dated
from M to D (both included; a credit note is not a payment by the debtor) reach A; it is
**broken** when D has passed (D < today) and it is not kept; otherwise it is **open**. A
promise is a contract the debtor chose to make (C. civ. 1103): a broken one lets the creditor
resume the scenario and, in the end, the procedure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

Status = Literal["open", "kept", "broken"]
STATUS_LABELS: dict[str, str] = {"open": "En cours", "kept": "Tenue", "broken": "Non tenue",
                                 "cancelled": "Annulée"}  # cancelled: by a person, read by no rule


@dataclass(frozen=True)
class Promise:
    made_on: date
    due_date: date
    amount: Decimal
    kept: bool = False  # already found kept: the passing days never undo that


@dataclass(frozen=True)
class Paid:
    """A payment by the debtor (credit notes left out by the caller)."""

    date: date
    amount: Decimal


def paid_towards(promise: Promise, payments: Iterable[Paid]) -> Decimal:
    """What the debtor paid from the day it promised to the promised date, both included."""
    return sum((p.amount for p in payments if promise.made_on <= p.date <= promise.due_date),
               Decimal(0))


def promise_status(promise: Promise, payments: Iterable[Paid], *, today: date) -> Status:
    """Kept once the payments in its window reach its amount; broken once its date passed."""
    if promise.kept or paid_towards(promise, payments) >= promise.amount:
        return "kept"
    return "broken" if promise.due_date < today else "open"


def latest(promises: Iterable[Promise]) -> Promise | None:
    """The promise that speaks for the debtor now: the last made (then the last due)."""
    return max(promises, key=lambda p: (p.made_on, p.due_date), default=None)
