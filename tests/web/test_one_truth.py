"""One truth per page: a change made with htmx on the debtor page sends back, besides the
section changed, every block that shows a figure, each swapped out of band by its id."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

import pytest
from sqlmodel import Session

from app.documents.letters import claimed_part
from app.formatting import eur
from app.services.context import Actor
from app.services.decompte import debtor_decompte
from app.services.demo import siren
from app.web.sections import out_of_band
from tests.conftest import TODAY, Browser
from tests.factories import make_debtor, make_invoice, make_two_invoices_one_transfer

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
    # the payment, 19 months late, paid the penalties accrued first (C. civ. 1343-1): the
    # principal still owed is the décompte's, the same in the headline, the account, below
    # and on the debtor's row (the list, the API, the dashboard: it was 0,00 € there)
    decompte = debtor_decompte(session, debtor, TODAY)
    assert debtor.outstanding == decompte.principal
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


# The review of 2 December 2026: figures of one page taken from two imputations.

def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", unescape(html)))


def _money(shown: str) -> Decimal:
    return Decimal(re.sub(r"[\s\u202f\xa0€]", "", shown).replace(",", "."))


def test_an_invoice_rows_paid_and_left_are_the_decomptes(owner_client: Browser, owner: Actor,
                                                          session: Session) -> None:
    # the row of A said "Payé 1 200 € dont 243,91 € sur les pénalités, Reste dû 0 €" (the
    # price-only imputation) where the décompte and the letters say 1 443,91 € went to A
    debtor = make_two_invoices_one_transfer(session, owner)
    rows = {row.number: row for row in debtor_decompte(session, debtor, TODAY).invoices}
    page = owner_client.get(f"/debtors/{debtor.id}").text
    table = _text(page).split("Payé Reste dû")[1].split("+ Ajouter une facture")[0]
    for number in ("A", "B"):
        cells = table.split(f"{number} Pose de menuiseries")[1].split("Modifier")[0]
        amounts = [_money(a) for a in re.findall(r"(?<![\d/])\d{1,3}(?: \d{3})*,\d\d €", cells)]
        assert (amounts[1], amounts[-1]) == (rows[number].paid, rows[number].principal)
    # the payment form offers each invoice with the same "reste"
    assert f"B — reste {eur(rows['B'].principal)}" in unescape(page)


def test_the_page_claims_what_the_letters_claim(owner_client: Browser, owner: Actor,
                                                session: Session) -> None:
    # an invoice not yet due was in the page's "Total réclamé" (1 380,77 €), never in a letter
    # (1 260,77 €): it is now told apart
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor, number="A", issue_date="2026-09-01",
                 due_date="2026-10-01")
    make_invoice(session, owner, debtor, number="C", issue_date="2026-11-01",
                 due_date="2026-12-31", amount_ht="100.00", amount_tva="20.00",
                 amount_ttc="120.00")
    decompte = debtor_decompte(session, debtor, TODAY)
    letters = claimed_part(decompte, TODAY).total
    page = unescape(owner_client.get(f"/debtors/{debtor.id}").text)
    shown = re.search(r'id="headline-claimed">([^<]+)<', page)
    assert shown and _money(shown.group(1)) == letters == decompte.total - Decimal("120.00")
    assert "120,00\u00a0€ à échoir" in page
    assert "Factures non encore échues, que les lettres ne réclament pas encore" in page
    assert "120,00\u00a0€ TTC, à échoir le 31/12/2026" in page  # it said "échue le"


def test_the_dashboards_oldest_bucket_filters_the_list(owner_client: Browser, owner: Actor,
                                                       session: Session) -> None:
    # /debtors?bucket=180+ arrived as "180 ": every debtor listed, no filter said
    old = make_debtor(session, owner, legal_name="Ancien SA", siren=siren("11111111"))
    make_invoice(session, owner, old, number="O1", issue_date="2025-01-10",
                 due_date="2025-02-09")
    recent = make_debtor(session, owner, legal_name="Recent SA", siren=siren("22222222"))
    make_invoice(session, owner, recent, number="N1", issue_date="2026-11-01",
                 due_date="2026-12-01")
    board = owner_client.get("/dashboard").text
    link = re.search(r'<tr data-bucket="180\+"><td><a href="([^"]+)"', board)
    assert link
    listed = owner_client.get(unescape(link.group(1))).text
    assert 'id="bucket-filter"' in listed and "Ancien SA" in listed
    assert "Recent SA" not in listed
    chart = re.search(r'href="(/debtors\?bucket=180[^"]*)"', board.split('id="chart-aging"')[1])
    assert chart and "Recent SA" not in owner_client.get(unescape(chart.group(1))).text


def test_a_payment_dated_ahead_is_refused_next_to_its_date(owner_client: Browser, owner: Actor,
                                                           session: Session) -> None:
    # Review 39: a transfer announced for 15/12/2026 recorded on 22/11/2026 (its value date).
    # The décompte of today left it out ("postérieur à la date du décompte : non pris en
    # compte"): the page's headline and the letters claimed the whole price, while the stored
    # balance (list, API, dashboard, reminder run) already counted it: two outstandings.
    # A payment counts from its day (LAW.md §2.5 rule 5): one dated ahead is refused, from the
    # page and from the API, and a transfer announced is noted as a promise to pay.
    from sqlmodel import select

    from app.models import Payment
    from tests.conftest import api_token

    debtor = make_debtor(session, owner)
    invoice = make_invoice(session, owner, debtor, number="A", issue_date="2026-09-01",
                           due_date="2026-10-01")
    response = owner_client.submit(f"/debtors/{debtor.id}/payments", {
        "date": "2026-12-15", "amount": "1000,00", "invoice_id": ""},
        headers={"HX-Request": "true"})
    text = unescape(response.text)
    assert response.status_code == 422
    assert "Un paiement ne peut pas être daté après aujourd'hui (22/11/2026)" in text
    assert "promesse de paiement" in text
    api = owner_client.post(f"/api/v1/invoices/{invoice.id}/payments",
                            json={"date": "2026-12-15", "amount": "1000.00"},
                            headers=api_token(owner_client, "claire@lefevre.test"))
    assert api.status_code == 422 and "après aujourd'hui" in api.text
    assert session.exec(select(Payment)).all() == []
    session.refresh(debtor)
    decompte = debtor_decompte(session, debtor, TODAY)
    page = unescape(owner_client.get(f"/debtors/{debtor.id}").text)
    shown = re.search(r'id="headline-outstanding">([^<]+)<', page)
    assert shown is not None
    assert debtor.outstanding == decompte.principal == _money(shown.group(1)) == Decimal("1200")
    # today itself is accepted
    today = owner_client.submit(f"/debtors/{debtor.id}/payments", {
        "date": "2026-11-22", "amount": "100,00", "invoice_id": ""}, headers={"HX-Request": "true"})
    assert today.status_code == 200 and len(session.exec(select(Payment)).all()) == 1
