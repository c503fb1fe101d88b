"""Review of payment.excess (migration 0011): the creditor's choice for an excess is kept on
the payment when an edit removes that excess.

`payments.update` reads no `excess` and never clears it, so a payment once recorded with an
excess kept aside ("avoir", "trop_percu") keeps the flag after it is edited down to its
invoice's price or moved to another invoice. When that invoice is later lowered below the
payment, the new excess is silently kept aside "comme choisi à son enregistrement" instead of
being imputed on the other debts (C. civ. 1342-10, LAW.md §2.5 rule 5) as the same file
without that edit history has it: two files with the same rows, two décomptes.
"""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import Debtor, Invoice, Payment
from app.services import invoices, payments
from app.services.context import Actor
from app.services.decompte import debtor_decompte
from tests.conftest import TODAY
from tests.factories import make_debtor, make_invoice

X = {"issue_date": "2026-11-01", "due_date": "2026-12-01",
     "description": "Pose de menuiseries"}


def _file(session: Session, owner: Actor, name: str, tag: str = ""
          ) -> tuple[Debtor, Invoice]:
    debtor = make_debtor(session, owner, legal_name=name)
    x = make_invoice(session, owner, debtor, number=f"X{tag}", **X)  # 1 200,00 € TTC
    make_invoice(session, owner, debtor, number=f"Y{tag}", issue_date="2026-09-01",
                 due_date="2026-10-01", amount_ht="833.33", amount_tva="166.67",
                 amount_ttc="1000.00")
    return debtor, x


def _lower(session: Session, owner: Actor, x: Invoice) -> None:
    invoices.update(session, owner, x, {**X, "number": x.number, "amount_ht": "833.33",
                                        "amount_tva": "166.67", "amount_ttc": "1000.00"})


def test_an_edit_that_removes_the_excess_forgets_its_treatment(owner: Actor,
                                                               session: Session) -> None:
    edited, x1 = _file(session, owner, "Client édité")
    payment = payments.create(session, owner, edited, {
        "date": "2026-11-20", "amount": "1500.00", "invoice_id": str(x1.id),
        "excess": "avoir"})  # 300 € kept as a credit for the debtor
    payments.update(session, owner, payment, {
        "date": "2026-11-20", "amount": "1200.00", "invoice_id": str(x1.id),
        "reference": "VIR 1"}, TODAY)  # a typing error: the transfer was 1 200 €

    same, x2 = _file(session, owner, "Client saisi juste", "-2")
    payments.create(session, owner, same, {"date": "2026-11-20", "amount": "1200.00",
                                           "invoice_id": str(x2.id), "reference": "VIR 1"})
    _lower(session, owner, x1)
    _lower(session, owner, x2)
    left_edited = debtor_decompte(session, edited, TODAY)
    left_same = debtor_decompte(session, same, TODAY)
    assert left_edited.principal == left_same.principal
    assert not [w for w in left_edited.warnings if "comme choisi" in w]
    session.refresh(payment)
    assert payment.excess == "", "no excess is left: no treatment of one either"


def test_a_payment_moved_to_another_invoice_does_not_carry_the_first_ones_choice(
        owner: Actor, session: Session) -> None:
    debtor, x = _file(session, owner, "Client déplacé")
    y = session.exec(select(Invoice).where(
        Invoice.debtor_id == debtor.id, Invoice.number == "Y")).one()
    payment = payments.create(session, owner, debtor, {
        "date": "2026-11-20", "amount": "1300.00", "invoice_id": str(x.id),
        "excess": "trop_percu"})
    # it was Y's payment (1 000 € + its penalties): moved, it no longer exceeds anything
    payments.update(session, owner, payment, {
        "date": "2026-11-20", "amount": "1000.00", "invoice_id": str(y.id)}, TODAY)
    stored = session.get(Payment, payment.id)
    assert stored is not None and stored.excess == ""


def test_an_edit_that_keeps_the_excess_keeps_its_treatment_or_asks_again(
        owner: Actor, session: Session) -> None:
    import pytest

    from app.errors import ValidationFailed

    debtor, x = _file(session, owner, "Client au trop-perçu")
    payment = payments.create(session, owner, debtor, {
        "date": "2026-11-20", "amount": "1500.00", "invoice_id": str(x.id),
        "reference": "VIR 7", "excess": "trop_percu"})
    assert payment.reference == "VIR 7 (trop-perçu : 300,00\u00a0€)"
    # the reference alone corrected: the choice and its note stay
    payments.update(session, owner, payment, {
        "date": "2026-11-20", "amount": "1500.00", "invoice_id": str(x.id),
        "reference": "VIR 0007 (trop-perçu : 300,00\u00a0€)"}, TODAY)
    assert (payment.excess, payment.reference) == ("trop_percu", "VIR 0007 (trop-perçu : 300,00\u00a0€)")
    # still above the price once edited: the excess is chosen again, on a new record
    with pytest.raises(ValidationFailed) as refused:
        payments.update(session, owner, payment, {
            "date": "2026-11-20", "amount": "1400.00", "invoice_id": str(x.id),
            "reference": payment.reference}, TODAY)
    assert "supprimez-le et enregistrez-le de nouveau" in refused.value.errors["amount"]
    session.rollback()
    # down to the price: nothing is left to keep aside, nor its note
    payments.update(session, owner, payment, {
        "date": "2026-11-20", "amount": "1200.00", "invoice_id": str(x.id),
        "reference": payment.reference}, TODAY)
    assert (payment.excess, payment.reference) == ("", "VIR 0007")
