"""Readable test data with defaults that tell a story; override anything by keyword."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from app.models import Court, Debtor, GeneratedDocument, Invoice, Payment, Step
from app.services import accounts, debtors, invoices, payments, steps
from app.services.context import Actor
from app.services.decompte import debtor_decompte
from app.services.demo import siren

DURAND_SIREN = siren("48765432")


def make_user(session: Session, email: str, creditor: str, role: str = "owner",
              password: str = "correct horse battery") -> Actor:
    user = accounts.create_user(session, email=email, password=password, creditor_name=creditor,
                                role=role)
    memberships = accounts.memberships_of(session, user.id)  # type: ignore[arg-type]
    creditor_id = next(c.id for m, c in memberships if c.legal_name == creditor)
    return Actor(user_id=user.id, creditor_id=creditor_id, role=role)  # type: ignore[arg-type]


def make_debtor(session: Session, actor: Actor, **overrides: Any) -> Debtor:
    data = {"kind": "company", "legal_name": "Durand BTP", "legal_form": "SAS",
            "siren": DURAND_SIREN, "street": "27 avenue de la Gare", "postal_code": "49000",
            "city": "Angers", "country": "FR", "representative": "Marc Durand",
            "is_merchant": "1", **overrides}
    return debtors.create(session, actor, data)


def make_invoice(session: Session, actor: Actor, debtor: Debtor, **overrides: Any) -> Invoice:
    data = {"number": "F-2025-001", "issue_date": "2025-01-10", "due_date": "2025-02-09",
            "amount_ht": "1000.00", "amount_tva": "200.00", "amount_ttc": "1200.00",
            "description": "Pose de menuiseries", **overrides}
    return invoices.create(session, actor, debtor, data)


def make_payment(session: Session, actor: Actor, debtor: Debtor, **overrides: Any) -> Payment:
    data = {"date": "2025-06-01", "amount": "200.00", "reference": "VIR 1", **overrides}
    return payments.create(session, actor, debtor, data)


def make_step(session: Session, actor: Actor, debtor: Debtor, **overrides: Any) -> Step:
    data = {"kind": "reminder", "date": "2025-03-01", "level": "1", "channel": "email",
            **overrides}
    return steps.create(session, actor, debtor, data)


def make_requete_court(session: Session, actor: Actor, debtor: Debtor, day: date,
                       **court: Any) -> Court:
    """A court, and a requête generated for `debtor` that names it (its params' court_id)."""
    named = Court(creditor_id=actor.creditor_id, **court)
    session.add(named)
    session.flush()
    session.add(GeneratedDocument(
        creditor_id=actor.creditor_id, debtor_id=debtor.id, kind="requete_injonction",  # type: ignore[arg-type]
        document_date=day, params={"court_id": named.id}, sha256="a" * 64, size=1,
        filename="requete.pdf"))
    session.commit()
    return named


def iso(day: date) -> str:
    return day.isoformat()


def make_full_payment(session: Session, actor: Actor, debtor: Debtor, day: date,
                      invoice: Invoice | None = None) -> Payment:
    """A payment on `day` of everything a payment settles (the price and the penalties accrued,
    C. civ. 1343-1) of `invoice`, or of every invoice: a payment of the price alone, made late,
    leaves the penalties' worth of it owed."""
    rows = [row for row in debtor_decompte(session, debtor, day).invoices
            if invoice is None or row.number == invoice.number]
    amount = sum((row.principal + row.interest for row in rows), Decimal("0.00"))
    return make_payment(session, actor, debtor, date=day.isoformat(), amount=str(amount),
                        reference="VIR", invoice_id=str(invoice.id) if invoice else "")


def make_two_invoices_one_transfer(session: Session, actor: Actor) -> Debtor:
    """Durand BTP: A (due 09/02/2025) and B (due 09/04/2025), 1 200 € each, and 1 500 €
    naming neither, received 01/10/2026 (C. civ. 1342-10, then 1343-1: A takes 1 443,91 €,
    its penalties and its price, B the 56,09 € of its penalties)."""
    debtor = make_debtor(session, actor)
    make_invoice(session, actor, debtor, number="A", issue_date="2025-01-10",
                 due_date="2025-02-09")
    make_invoice(session, actor, debtor, number="B", issue_date="2025-03-10",
                 due_date="2025-04-09")
    make_payment(session, actor, debtor, date="2026-10-01", amount="1500.00")
    return debtor
