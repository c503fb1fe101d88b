"""Invoices, payments and steps added from the debtor page (htmx and plain forms)."""

from __future__ import annotations

from decimal import Decimal
from html import unescape

from sqlmodel import Session, select

from app.models import Debtor, Invoice, Step
from app.services.context import Actor
from tests.conftest import Browser
from tests.factories import make_debtor, make_invoice

INVOICE = {"number": "F-2026-010", "issue_date": "2026-09-01", "due_date": "2026-10-01",
           "amount_ht": "1 000,00", "amount_tva": "200,00", "amount_ttc": "1 200,00"}
HX = {"HX-Request": "true"}


def test_add_invoice_with_htmx_returns_the_account_block(owner_client: Browser, owner: Actor,
                                                         session: Session) -> None:
    debtor = make_debtor(session, owner)
    response = owner_client.submit(f"/debtors/{debtor.id}/invoices", INVOICE, headers=HX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section class="card" id="account">')
    assert "F-2026-010" in unescape(response.text)
    session.refresh(debtor)
    assert debtor.outstanding == Decimal("1200.00")


def test_add_invoice_without_js_redirects(owner_client: Browser, owner: Actor,
                                          session: Session) -> None:
    debtor = make_debtor(session, owner)
    response = owner_client.submit(f"/debtors/{debtor.id}/invoices", INVOICE,
                                   follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"/debtors/{debtor.id}?ok=saved")


def test_ttc_must_equal_ht_plus_tva(owner_client: Browser, owner: Actor, session: Session) -> None:
    debtor = make_debtor(session, owner)
    response = owner_client.submit(f"/debtors/{debtor.id}/invoices",
                                   {**INVOICE, "amount_ttc": "1 250,00"}, headers=HX)
    assert response.status_code == 422
    assert "TTC ≠ HT + TVA (1\u202f200,00\u00a0€ attendus)." in unescape(response.text)
    assert session.exec(select(Invoice)).all() == []


def test_due_date_before_issue_date_is_refused(owner_client: Browser, owner: Actor,
                                               session: Session) -> None:
    debtor = make_debtor(session, owner)
    response = owner_client.submit(f"/debtors/{debtor.id}/invoices",
                                   {**INVOICE, "due_date": "2026-08-01"}, headers=HX)
    assert response.status_code == 422
    assert "L'échéance ne peut pas précéder la date d'émission." in unescape(response.text)


def test_amount_with_three_decimals_is_refused(owner_client: Browser, owner: Actor,
                                               session: Session) -> None:
    debtor = make_debtor(session, owner)
    response = owner_client.submit(f"/debtors/{debtor.id}/invoices",
                                   {**INVOICE, "amount_ht": "1000,001"}, headers=HX)
    assert response.status_code == 422
    assert "Montant invalide" in unescape(response.text)


def test_duplicate_invoice_number_for_the_creditor_is_refused(
        owner_client: Browser, owner: Actor, session: Session) -> None:
    first = make_debtor(session, owner, legal_name="Premier", siren="")
    second = make_debtor(session, owner, legal_name="Second", siren="")
    make_invoice(session, owner, first, number="F-2026-010")
    response = owner_client.submit(f"/debtors/{second.id}/invoices", INVOICE, headers=HX)
    assert response.status_code == 422
    assert "La facture n° F-2026-010 existe déjà pour ce créancier." in unescape(response.text)


def test_same_invoice_number_is_fine_for_another_creditor(
        owner_client: Browser, owner: Actor, outsider: Actor, session: Session) -> None:
    theirs = make_debtor(session, outsider)
    make_invoice(session, outsider, theirs, number="F-2026-010")
    mine = make_debtor(session, owner)
    response = owner_client.submit(f"/debtors/{mine.id}/invoices", INVOICE, headers=HX)
    assert response.status_code == 200


def test_partial_payment_reduces_the_balance(owner_client: Browser, owner: Actor,
                                             session: Session) -> None:
    debtor = make_debtor(session, owner)
    invoice = make_invoice(session, owner, debtor)
    response = owner_client.submit(f"/debtors/{debtor.id}/payments",
                                   {"date": "2025-06-01", "amount": "200,00",
                                    "invoice_id": str(invoice.id)}, headers=HX)
    assert response.status_code == 200
    session.refresh(invoice)
    session.refresh(debtor)
    # 112 days late, it paid 1 200 × 112 × 13,15 % / 365 = 48,42 € of penalties first
    # (C. civ. 1343-1): 151,58 € of the price
    assert (invoice.paid, invoice.balance) == (Decimal("200.00"), Decimal("1048.42"))
    assert debtor.outstanding == Decimal("1048.42")


def test_unassigned_payment_goes_to_the_oldest_due_invoice(owner: Actor,
                                                           session: Session) -> None:
    from app.services import payments

    debtor = make_debtor(session, owner)
    newer = make_invoice(session, owner, debtor, number="F-NEW", issue_date="2025-03-01",
                         due_date="2025-04-01")
    older = make_invoice(session, owner, debtor, number="F-OLD")
    payments.create(session, owner, debtor, {"date": "2025-06-01", "amount": "1300.00"})
    session.refresh(older)
    session.refresh(newer)
    # the older's 48,42 € of penalties and its price, then the newer's: its penalties first,
    # 1 200 × 61 days × 13,15 % / 365 = 26,37 €, and 25,21 € of its price (C. civ. 1343-1)
    assert older.balance == Decimal("0.00")
    assert newer.balance == Decimal("1174.79")


def test_add_mise_en_demeure_step(owner_client: Browser, owner: Actor, session: Session) -> None:
    debtor = make_debtor(session, owner)
    response = owner_client.submit(f"/debtors/{debtor.id}/steps",
                                   {"kind": "mise_en_demeure", "date": "2026-10-01",
                                    "channel": "lrar", "reference": "1A 234"}, headers=HX)
    assert response.status_code == 200
    assert "Mise en demeure envoyée" in unescape(response.text)
    step = session.exec(select(Step)).one()
    assert step.deadline_days == 8  # default delay


def test_step_with_bad_date_is_refused(owner_client: Browser, owner: Actor,
                                       session: Session) -> None:
    debtor = make_debtor(session, owner)
    response = owner_client.submit(f"/debtors/{debtor.id}/steps",
                                   {"kind": "reminder", "date": "31/02/2026"}, headers=HX)
    assert response.status_code == 422
    assert "Date invalide" in unescape(response.text)


def test_edit_invoice_page_round_trip(owner_client: Browser, owner: Actor,
                                      session: Session) -> None:
    debtor = make_debtor(session, owner)
    invoice = make_invoice(session, owner, debtor)
    page = owner_client.get(f"/invoices/{invoice.id}/edit")
    assert 'value="F-2025-001"' in page.text
    response = owner_client.submit(f"/invoices/{invoice.id}", {
        "number": "F-2025-001", "issue_date": "10/01/2025", "due_date": "09/02/2025",
        "amount_ht": "2000", "amount_tva": "400", "amount_ttc": "2400"}, follow_redirects=False)
    assert response.status_code == 303
    session.refresh(debtor)
    assert debtor.outstanding == Decimal("2400.00")
    assert isinstance(session.get(Debtor, debtor.id), Debtor)


def test_reader_cannot_add_an_invoice(client: Browser, owner: Actor, reader: Actor,
                                      session: Session) -> None:
    debtor = make_debtor(session, owner)
    client.login("lea@lefevre.test")
    response = client.submit(f"/debtors/{debtor.id}/invoices", INVOICE)
    assert response.status_code == 403
    assert "lecture seule" in unescape(response.text)
    assert "Ajouter une facture" not in client.get(f"/debtors/{debtor.id}").text
