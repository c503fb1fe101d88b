"""The debtor page's "Relances automatiques" section: log a call (with a promise), stop and
resume the reminders, choose the scenario; errors next to the field, nothing half-saved."""

from __future__ import annotations

from html import unescape

import pytest
from sqlmodel import Session, select

from app.models import Debtor, PaymentPromise, ReminderHold, Step
from app.services.context import Actor
from tests.conftest import Browser
from tests.factories import make_debtor, make_invoice

HX = {"HX-Request": "true"}


@pytest.fixture
def debtor(session: Session, owner: Actor) -> Debtor:
    debtor = make_debtor(session, owner, phone="02 41 00 00 00")
    make_invoice(session, owner, debtor)
    return debtor


def test_the_section_shows_the_scenario_the_call_form_and_stop_relance(
        owner_client: Browser, debtor: Debtor) -> None:
    page = unescape(owner_client.get(f"/debtors/{debtor.id}").text)
    assert 'id="reminders"' in page and 'href="#reminders"' in page
    assert "Scénario « Standard »" in page and "J-5, J+3, J+15, J+30, J+45" in page
    for label in ("Joint", "Pas de réponse", "Promesse de paiement", "Contestation", "Autre"):
        assert f'">{label}</label>' in page or f">{label}</label>" in page
    assert "Stop relance…" in page and 'href="tel:02 41 00 00 00"' in page


def test_a_call_with_a_promise_in_one_post_updates_the_section_and_the_alerts(
        owner_client: Browser, debtor: Debtor, session: Session) -> None:
    response = owner_client.submit(f"/debtors/{debtor.id}/calls", {
        "outcome": "promise", "notes": "Virement promis", "promise_due_date": "2026-12-04",
        "promise_amount": "1 200,00"}, headers=HX)
    assert response.status_code == 200
    text = unescape(response.text)
    assert text.lstrip().startswith('<section class="card reminders" id="reminders">')
    assert "En cours" in text and "au plus tard le 04/12/2026" in text
    assert "relances suspendues jusque-là" in text
    assert "Promesse de paiement de 1 200,00" in text  # the alerts block, out of band
    assert "Appel téléphonique" in text  # the chronology, out of band
    step = session.exec(select(Step).where(Step.kind == "call")).one()
    assert step.outcome == "promise" and step.notes == "Virement promis"
    assert session.exec(select(PaymentPromise)).one().step_id == step.id


def test_a_promise_without_its_fields_is_refused_next_to_them(owner_client: Browser,
                                                              debtor: Debtor,
                                                              session: Session) -> None:
    response = owner_client.submit(f"/debtors/{debtor.id}/calls",
                                   {"outcome": "promise", "promise_amount": "abc"}, headers=HX)
    assert response.status_code == 422
    text = unescape(response.text)
    assert "Date promise obligatoire." in text and "Montant invalide" in text
    assert 'class="grid promise-fields shown"' in text  # the promise fields stay open
    assert 'value="promise" checked' in text
    assert session.exec(select(Step).where(Step.kind == "call")).all() == []


def test_a_call_without_outcome_is_refused_and_without_js_redirects_when_right(
        owner_client: Browser, debtor: Debtor) -> None:
    refused = owner_client.submit(f"/debtors/{debtor.id}/calls", {"notes": "?"})
    assert refused.status_code == 422
    assert "Choisissez l'issue de l'appel." in unescape(refused.text)
    done = owner_client.submit(f"/debtors/{debtor.id}/calls", {"outcome": "no_answer"},
                               follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("#reminders")
    page = unescape(owner_client.get(f"/debtors/{debtor.id}").text)
    assert "Appel téléphonique" in page and "· Pas de réponse" in page


def test_stop_relance_is_shown_then_lifted(owner_client: Browser, debtor: Debtor,
                                           session: Session) -> None:
    response = owner_client.submit(f"/debtors/{debtor.id}/holds", {
        "reason": "Litige sur la pose", "until": "2026-12-31"}, headers=HX)
    assert response.status_code == 200
    text = unescape(response.text)
    assert "Relances arrêtées" in text and "Stop relance" in text
    assert "tout le débiteur jusqu'au 31/12/2026 inclus" in text and "Litige sur la pose" in text
    hold = session.exec(select(ReminderHold)).one()
    lifted = owner_client.submit(f"/debtors/{debtor.id}/holds/{hold.id}/lift", headers=HX)
    assert lifted.status_code == 200
    assert "Relances arrêtées" not in unescape(lifted.text).split('id="reminders"')[1].split(
        "</section>")[0]
    session.refresh(hold)
    assert hold.lifted_at is not None


def test_a_hold_without_reason_is_refused(owner_client: Browser, debtor: Debtor,
                                          session: Session) -> None:
    response = owner_client.submit(f"/debtors/{debtor.id}/holds", {"until": "2020-01-01"},
                                   headers=HX)
    assert response.status_code == 422
    text = unescape(response.text)
    assert "La raison de l'arrêt est obligatoire." in text
    assert "La date de fin est déjà passée" in text
    assert session.exec(select(ReminderHold)).all() == []


def test_the_debtor_follows_no_scenario(owner_client: Browser, debtor: Debtor,
                                        session: Session) -> None:
    response = owner_client.submit(f"/debtors/{debtor.id}/reminder-scenario", {"scenario": "off"},
                                   headers=HX)
    assert response.status_code == 200
    assert "Aucune relance automatique</span>" in unescape(response.text)
    session.refresh(debtor)
    assert debtor.reminders_off
    bad = owner_client.submit(f"/debtors/{debtor.id}/reminder-scenario", {"scenario": "99"},
                              headers=HX)
    assert bad.status_code == 422 and "Choisissez un scénario de ce créancier." in \
        unescape(bad.text)


def test_an_outsider_gets_404_and_a_reader_403(client: Browser, debtor: Debtor, reader: Actor,
                                               outsider: Actor) -> None:
    client.login("paul@roux.test")
    assert client.submit(f"/debtors/{debtor.id}/calls", {"outcome": "reached"}).status_code == 404
    client.cookies.clear()
    client.login("lea@lefevre.test")
    page = client.get(f"/debtors/{debtor.id}").text
    assert 'id="reminders"' in page and 'id="call-form"' not in page
    assert client.submit(f"/debtors/{debtor.id}/calls", {"outcome": "reached"}).status_code == 403


def test_a_broken_promise_is_on_the_deadlines_page(owner_client: Browser, debtor: Debtor) -> None:
    # called on 01/11/2026, promised 1 200 € by 15/11/2026; today 22/11/2026, nothing paid
    owner_client.submit(f"/debtors/{debtor.id}/calls", {
        "outcome": "promise", "date": "2026-11-01", "promise_due_date": "2026-11-15",
        "promise_amount": "1200"})
    page = unescape(owner_client.get("/alerts").text)
    assert "Promesse de paiement non tenue" in page and "Durand BTP" in page
    assert "Délai expiré : vous pouvez agir" in page
    debtor_page = unescape(owner_client.get(f"/debtors/{debtor.id}").text)
    assert "Non tenue" in debtor_page and "Promesse de paiement non tenue" in debtor_page


def test_the_history_tells_calls_promises_holds_and_the_scenario_in_french(
        owner_client: Browser, debtor: Debtor, session: Session) -> None:
    from app.models import AuditEvent
    from app.services.audit_labels import FIELD_LABELS, HIDDEN

    owner_client.submit(f"/debtors/{debtor.id}/calls", {
        "outcome": "promise", "promise_due_date": "2026-12-04", "promise_amount": "100"})
    owner_client.submit(f"/debtors/{debtor.id}/holds", {"reason": "Litige", "until": "2026-12-31"})
    hold = session.exec(select(ReminderHold)).one()
    owner_client.submit(f"/debtors/{debtor.id}/holds/{hold.id}/lift")
    owner_client.submit(f"/debtors/{debtor.id}/reminder-scenario", {"scenario": "off"})
    page = unescape(owner_client.get(f"/debtors/{debtor.id}").text)
    history = page[page.index('id="history"'):]
    for french in ("Appel téléphonique : promesse de paiement", "Issue de l'appel",
                   "Promis le", "Relances arrêtées jusqu'au 31/12/2026 : Litige",
                   "Arrêt des relances levé : Litige", "Aucune relance automatique"):
        assert french in history, french
    names = {name for e in session.exec(select(AuditEvent)) for name in e.changes}
    assert names <= set(FIELD_LABELS) | HIDDEN, names - set(FIELD_LABELS) - HIDDEN


@pytest.mark.parametrize(("changes", "reason"), [
    ({"proceedings_kind": "liquidation", "proceedings_judgment_date": "2026-10-01"},
     "procédure collective (liquidation) : déclarer la créance, pas de relance"),
    ({}, "phase contentieuse : mise en demeure envoyée le 01/11/2026")])
def test_the_section_says_when_the_files_phase_stops_every_reminder(
        owner_client: Browser, session: Session, owner: Actor, debtor: Debtor,
        changes: dict[str, str], reason: str) -> None:
    # Seen: a debtor in liquidation showed "Scénario « Standard »" and nothing more, while the
    # day's run skipped it.
    from datetime import date

    from tests.factories import make_step
    if changes:
        debtor.proceedings_kind = changes["proceedings_kind"]
        debtor.proceedings_judgment_date = date.fromisoformat(changes["proceedings_judgment_date"])
        session.add(debtor)
        session.commit()
    else:
        make_step(session, owner, debtor, kind="mise_en_demeure", date="2026-11-01", level="",
                  channel="lrar")
    page = unescape(owner_client.get(f"/debtors/{debtor.id}").text)
    section = page.split('id="reminders"')[1]
    assert "Relances suspendues" in section and "Scénario « Standard »</span>" not in section
    assert f"Aucune relance automatique ne part</strong> : {reason}." in section
