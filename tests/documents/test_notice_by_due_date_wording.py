"""A consumer put on notice by the mere due date (terms of sale, C. civ. 1344; LAW.md §2.3):
no paper says the legal interest runs from a mise en demeure that was never sent."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

from app.documents.letters import render_letter
from app.documents.requete import render_requete
from app.law.interest import InvoiceInput, compute_decompte
from app.law.rates import load_default_rates
from tests.documents.test_wording import inputs, requete_of, text_of

NEVER = ("depuis notre mise en demeure", "lendemain de la mise en demeure",
         "à compter de la mise en demeure")


def consumer_by_due_date(session, owner):  # type: ignore[no-untyped-def]
    _, letter = inputs(session, owner)
    decompte = compute_decompte(
        as_of=date(2025, 4, 1), debtor_kind="consumer", rates=load_default_rates(),
        invoices=[InvoiceInput("F1", D("1000"), date(2025, 1, 2), date(2025, 2, 1))],
        notice_by_due_date=True)
    assert decompte.interest == D("6.00") and decompte.notice_by_due_date
    return replace(letter, kind="relance_2", date=date(2025, 4, 1), decompte=decompte,
                   notice_by_due_date=True)


def test_the_reminder_says_interest_runs_from_the_due_date(session, owner):
    text = text_of(render_letter(consumer_by_due_date(session, owner)).data)
    assert "depuis le lendemain de leur échéance, nos conditions générales stipulant que vous" \
           " êtes mis en demeure par la seule échéance" in text
    assert not any(wrong in text for wrong in NEVER)


def test_the_requete_and_its_annex_say_so_too(session, owner):
    letter = consumer_by_due_date(session, owner)
    text = text_of(render_letter(replace(letter, kind="mise_en_demeure")).data)
    assert "du lendemain de l'échéance (mise en demeure par la seule échéance, C. civ. 1344)" \
        in text  # the annex
    requete = text_of(render_requete(requete_of(letter)).data)
    assert "les intérêts au taux légal courent à compter du lendemain de chaque échéance" \
        in requete
    assert not any(wrong in requete for wrong in NEVER)


def test_without_the_clause_they_still_run_from_the_notice(session, owner):
    letter = consumer_by_due_date(session, owner)
    plain = replace(letter, notice_by_due_date=False,
                    decompte=replace(letter.decompte, notice_by_due_date=False))
    assert "depuis notre mise en demeure" in text_of(render_letter(plain).data)
