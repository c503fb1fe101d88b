"""Bodies of the calculators' API (contracts fixed by issue 4: keep every name).

Dates are ISO strings, amounts and rates decimal strings with two decimals.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field, PlainSerializer

Money = Annotated[Decimal, PlainSerializer(lambda v: f"{v:.2f}", return_type=str)]
MoneyIn = Annotated[Decimal, Field(ge=0, le=Decimal("999999999.99"), max_digits=11, decimal_places=2)]
RateIn = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
Day = Annotated[date, Field(ge=date(1990, 1, 1), le=date(2100, 12, 31))]


class DecompteInvoiceIn(BaseModel):
    number: str = Field(min_length=1, max_length=60)
    amount: MoneyIn
    issue_date: Day
    due_date: Day
    contractual_rate: RateIn | None = None


class DecomptePaymentIn(BaseModel):
    invoice: str | None = None
    date: Day
    amount: MoneyIn


class DecompteIn(BaseModel):
    as_of: Day
    debtor_kind: Literal["professional", "consumer"]
    formal_notice_date: Day | None = None
    collective_proceedings_opened: Day | None = None
    invoices: list[DecompteInvoiceIn] = Field(min_length=1, max_length=500)
    payments: list[DecomptePaymentIn] = Field(default_factory=list, max_length=5000)


class PeriodOut(BaseModel):
    start: date
    end: date
    days: int
    rate: Money
    base: Money
    amount: Money
    rule: str


class DecompteInvoiceOut(BaseModel):
    number: str
    principal: Money
    interest: Money
    indemnity: Money
    periods: list[PeriodOut]


class DecompteOut(BaseModel):
    principal: Money
    interest: Money
    indemnities: Money
    total: Money
    invoices: list[DecompteInvoiceOut]
    warnings: list[str]


class DeadlineIn(BaseModel):
    start: Day
    months: int = Field(default=0, ge=0, le=240)
    days: int = Field(default=0, ge=0, le=3650)
    department: str = Field(default="75", max_length=3)


class DeadlineOut(BaseModel):
    nominal: date
    deadline: date
    extended: bool
    reason: str


EventKind = Literal["acknowledgment", "partial_payment", "ip_service", "enforcement",
                    "claim_declaration", "suspension_start", "suspension_end"]


class PrescriptionEventIn(BaseModel):
    kind: EventKind
    date: Day


class PrescriptionIn(BaseModel):
    debtor_kind: Literal["professional", "consumer"]
    start: Day
    events: list[PrescriptionEventIn] = Field(default_factory=list, max_length=200)
    as_of: Day


class PrescriptionOut(BaseModel):
    deadline: date
    prescribed: bool
    days_left: int
    explanation: list[str]


class InjonctionIn(BaseModel):
    ordonnance_date: Day
    service_date: Day | None = None
    service_to_person: bool = True
    debtor_location: Literal["metropole", "overseas", "abroad"] = "metropole"


class InjonctionOut(BaseModel):
    regime: Literal["pre-2022", "2022", "2026"]
    service_deadline: date
    opposition_deadline: date | None
    enforceable_from: date | None
    explanation: list[str]
