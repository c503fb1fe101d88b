"""/settings/relances: the sender and the scenarios, saved whole or refused in French."""

from __future__ import annotations

from decimal import Decimal
from html import unescape

import pytest
from sqlmodel import Session, select

from app.models import AuditEvent, Creditor, ReminderScenario
from app.services.context import Actor
from app.services.reminders.scenarios import ensure_default, steps_of
from tests.conftest import Browser

URL = "/settings/relances"
SENDER = {"sender_name": "Compta Lefèvre", "sender_email": "compta@lefevre.test",
          "reply_to": "claire@lefevre.test", "reminder_min_amount": "50,00",
          "reminders_auto": "1"}


def default_form(session: Session, owner: Actor, **changes: str) -> tuple[int, dict[str, str]]:
    scenario = ensure_default(session, owner.creditor_id)
    session.commit()
    data = {"name": scenario.name}
    for n, step in enumerate(steps_of(session, scenario.id)):  # type: ignore[arg-type]
        data |= {f"steps.{n}.offset_days": str(step.offset_days),
                 f"steps.{n}.channel": step.channel, f"steps.{n}.template": step.template}
    return scenario.id, {**data, **changes}  # type: ignore[return-value]


def test_the_page_shows_the_default_scenario_and_says_nothing_is_sent(owner_client: Browser,
                                                                     monkeypatch) -> None:
    monkeypatch.delenv("CONTENTIEUX_SMTP_URL", raising=False)
    page = unescape(owner_client.get(URL).text)
    assert "Standard" in page and "Par défaut" in page
    assert 'value="-5"' in page and 'value="45"' in page
    assert "Aucun serveur SMTP configuré." in page and "rien n'est réellement envoyé" in page
    assert "À vérifier — jamais envoyée seule" in page
    assert "Désactivé par défaut" in page
    assert 'href="/settings/relances"' in owner_client.get("/creditor").text


def test_with_an_smtp_url_the_outbox_warning_is_gone(owner_client: Browser, monkeypatch) -> None:
    monkeypatch.setenv("CONTENTIEUX_SMTP_URL", "smtp://127.0.0.1:2525")
    assert "Aucun serveur SMTP configuré" not in owner_client.get(URL).text


def test_the_sender_is_saved(owner_client: Browser, owner: Actor, session: Session) -> None:
    response = owner_client.submit(f"{URL}/expediteur", SENDER, follow_redirects=False)
    assert response.status_code == 303
    creditor = session.get(Creditor, owner.creditor_id)
    session.refresh(creditor)
    assert creditor is not None
    assert (creditor.sender_name, creditor.sender_email, creditor.reply_to) == (
        "Compta Lefèvre", "compta@lefevre.test", "claire@lefevre.test")
    assert creditor.reminders_auto and creditor.reminder_min_amount == Decimal("50.00")
    event = session.exec(select(AuditEvent).where(AuditEvent.object_type == "creditor")).one()
    assert event.summary.startswith("Expéditeur des relances modifié")


def test_bad_sender_addresses_save_nothing(owner_client: Browser, owner: Actor,
                                           session: Session) -> None:
    response = owner_client.submit(f"{URL}/expediteur", {
        **SENDER, "sender_email": "compta@", "reply_to": "pas une adresse",
        "reminder_min_amount": "cinquante"})
    assert response.status_code == 422
    page = unescape(response.text)
    assert page.count("Adresse e-mail invalide.") == 2
    assert "Montant invalide" in page and 'value="compta@"' in page
    creditor = session.get(Creditor, owner.creditor_id)
    session.refresh(creditor)
    assert creditor is not None and creditor.sender_email == "" and not creditor.reminders_auto


def test_a_step_is_added_removed_and_saved(owner_client: Browser, owner: Actor,
                                           session: Session) -> None:
    sid, data = default_form(session, owner, **{
        "steps.1.remove": "1",  # J+3 relance 1 out
        "steps.5.offset_days": "60", "steps.5.channel": "letter",
        "steps.5.template": "mise_en_demeure"})
    response = owner_client.submit(f"{URL}/scenarios/{sid}", data, follow_redirects=False)
    assert response.status_code == 303
    assert [(s.offset_days, s.template) for s in steps_of(session, sid)] == [
        (-5, "prevenance"), (15, "relance_2"), (30, "relance_3"), (45, "mise_en_demeure"),
        (60, "mise_en_demeure")]
    event = session.exec(select(AuditEvent).where(AuditEvent.object_type == "reminderscenario")
                         ).one()
    before, after = event.changes["steps"]
    assert "J+3 Relance 1 (E-mail)" in before and "J+3 Relance 1 (E-mail)" not in after
    assert after[-1] == "J+60 Mise en demeure (projet à vérifier) (Courrier à imprimer ou poster)"


@pytest.mark.parametrize(("changes", "message"), [
    ({"steps.2.offset_days": "3"}, "Deux étapes au même jour (J+3) : une seule par jour."),
    ({"steps.0.offset_days": "-90"}, "Entre -60 et +365 jours de l'échéance."),
    ({"steps.4.offset_days": "400"}, "Entre -60 et +365 jours de l'échéance."),
    ({"name": ""}, "Le nom du scénario est obligatoire."),
])
def test_bad_steps_are_refused_next_to_the_field_and_nothing_is_saved(
        owner_client: Browser, owner: Actor, session: Session, changes, message) -> None:
    sid, data = default_form(session, owner, **changes)
    response = owner_client.submit(f"{URL}/scenarios/{sid}", data)
    assert response.status_code == 422
    page = unescape(response.text)
    assert message in page and "Rien n'a été enregistré" in page
    assert [s.offset_days for s in steps_of(session, sid)] == [-5, 3, 15, 30, 45]


def test_the_arrows_reorder_the_rows_without_saving(owner_client: Browser, owner: Actor,
                                                    session: Session) -> None:
    sid, data = default_form(session, owner, move="2:up")
    response = owner_client.submit(f"{URL}/scenarios/{sid}", data)
    assert response.status_code == 200
    page = response.text
    assert page.index('name="steps.1.offset_days" value="15"') < \
        page.index('name="steps.2.offset_days" value="3"')
    assert [s.offset_days for s in steps_of(session, sid)] == [-5, 3, 15, 30, 45]


def test_another_scenario_is_created_and_made_the_default(owner_client: Browser, owner: Actor,
                                                          session: Session) -> None:
    assert owner_client.submit(f"{URL}/scenarios", {"name": "Grand compte"},
                               follow_redirects=False).status_code == 303
    again = owner_client.submit(f"{URL}/scenarios", {"name": "Grand compte"})
    assert again.status_code == 422 and "Un scénario s'appelle déjà « Grand compte »." in \
        unescape(again.text)
    grand = session.exec(select(ReminderScenario).where(ReminderScenario.name == "Grand compte")
                         ).one()
    assert len(steps_of(session, grand.id)) == 5  # type: ignore[arg-type]
    owner_client.submit(f"{URL}/scenarios/{grand.id}/default")
    session.expire_all()
    assert ensure_default(session, owner.creditor_id).id == grand.id
    defaults = session.exec(select(ReminderScenario).where(ReminderScenario.is_default)).all()
    assert len(defaults) == 1
    refused = owner_client.submit(f"{URL}/scenarios/{grand.id}/delete")
    assert refused.status_code == 422 and "ne peut pas être supprimé" in unescape(refused.text)


def test_a_reader_sees_the_page_but_cannot_change_it(client: Browser, reader: Actor,
                                                     session: Session) -> None:
    client.login("lea@lefevre.test")
    page = client.get(URL).text
    assert "<fieldset disabled>" in page and "Enregistrer le scénario</button>" not in page
    sid, data = default_form(session, reader)
    assert client.submit(f"{URL}/scenarios/{sid}", data).status_code == 403
    assert client.submit(f"{URL}/expediteur", SENDER).status_code == 403


def test_an_outsider_cannot_touch_anothers_scenario(client: Browser, owner: Actor,
                                                    outsider: Actor, session: Session) -> None:
    sid, data = default_form(session, owner)
    client.login("paul@roux.test")
    assert client.submit(f"{URL}/scenarios/{sid}", data).status_code == 404


def test_deleting_a_scenario_sends_its_debtors_back_to_the_default(
        owner_client: Browser, owner: Actor, session: Session) -> None:
    from app.services.reminders import debtor_scenario
    from app.services.reminders.scenarios import scenario_for
    from tests.factories import make_debtor

    owner_client.submit(f"{URL}/scenarios", {"name": "Client fragile"})
    fragile = session.exec(select(ReminderScenario).where(
        ReminderScenario.name == "Client fragile")).one()
    debtor = make_debtor(session, owner)
    debtor_scenario.set_scenario(session, owner, debtor, {"scenario": str(fragile.id)})
    assert "1 débiteur l'ont choisi" in unescape(owner_client.get(URL).text)
    fragile_id = fragile.id
    response = owner_client.submit(f"{URL}/scenarios/{fragile_id}/delete", follow_redirects=False)
    assert response.status_code == 303
    session.expire_all()
    assert session.get(ReminderScenario, fragile_id) is None
    assert scenario_for(session, session.get(type(debtor), debtor.id)).is_default  # type: ignore[arg-type, union-attr]
