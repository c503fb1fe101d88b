"""Suggestions read from a pièce's text (app/evidence/suggest.py): kind, date, invoices,
amounts; OCR noise tolerated. Each example is a text as a scanner or pdftotext gives it."""

from __future__ import annotations

from datetime import date

import pytest

from app.evidence.suggest import amounts_in, date_of, invoices_in, kind_of, suggest


@pytest.mark.parametrize(("text", "kind"), [
    ("DEVIS N° D-2026-12\nTotal TTC 1 200,00 €\nBon pour accord, le 05/02/2026", "signed_quote"),
    ("BON DE LIVRAISON N° BL-2026-77\nFacture F-2026-140", "delivery_note"),
    ("LA POSTE\nAVIS DE RÉCEPTION\nPrésenté / avisé le : 14/03/2026\nDistribué le : 15/03/2026",
     "ar_signed"),
    ("AVIS DE RECEPTION\nPli avisé et non réclamé\nPrésenté le 14/03/2026", "ar_unclaimed"),
    # the letter names its "avis de réception" and the invoice: it is the mise en demeure
    ("Lyon, le 5 mars 2026\nLettre recommandée avec demande d'avis de réception\n"
     "Objet : Mise en demeure de payer\nla facture F-2026-140 reste impayée. Total TTC",
     "mise_en_demeure_copy"),
    ("Objet : Relance — facture impayée\nla facture n° F-2026-140 n'a pas été réglée.", "reminder_copy"),
    ("FACTURE N° F-2026-140\nTotal HT : 1 000,00 €\nTVA : 200,00 €\nTotal TTC : 1 200,00 €", "invoice"),
    ("Bonjour, voici le planning de la semaine.", ""),
])
def test_the_kind_the_heading_and_wording_say(text: str, kind: str) -> None:
    assert kind_of(text) == kind


@pytest.mark.parametrize(("text", "day"), [
    ("Livré le 12/03/2026", date(2026, 3, 12)),
    ("Lyon, le 5 mars 2026", date(2026, 3, 5)),
    ("Date de facture : 2026-03-12", date(2026, 3, 12)),
    ("Fait à Tours, le 1er avril 2026", date(2026, 4, 1)),
    # the due date and the invoice's own date lose to the letter's date
    ("Échéance : 11/04/2026\nfacture du 12/01/2026\nParis, le 20/03/2026", date(2026, 3, 20)),
    # the quote's signature date wins over its issue date and its validity
    ("Date d'émission : 02/02/2026\nValidité : 30/03/2026\nBon pour accord, le 05/02/2026",
     date(2026, 2, 5)),
    # the AR's date of presentation, before the date of distribution
    ("Présenté / avisé le : 14/03/2026\nDistribué le : 15/03/2026", date(2026, 3, 14)),
    ("Pas de date ici, ni 31/02/2026 qui n'existe pas.", None),
])
def test_the_document_date(text: str, day: date | None) -> None:
    assert date_of(text) == day


def test_invoices_are_found_through_ocr_noise_and_never_inside_a_longer_number() -> None:
    text = "Facture F 2O26-14O du 12/01/2026 ; voir aussi FA2026-0012\nTotal 1 140,00 €"
    own = ["F-2026-140", "F-2026-14", "F-2026-1400", "FA2026-0012", "FA2026-001", "140"]
    # "140" alone is a price here ("1 140,00"), and "F-2026-14" is part of "F-2026-140"
    assert invoices_in(text, own) == ["F-2026-140", "FA2026-0012"]


def test_a_short_number_counts_only_after_facture_or_n() -> None:
    assert invoices_in("3 x 140 pièces", ["140"]) == []
    assert invoices_in("votre facture n° 140 du mois", ["140"]) == ["140"]


def test_amounts_written_the_french_way() -> None:
    text = ("Total HT : 1 234,56 €\nTVA 20 % : 246,91\nTotal TTC 1.481,47 EUR\nacompte 450 €\n"
            "1 234,56\nAbonnement 29.99 € TTC\nversion 2.10 du logiciel")
    assert amounts_in(text) == ["1234.56", "246.91", "1481.47", "450.00", "29.99"]


def test_the_issue_example() -> None:
    text = ("BON DE LIVRAISON N° BL-2026-77\nLivré le 12/03/2026 à Durand BTP\n"
            "Facture F-2026-140\nFenêtre PVC qté 4")
    found = suggest(text, ["F-2026-140", "F-2026-14", "F-2026-141"])
    assert (found.kind, found.date, found.invoices) == ("delivery_note", date(2026, 3, 12),
                                                        ["F-2026-140"])
