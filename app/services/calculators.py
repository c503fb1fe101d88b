"""The calculators behind the public API: plain inputs in, law results out.

Holiday calendars are built here (the law takes them injected) and the rate tables come from
`app.services.rates` so administrators' corrections apply.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from app.errors import ValidationFailed
from app.law.calendar import Deadline, HolidayCalendar, holiday_calendar, procedural_deadline
from app.law.injonction import InjonctionSchedule, injonction_schedule
from app.law.interest import Decompte, InvoiceInput, PaymentInput, compute_decompte
from app.law.prescription import Prescription, PrescriptionEvent
from app.law.prescription import prescription as prescription_rule
from app.services.rates import current_rates


def holidays_around(department: str | None, *days: date, span: int = 2) -> HolidayCalendar:
    """Public holidays of the years a deadline can fall in (CPC 642)."""
    years = {d.year + k for d in days for k in range(-1, span + 1)}
    return holiday_calendar(department, sorted(years))


def decompte(session: Session, body: dict[str, Any]) -> Decompte:
    numbers = [inv["number"] for inv in body["invoices"]]
    if len(set(numbers)) != len(numbers):
        raise ValidationFailed({"invoices": "Deux factures portent le même numéro."})
    unknown = {p["invoice"] for p in body["payments"] if p["invoice"]} - set(numbers)
    if unknown:
        listed = ", ".join(sorted(unknown))
        raise ValidationFailed({"payments": f"Paiement sur une facture inconnue : {listed}."})
    for inv in body["invoices"]:
        if inv["due_date"] < inv["issue_date"]:
            raise ValidationFailed({"invoices": f"Facture {inv['number']} : l'échéance précède "
                                                "la date d'émission."})
    return compute_decompte(
        as_of=body["as_of"], debtor_kind=body["debtor_kind"],
        invoices=[InvoiceInput(i["number"], i["amount"], i["issue_date"], i["due_date"],
                               i["contractual_rate"]) for i in body["invoices"]],
        payments=[PaymentInput(p["date"], p["amount"], p["invoice"]) for p in body["payments"]],
        rates=current_rates(session),
        formal_notice_date=body["formal_notice_date"],
        collective_proceedings_opened=body["collective_proceedings_opened"],
        notice_by_due_date=body.get("notice_by_due_date", False),
    )


def deadline(start: date, *, months: int, days: int, department: str) -> Deadline:
    holidays = holidays_around(department, start, span=months // 12 + 2)
    return procedural_deadline(start, months=months, days=days, holidays=holidays)


def prescription(body: dict[str, Any]) -> Prescription:
    events = [PrescriptionEvent(e["kind"], e["date"], e.get("basis") or "mediation")
              for e in body["events"]]
    return prescription_rule(debtor_kind=body["debtor_kind"], start=body["start"],
                             as_of=body["as_of"], events=events,
                             claim=body.get("claim") or "ordinary")


def injonction(body: dict[str, Any]) -> InjonctionSchedule:
    anchor = body["service_date"] or body["ordonnance_date"]
    try:
        return injonction_schedule(
            ordonnance_date=body["ordonnance_date"], service_date=body["service_date"],
            service_to_person=body["service_to_person"], debtor_location=body["debtor_location"],
            court_location=body.get("court_location", "metropole"),
            holidays=holidays_around(None, body["ordonnance_date"], anchor))
    except ValueError as exc:
        raise ValidationFailed({"service_date": "La signification ne peut pas précéder "
                                "l'ordonnance."}) from exc
