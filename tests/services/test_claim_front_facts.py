"""The claim file's summary says what is left of each invoice as its décompte does (a payment
pays the accrued interest first, C. civ. 1343-1), and names what the total holds for the kind
of debtor: no penalties nor 40 € for a consumer (LAW.md §2.3)."""

from __future__ import annotations

from sqlmodel import Session

from app.documents.letters import claimed_part
from app.formatting import eur
from app.services import law_facts
from app.services.claim_front import facts
from app.services.context import Actor
from app.services.file_view import file_view
from tests.conftest import TODAY
from tests.factories import make_debtor, make_invoice, make_payment, make_step


def summary(session: Session, debtor) -> tuple[str, object]:  # type: ignore[no-untyped-def]
    view = file_view(session, debtor, TODAY)
    claimed = claimed_part(view.decompte, TODAY)
    file = law_facts.load(session, debtor, TODAY)
    return " ".join(facts(file, claimed, {})), claimed


def test_what_is_left_is_the_decompte_principal(session: Session, owner: Actor) -> None:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor)  # 1 200,00 € due 09/02/2025
    make_payment(session, owner, debtor, date="2026-10-01", amount="500.00")
    text, claimed = summary(session, debtor)
    row = claimed.invoices[0]  # type: ignore[attr-defined]
    to_interest = row.payments[0].to_interest
    assert to_interest > 0 and row.principal == 700 + to_interest
    assert (f"il en reste {eur(row.principal)} à payer en principal, les paiements ayant "
            f"d'abord réglé {eur(to_interest)} de pénalités de retard échues (C. civ. 1343-1).") in text
    assert "pénalités de retard et indemnités forfaitaires comprises" in text


def test_a_consumer_total_holds_legal_interest_not_penalties(session: Session,
                                                             owner: Actor) -> None:
    debtor = make_debtor(session, owner, kind="consumer", legal_name="Mme Hélène Dupré",
                         legal_form="", siren="", is_merchant="")
    make_invoice(session, owner, debtor)
    make_step(session, owner, debtor, kind="mise_en_demeure", date="2026-09-01", level="",
              channel="lrar")
    text, claimed = summary(session, debtor)
    assert claimed.interest > 0  # type: ignore[attr-defined]
    assert "intérêts au taux légal compris" in text
    assert "pénalités" not in text and "indemnités" not in text
