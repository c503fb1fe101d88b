"""Maintained portfolio aggregates per creditor, so the dashboard never scans the invoices.

Kept up to date at every flush that changes an invoice, a payment or a debtor
(app/services/dashboard/maintain.py), and rebuilt from the rows when asked.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Field, SQLModel

from app.models.debtors import ZERO
from app.models.types import Money


class AgingDay(SQLModel, table=True):
    """What falls due on one day: open balances, and how those invoices were paid."""

    creditor_id: int = Field(foreign_key="creditor.id", primary_key=True)
    due_date: date = Field(primary_key=True)
    amount: Decimal = Field(default=ZERO, sa_type=Money)  # open balances TTC
    invoices: int = 0  # open invoices
    debtors: int = 0  # debtors whose oldest open invoice falls due that day
    fell_overdue: Decimal = Field(default=ZERO, sa_type=Money)  # unpaid on the due date
    paid_late: Decimal = Field(default=ZERO, sa_type=Money)  # of which collected after it


class MonthFigure(SQLModel, table=True):
    """Sales invoiced (by issue date) and sums settled (payments and credit notes, by date)."""

    creditor_id: int = Field(foreign_key="creditor.id", primary_key=True)
    month: date = Field(primary_key=True)  # the first day of the month
    invoiced: Decimal = Field(default=ZERO, sa_type=Money)
    settled: Decimal = Field(default=ZERO, sa_type=Money)


class StageTotal(SQLModel, table=True):
    """Debtors with an open balance, and that balance, at each stage (app/law/stages.py); and
    every debtor at that stage, settled ones too (what the debtors list filtered on it counts)."""

    creditor_id: int = Field(foreign_key="creditor.id", primary_key=True)
    stage: str = Field(max_length=30, primary_key=True)
    amount: Decimal = Field(default=ZERO, sa_type=Money)
    debtors: int = 0
    all_debtors: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
