"""The déclaration de créance is signed as the letters and the requête are: the representative's
title inside the sentence, in lower case ("Claire Lefèvre, gérante"), whatever its typing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from app.documents.declaration import render_declaration
from app.documents.model import Piece
from app.models import Creditor
from app.services.declarations import declaration_input, declared_decompte
from tests.documents.conftest import pages_text
from tests.documents.scenario import durand_btp


def test_the_signature_writes_the_title_as_a_function(session, owner):
    debtor = durand_btp(session, owner)
    creditor = session.get(Creditor, owner.creditor_id)
    assert creditor is not None
    creditor.representative_title = "Gérante"  # as typed in the profile
    session.add(creditor)
    debtor.proceedings_kind = "liquidation"
    debtor.proceedings_judgment_date = date(2025, 8, 1)
    debtor.proceedings_mandataire = "Me Anne Martin, mandataire judiciaire"
    debtor.proceedings_mandataire_address = "5 rue Saint-Aubin, 49100 Angers"
    session.add(debtor)
    session.commit()
    decl = declaration_input(session, debtor, date(2025, 9, 30), declared_decompte(session, debtor),
                             security="")
    decl = replace(decl, pieces=(Piece(1, "Facture F-2025-001"),))
    text = " ".join(pages_text(render_declaration(decl).data))
    assert "Pour Menuiserie Lefèvre, Claire Lefèvre, gérante" in text
    assert "Gérante" not in text
