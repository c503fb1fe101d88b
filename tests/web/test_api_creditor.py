"""GET/PUT /api/v1/creditor and /api/v1/creditor/reminder-scenario: the pages' validation,
French 422 per field, nothing saved on error, 403 for a read-only member, audited."""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import AuditEvent, Creditor
from app.services.context import Actor
from app.services.reminders.scenarios import ensure_default, steps_of
from tests.conftest import Browser, api_token

SCENARIO = "/api/v1/creditor/reminder-scenario"


def fields(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 422, response.text
    return {e["loc"][-1]: e["msg"] for e in response.json()["detail"]}


def test_the_profile_reads_with_sender_fields_and_decimal_as_string(client: Browser,
                                                                    owner: Actor) -> None:
    body = client.get("/api/v1/creditor", headers=api_token(client, "claire@lefevre.test")).json()
    assert body["legal_name"] == "Menuiserie Lefèvre"
    assert body["reminders_auto"] is False and body["reminder_min_amount"] == "0.00"
    assert {"sender_name", "sender_email", "reply_to"} <= set(body)


def test_a_put_changes_the_named_fields_and_keeps_the_others(client: Browser, owner: Actor,
                                                             session: Session) -> None:
    headers = api_token(client, "claire@lefevre.test")
    response = client.put("/api/v1/creditor", headers=headers, json={
        "sender_name": "Compta Lefèvre", "sender_email": "compta@lefevre.test",
        "reminders_auto": True, "reminder_min_amount": "75.5", "siren": "732 829 320"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["reminder_min_amount"] == "75.50" and body["reminders_auto"] is True
    assert body["siren"] == "732829320" and body["legal_name"] == "Menuiserie Lefèvre"
    event = session.exec(select(AuditEvent).where(AuditEvent.object_type == "creditor")).one()
    assert set(event.changes) == {"sender_name", "sender_email", "reminders_auto",
                                  "reminder_min_amount", "siren"}


def test_a_bad_profile_is_422_in_french_for_every_field_and_saves_nothing(
        client: Browser, owner: Actor, session: Session) -> None:
    headers = api_token(client, "claire@lefevre.test")
    errors = fields(client.put("/api/v1/creditor", headers=headers, json={
        "legal_name": "", "siren": "123", "reply_to": "nope", "reminder_min_amount": "-3",
        "sender_name": "Toto"}))
    assert errors == {
        "legal_name": "La raison sociale est obligatoire.",
        "siren": "SIREN invalide : 9 chiffres dont le dernier est une clé de contrôle.",
        "reply_to": "Adresse e-mail invalide.",
        "reminder_min_amount": "Le montant ne peut pas être négatif.",
    }
    creditor = session.get(Creditor, owner.creditor_id)
    session.refresh(creditor)
    assert creditor is not None and creditor.sender_name == ""


def test_a_read_only_member_cannot_put(client: Browser, reader: Actor) -> None:
    headers = api_token(client, "lea@lefevre.test")
    assert client.get("/api/v1/creditor", headers=headers).status_code == 200
    assert client.put("/api/v1/creditor", headers=headers,
                      json={"sender_name": "X"}).status_code == 403
    assert client.put(SCENARIO, headers=headers, json={"steps": [
        {"offset_days": 3, "channel": "email", "template": "relance_1"}]}).status_code == 403


def test_the_default_scenario_reads_and_is_replaced(client: Browser, owner: Actor,
                                                    session: Session) -> None:
    headers = api_token(client, "claire@lefevre.test")
    body = client.get(SCENARIO, headers=headers).json()
    assert body["name"] == "Standard"
    assert [s["offset_days"] for s in body["steps"]] == [-5, 3, 15, 30, 45]
    assert body["steps"][-1] == {"offset_days": 45, "channel": "letter",
                                 "template": "mise_en_demeure"}
    steps = [{"offset_days": 5, "channel": "email", "template": "relance_1"},
             {"offset_days": "20", "channel": "letter", "template": "relance_3"},
             {"offset_days": 40, "channel": "letter", "template": "mise_en_demeure"}]
    response = client.put(SCENARIO, headers=headers, json={"steps": steps})
    assert response.status_code == 200, response.text
    assert [s["offset_days"] for s in response.json()["steps"]] == [5, 20, 40]
    scenario = ensure_default(session, owner.creditor_id)
    assert [s.offset_days for s in steps_of(session, scenario.id)] == [5, 20, 40]  # type: ignore[arg-type]
    assert session.exec(select(AuditEvent).where(
        AuditEvent.object_type == "reminderscenario")).one().summary.startswith(
        "Scénario de relance « Standard » modifié")


def test_bad_steps_are_422_like_the_page_and_nothing_changes(client: Browser, owner: Actor,
                                                             session: Session) -> None:
    headers = api_token(client, "claire@lefevre.test")
    errors = fields(client.put(SCENARIO, headers=headers, json={"steps": [
        {"offset_days": 3, "channel": "email", "template": "relance_1"},
        {"offset_days": 3, "channel": "pigeon", "template": "relance_2"},
        {"offset_days": 900, "channel": "email", "template": "relance_3"}]}))
    assert errors == {"steps.1.offset_days": "Deux étapes au même jour (J+3) : une seule par jour.",
                      "steps.1.channel": "Canal invalide : e-mail ou courrier.",
                      "steps.2.offset_days": "Entre -60 et +365 jours de l'échéance."}
    assert fields(client.put(SCENARIO, headers=headers, json={"steps": []}))["steps"].startswith(
        "Un scénario compte au moins une étape")
    body = client.get(SCENARIO, headers=headers).json()
    assert [s["offset_days"] for s in body["steps"]] == [-5, 3, 15, 30, 45]


def test_without_a_token_it_is_401(client: Browser) -> None:
    assert client.get("/api/v1/creditor").status_code == 401
    assert client.put(SCENARIO, json={"steps": []}).status_code == 401
