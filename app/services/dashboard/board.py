"""The dashboard's figures at a date, as plain values: what the page, the API and the
exports show, whichever way they were computed (aggregates today, rows at a past date)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.services.dashboard.risk import RiskList

TOP = 10


@dataclass(frozen=True)
class Bucket:
    code: str
    label: str
    amount: Decimal
    invoices: int
    debtors: int  # debtors whose oldest open invoice falls in the bucket


@dataclass(frozen=True)
class StageRow:
    code: str
    label: str
    amount: Decimal
    debtors: int


@dataclass(frozen=True)
class LatePayer:
    debtor_id: int
    name: str
    days_late: int
    outstanding: Decimal
    stage: str


@dataclass(frozen=True)
class Week:
    start: date
    end: date
    invoices: Decimal  # open balances falling due that week
    plans: Decimal  # payment-plan instalments due that week
    promises: Decimal  # promises to pay (PaymentPromise) due that week
    total: Decimal


@dataclass(frozen=True)
class Portfolio:
    creditor_id: int
    creditor_name: str
    as_of: date
    outstanding: Decimal
    overdue: Decimal
    debtors: int
    invoices: int
    aging: list[Bucket]
    dso_days: Decimal
    dso_by_month: list[tuple[date, Decimal]]
    stages: list[StageRow]
    recovery_since: date  # invoices due from this day to the day before as_of
    recovered: Decimal
    fell_overdue: Decimal
    recovery_rate: Decimal | None
    average_days_late: Decimal | None
    top_late_payers: list[LatePayer]
    forecast: list[Week]
    prescription: RiskList
    declarations: RiskList
    past: bool = False  # as_of before today: rebuilt from the rows dated by as_of
    notes: tuple[str, ...] = ()  # what a figure at a past date can and cannot know
