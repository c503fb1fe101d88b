"""The requête's own wording and layout, as printed (papers review)."""

from __future__ import annotations

from dataclasses import replace

from app.documents.letters import claimed_part
from app.documents.model import Piece, RequeteInput
from app.documents.requete import render_requete
from app.models import Creditor
from app.services.decompte import debtor_decompte
from app.services.document_inputs import court_input, creditor_party, debtor_party
from tests.documents.conftest import pages_text
from tests.documents.scenario import LETTER_DATE, complete_creditor
from tests.documents.test_requete import requete
from tests.factories import make_debtor, make_invoice


def test_the_heading_of_the_facts_takes_its_accent(session, owner):
    # Seen: "A l'honneur de vous exposer"; French capitals keep their accents.
    text = " ".join(pages_text(render_requete(requete(session, owner), reminders=2).data))
    assert "À l'honneur de vous exposer" in text
    assert "A l'honneur" not in text


def _consumer_requete(session, owner):  # type: ignore[no-untyped-def]
    complete_creditor(session, owner)
    debtor = make_debtor(session, owner, kind="consumer", legal_name="M. Julien Moreau",
                         legal_form="", siren="", street="5 rue Crébillon", postal_code="44000",
                         city="Nantes", representative="", is_merchant="")
    make_invoice(session, owner, debtor)
    creditor = session.get(Creditor, owner.creditor_id)
    claimed = claimed_part(debtor_decompte(session, debtor, LETTER_DATE), LETTER_DATE)
    return RequeteInput(date=LETTER_DATE, creditor=creditor_party(creditor),
                        debtor=debtor_party(debtor), court=court_input(debtor, None),
                        decompte=claimed, pieces=(Piece(1, "Facture F-2025-001"),))


def test_the_request_keeps_its_sums_and_their_total_in_words_on_one_page(session, owner):
    # Seen: "soit la somme de … outre les dépens" alone at the top of page 2, its table at the
    # foot of page 1; or "qu'il plaise … de lui payer :" on page 1 and its sums on page 2.
    # A longer and longer address moves the request down page 1, across the page break.
    req = _consumer_requete(session, owner)
    placed = []
    for extra in range(30, 60, 3):
        debtor = replace(req.debtor, city="Nantes" + " Loire" * (3 * extra))
        pages = pages_text(render_requete(replace(req, debtor=debtor)).data)
        on = {label: next(n for n, page in enumerate(pages) if label in page)
              for label in ("Par ces motifs", "qu'il plaise", "soit au total", "soit la somme de")}
        placed.append(on)
        assert len(set(on.values())) == 1, (extra, on)
    assert {on["soit la somme de"] for on in placed} == {0, 1}  # both sides of the break seen
