"""Money at risk at a date: the invoice balances whose prescription falls within 90 days, and
the déclarations de créance due within 30 days, each computed by the law modules.

Prescription is figured per invoice (app/law/prescription.py through law_facts: its start,
its length, the interruptions by an acknowledgment or a partial payment dated by as_of). Only
the debtors that may have such an invoice are loaded: the base period (1, 2 or 5 years from
the start) is the earliest an invoice can prescribe, since an interruption or a suspension
only pushes the deadline later. Déclarations: debtors in collective proceedings opened by
as_of and not yet declared by then; the deadline the debtor's alerts compute (R622-24).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.law.alerts import debtor_alerts
from app.law.calendar import add_years
from app.law.facts import OPENING_STEP
from app.law.prescription import TRANSPORT_YEARS, YEARS
from app.models import AlertEntry, Creditor, Debtor, Invoice, Step
from app.models.debtors import ZERO
from app.services import law_facts
from app.services.decompte import debtor_kind

TOP = 10
PRESCRIPTION_DAYS, DECLARATION_DAYS = 90, 30


@dataclass(frozen=True)
class Risk:
    debtor_id: int
    name: str
    date: date  # the nearest deadline
    amount: Decimal  # prescription: the balances at risk; déclaration: what the debtor owes
    invoices: tuple[str, ...] = ()  # the invoices whose prescription falls in the window


@dataclass(frozen=True)
class RiskList:
    rows: list[Risk]  # the nearest first, at most TOP
    debtors: int
    amount: Decimal


def summed(risks: list[Risk]) -> RiskList:
    ordered = sorted(risks, key=lambda r: (r.date, r.debtor_id))
    return RiskList(ordered[:TOP], len(ordered), sum((r.amount for r in ordered), ZERO))


def earliest_prescription(creditor: Creditor, debtor: Debtor, invoice: Invoice) -> date:
    """The base deadline: no interruption or suspension ever makes it earlier."""
    transport = creditor.goods_carrier or invoice.goods_transport
    years = TRANSPORT_YEARS if transport else YEARS[debtor_kind(debtor)]
    return add_years(invoice.delivery_date or invoice.issue_date, years)


def prescription(session: Session, as_of: date, debtor_ids: Iterable[int],
                 balance_at: Mapping[int, Decimal] | None = None) -> RiskList:
    """The candidates' invoices open on as_of whose prescription falls in [as_of, +90 days].
    `balance_at`: invoice id → balance on as_of (a past date); else the maintained balance."""
    last = as_of + timedelta(days=PRESCRIPTION_DAYS)
    risks = []
    for debtor_id in sorted(set(debtor_ids)):
        debtor = session.get(Debtor, debtor_id)
        assert debtor is not None
        file = law_facts.load(session, debtor, as_of)
        found = []
        for invoice in file.invoices:
            owed = balance_at.get(invoice.id, ZERO) if balance_at is not None \
                else invoice.balance  # type: ignore[arg-type]
            if owed <= 0 or invoice.issue_date > as_of:
                continue
            deadline = law_facts.invoice_prescription(file, invoice, as_of).deadline
            if as_of <= deadline <= last:
                found.append((deadline, invoice.number, owed))
        if found:
            risks.append(Risk(debtor_id, debtor.legal_name, min(d for d, _, _ in found),
                              sum((a for _, _, a in found), ZERO),
                              tuple(n for _, n, _ in sorted(found))))
    return summed(risks)


def prescription_candidates_today(session: Session, creditor_id: int, as_of: date) -> list[int]:
    """Debtors whose most urgent prescription (the maintained alert, over their open
    invoices) falls by as_of + 90 days: no other debtor has an invoice in the window."""
    last = as_of + timedelta(days=PRESCRIPTION_DAYS)
    return list(session.exec(select(AlertEntry.debtor_id).where(
        AlertEntry.creditor_id == creditor_id, AlertEntry.key == "prescription",
        AlertEntry.date <= last)))


def declarations(session: Session, creditor_id: int, as_of: date,
                 outstanding_at: Mapping[int, Decimal] | None = None) -> RiskList:
    """Debtors whose déclaration de créance falls due in [as_of, +30 days], with what they
    owe on as_of (`outstanding_at` for a past date, else the maintained outstanding)."""
    last = as_of + timedelta(days=DECLARATION_DAYS)
    risks = []
    opened_by_step = select(Step.debtor_id).where(Step.creditor_id == creditor_id,
                                                  Step.kind == OPENING_STEP)
    for debtor in session.exec(select(Debtor).where(  # the form's or a step's (collective_of)
            Debtor.creditor_id == creditor_id,
            or_(col(Debtor.proceedings_kind) != "", col(Debtor.id).in_(opened_by_step)))):
        due = declaration_due(session, debtor, as_of)
        owed = outstanding_at.get(debtor.id, ZERO) if outstanding_at is not None \
            else debtor.outstanding  # type: ignore[arg-type]
        if due is not None and as_of <= due <= last and owed > 0:
            risks.append(Risk(debtor.id, debtor.legal_name, due, owed))  # type: ignore[arg-type]
    return summed(risks)


def declarations_today(session: Session, creditor_id: int, as_of: date) -> RiskList:
    """Today, the deadlines the maintained alerts hold (computed by the same law today):
    one indexed read instead of loading every file in collective proceedings."""
    rows = session.exec(select(Debtor.id, Debtor.legal_name, AlertEntry.date, Debtor.outstanding)
                        .join(Debtor, col(Debtor.id) == AlertEntry.debtor_id)
                        .where(AlertEntry.creditor_id == creditor_id,
                               AlertEntry.key == "declaration_creance", AlertEntry.date >= as_of,
                               AlertEntry.date <= as_of + timedelta(days=DECLARATION_DAYS),
                               col(Debtor.outstanding) > 0))
    return summed([Risk(*row) for row in rows])


def declaration_due(session: Session, debtor: Debtor, as_of: date) -> date | None:
    """The last day to declare, as the alerts compute it on as_of, when the proceedings were
    opened (judgment or BODACC) by then and no déclaration was recorded by then."""
    file = law_facts.load(session, debtor, as_of)
    facts = law_facts.alert_facts(file, as_of)
    opened, published = facts.collective_opened, facts.bodacc_published
    facts = replace(facts, collective_opened=opened if opened and opened <= as_of else None,
                    bodacc_published=published if published and published <= as_of else None)
    found = [a.date for a in debtor_alerts(facts, as_of=as_of) if a.key == "declaration_creance"]
    return found[0] if found else None
