"""A requête against a company of Guadeloupe or La Réunion is addressed to the court that
exists there: the président du tribunal mixte de commerce (there is no tribunal de commerce
in the overseas departments), as the app itself determines (app/law/procedures.py) and as the
claim file's front page and summary say.

Seen (papers review): for a hotel company of Pointe-à-Pitre the claim file named "Président du
tribunal mixte de commerce dont relève Pointe-à-Pitre", but the requête began "Madame, Monsieur
le Président du tribunal de commerce" above "Tribunal mixte de commerce de Pointe-à-Pitre" and
asked "qu'il plaise à Madame, Monsieur le Président du tribunal de commerce". LAW.md §5 (court,
CPC 1406), §10 item 14 and §11 (the named court, CPC 54 1°): a requête addressed to the wrong
judge is a usual cause of rejection (1409, no appeal).
"""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.documents.letters import claimed_part
from app.documents.model import Piece, RequeteInput
from app.documents.requete import render_requete
from app.models import Court, Creditor
from app.services.context import Actor
from app.services.decompte import debtor_decompte
from app.services.demo import siren
from app.services.document_inputs import court_input, creditor_party, debtor_party
from tests.documents.conftest import pages_text
from tests.documents.scenario import LETTER_DATE, complete_creditor
from tests.factories import make_debtor, make_invoice

OVERSEAS = [
    ("97110", "Pointe-à-Pitre", "Tribunal mixte de commerce de Pointe-à-Pitre"),
    ("97400", "Saint-Denis", "Tribunal mixte de commerce de Saint-Denis"),
]


def _requete(session: Session, owner: Actor, postcode: str, city: str,
             court_name: str) -> RequeteInput:
    complete_creditor(session, owner)
    debtor = make_debtor(session, owner, legal_name="Société d'Exploitation des Hôtels Les Alizés",
                         legal_form="SAS", siren=siren("41234567"),
                         street="Immeuble Le Caraïbe, boulevard Légitimus", postal_code=postcode,
                         city=city, is_merchant="1")
    make_invoice(session, owner, debtor)
    court = Court(creditor_id=owner.creditor_id, kind="tribunal_commerce", name=court_name,
                  street="Palais de justice", postal_code=postcode, city=city)
    creditor = session.get(Creditor, owner.creditor_id)
    assert creditor is not None
    claimed = claimed_part(debtor_decompte(session, debtor, LETTER_DATE), LETTER_DATE)
    return RequeteInput(date=LETTER_DATE, creditor=creditor_party(creditor),
                        debtor=debtor_party(debtor), court=court_input(debtor, court),
                        decompte=claimed, pieces=(Piece(1, "Facture F-2025-001"),))


@pytest.mark.parametrize(("postcode", "city", "court_name"), OVERSEAS, ids=["971", "974"])
def test_the_requete_is_addressed_to_the_tribunal_mixte_de_commerce(session, owner, postcode,
                                                                    city, court_name):
    req = _requete(session, owner, postcode, city, court_name)
    assert "tribunal mixte de commerce" in req.court.label  # what the app determined
    text = " ".join(pages_text(render_requete(req).data))
    assert "Président du tribunal de commerce" not in text
    assert "Madame, Monsieur le Président du tribunal mixte de commerce" in text
    assert "qu'il plaise à Madame, Monsieur le Président du tribunal mixte de commerce" in text
