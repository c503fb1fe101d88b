"""Relances 1-3 and the mise en demeure, as a lawyer would read them (text, pages, metadata)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlmodel import Session

from app.documents.letters import claimed_part, render_letter
from app.documents.model import LetterInput
from app.formatting import eur
from app.law.interest import Decompte
from app.models import Creditor
from app.services.context import Actor
from app.services.decompte import debtor_decompte
from app.services.document_inputs import creditor_party, debtor_party
from app.services.documents import notice_deadline
from tests.documents.conftest import normalise, pages_text
from tests.documents.scenario import LETTER_DATE, durand_btp


def letter_for(session: Session, owner: Actor, kind: str, draft: bool = True,
               reference: str = "") -> tuple[LetterInput, Decompte]:
    debtor = durand_btp(session, owner)
    creditor = session.get(Creditor, owner.creditor_id)
    assert creditor is not None
    claimed = claimed_part(debtor_decompte(session, debtor, LETTER_DATE), LETTER_DATE)
    letter = LetterInput(kind=kind, date=LETTER_DATE, creditor=creditor_party(creditor),
                         debtor=debtor_party(debtor), decompte=claimed,
                         deadline=notice_deadline(debtor, LETTER_DATE, 8), deadline_days=8,
                         draft=draft, sent_reference=reference)
    return letter, claimed


def amount(value: object) -> str:
    return normalise(eur(value))  # type: ignore[arg-type]


def test_the_claimed_part_keeps_overdue_invoices_and_the_worked_example(session, owner):
    _, claimed = letter_for(session, owner, "relance_1")
    assert [row.number for row in claimed.invoices] == ["F-2025-001", "F-2025-007"]
    first = claimed.invoices[0]
    # LAW.md worked example: 60.96 + 36.75 penalties + 40 indemnity on 1 200.00
    assert (first.principal, first.interest, first.indemnity) == (
        Decimal("1200.00"), Decimal("97.71"), Decimal("40.00"))
    assert first.principal + first.interest + first.indemnity == Decimal("1337.71")
    assert claimed.total == claimed.principal + claimed.interest + claimed.indemnities


@pytest.mark.parametrize("kind", ["relance_1", "relance_2", "relance_3"])
def test_a_reminder_fits_on_one_page_with_every_invoice_and_the_total(session, owner, kind,
                                                                       golden):
    letter, claimed = letter_for(session, owner, kind)
    pdf = render_letter(letter).data
    pages = pages_text(pdf)
    assert len(pages) == 1
    text = pages[0]
    assert "Menuiserie Lefèvre" in text and "Durand BTP SAS" in text
    assert "27 avenue de la Gare 49000 ANGERS" in text
    for row in claimed.invoices:
        assert row.number in text
        assert amount(row.principal) in text
        assert amount(row.interest) in text
    assert "F-2025-020" not in text  # not yet due on the letter's date
    assert f"Total dû au 30/09/2025 {amount(claimed.total)}" in text
    # its "Reste dû" is not TTC less "Réglé": the letter says why (seen: 10 080 − 2 000 shown
    # as 8 197,44 € with no word of it)
    assert (f"Les paiements partiels ont d'abord réglé {amount(claimed.paid_to_interest)} de "
            "pénalités échues (C. civ. 1343-1)") in text
    assert "L441-10" in text and "D441-5" in text
    assert "FR76 3000 6000 0112 3456 7890 189" in text
    assert "PROJET" not in text and "page 1" not in text
    assert "prescription" not in text.lower()
    golden(f"{kind}_durand_btp.txt", "\n".join(pages))


def test_reminder_levels_escalate_in_tone(session, owner):
    third, _ = letter_for(session, owner, "relance_3")
    text = pages_text(render_letter(third).data)[0]
    assert "dernière relance avant mise en demeure" in text
    assert "au plus tard le 8 octobre 2025" in text
    assert "injonction de payer" in text


def test_a_mise_en_demeure_demands_the_total_in_figures_and_words_by_a_date(session, owner,
                                                                             golden):
    letter, claimed = letter_for(session, owner, "mise_en_demeure")
    pages = pages_text(render_letter(letter, reminders=2).data)
    first = " ".join(pages[:-1])
    assert "Lettre recommandée avec accusé de réception" in first
    assert "MISE EN DEMEURE DE PAYER" in first
    assert "Menuiserie Lefèvre, SARL, SIREN 732 829 320, RCS Angers" in first
    assert "À l'attention de M. Marc Durand, président" in first
    assert f"somme totale de {amount(claimed.total)}" in first
    assert ("quatre mille cinq cent cinquante-huit euros et quarante-trois centimes"
            in first)
    assert str(claimed.total) == "4558.43"
    # LAW.md §4: 8 days from receipt; 30/09/2025 + 3 days of post = 03/10, + 8 = Saturday
    # 11/10 → Monday 13/10/2025 (CPC 642)
    assert ("dans un délai de 8 jours à compter de la réception de la présente, soit au plus "
            "tard le 13 octobre 2025 pour une distribution dans les trois jours de son envoi"
            in first)
    assert "article 1344 du code civil" in first
    assert "injonction de payer" in first and "1405" in first
    assert "PROJET" in first
    assert "prescription" not in " ".join(pages).lower()
    golden("mise_en_demeure_durand_btp.txt", "\n".join(pages))


def test_the_annex_lists_every_period_with_its_rate_and_days(session, owner):
    letter, claimed = letter_for(session, owner, "mise_en_demeure")
    annex = pages_text(render_letter(letter).data)[-1]
    assert annex.startswith("PROJET") or "Annexe — Décompte des sommes dues au 30/09/2025" in annex
    assert "10/02/2025 30/06/2025 141 13,15 % 1 200,00 € 60,96 €" in annex
    assert "01/07/2025 30/09/2025 92 12,15 % 1 200,00 € 36,75 €" in annex
    assert "Total facture F-2025-001 1 337,71 €" in annex
    assert "C. civ. 1343-1" in annex  # the payment went to the penalties first
    assert f"Total dû au 30/09/2025 {amount(claimed.total)}" in annex


def test_a_one_page_letter_is_the_same_whether_its_page_number_is_taken_off_or_laid_out_again(
        session, owner, monkeypatch):  # type: ignore[no-untyped-def]
    """A paper is laid out once, numbered; a one-page one has the number's box taken off its
    layout (WeasyPrint's boxes are not public API: where they are not as expected, the page is
    laid out again unnumbered). Both give the same bytes, with no "page 1 / 1"."""
    from app.documents import render

    letter, _ = letter_for(session, owner, "relance_1")
    taken_off = render_letter(letter).data
    monkeypatch.setattr(render, "_without_page_number", lambda document: False)
    assert render_letter(letter).data == taken_off
    assert "page 1" not in pages_text(taken_off)[0]


def test_a_long_letter_is_numbered_page_x_of_y(session, owner):
    letter, _ = letter_for(session, owner, "mise_en_demeure")
    pages = pages_text(render_letter(letter).data)
    assert len(pages) == 3
    for number, text in enumerate(pages, start=1):
        assert f"page {number} / 3" in text


def test_the_sent_letter_has_no_projet_mark_and_shows_the_recommande_number(session, owner):
    letter, _ = letter_for(session, owner, "mise_en_demeure", draft=False,
                           reference="1A 234 567 8901 2")
    text = " ".join(pages_text(render_letter(letter).data))
    assert "PROJET" not in text
    assert "n° 1A 234 567 8901 2" in text


def test_the_pdf_carries_title_author_and_the_letter_date(session, owner):
    letter, _ = letter_for(session, owner, "mise_en_demeure")
    reader = PdfReader(io.BytesIO(render_letter(letter).data))
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Mise en demeure — Durand BTP — 2025-09-30"
    assert meta.author == "Menuiserie Lefèvre"
    assert meta.creation_date is not None and meta.creation_date.date() == date(2025, 9, 30)


def test_the_same_letter_gives_the_same_bytes(session, owner):
    letter, _ = letter_for(session, owner, "relance_2")
    assert render_letter(letter).data == render_letter(letter).data


def test_the_fonts_are_the_bundled_ones(session, owner):
    letter, _ = letter_for(session, owner, "relance_1")
    reader = PdfReader(io.BytesIO(render_letter(letter).data))
    fonts = {str(font["/BaseFont"]).split("+")[-1]
             for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    # @font-face families of print.css, embedded from static/fonts: no system font
    assert fonts <= {"Doc-Sans", "Doc-Sans-Bold", "Doc-Fallback", "Doc-Fallback-Bold"}
    assert "Doc-Sans" in fonts


def test_a_consumer_letter_says_interest_runs_from_the_due_date_under_a_1344_clause(
        session, owner):
    # Issue 13: the creditor's terms make the due date the notice (C. civ. 1344)
    from dataclasses import replace

    letter, _ = letter_for(session, owner, "mise_en_demeure")
    consumer = replace(letter, decompte=replace(letter.decompte, debtor_kind="consumer"))
    plain = " ".join(pages_text(render_letter(consumer).data))
    assert "à compter de la présente mise en demeure" in plain
    clause = " ".join(pages_text(render_letter(replace(consumer, notice_by_due_date=True)).data))
    assert "mis en demeure par la seule échéance (article 1344 du code civil)" in clause
    assert "depuis le lendemain de leur échéance" in clause
    assert "à compter de la présente mise en demeure" not in clause


@pytest.mark.parametrize(("kind", "reminders", "said", "never"), [
    ("relance_2", 0, "nous constatons que", "Malgré notre précédente relance"),
    ("relance_3", 0, "nous constatons que", "Nos relances précédentes"),
    ("relance_3", 1, "Notre précédente relance est restée sans effet", "Nos relances"),
    ("relance_3", 2, "Nos relances précédentes sont restées sans effet", "Notre précédente"),
    ("relance_2", 1, "Malgré notre précédente relance", "Nos relances"),
])
def test_a_letter_speaks_only_of_the_reminders_actually_sent(session, owner, kind, reminders,
                                                            said, never):
    # A scenario may start at relance 3 by letter (issue 17), or a user may choose it first:
    # the letter must not claim earlier reminders that were never sent.
    letter, _ = letter_for(session, owner, kind)
    text = normalise(" ".join(pages_text(render_letter(letter, reminders).data)))
    assert said in text
    assert never not in text


@pytest.mark.parametrize(("reminders", "said"), [
    (0, "malgré leur échéance"), (1, "malgré notre relance"), (3, "malgré nos relances")])
def test_a_mise_en_demeure_counts_the_reminders_it_recalls(session, owner, reminders, said):
    # Seen: "malgré nos relances" after a single one.
    letter, _ = letter_for(session, owner, "mise_en_demeure")
    text = normalise(" ".join(pages_text(render_letter(letter, reminders).data)))
    assert said in text


def test_a_signature_never_stands_alone_on_the_last_page(session, owner):
    # Seen: a relance whose page 2 held only the signature block, unsigned body on page 1.
    from dataclasses import replace
    letter, claimed = letter_for(session, owner, "relance_3")
    breaks = []
    for copies in range(1, 12):  # the invoice table grows until the letter takes two pages
        rows = claimed.invoices * copies
        grown = replace(letter, decompte=replace(claimed, invoices=rows))
        pages = pages_text(render_letter(grown).data)
        if len(pages) > 1:
            breaks.append(copies)
            last = normalise(pages[-1])
            assert "Règlement par virement" in last or "Nous vous demandons" in last, last[:300]
            if len(breaks) == 3:  # the signature's block, then more, on the last page
                break
    assert breaks
