"""The requête en injonction de payer (CPC 1407 with 54 and 57), its bordereau and décompte."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from app.documents.letters import claimed_part
from app.documents.model import CourtInput, Piece, RequeteInput
from app.documents.requete import render_requete
from app.formatting import eur
from app.models import Creditor
from app.services.decompte import debtor_decompte
from app.services.document_inputs import creditor_party, debtor_party
from tests.documents.conftest import normalise, pages_text
from tests.documents.scenario import LETTER_DATE, durand_btp

PIECES = (
    Piece(1, "Devis signé n° D-2024-118", date(2024, 12, 2)),
    Piece(2, "Facture F-2025-001", date(2025, 1, 10)),
    Piece(3, "Facture F-2025-007", date(2025, 3, 3)),
    Piece(4, "Mise en demeure (LRAR n° 1A 234 567 8901 2)", date(2025, 9, 1)),
    Piece(5, "Avis de réception signé", date(2025, 9, 3)),
)
COURT = CourtInput("tribunal_commerce", "Président du tribunal de commerce dont relève Angers",
                   "Tribunal de commerce d'Angers", "Palais de justice, rue Waldeck-Rousseau",
                   "49000", "Angers")


def requete(session, owner, refer: bool = True) -> RequeteInput:  # type: ignore[no-untyped-def]
    debtor = durand_btp(session, owner)
    creditor = session.get(Creditor, owner.creditor_id)
    claimed = claimed_part(debtor_decompte(session, debtor, LETTER_DATE), LETTER_DATE)
    return RequeteInput(date=LETTER_DATE, creditor=creditor_party(creditor),
                        debtor=debtor_party(debtor), court=COURT, decompte=claimed,
                        pieces=PIECES, refer_if_opposed=refer, notice_date=date(2025, 9, 1))


def test_the_requete_names_parties_court_sums_basis_and_request(session, owner, golden):
    req = requete(session, owner)
    pages = pages_text(render_requete(req, reminders=2).data)
    text = " ".join(pages)
    assert "REQUÊTE EN INJONCTION DE PAYER" in pages[0]
    assert "Madame, Monsieur le Président du tribunal de commerce Tribunal de commerce d'Angers" in text
    assert "Menuiserie Lefèvre, SARL, immatriculée sous le numéro 732 829 320 RCS Angers" in text
    assert "représentée par Claire Lefèvre, gérante" in text
    assert ("Durand BTP, SAS, SIREN 487 654 329, dont le siège social est situé 27 avenue de "
            "la Gare, 49000 ANGERS") in text
    assert "mise en demeure du 1er septembre 2025" in text
    d = req.decompte
    for label, value in (("en principal", d.principal), ("soit au total", d.total)):
        assert f"{label} {normalise(eur(value))}" in text
    assert "quatre mille cinq cent cinquante-huit euros et quarante-trois centimes" in text
    for article in ("1405", "1103", "L441-10", "D441-5", "1408"):
        assert article in text
    assert "Fait à Angers, le 30 septembre 2025" in text
    golden("requete_injonction_durand_btp.txt", "\n".join(pages))


def test_the_bordereau_numbers_each_piece_with_its_date(session, owner):
    pages = pages_text(render_requete(requete(session, owner)).data)
    bordereau = next(p for p in pages if "Bordereau des pièces communiquées" in p)
    assert "1 Devis signé n° D-2024-118 02/12/2024" in bordereau
    assert "4 Mise en demeure (LRAR n° 1A 234 567 8901 2) 01/09/2025" in bordereau
    assert "5 Avis de réception signé 03/09/2025" in bordereau


def test_the_requete_ends_with_the_decompte_and_is_numbered(session, owner):
    pages = pages_text(render_requete(requete(session, owner)).data)
    assert len(pages) == 4
    assert "Annexe — Décompte des sommes dues au 30/09/2025" in pages[-1]
    assert "Total facture F-2025-001 1 337,71 €" in pages[-1]
    assert all(f"page {n} / 4" in text for n, text in enumerate(pages, start=1))


def test_without_referral_the_1408_request_is_absent(session, owner):
    text = " ".join(pages_text(render_requete(requete(session, owner, refer=False)).data))
    assert "1408" not in text


def test_the_requete_metadata_and_bytes_are_stable(session, owner):
    req = requete(session, owner)
    first, second = render_requete(req).data, render_requete(req).data
    assert first == second
    meta = PdfReader(io.BytesIO(first)).metadata
    assert meta is not None and meta.author == "Menuiserie Lefèvre"
    assert meta.title == "Requête en injonction de payer — Durand BTP — 2025-09-30"
