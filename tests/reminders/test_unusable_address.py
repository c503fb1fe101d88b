"""A debtor e-mail address no SMTP server takes as is (an accent before the @, two addresses).

Refused when the debtor is saved (form and API), next to the field. One saved before that (or
imported) fails its own message with the reason, and the run goes on for every other debtor
and every other creditor.
"""

from __future__ import annotations

import time
from html import unescape

import pytest
from sqlmodel import Session, select

from app.config import Settings
from app.models import Creditor, Debtor, ReminderMessage
from app.services.context import Actor
from app.services.reminders.run import morning, prepare, run
from tests.conftest import Browser, api_token
from tests.factories import make_debtor, make_invoice
from tests.reminders.conftest import TODAY, Recorder

HX = {"HX-Request": "true"}
ACCENTS = "Adresse e-mail inutilisable pour l'envoi : pas d'accent ni de caractère spécial."
SEVERAL = "Une seule adresse e-mail, sans espace, virgule ni point-virgule."


@pytest.fixture
def settings(smtp_settings: Settings) -> Settings:
    return smtp_settings


def _debtor(session: Session, actor: Actor, name: str, email: str) -> Debtor:
    """A debtor with one overdue invoice, its address written as an older version saved it."""
    debtor = make_debtor(session, actor, legal_name=name, siren="", email="")
    make_invoice(session, actor, debtor, number=f"{name[:1]}-1", issue_date="2026-10-06",
                 due_date="2026-11-05")
    debtor.email = email
    session.add(debtor)
    session.commit()
    return debtor


@pytest.mark.parametrize(("email", "message"), [
    ("jérôme@exemple.fr", ACCENTS),
    ("a,b@evil.test", SEVERAL),
    ("a@evil.test; b@evil.test", SEVERAL),
])
def test_debtor_form_refuses_the_address_next_to_the_field(
        owner_client: Browser, session: Session, email: str, message: str) -> None:
    response = owner_client.submit("/debtors", {"kind": "company", "legal_name": "Jérôme SARL",
                                                "email": email})
    assert response.status_code == 422
    page = unescape(response.text)
    assert f'<small class="field-error" id="e-email">{message}</small>' in page
    assert session.exec(select(Debtor)).all() == []


def test_debtor_api_refuses_the_address(client: Browser, owner: Actor, session: Session) -> None:
    response = client.post("/api/v1/debtors", headers=api_token(client, "claire@lefevre.test"),
                           json={"kind": "company", "legal_name": "Jérôme SARL",
                                 "email": "jérôme@exemple.fr"})
    assert response.status_code == 422
    assert {e["loc"][-1]: e["msg"] for e in response.json()["detail"]} == {"email": ACCENTS}
    assert session.exec(select(Debtor)).all() == []


def test_plain_addresses_are_still_accepted(owner_client: Browser, session: Session) -> None:
    response = owner_client.submit("/debtors", {"kind": "company", "legal_name": "O'Brien",
                                                "email": "j.o'brien+compta@sous-domaine.exemple.fr"},
                                   follow_redirects=False)
    assert response.status_code == 303
    assert session.exec(select(Debtor)).one().email == "j.o'brien+compta@sous-domaine.exemple.fr"


def test_unusable_saved_address_fails_its_message_and_the_run_goes_on(
        engine, session: Session, owner: Actor, smtp: tuple[Recorder, int],
        smtp_settings: Settings) -> None:
    _debtor(session, owner, "AAA Jérôme", "jérôme@exemple.fr")
    _debtor(session, owner, "BBB Virgule", "a,b@evil.test")
    _debtor(session, owner, "ZZZ Normal", "compta@zzz.test")
    by = {o.debtor: o for o in run(engine, smtp_settings, owner.creditor_id, TODAY)}
    assert by["ZZZ Normal"].status == "sent"
    assert by["AAA Jérôme"].status == by["BBB Virgule"].status == "failed"
    assert by["AAA Jérôme"].reason == (
        f"adresse e-mail du débiteur inutilisable (« jérôme@exemple.fr ») : {ACCENTS} "
        "Corrigez-la sur la fiche du débiteur.")
    assert by["BBB Virgule"].reason.endswith(f"{SEVERAL} Corrigez-la sur la fiche du débiteur.")
    assert [m.recipients for m in smtp[0].messages] == [["compta@zzz.test"]]


def test_failed_message_is_never_put_in_doubt(engine, session: Session, owner: Actor,
                                              smtp: tuple[Recorder, int],
                                              smtp_settings: Settings) -> None:
    _debtor(session, owner, "AAA Jérôme", "jérôme@exemple.fr")
    run(engine, smtp_settings, owner.creditor_id, TODAY)
    row = session.exec(select(ReminderMessage)).one()
    assert (row.status, row.eml_sha256, row.to_address) == ("failed", "", "")


def test_one_creditors_unusable_address_does_not_stop_the_morning_run_of_others(
        engine, session: Session, owner: Actor, outsider: Actor, smtp: tuple[Recorder, int],
        smtp_settings: Settings) -> None:
    _debtor(session, owner, "AAA Jérôme", "jérôme@exemple.fr")
    _debtor(session, outsider, "Client de Roux", "client@roux.test")
    for actor in (owner, outsider):
        creditor = session.get(Creditor, actor.creditor_id)
        assert creditor is not None
        creditor.reminders_auto, creditor.sender_email = True, "relances@roux.test"
        session.add(creditor)
    session.commit()
    assert morning(engine, smtp_settings, TODAY) == 2
    assert [m.recipients for m in smtp[0].messages] == [["client@roux.test"]]


def test_day_page_progress_ends_and_says_why(owner_client: Browser, session: Session,
                                             owner: Actor, engine,
                                             smtp: tuple[Recorder, int]) -> None:
    _debtor(session, owner, "AAA Jérôme", "jérôme@exemple.fr")
    _debtor(session, owner, "ZZZ Normal", "compta@zzz.test")
    keys = [p.action.key for p in prepare(engine, owner.creditor_id, TODAY).actions]
    owner_client.submit("/reminders/send", {"send": keys}, headers=HX)
    ids = ",".join(str(i) for i in session.exec(select(ReminderMessage.id)).all())
    deadline = time.monotonic() + 60  # the worker thread shares 2 cores with the suite
    body = ""
    while time.monotonic() < deadline and "Envoi terminé" not in body:
        body = unescape(owner_client.get(f"/reminders/progress?ids={ids}", headers=HX).text)
        time.sleep(0.2)
    assert "Envoi terminé <strong>2 / 2</strong>" in body
    assert "adresse e-mail du débiteur inutilisable (« jérôme@exemple.fr »)" in body


def test_any_composing_error_fails_that_message_only(
        engine, session: Session, owner: Actor, smtp: tuple[Recorder, int],
        smtp_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.reminders import deliver

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("Header values may not contain linefeed or carriage return characters")

    _debtor(session, owner, "AAA Jérôme", "jerome@exemple.fr")
    monkeypatch.setattr(deliver, "compose", broken)
    [outcome] = run(engine, smtp_settings, owner.creditor_id, TODAY)
    assert outcome.status == "failed"
    assert outcome.reason.startswith("message impossible à composer (Header values may not")
    assert outcome.reason.endswith("vérifiez les adresses et les noms de la fiche du débiteur")
