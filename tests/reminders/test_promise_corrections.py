"""A promise to pay corrected or cancelled (issue 17): the reminder plan, the alerts and the
audit follow at once; nothing half-saved; a cancelled promise stays in the history.

Durand BTP (conftest): F-1 1 200,00 € due 05/11/2026 and F-2 600,00 € due 18/11/2026; on
22/11/2026 (TODAY) a relance 2 covering both is due unless a promise in force pauses it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from app.errors import Forbidden, NotFound, ValidationFailed
from app.models import AuditEvent, Creditor, Debtor, PaymentPromise
from app.services import alerts
from app.services.context import Actor
from app.services.reminders import calls, promise_edit
from app.services.reminders.plan import day_plan
from tests.factories import make_debtor, make_payment
from tests.reminders.conftest import TODAY


def plain(text: str) -> str:
    """French amounts use narrow and no-break spaces: compared here as plain spaces."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def promise_made(session: Session, owner: Actor, debtor: Debtor, made: str, due: str,
                 amount: str = "1800") -> PaymentPromise:
    calls.log_call(session, owner, debtor, {"outcome": "promise", "date": made,
                                            "promise_due_date": due, "promise_amount": amount,
                                            "notes": "Virement promis"}, TODAY)
    return session.exec(select(PaymentPromise).where(PaymentPromise.debtor_id == debtor.id)).one()


def plan_at(session: Session, owner: Actor, day: date):  # type: ignore[no-untyped-def]
    creditor = session.get(Creditor, owner.creditor_id)
    assert creditor is not None
    return day_plan(session, creditor, day)


def reasons(session: Session, owner: Actor, day: date) -> list[str]:
    return [s.skip.reason for s in plan_at(session, owner, day).skipped]


def alert_keys(session: Session, debtor: Debtor, day: date) -> dict[str, date]:
    session.refresh(debtor)
    return {a.key: a.date for a in alerts.compute(session, debtor, day)
            if a.key.startswith("promesse")}


def test_the_plan_pauses_until_the_corrected_date(session, owner, durand) -> None:
    # Called on 20/11/2026: 1 800 € promised "by 25/11" — the user meant 05/12/2026.
    promise = promise_made(session, owner, durand, "2026-11-20", "2026-11-25")
    assert plan_at(session, owner, date(2026, 11, 26)).actions  # the typo: resumes on 26/11
    promise_edit.correct_promise(session, owner, durand, promise.id, {
        "promise_due_date": "05/12/2026", "promise_amount": "1 800,00",
        "note": "Virement le 5 décembre"}, TODAY)
    session.refresh(promise)
    assert (promise.due_date, promise.amount, promise.note, promise.status) == \
        (date(2026, 12, 5), Decimal("1800.00"), "Virement le 5 décembre", "open")
    # 26/11 and 05/12 (last day included): paused; 06/12: the date passed unpaid, it resumes.
    for day in (date(2026, 11, 26), date(2026, 12, 5)):
        assert not plan_at(session, owner, day).actions
        assert "promesse de paiement jusqu'au 05/12/2026" in reasons(session, owner, day)
    assert [a.debtor for a in plan_at(session, owner, date(2026, 12, 6)).actions] == ["Durand BTP"]


def test_after_cancel_the_plan_resumes_today(session, owner, durand) -> None:
    promise = promise_made(session, owner, durand, "2026-11-20", "2026-12-05")
    assert not plan_at(session, owner, TODAY).actions  # paused until 05/12
    promise_edit.cancel_promise(session, owner, durand, promise.id,
                                {"cancel_reason": "Le client revient sur sa promesse"}, TODAY)
    plan = plan_at(session, owner, TODAY)
    assert [(p.numbers, p.action.step.template) for p in plan.actions] == \
        [(("F-1", "F-2"), "relance_2")]
    kept = session.get(PaymentPromise, promise.id)  # kept in the history, never deleted
    assert kept is not None and (kept.status, kept.cancelled_on, kept.cancel_reason) == \
        ("cancelled", TODAY, "Le client revient sur sa promesse")


def test_the_broken_promise_alert_follows_the_corrected_date_and_goes_on_cancel(
        session, owner, durand) -> None:
    # Called on 10/11/2026, 1 800 € promised by 20/11; on 22/11 nothing paid: broken.
    promise = promise_made(session, owner, durand, "2026-11-10", "2026-11-20")
    assert promise.status == "broken"
    assert alert_keys(session, durand, TODAY) == {"promesse_non_tenue": date(2026, 11, 20)}
    # The user had typed 20/11 for 30/11: corrected, the promise is in force again …
    promise_edit.correct_promise(session, owner, durand, promise.id,
                                 {"promise_due_date": "2026-11-30", "promise_amount": "1800"},
                                 TODAY)
    session.refresh(promise)
    assert promise.status == "open"
    assert alert_keys(session, durand, TODAY) == {"promesse_en_cours": date(2026, 11, 30)}
    assert alert_keys(session, durand, date(2026, 11, 30)) == \
        {"promesse_en_cours": date(2026, 11, 30)}
    # … and broken the day after the corrected date (01/12), not before.
    assert alert_keys(session, durand, date(2026, 12, 1)) == \
        {"promesse_non_tenue": date(2026, 11, 30)}
    promise_edit.cancel_promise(session, owner, durand, promise.id,
                                {"cancel_reason": "Saisie en double"}, TODAY)
    assert alert_keys(session, durand, date(2026, 12, 1)) == {}
    alerts.refresh(session, durand, date(2026, 12, 1))  # the maintained rows too
    session.refresh(promise)
    assert promise.status == "cancelled"  # the refresh does not revive it


def test_a_correction_is_checked_like_a_new_promise_and_saves_nothing_when_wrong(
        session, owner, durand) -> None:
    promise = promise_made(session, owner, durand, "2026-11-20", "2026-12-05")
    with pytest.raises(ValidationFailed) as caught:
        promise_edit.correct_promise(session, owner, durand, promise.id, {
            "promise_due_date": "2026-11-21", "promise_amount": "0", "note": "x"}, TODAY)
    session.rollback()
    assert caught.value.errors == {
        "promise_amount": "Le montant promis doit être positif.",
        "promise_due_date": "Cette date est déjà passée : indiquez le 22/11/2026 ou plus tard, "
                            "ou annulez la promesse."}
    with pytest.raises(ValidationFailed) as caught:  # good amount, date too far: nothing saved
        promise_edit.correct_promise(session, owner, durand, promise.id, {
            "promise_due_date": "2027-11-22", "promise_amount": "900"}, TODAY)
    session.rollback()
    assert caught.value.errors["promise_due_date"].startswith("Plus d'un an après l'appel")
    session.refresh(promise)
    assert (promise.due_date, promise.amount, promise.note) == \
        (date(2026, 12, 5), Decimal("1800.00"), "Virement promis")


def test_a_cancel_needs_its_reason(session, owner, durand) -> None:
    promise = promise_made(session, owner, durand, "2026-11-20", "2026-12-05")
    with pytest.raises(ValidationFailed) as caught:
        promise_edit.cancel_promise(session, owner, durand, promise.id, {"cancel_reason": " "},
                                    TODAY)
    assert caught.value.errors == {"cancel_reason": "La raison de l'annulation est obligatoire."}
    session.rollback()
    session.refresh(promise)
    assert promise.status == "open" and not plan_at(session, owner, TODAY).actions


def test_a_kept_promise_is_neither_corrected_nor_cancelled(session, owner, durand) -> None:
    promise = promise_made(session, owner, durand, "2026-11-20", "2026-12-05", amount="500")
    make_payment(session, owner, durand, date="2026-11-22", amount="500.00")
    session.refresh(promise)
    assert promise.status == "kept"
    with pytest.raises(ValidationFailed) as caught:
        promise_edit.correct_promise(session, owner, durand, promise.id, {
            "promise_due_date": "2026-12-10", "promise_amount": "500"}, TODAY)
    assert caught.value.errors == {"status": "Cette promesse a été tenue : elle ne se modifie plus."}
    session.rollback()
    with pytest.raises(ValidationFailed):
        promise_edit.cancel_promise(session, owner, durand, promise.id,
                                    {"cancel_reason": "erreur"}, TODAY)


def test_a_payment_after_the_cancel_leaves_the_promise_cancelled(session, owner, durand) -> None:
    promise = promise_made(session, owner, durand, "2026-11-20", "2026-12-05", amount="500")
    promise_edit.cancel_promise(session, owner, durand, promise.id,
                                {"cancel_reason": "Retirée"}, TODAY)
    make_payment(session, owner, durand, date="2026-11-22", amount="500.00")
    session.refresh(promise)
    assert promise.status == "cancelled"


def test_the_audit_tells_the_correction_and_the_cancel(session, owner, durand) -> None:
    promise = promise_made(session, owner, durand, "2026-11-20", "2026-12-05")
    promise_edit.correct_promise(session, owner, durand, promise.id, {
        "promise_due_date": "2026-12-12", "promise_amount": "1 500"}, TODAY)
    promise_edit.correct_promise(session, owner, durand, promise.id, {  # the same again:
        "promise_due_date": "2026-12-12", "promise_amount": "1500,00"}, TODAY)  # no event
    promise_edit.cancel_promise(session, owner, durand, promise.id,
                                {"cancel_reason": "Plan de paiement signé"}, TODAY)
    events = session.exec(select(AuditEvent).where(AuditEvent.object_id == promise.id,
                                                   AuditEvent.action == "update")
                           .order_by(AuditEvent.id)).all()
    assert [plain(e.summary) for e in events] == [
        "Promesse de paiement corrigée : 1 500,00 € pour le 12/12/2026",
        "Promesse de paiement de 1 500,00 € pour le 12/12/2026 annulée : Plan de paiement signé"]
    assert events[0].changes == {"due_date": ["2026-12-05", "2026-12-12"],
                                 "amount": ["1800.00", "1500.00"]}
    assert events[1].changes["status"] == ["open", "cancelled"]


def test_another_creditors_promise_is_not_found_and_a_reader_is_refused(
        session, owner, durand, reader, outsider) -> None:
    promise = promise_made(session, owner, durand, "2026-11-20", "2026-12-05")
    theirs = make_debtor(session, outsider, legal_name="Autre SARL")
    with pytest.raises(NotFound):
        promise_edit.cancel_promise(session, outsider, theirs, promise.id,
                                    {"cancel_reason": "x"}, TODAY)
    with pytest.raises(NotFound):  # the promise of another debtor of the same creditor
        other = make_debtor(session, owner, legal_name="Martin SAS")
        promise_edit.correct_promise(session, owner, other, promise.id,
                                     {"promise_due_date": "2026-12-10", "promise_amount": "1"},
                                     TODAY)
    with pytest.raises(Forbidden):
        promise_edit.cancel_promise(session, reader, durand, promise.id,
                                    {"cancel_reason": "x"}, TODAY)
    session.refresh(promise)
    assert promise.status == "open"
