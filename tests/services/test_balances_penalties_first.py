"""The maintained balances (services/balances.py) are the décompte's: a payment made after a
due date pays the penalties accrued first (C. civ. 1343-1), and the list, the API and the
dashboard show the principal the debtor page and the letters show (the review of 2 December
2026: a debtor who paid 1 200 € late showed 0,00 € everywhere but on its own page).

Worked example (LAW.md §2): 1 200 € due 09/02/2025, paid 01/10/2026 by one transfer of
1 200 €. Penalties at ECB + 10 points, 10/02/2025 → 01/10/2026: 243,91 €, paid first; the
price keeps 243,91 €."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from app.models import Debtor, Invoice
from app.queue import InlineQueue, Runtime
from app.services import creditors
from app.services.context import Actor
from app.services.decompte import debtor_decompte
from app.services.rebalance import refresh_later
from tests.conftest import TODAY, Browser, api_token
from tests.factories import (
    make_debtor,
    make_invoice,
    make_payment,
    make_step,
    make_two_invoices_one_transfer,
)


def stored(session: Session, debtor: Debtor) -> dict[str, tuple[Decimal, Decimal]]:
    session.expire_all()
    return {inv.number: (inv.paid, inv.balance)
            for inv in session.exec(select(Invoice).where(Invoice.debtor_id == debtor.id))}


def decompte(session: Session, debtor: Debtor) -> dict[str, tuple[Decimal, Decimal]]:
    return {row.number: (row.paid, row.principal)
            for row in debtor_decompte(session, debtor, TODAY).invoices}


def test_a_price_paid_late_keeps_what_the_penalties_took(owner_client: Browser, owner: Actor,
                                                         session: Session) -> None:
    debtor = make_debtor(session, owner)
    invoice = make_invoice(session, owner, debtor)  # 1 200,00 € due 09/02/2025
    make_payment(session, owner, debtor, date="2026-10-01", amount="1200.00",
                 invoice_id=str(invoice.id))
    assert stored(session, debtor) == decompte(session, debtor) == {
        invoice.number: (Decimal("1200.00"), Decimal("243.91"))}
    session.refresh(debtor)
    assert (debtor.outstanding, debtor.oldest_due_date) == (Decimal("243.91"),
                                                             invoice.due_date)
    headers = api_token(owner_client, "claire@lefevre.test")
    shown = owner_client.get(f"/api/v1/debtors/{debtor.id}", headers=headers).json()
    assert Decimal(shown["outstanding"]) == Decimal("243.91")  # was 0.00
    board = owner_client.get("/api/v1/dashboard", headers=headers).json()
    assert Decimal(board["outstanding"]) == Decimal("243.91")
    assert "243,91" in owner_client.get("/debtors").text


def test_a_payment_naming_no_invoice_is_spread_as_the_decompte_spreads_it(
        owner_client: Browser, owner: Actor, session: Session) -> None:
    # the stored figures had A 1 200 €, B 300 € (the price only)
    debtor = make_two_invoices_one_transfer(session, owner)
    assert stored(session, debtor) == decompte(session, debtor)
    headers = api_token(owner_client, "claire@lefevre.test")
    api = {row["number"]: Decimal(row["balance"]) for row in owner_client.get(
        f"/api/v1/debtors/{debtor.id}/invoices", headers=headers).json()}
    assert api == {number: left for number, (_, left) in decompte(session, debtor).items()}


def test_a_payment_in_time_is_still_the_price_only(owner: Actor, session: Session) -> None:
    debtor = make_debtor(session, owner)
    invoice = make_invoice(session, owner, debtor)
    make_payment(session, owner, debtor, date="2025-02-01", amount="1000.00",
                 invoice_id=str(invoice.id))
    assert stored(session, debtor) == {invoice.number: (Decimal("1000.00"), Decimal("200.00"))}


def test_a_consumers_mise_en_demeure_recorded_afterwards_moves_the_balance(
        owner: Actor, session: Session) -> None:
    # legal interest runs from the mise en demeure (C. civ. 1231-6): recorded after the
    # payment, it makes part of that payment go to the interest
    debtor = make_debtor(session, owner, kind="consumer", legal_name="Jean Martin",
                         legal_form="", siren="", is_merchant="")
    invoice = make_invoice(session, owner, debtor, number="P1", issue_date="2024-06-01",
                           due_date="2024-07-01")
    make_payment(session, owner, debtor, date="2024-12-30", amount="1200.00",
                 invoice_id=str(invoice.id))
    assert stored(session, debtor) == {"P1": (Decimal("1200.00"), Decimal("0.00"))}
    step = make_step(session, owner, debtor, kind="mise_en_demeure", date="2024-07-15",
                     channel="lrar", reference="1A 234 567 8901 2", level="")
    after = stored(session, debtor)
    assert after == decompte(session, debtor) and after["P1"][1] > 0
    from app.services import steps

    steps.delete(session, owner, step)
    assert stored(session, debtor) == {"P1": (Decimal("1200.00"), Decimal("0.00"))}


def test_collective_proceedings_recorded_move_the_balance(owner: Actor, session: Session
                                                          ) -> None:
    # interest stops the day before the opening judgment (C. com. L622-28)
    from app.services import debtors

    debtor = make_debtor(session, owner)
    invoice = make_invoice(session, owner, debtor)
    make_payment(session, owner, debtor, date="2026-10-01", amount="1200.00",
                 invoice_id=str(invoice.id))
    before = stored(session, debtor)[invoice.number]
    debtors.update(session, owner, debtor, {
        **{k: getattr(debtor, k) or "" for k in ("legal_name", "legal_form", "siren", "street",
                                                  "postal_code", "city", "country")},
        "kind": "company", "is_merchant": "1", "proceedings_kind": "redressement",
        "proceedings_judgment_date": "2025-03-01"})
    after = stored(session, debtor)[invoice.number]
    assert after == decompte(session, debtor)[invoice.number] and after[1] < before[1]


def test_an_opening_recorded_as_a_step_moves_the_balance_and_its_deletion_too(
        owner: Actor, session: Session) -> None:
    # the same opening as a démarche, the debtor's form left empty: interest stops the eve of
    # it as well (L622-28), so the late payment pays less of them and more of the price
    from app.services import steps

    debtor = make_debtor(session, owner)
    invoice = make_invoice(session, owner, debtor)
    make_payment(session, owner, debtor, date="2026-10-01", amount="1200.00",
                 invoice_id=str(invoice.id))
    before = stored(session, debtor)[invoice.number]
    step = make_step(session, owner, debtor, kind="collective_proceedings", date="2025-03-01",
                     level="", channel="")
    after = stored(session, debtor)[invoice.number]
    assert after == decompte(session, debtor)[invoice.number] and after[1] < before[1]
    session.refresh(debtor)
    assert debtor.outstanding == after[1]
    steps.delete(session, owner, step)
    assert stored(session, debtor)[invoice.number] == before


@pytest.fixture
def queue(engine, settings) -> Iterator[InlineQueue]:  # type: ignore[no-untyped-def]
    queue = InlineQueue(Runtime(engine, settings))
    yield queue
    queue.close()


def test_the_creditors_default_rate_moves_its_debtors_balances(
        owner: Actor, session: Session, queue: InlineQueue) -> None:
    # a payment naming no invoice went to A (15 %, the higher rate); a default rate of 20 %
    # makes B the higher: the décompte moved it at once, the stored figures never did
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor, number="A", contractual_rate="15")
    make_invoice(session, owner, debtor, number="B")
    make_payment(session, owner, debtor, date="2026-10-01", amount="1000.00")
    creditor = creditors.get(session, owner)
    creditor.default_penalty_rate = Decimal("20")
    session.add(creditor)
    session.commit()
    assert stored(session, debtor) != decompte(session, debtor)
    refresh_later(queue, owner.creditor_id)
    queue.drain()
    assert stored(session, debtor) == decompte(session, debtor)
    assert stored(session, debtor)["A"][1] == Decimal("1200.00")


def test_saving_the_creditors_terms_defers_the_job(owner_client: Browser, owner: Actor,
                                                    session: Session) -> None:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor, number="A", contractual_rate="15")
    make_invoice(session, owner, debtor, number="B")
    make_payment(session, owner, debtor, date="2026-10-01", amount="1000.00")
    headers = api_token(owner_client, "claire@lefevre.test")
    response = owner_client.put("/api/v1/creditor", headers=headers,
                                json={"default_penalty_rate": "20"})
    assert response.status_code == 200, response.text
    owner_client.app.state.queue.drain()
    assert stored(session, debtor) == decompte(session, debtor)
    assert stored(session, debtor)["A"][1] == Decimal("1200.00")
