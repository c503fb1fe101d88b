"""A reminder whose penalties rest on a rate not confirmed yet says so in the letter itself
(LAW.md §11), also when several rates apply and the letter names none."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from app.documents.letters import claimed_part, render_letter
from app.documents.model import LetterInput
from app.models import Creditor
from app.services.context import Actor
from app.services.decompte import debtor_decompte
from app.services.document_inputs import creditor_party, debtor_party
from app.services.documents import notice_deadline
from tests.documents.conftest import normalise, pages_text
from tests.documents.scenario import durand_btp

LATE = date(2026, 11, 30)  # the 2026 second-half rates are not confirmed yet (LAW.md §3)


def test_a_reminder_over_several_rates_marks_the_unconfirmed_one(session: Session,
                                                                 owner: Actor) -> None:
    debtor = durand_btp(session, owner)
    creditor = session.get(Creditor, owner.creditor_id)
    assert creditor is not None
    claimed = claimed_part(debtor_decompte(session, debtor, LATE), LATE)
    rules = [p.rule for inv in claimed.invoices for p in inv.periods]
    assert len({p.rate for inv in claimed.invoices for p in inv.periods}) > 1
    assert any("(à vérifier)" in rule for rule in rules)
    letter = LetterInput(kind="relance_1", date=LATE, creditor=creditor_party(creditor),
                         debtor=debtor_party(debtor), decompte=claimed,
                         deadline=notice_deadline(debtor, LATE, 8), deadline_days=8, draft=True)
    pages = pages_text(render_letter(letter).data)
    assert "à vérifier" in normalise(" ".join(pages))
