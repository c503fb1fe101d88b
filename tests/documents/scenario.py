"""The file behind the document tests: Menuiserie Lefèvre against Durand BTP, who pays late.

F-2025-001 is LAW.md's worked example (1 200,00 € due 09/02/2025: 1 337,71 € on 30/09/2025);
F-2025-007 was partly paid (500 € on 01/06/2025); F-2025-020 is not yet due on 30/09/2025.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from app.models import Creditor, Debtor
from app.services.context import Actor
from tests.factories import make_debtor, make_invoice, make_payment

LETTER_DATE = date(2025, 9, 30)


def complete_creditor(session: Session, actor: Actor) -> Creditor:
    creditor = session.get(Creditor, actor.creditor_id)
    assert creditor is not None
    for name, value in {
        "legal_form": "SARL", "siren": "732829320", "rcs_city": "Angers",
        "street": "12 rue des Artisans", "postal_code": "49100", "city": "Angers",
        "representative": "Claire Lefèvre", "representative_title": "gérante",
        "contact_email": "claire@lefevre.test", "contact_phone": "02 41 00 00 00",
        "iban": "FR7630006000011234567890189", "bic": "AGRIFRPP",
    }.items():
        setattr(creditor, name, value)
    session.add(creditor)
    session.commit()
    return creditor


def durand_btp(session: Session, actor: Actor) -> Debtor:
    complete_creditor(session, actor)
    debtor = make_debtor(session, actor, email="compta@durand-btp.test",
                         representative="M. Marc Durand, président")
    make_invoice(session, actor, debtor)
    make_invoice(session, actor, debtor, number="F-2025-007", issue_date="2025-03-03",
                 due_date="2025-04-02", amount_ht="2900.00", amount_tva="580.00",
                 amount_ttc="3480.00")
    make_invoice(session, actor, debtor, number="F-2025-020", issue_date="2025-09-15",
                 due_date="2025-10-15", amount_ht="500.00", amount_tva="100.00",
                 amount_ttc="600.00")
    invoice_id = next(inv.id for inv in _invoices(session, debtor) if inv.number == "F-2025-007")
    make_payment(session, actor, debtor, date="2025-06-01", amount="500.00",
                 invoice_id=str(invoice_id))
    return debtor


def _invoices(session: Session, debtor: Debtor) -> list:  # type: ignore[type-arg]
    from app.services import invoices

    return invoices.of_debtor(session, debtor)
