"""POST /api/v1/reminders/run: the plan (dry run), then the sending by the worker."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.config import Settings
from app.models import Debtor, ReminderMessage
from app.services.context import Actor
from tests.conftest import Browser, api_token
from tests.reminders.conftest import Recorder


@pytest.fixture
def settings(smtp_settings: Settings) -> Settings:
    return smtp_settings


def test_dry_run_answers_the_plan_and_records_nothing(
        client: Browser, session: Session, owner: Actor, durand: Debtor,
        smtp: tuple[Recorder, int]) -> None:
    token = api_token(client, "claire@lefevre.test")
    response = client.post("/api/v1/reminders/run", json={"dry_run": True, "today": "2026-11-22"},
                           headers=token)
    assert response.status_code == 200, response.text
    assert response.json() == [{
        "debtor_id": durand.id, "debtor": "Durand BTP", "step": "relance_2", "channel": "email",
        "invoices": ["F-1", "F-2"], "status": "sent", "reason": "à envoyer à compta@durand.test",
        "message_id": None}]
    assert session.exec(select(ReminderMessage)).all() == []
    assert smtp[0].messages == []


def test_run_sends_through_the_worker_once(client: Browser, session: Session, owner: Actor,
                                           durand: Debtor, smtp: tuple[Recorder, int]) -> None:
    token = api_token(client, "claire@lefevre.test")
    response = client.post("/api/v1/reminders/run", json={"dry_run": False, "today": None},
                           headers=token)
    assert response.status_code == 200, response.text
    [action] = response.json()
    assert (action["step"], action["status"], action["reason"]) == ("relance_2", "sent", "")
    assert len(smtp[0].messages) == 1
    again = client.post("/api/v1/reminders/run", json={"dry_run": False}, headers=token)
    assert again.json() == []
    assert len(smtp[0].messages) == 1


def test_skipped_debtor_says_why(client: Browser, session: Session, owner: Actor,
                                 durand: Debtor, smtp: tuple[Recorder, int]) -> None:
    durand.email = ""
    session.add(durand)
    session.commit()
    token = api_token(client, "claire@lefevre.test")
    [action] = client.post("/api/v1/reminders/run", json={"dry_run": False},
                           headers=token).json()
    assert action["status"] == "skipped"
    assert action["reason"] == "aucune adresse e-mail : l'ajouter sur la fiche du débiteur"


def test_reader_cannot_send(client: Browser, session: Session, reader: Actor, durand: Debtor,
                            smtp: tuple[Recorder, int]) -> None:
    token = api_token(client, "lea@lefevre.test")
    response = client.post("/api/v1/reminders/run", json={"dry_run": False}, headers=token)
    assert response.status_code == 403
    assert smtp[0].messages == []


def test_bad_date_is_refused(client: Browser, owner: Actor, smtp: tuple[Recorder, int]) -> None:
    token = api_token(client, "claire@lefevre.test")
    response = client.post("/api/v1/reminders/run", json={"today": "22/11/2026"}, headers=token)
    assert response.status_code == 422


@pytest.mark.parametrize("day", ["2026-12-01", "2026-11-10"])
def test_real_run_on_another_day_is_refused(client: Browser, session: Session, owner: Actor,
                                            durand: Debtor, smtp: tuple[Recorder, int],
                                            day: str) -> None:
    """Sent today, it would be recorded (and its proof dated) as sent on another day."""
    token = api_token(client, "claire@lefevre.test")
    response = client.post("/api/v1/reminders/run", json={"dry_run": False, "today": day},
                           headers=token)
    assert response.status_code == 422
    assert response.json()["detail"] == [{
        "loc": ["body", "today"], "type": "value_error",
        "msg": "Une autre date que celle du jour (22/11/2026) n'est possible qu'avec "
               "« dry_run » : une relance part et se prouve à la date de son envoi."}]
    assert session.exec(select(ReminderMessage)).all() == []
    assert smtp[0].messages == []


def test_real_run_may_name_today(client: Browser, owner: Actor, durand: Debtor,
                                 smtp: tuple[Recorder, int]) -> None:
    token = api_token(client, "claire@lefevre.test")
    response = client.post("/api/v1/reminders/run", json={"dry_run": False, "today": "2026-11-22"},
                           headers=token)
    assert response.status_code == 200, response.text
    assert [o["status"] for o in response.json()] == ["sent"]


def test_dry_run_may_look_at_another_day(client: Browser, owner: Actor, durand: Debtor,
                                         smtp: tuple[Recorder, int]) -> None:
    token = api_token(client, "claire@lefevre.test")
    response = client.post("/api/v1/reminders/run", json={"dry_run": True, "today": "2026-12-10"},
                           headers=token)
    assert response.status_code == 200, response.text
    assert [o["step"] for o in response.json()] == ["relance_3"]
