"""Correcting and cancelling a promise to pay from the debtor page (issue 17): htmx fragments
and the no-JS form post with its redirect, errors next to the field, nothing half-saved, a
cancelled promise struck through and kept, 404 for another creditor, 403 for a reader."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from sqlmodel import Session, select

from app.models import Debtor, PaymentPromise
from app.services.context import Actor
from app.services.reminders import calls
from tests.conftest import TODAY, Browser
from tests.factories import make_debtor, make_invoice, make_payment

HX = {"HX-Request": "true"}


@pytest.fixture
def debtor(session: Session, owner: Actor) -> Debtor:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor)  # 1 200,00 €
    return debtor


@pytest.fixture
def promise(session: Session, owner: Actor, debtor: Debtor) -> PaymentPromise:
    """Called on 10/11/2026: 1 200 € promised by 20/11/2026; on 22/11 (TODAY) it is broken."""
    calls.log_call(session, owner, debtor, {"outcome": "promise", "date": "2026-11-10",
                                            "promise_due_date": "2026-11-20",
                                            "promise_amount": "1200", "notes": "Virement"}, TODAY)
    return session.exec(select(PaymentPromise)).one()


def section(html: str) -> str:
    text = unescape(html)
    start = text.index('id="reminders"')
    return text[start:text.index("</section>", start)]


def test_a_promise_to_settle_offers_modifier_and_annuler_filled_in(
        owner_client: Browser, debtor: Debtor, promise: PaymentPromise) -> None:
    page = section(owner_client.get(f"/debtors/{debtor.id}").text)
    assert "<summary>Modifier</summary>" in page and "<summary>Annuler la promesse</summary>" in page
    assert f'action="/debtors/{debtor.id}/promises/{promise.id}"' in page
    assert f'hx-post="/debtors/{debtor.id}/promises/{promise.id}/cancel"' in page
    assert 'name="promise_due_date" type="date" value="2026-11-20"' in page
    assert 'name="promise_amount" type="text" value="1\u202f200,00"' in page
    assert 'name="note" type="text" value="Virement"' in page
    assert page.count('name="csrf_token"') >= 4  # call, hold, scenario and the two forms


def test_correcting_the_date_updates_the_section_and_the_alerts_at_once(
        owner_client: Browser, debtor: Debtor, promise: PaymentPromise, session: Session) -> None:
    before = unescape(owner_client.get(f"/debtors/{debtor.id}").text)
    assert "Promesse de paiement non tenue" in before
    response = owner_client.submit(f"/debtors/{debtor.id}/promises/{promise.id}", {
        "promise_due_date": "2026-11-30", "promise_amount": "1 000,00", "note": "Le 30"},
        headers=HX)
    assert response.status_code == 200
    text = unescape(response.text)
    assert text.lstrip().startswith('<section class="card reminders" id="reminders">')
    assert "1\u202f000,00\xa0€ au plus tard le 30/11/2026" in text
    assert "relances suspendues jusque-là" in text and "Non tenue" not in section(text)
    assert "Promesse de paiement non tenue" not in text  # the alerts block, out of band
    assert "Promesse de paiement corrigée" in text  # the history, out of band
    session.refresh(promise)
    assert (promise.due_date, promise.amount, promise.note, promise.status) == \
        (date(2026, 11, 30), Decimal("1000.00"), "Le 30", "open")


def test_a_wrong_correction_is_refused_next_to_its_field_and_saves_nothing(
        owner_client: Browser, debtor: Debtor, promise: PaymentPromise, session: Session) -> None:
    response = owner_client.submit(f"/debtors/{debtor.id}/promises/{promise.id}", {
        "promise_due_date": "2026-11-21", "promise_amount": "500", "note": "changé"}, headers=HX)
    assert response.status_code == 422
    text = section(response.text)
    assert (f'<small class="field-error" id="e-promise{promise.id}-promise_due_date">Cette date '
            "est déjà passée : indiquez le 22/11/2026 ou plus tard, ou annulez la promesse."
            "</small>") in text
    assert '<details class="promise-edit" open>' in text
    assert 'value="2026-11-21"' in text and 'value="changé"' in text  # what was typed, kept
    assert "Rien n'a été enregistré" in text
    session.refresh(promise)
    assert (promise.due_date, promise.amount, promise.note) == \
        (date(2026, 11, 20), Decimal("1200.00"), "Virement")


def test_without_javascript_a_correction_redirects_to_the_section(
        owner_client: Browser, debtor: Debtor, promise: PaymentPromise) -> None:
    done = owner_client.submit(f"/debtors/{debtor.id}/promises/{promise.id}", {
        "promise_due_date": "2026-12-01", "promise_amount": "1200", "note": ""},
        follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("#reminders")
    page = section(owner_client.get(done.headers["location"]).text)
    assert "au plus tard le 01/12/2026" in page


def test_cancelling_keeps_the_promise_struck_and_resumes_the_reminders(
        owner_client: Browser, debtor: Debtor, promise: PaymentPromise, session: Session) -> None:
    refused = owner_client.submit(f"/debtors/{debtor.id}/promises/{promise.id}/cancel",
                                  {"cancel_reason": ""}, headers=HX)
    assert refused.status_code == 422
    assert (f'id="e-cancel{promise.id}-cancel_reason">La raison de l\'annulation est '
            "obligatoire.</small>") in section(refused.text)
    assert '<details class="promise-cancel" open>' in section(refused.text)
    response = owner_client.submit(f"/debtors/{debtor.id}/promises/{promise.id}/cancel",
                                   {"cancel_reason": "Le client conteste finalement"},
                                   headers=HX)
    assert response.status_code == 200
    text = section(response.text)
    assert '<span class="badge muted">Annulée</span>' in text
    assert "<s>1\u202f200,00\xa0€ au plus tard le 20/11/2026</s>" in text
    assert "Annulée le 22/11/2026 : <em>Le client conteste finalement</em>" in text
    assert "<summary>Modifier</summary>" not in text
    assert "Promesse de paiement non tenue" not in unescape(response.text)
    page = unescape(owner_client.get(f"/debtors/{debtor.id}").text)
    history = page[page.index('id="history"'):]
    assert "Promesse de paiement de 1\u202f200,00\xa0€ pour le 20/11/2026 annulée : Le client " \
        "conteste finalement" in history
    assert "Raison de l'annulation" in history and "Annulée" in history
    session.refresh(promise)
    assert promise.status == "cancelled"


def test_without_javascript_a_cancel_redirects(owner_client: Browser, debtor: Debtor,
                                               promise: PaymentPromise) -> None:
    done = owner_client.submit(f"/debtors/{debtor.id}/promises/{promise.id}/cancel",
                               {"cancel_reason": "Erreur de saisie"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("#reminders")


def test_a_kept_promise_offers_nothing_and_refuses_a_stale_form(
        owner_client: Browser, debtor: Debtor, session: Session, owner: Actor) -> None:
    calls.log_call(session, owner, debtor, {"outcome": "promise", "promise_due_date": "2026-11-30",
                                            "promise_amount": "100"}, TODAY)
    promise = session.exec(select(PaymentPromise)).one()
    make_payment(session, owner, debtor, date="2026-11-22", amount="100.00")
    page = section(owner_client.get(f"/debtors/{debtor.id}").text)
    assert "Tenue" in page and "<summary>Modifier</summary>" not in page
    stale = owner_client.submit(f"/debtors/{debtor.id}/promises/{promise.id}", {
        "promise_due_date": "2026-12-10", "promise_amount": "100"}, headers=HX)
    assert stale.status_code == 422
    assert "Cette promesse a été tenue : elle ne se modifie plus." in section(stale.text)


def test_another_creditor_gets_404_a_reader_403(client: Browser, debtor: Debtor,
                                                promise: PaymentPromise, reader: Actor,
                                                outsider: Actor, session: Session) -> None:
    client.login("paul@roux.test")
    theirs = make_debtor(session, outsider, legal_name="Autre SARL")
    for debtor_id in (debtor.id, theirs.id):  # their own debtor does not reach our promise
        assert client.submit(f"/debtors/{debtor_id}/promises/{promise.id}/cancel",
                             {"cancel_reason": "x"}).status_code == 404
        assert client.submit(f"/debtors/{debtor_id}/promises/{promise.id}", {
            "promise_due_date": "2026-12-10", "promise_amount": "1"}).status_code == 404
    client.cookies.clear()
    client.login("lea@lefevre.test")
    page = section(client.get(f"/debtors/{debtor.id}").text)
    assert "Non tenue" in page and "<summary>Modifier</summary>" not in page
    assert client.submit(f"/debtors/{debtor.id}/promises/{promise.id}/cancel",
                         {"cancel_reason": "x"}).status_code == 403
    assert client.submit(f"/debtors/{debtor.id}/promises/{promise.id}", {
        "promise_due_date": "2026-12-10", "promise_amount": "1"}).status_code == 403
    session.refresh(promise)
    assert promise.status == "broken"
