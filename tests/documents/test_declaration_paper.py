"""The déclaration de créance as printed: signed as the letters and the requête are (the
representative's title inside the sentence, in lower case: "Claire Lefèvre, gérante", whatever
its typing), its declared total kept with its amount in words."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from app.documents.declaration import render_declaration
from app.documents.model import DeclarationInput, Piece
from app.models import Creditor
from app.services.declarations import declaration_input, declared_decompte
from tests.documents.conftest import pages_text
from tests.documents.scenario import durand_btp


def declaration(session, owner, title: str = "gérante") -> DeclarationInput:  # type: ignore[no-untyped-def]
    """Durand BTP in liquidation (opened 01/08/2025), the creditor's title as typed."""
    debtor = durand_btp(session, owner)
    creditor = session.get(Creditor, owner.creditor_id)
    assert creditor is not None
    creditor.representative_title = title
    session.add(creditor)
    debtor.proceedings_kind = "liquidation"
    debtor.proceedings_judgment_date = date(2025, 8, 1)
    debtor.proceedings_mandataire = "Me Anne Martin, mandataire judiciaire"
    debtor.proceedings_mandataire_address = "5 rue Saint-Aubin, 49100 Angers"
    session.add(debtor)
    session.commit()
    decl = declaration_input(session, debtor, date(2025, 9, 30), declared_decompte(session, debtor),
                             security="")
    return replace(decl, pieces=(Piece(1, "Facture F-2025-001"),))


def test_the_signature_writes_the_title_as_a_function(session, owner):
    decl = declaration(session, owner, "Gérante")  # as typed in the profile
    text = " ".join(pages_text(render_declaration(decl).data))
    assert "Pour Menuiserie Lefèvre, Claire Lefèvre, gérante" in text
    assert "Gérante" not in text


def test_the_declared_total_keeps_its_amount_in_words(session, owner):
    # Seen with this very file: "soit la somme de cinq mille soixante-douze euros et deux
    # centimes." alone at the top of page 2, its total at the foot of page 1.
    pages = pages_text(render_declaration(declaration(session, owner)).data)
    words = next(n for n, page in enumerate(pages) if "soit la somme de" in page)
    assert "Montant total déclaré" in pages[words]
