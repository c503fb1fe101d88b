"""A reminder e-mail to a consumer claims what the letter of the same day claims: under a
"mise en demeure par la seule échéance" clause of the creditor's terms (C. civ. 1344, LAW.md
§2.3 (new)), legal interest runs from the day after the due date, and the letter's total
includes it; the e-mail must show it and count it in its total too.

Seen (papers review): for M. Julien Moreau, 3 600,00 € due on 03/03/2025, on 20/11/2026 the
relance n° 1 letter asked 3 779,19 € (179,19 € of legal interest, "nos conditions générales
stipulant que vous êtes mis en demeure par la seule échéance") while the relance n° 1 e-mail
said "Total : 3 600,00 €", with no word of interest: two papers, two totals.
"""

from __future__ import annotations

from datetime import date
from email import message_from_bytes, policy

from sqlmodel import Session

from app.documents.letters import claimed_part
from app.formatting import eur
from app.models import Creditor
from app.services.context import Actor
from app.services.decompte import debtor_decompte
from app.services.reminders.compose import compose
from app.storage import FileStore
from tests.factories import make_debtor, make_invoice

DAY = date(2026, 11, 20)


def test_the_email_total_counts_the_legal_interest_the_letter_claims(session: Session,
                                                                     owner: Actor, settings):
    creditor = session.get(Creditor, owner.creditor_id)
    assert creditor is not None
    creditor.notice_by_due_date = True
    session.add(creditor)
    session.commit()
    debtor = make_debtor(session, owner, kind="consumer", legal_name="M. Julien Moreau",
                         legal_form="", siren="", street="5 rue Crébillon", postal_code="44000",
                         city="Nantes", representative="", is_merchant="",
                         email="julien.moreau@example.fr")
    invoice = make_invoice(session, owner, debtor, number="F-2025-0042", issue_date="2025-02-01",
                           due_date="2025-03-03", amount_ht="3000.00", amount_tva="600.00",
                           amount_ttc="3600.00")
    letter = claimed_part(debtor_decompte(session, debtor, DAY), DAY)
    assert letter.interest > 0  # what the relance letter claims on top of the price
    composed = compose(session, FileStore(settings.files_dir), creditor, debtor, "relance_1",
                       [invoice.id], DAY, "relances@lefevre.test")
    mail = message_from_bytes(composed.eml, policy=policy.default)
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert eur(letter.total) in text, text
    assert eur(letter.total) in html
    assert "taux légal" in text
