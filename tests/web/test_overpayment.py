"""A payment above the balance it settles is announced, with its excess and the choices for
it, and saved only once one is chosen (trop-perçu, avoir, or another invoice)."""

from __future__ import annotations

from decimal import Decimal
from html import unescape

import pytest
from sqlmodel import Session, select

from app.models import Payment
from app.services import payments
from app.services.context import Actor
from tests.conftest import Browser
from tests.factories import make_debtor, make_invoice

HX = {"HX-Request": "true"}


def test_the_excess_is_announced_and_nothing_saved(owner_client: Browser, owner: Actor,
                                                   session: Session) -> None:
    debtor = make_debtor(session, owner)
    invoice = make_invoice(session, owner, debtor)  # 1 200,00 € TTC
    response = owner_client.submit(f"/debtors/{debtor.id}/payments", {
        "date": "2025-06-01", "amount": "1 500,00", "invoice_id": str(invoice.id)}, headers=HX)
    text = unescape(response.text)
    assert response.status_code == 200
    # 1 200 € and the 48,42 € of penalties accrued by 01/06/2025, which a payment pays first
    # (C. civ. 1343-1; the 40 € are claimed apart): it was 300 € over the price alone
    assert "dépasse de <strong class=\"excess\">251,58\u00a0€</strong>" in text
    assert 'value="trop_percu" checked' in text
    assert session.exec(select(Payment)).all() == []


def test_without_js_the_page_asks_too(owner_client: Browser, owner: Actor,
                                      session: Session) -> None:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor)
    response = owner_client.submit(f"/debtors/{debtor.id}/payments",
                                   {"date": "2025-06-01", "amount": "5 000,00"},
                                   follow_redirects=False)
    assert response.status_code == 200
    assert "le solde de l'encours du débiteur" in unescape(response.text)
    assert session.exec(select(Payment)).all() == []


def test_the_excess_can_settle_another_invoice(owner: Actor, session: Session) -> None:
    debtor = make_debtor(session, owner)
    first = make_invoice(session, owner, debtor, number="F-1")
    second = make_invoice(session, owner, debtor, number="F-2")
    data = {"date": "2025-06-01", "amount": "1500.00", "invoice_id": str(first.id)}
    with pytest.raises(payments.OverpaymentToConfirm) as asked:
        payments.create(session, owner, debtor, data)
    assert asked.value.overpayment.excess == Decimal("251.58")  # 48,42 € to the penalties
    assert list(asked.value.overpayment.other_invoices) == [str(second.id)]
    session.rollback()
    payments.create(session, owner, debtor, {**data, "excess": "other_invoice",
                                             "excess_invoice_id": str(second.id)})
    split = sorted((p.invoice_id, p.amount) for p in session.exec(select(Payment)))
    assert split == sorted([(first.id, Decimal("1248.42")), (second.id, Decimal("251.58"))])
    session.refresh(second)
    # late too: 48,42 € of its penalties first, 203,16 € of its price (C. civ. 1343-1)
    assert second.balance == Decimal("996.84")


def test_an_edit_that_raises_a_payment_above_its_balance_is_refused(
        owner_client: Browser, owner: Actor, session: Session) -> None:
    debtor = make_debtor(session, owner)
    invoice = make_invoice(session, owner, debtor)  # 1 200,00 € TTC
    payments.create(session, owner, debtor, {"date": "2025-06-01", "amount": "1000.00",
                                             "invoice_id": str(invoice.id)})
    payment = session.exec(select(Payment)).one()
    response = owner_client.submit(f"/payments/{payment.id}", {
        "date": "2025-06-01", "amount": "1 500,00", "invoice_id": str(invoice.id)}, headers=HX)

    text = unescape(response.text)
    assert "dépasse de 251,58\u00a0€ le solde de la facture" in text  # penalties paid first
    session.expire_all()
    assert session.get(Payment, payment.id).amount == Decimal("1000.00")  # type: ignore[union-attr]


def test_an_edit_within_the_balance_counts_the_payment_itself(owner: Actor,
                                                               session: Session) -> None:
    debtor = make_debtor(session, owner)
    invoice = make_invoice(session, owner, debtor)  # 1 200,00 € TTC
    payment = payments.create(session, owner, debtor, {
        "date": "2025-06-01", "amount": "1000.00", "invoice_id": str(invoice.id)})
    payments.update(session, owner, payment, {"date": "2025-06-02", "amount": "1200.00",
                                              "invoice_id": str(invoice.id)})
    session.refresh(invoice)
    # saved: 1 200 € paid 113 days late, of which 48,85 € went to the penalties (1343-1)
    assert invoice.balance == Decimal("48.85")


def test_a_trop_percu_in_time_leaves_one_outstanding(owner: Actor, session: Session) -> None:
    # Review 39: X (1 200 €, due 01/12/2026, not yet due) paid 1 500 € on 20/11/2026, the
    # 300 € excess kept as a trop-perçu; Y (1 000 €, due 01/10/2026) unpaid. The stored
    # balances (list, API, dashboard) keep Y at 1 000 € and lose the 300 €, while the
    # décompte (debtor page, letters) imputes the 300 € on Y (1342-10): two outstandings.
    from app.services.decompte import debtor_decompte
    from tests.conftest import TODAY

    debtor = make_debtor(session, owner)
    x = make_invoice(session, owner, debtor, number="X", issue_date="2026-11-01",
                     due_date="2026-12-01")
    make_invoice(session, owner, debtor, number="Y", issue_date="2026-09-01",
                 due_date="2026-10-01", amount_ht="833.33", amount_tva="166.67",
                 amount_ttc="1000.00")
    payments.create(session, owner, debtor, {"date": "2026-11-20", "amount": "1500.00",
                                             "invoice_id": str(x.id), "excess": "trop_percu"})
    session.refresh(debtor)
    decompte = debtor_decompte(session, debtor, TODAY)
    assert debtor.outstanding == decompte.principal


def test_an_invoice_lowered_below_its_payment_leaves_one_outstanding(owner: Actor,
                                                                     session: Session) -> None:
    # Review 39: X (1 200 €, due 01/12/2026) paid in full on 20/11/2026, then corrected to
    # 1 000 € (an error on the price); Y (1 000 €, due 01/10/2026) unpaid. No excess is
    # announced; the stored balances keep Y at 1 000 € while the décompte imputes the 200 €
    # now above X on Y (1342-10): the list and the page disagree.
    from app.services import invoices
    from app.services.decompte import debtor_decompte
    from tests.conftest import TODAY

    debtor = make_debtor(session, owner)
    x = make_invoice(session, owner, debtor, number="X", issue_date="2026-11-01",
                     due_date="2026-12-01")
    make_invoice(session, owner, debtor, number="Y", issue_date="2026-09-01",
                 due_date="2026-10-01", amount_ht="833.33", amount_tva="166.67",
                 amount_ttc="1000.00")
    payments.create(session, owner, debtor, {"date": "2026-11-20", "amount": "1200.00",
                                             "invoice_id": str(x.id)})
    invoices.update(session, owner, x, {"number": "X", "issue_date": "2026-11-01",
                                        "due_date": "2026-12-01", "amount_ht": "833.33",
                                        "amount_tva": "166.67", "amount_ttc": "1000.00",
                                        "description": "Pose de menuiseries"})
    session.refresh(debtor)
    assert debtor.outstanding == debtor_decompte(session, debtor, TODAY).principal
