"""The claim file's chronology tells the calls' outcomes and the promises to pay: made, kept or
not kept, never a cancelled one."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from app.models import Debtor, PaymentPromise
from app.services import law_facts
from app.services.claim_front import chronology
from app.services.context import Actor
from app.services.reminders import calls, promise_edit
from app.services.reminders.promises import maintain
from tests.conftest import TODAY
from tests.factories import make_debtor, make_invoice, make_payment


def lines(session: Session, debtor: Debtor, day: date) -> list[tuple[date, str]]:
    """(day, label), amounts' narrow and no-break spaces read as plain ones."""
    return [(e.date, e.label.replace("\u202f", " ").replace("\xa0", " "))
            for e in chronology(law_facts.load(session, debtor, day), [])]


def promises(session: Session, debtor: Debtor) -> list[PaymentPromise]:
    return list(session.exec(select(PaymentPromise).where(PaymentPromise.debtor_id == debtor.id)
                             .order_by(PaymentPromise.id)))


def test_a_broken_promise_is_told_on_the_day_made_and_on_the_day_not_kept(
        session: Session, owner: Actor) -> None:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor)  # 1 200,00 € due 09/02/2025
    calls.log_call(session, owner, debtor, {
        "date": "02/11/2026", "outcome": "promise", "notes": "Paiera le 15",
        "promise_due_date": "15/11/2026", "promise_amount": "1 200,00"}, date(2026, 11, 2))
    calls.log_call(session, owner, debtor, {"date": "18/11/2026", "outcome": "dispute",
                                            "notes": "Conteste la pose"}, date(2026, 11, 18))
    maintain(session, debtor, TODAY)  # 15/11 passed unpaid: broken
    session.commit()
    assert [p.status for p in promises(session, debtor)] == ["broken"]
    told = lines(session, debtor, TODAY)
    assert (date(2026, 11, 2), "Appel téléphonique (téléphone) — promesse de paiement") in told
    assert (date(2026, 11, 2), "Promesse de paiement : 1 200,00 € au 15/11/2026") in told
    assert (date(2026, 11, 15), "Promesse de paiement du 02/11/2026 non tenue "
                                "(1 200,00 € non payés à cette date)") in told
    assert (date(2026, 11, 18), "Appel téléphonique (téléphone) — contestation") in told
    days = [day for day, _ in told]
    assert days == sorted(days)
    made = [label for _, label in told]
    assert made.index("Appel téléphonique (téléphone) — promesse de paiement") \
        < made.index("Promesse de paiement : 1 200,00 € au 15/11/2026")


def test_a_kept_promise_says_so_and_a_cancelled_one_is_not_told(session: Session,
                                                                owner: Actor) -> None:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor)
    calls.log_call(session, owner, debtor, {
        "date": "02/11/2026", "outcome": "promise", "promise_due_date": "30/11/2026",
        "promise_amount": "500,00"}, date(2026, 11, 2))
    calls.log_call(session, owner, debtor, {
        "date": "03/11/2026", "outcome": "promise", "promise_due_date": "10/12/2026",
        "promise_amount": "700,00"}, date(2026, 11, 3))
    kept, mistaken = promises(session, debtor)
    promise_edit.cancel_promise(session, owner, debtor, mistaken.id,  # type: ignore[arg-type]
                                {"cancel_reason": "Saisie en double"}, TODAY)
    make_payment(session, owner, debtor, date="2026-11-20", amount="500.00")
    session.refresh(kept)
    assert kept.status == "kept"
    labels = [label for _, label in lines(session, debtor, TODAY)]
    assert "Promesse de paiement : 500,00 € au 30/11/2026 — tenue" in labels
    assert not any("700,00" in label for label in labels)
