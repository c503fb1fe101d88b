"""Calls, promises and holds as services: what is saved, what is refused, what the alerts and
the reminder run read afterwards."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from app.errors import Forbidden, NotFound, ValidationFailed
from app.models import AlertEntry, AuditEvent, Debtor, PaymentPromise, ReminderHold, Step
from app.services import alerts, law_facts
from app.services.context import Actor
from app.services.reminders import calls, debtor_scenario, holds
from app.services.reminders.scenarios import scenario_for
from tests.conftest import TODAY
from tests.factories import make_debtor, make_invoice, make_payment, make_step


@pytest.fixture
def debtor(session: Session, owner: Actor) -> Debtor:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor)  # 1 200,00 € due 09/02/2025
    return debtor


def promise_of(session: Session, debtor: Debtor) -> PaymentPromise:
    return session.exec(select(PaymentPromise).where(PaymentPromise.debtor_id == debtor.id)).one()


def test_a_call_with_a_promise_records_the_step_and_the_promise(session, owner, debtor) -> None:
    step = calls.log_call(session, owner, debtor, {
        "outcome": "promise", "notes": "Paiera fin de mois", "promise_due_date": "30/11/2026",
        "promise_amount": "1 200,00"}, TODAY)
    assert (step.kind, step.channel, step.outcome, step.date) == ("call", "phone", "promise", TODAY)
    promise = promise_of(session, debtor)
    assert (promise.made_on, promise.due_date, promise.amount, promise.status, promise.step_id) \
        == (TODAY, date(2026, 11, 30), Decimal("1200.00"), "open", step.id)
    summaries = [e.summary for e in session.exec(select(AuditEvent).where(
        AuditEvent.debtor_id == debtor.id))]
    assert "Appel téléphonique : promesse de paiement" in summaries
    assert any(s.startswith("Promesse de paiement de 1") and "30/11/2026" in s for s in summaries)


def test_a_promise_without_date_or_amount_saves_nothing(session, owner, debtor) -> None:
    with pytest.raises(ValidationFailed) as caught:
        calls.log_call(session, owner, debtor, {"outcome": "promise", "promise_amount": "-5"},
                       TODAY)
    session.rollback()
    assert caught.value.errors == {"promise_due_date": "Date promise obligatoire.",
                                   "promise_amount": "Le montant ne peut pas être négatif."}
    assert session.exec(select(Step).where(Step.kind == "call")).all() == []


@pytest.mark.parametrize(("data", "field", "message"), [
    ({}, "outcome", "Choisissez l'issue de l'appel."),
    ({"outcome": "fax"}, "outcome", "Choix invalide."),
    ({"outcome": "reached", "date": "2026-11-23"}, "date",
     "Un appel ne peut pas être daté de demain ou plus tard."),
    ({"outcome": "promise", "promise_due_date": "2026-11-21", "promise_amount": "10"},
     "promise_due_date", "La date promise ne peut pas précéder l'appel."),
])
def test_bad_calls_are_refused_in_french(session, owner, debtor, data, field, message) -> None:
    with pytest.raises(ValidationFailed) as caught:
        calls.log_call(session, owner, debtor, data, TODAY)
    assert caught.value.errors[field] == message


def test_a_call_neither_interrupts_prescription_nor_counts_as_a_reminder(session, owner,
                                                                          debtor) -> None:
    file = law_facts.load(session, debtor)
    before = law_facts.invoice_prescription(file, file.invoices[0], TODAY).deadline
    calls.log_call(session, owner, debtor, {"outcome": "reached", "notes": "Reconnaît devoir"},
                   TODAY)
    file = law_facts.load(session, debtor)
    assert law_facts.prescription_events(file, file.invoices[0]) == []
    assert law_facts.invoice_prescription(file, file.invoices[0], TODAY).deadline == before
    assert law_facts.file_facts(file, TODAY).reminders_count == 0
    alerts.refresh(session, debtor, TODAY)
    session.refresh(debtor)
    assert debtor.stage == "amiable"


def test_a_payment_keeps_the_promise_at_once(session, owner, debtor) -> None:
    calls.log_call(session, owner, debtor, {"outcome": "promise", "promise_due_date": "2026-11-30",
                                            "promise_amount": "500"}, TODAY)
    make_payment(session, owner, debtor, date="2026-11-22", amount="300.00")
    assert promise_of(session, debtor).status == "open"
    payment = make_payment(session, owner, debtor, date="2026-11-22", amount="200.00")
    session.refresh(promise_of(session, debtor))
    assert promise_of(session, debtor).status == "kept"
    from app.services import payments
    payments.delete(session, owner, payment)  # undone: open again until the date
    assert promise_of(session, debtor).status == "open"


def test_refreshed_alerts_break_a_passed_promise_and_list_it(session, owner, debtor) -> None:
    calls.log_call(session, owner, debtor, {"outcome": "promise", "promise_due_date": "2026-11-25",
                                            "promise_amount": "1200"}, TODAY)
    assert promise_of(session, debtor).status == "open"
    later = date(2026, 11, 26)  # the day after the promised date, nothing paid
    alerts.refresh_stale(session, later, creditor_id=owner.creditor_id)
    assert promise_of(session, debtor).status == "broken"
    keys = {e.key: e for e in session.exec(select(AlertEntry).where(
        AlertEntry.debtor_id == debtor.id))}
    assert keys["promesse_non_tenue"].severity == "can_act"
    assert keys["promesse_non_tenue"].date == date(2026, 11, 25)


def test_a_call_recorded_late_for_a_passed_promise_is_broken_at_once(session, owner,
                                                                      debtor) -> None:
    made = TODAY - timedelta(days=20)
    calls.log_call(session, owner, debtor, {"outcome": "promise", "date": made.isoformat(),
                                            "promise_due_date": "2026-11-15",
                                            "promise_amount": "1200"}, TODAY)
    assert promise_of(session, debtor).status == "broken"


def test_recording_a_promise_marks_the_debtors_alerts_stale(session, owner, debtor) -> None:
    alerts.refresh(session, debtor, TODAY)
    session.refresh(debtor)
    assert debtor.alerts_on == TODAY
    calls.log_call(session, owner, debtor, {"outcome": "promise", "promise_due_date": "2026-12-01",
                                            "promise_amount": "100"}, TODAY)
    session.refresh(debtor)
    assert debtor.alerts_on is None


def test_a_hold_on_one_invoice_is_in_force_until_its_last_day_then_lifted(session, owner,
                                                                          debtor) -> None:
    invoice_id = law_facts.load(session, debtor).invoices[0].id
    hold = holds.add_hold(session, owner, debtor, {"invoice_id": str(invoice_id),
                                                   "reason": "Avoir en préparation",
                                                   "until": "2026-12-15"}, TODAY)
    assert holds.in_force(hold, date(2026, 12, 15)) and not holds.in_force(hold, date(2026, 12, 16))
    holds.lift_hold(session, owner, debtor, hold.id)  # type: ignore[arg-type]
    assert not holds.in_force(session.get(ReminderHold, hold.id), TODAY)  # type: ignore[arg-type]


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"reason": ""}, "reason", "La raison de l'arrêt est obligatoire."),
    ({"reason": "x", "until": "2026-11-21"}, "until",
     "La date de fin est déjà passée : laissez vide pour un arrêt sans fin."),
    ({"reason": "x", "invoice_id": "999"}, "invoice_id",
     "Cette facture n'appartient pas à ce débiteur."),
])
def test_bad_holds_are_refused(session, owner, debtor, data, field, message) -> None:
    with pytest.raises(ValidationFailed) as caught:
        holds.add_hold(session, owner, debtor, data, TODAY)
    assert caught.value.errors[field] == message


def test_another_creditors_hold_cannot_be_lifted(session, owner, outsider, debtor) -> None:
    hold = holds.add_hold(session, owner, debtor, {"reason": "Litige"}, TODAY)
    theirs = make_debtor(session, outsider, legal_name="Autre")
    with pytest.raises(NotFound):
        holds.lift_hold(session, outsider, theirs, hold.id)  # type: ignore[arg-type]


def test_the_scenario_choice_default_other_or_none(session, owner, debtor) -> None:
    from app.services.reminders import scenario_admin

    grand = scenario_admin.create(session, owner, {"name": "Grand compte"})
    debtor_scenario.set_scenario(session, owner, debtor, {"scenario": str(grand.id)})
    assert scenario_for(session, debtor).id == grand.id  # type: ignore[union-attr]
    debtor_scenario.set_scenario(session, owner, debtor, {"scenario": "off"})
    assert scenario_for(session, debtor) is None
    debtor_scenario.set_scenario(session, owner, debtor, {"scenario": ""})
    assert scenario_for(session, debtor).is_default  # type: ignore[union-attr]
    with pytest.raises(ValidationFailed):
        debtor_scenario.set_scenario(session, owner, debtor, {"scenario": "424242"})


def test_a_reader_can_neither_call_nor_hold(session, owner, reader, debtor) -> None:
    with pytest.raises(Forbidden):
        calls.log_call(session, reader, debtor, {"outcome": "reached"}, TODAY)
    with pytest.raises(Forbidden):
        holds.add_hold(session, reader, debtor, {"reason": "x"}, TODAY)


def test_a_call_step_shows_in_the_chronology_label(session, owner, debtor) -> None:
    from app.vocabulary import STEP_KINDS

    make_step(session, owner, debtor, kind="call", channel="phone", level="")
    assert STEP_KINDS["call"] == "Appel téléphonique"
