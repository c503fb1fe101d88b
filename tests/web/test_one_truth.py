"""One truth per page: a change made with htmx on the debtor page sends back, besides the
section changed, every block that shows a figure, each swapped out of band by its id."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

import pytest
from sqlmodel import Session

from app.formatting import eur
from app.services.context import Actor
from app.services.decompte import debtor_decompte
from app.web.sections import out_of_band
from tests.conftest import TODAY, Browser
from tests.factories import make_debtor, make_invoice

HX = {"HX-Request": "true"}
INVOICE = {"number": "F-2026-020", "issue_date": "2026-08-01", "due_date": "2026-09-01",
           "amount_ht": "3 200,00", "amount_tva": "640,00"}
OTHERS = ("headline", "next-action", "decompte", "alerts", "readiness", "steps", "documents",
          "reminders",
          "history")


def oob_ids(html: str) -> list[str]:
    return re.findall(r'<\w+ hx-swap-oob="true"[^>]*?\bid="([\w-]+)"', html)


def test_a_new_invoice_refreshes_every_figure(owner_client: Browser, owner: Actor,
                                              session: Session) -> None:
    debtor = make_debtor(session, owner)
    response = owner_client.submit(f"/debtors/{debtor.id}/invoices", INVOICE, headers=HX)
    assert response.status_code == 200
    text = unescape(response.text)
    assert text.lstrip().startswith('<section class="card" id="account">')
    assert sorted(oob_ids(text)) == sorted(OTHERS)
    assert 'id="headline-outstanding">3\u202f840,00\u00a0€' in text  # TTC = HT + TVA
    assert "Aucune facture : rien à calculer" not in text


def test_a_payment_refreshes_the_headline_balance(owner_client: Browser, owner: Actor,
                                                  session: Session) -> None:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor, amount_ht="1000.00", amount_tva="200.00",
                 amount_ttc="1200.00")
    response = owner_client.submit(f"/debtors/{debtor.id}/payments",
                                   {"date": "2026-10-01", "amount": "1 200,00"}, headers=HX)
    text = unescape(response.text)
    session.refresh(debtor)
    assert debtor.outstanding == Decimal("0.00")  # the invoices' balance: all paid
    # but the payment, 19 months late, paid the penalties accrued first (C. civ. 1343-1): the
    # principal still owed is the décompte's, the same in the headline, the account and below
    decompte = debtor_decompte(session, debtor, TODAY)
    assert decompte.principal == decompte.invoices[0].payments[0].to_interest > 0
    shown = eur(decompte.principal)
    assert 'id="headline-outstanding">' + shown in text
    assert 'id="account-outstanding">' + shown in text
    assert f"dont {shown} sur les pénalités échues (C. civ. 1343-1)" in text
    assert "Principal restant dû" in text and shown in text.split('id="decompte"')[1]


def test_an_error_sends_back_only_the_form(owner_client: Browser, owner: Actor,
                                           session: Session) -> None:
    debtor = make_debtor(session, owner)
    response = owner_client.submit(f"/debtors/{debtor.id}/invoices",
                                   {**INVOICE, "amount_tva": "x"}, headers=HX)
    assert response.status_code == 422
    assert oob_ids(response.text) == []


def test_out_of_band_marks_the_blocks_outer_element() -> None:
    assert out_of_band('\n  <section class="card" id="x">a</section>') == \
        '\n  <section hx-swap-oob="true" class="card" id="x">a</section>'
    with pytest.raises(ValueError):
        out_of_band("just text")


def test_element_ids_are_unique_on_the_debtor_page(owner_client: Browser, owner: Actor,
                                                   session: Session) -> None:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor)
    page = owner_client.get(f"/debtors/{debtor.id}").text
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) > 40
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    for label_for in re.findall(r'<label for="([^"]+)"', page):  # each label names a field
        assert label_for in ids, label_for
