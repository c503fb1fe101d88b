"""The "Relances du jour" page: the plan, the unticked held back, the sending by the worker."""

from __future__ import annotations

import time
from html import unescape

import pytest
from sqlmodel import Session, select

from app.config import Settings
from app.models import Debtor, ReminderMessage
from app.services.context import Actor
from app.services.reminders.run import run
from tests.conftest import Browser
from tests.factories import make_debtor, make_invoice, make_step
from tests.reminders.conftest import TODAY, Recorder

HX = {"HX-Request": "true"}


@pytest.fixture
def settings(smtp_settings: Settings) -> Settings:
    return smtp_settings


@pytest.fixture
def martin(session: Session, owner: Actor) -> Debtor:
    debtor = make_debtor(session, owner, legal_name="Garage Martin", siren="",
                         email="garage@martin.test")
    make_invoice(session, owner, debtor, number="G-1", issue_date="2026-10-06",
                 due_date="2026-11-05")
    return debtor


def test_page_lists_due_and_skipped_with_reasons(owner_client: Browser, session: Session,
                                                 owner: Actor, durand: Debtor,
                                                 martin: Debtor) -> None:
    make_step(session, owner, martin, kind="dispute", date="2026-11-10", level="")
    page = owner_client.get("/reminders")
    assert page.status_code == 200
    assert 'href="/reminders">Relances du jour</a>' in page.text
    assert f'id="planned-{durand.id}"' in page.text
    assert "Relance 2" in page.text and "F-1, F-2" in page.text
    assert "à envoyer à compta@durand.test" in page.text
    assert "Garage Martin" in page.text and "contestation enregistrée, non close" in page.text


def test_unticked_is_held_and_the_rest_is_sent(owner_client: Browser, session: Session,
                                               owner: Actor, durand: Debtor, martin: Debtor,
                                               smtp: tuple[Recorder, int]) -> None:
    response = owner_client.submit("/reminders/send", {"send": f"{durand.id}:relance_2:"
                                   + ",".join(str(i) for i in _invoice_ids(session, durand))},
                                   headers=HX)
    assert response.status_code == 200
    assert 'id="reminders-progress"' in response.text
    ids = session.exec(select(ReminderMessage.id)).all()
    assert len(ids) == 1, ids
    deadline = time.monotonic() + 60  # the worker thread shares 2 cores with the suite
    while time.monotonic() < deadline:
        body = owner_client.get(f"/reminders/progress?ids={ids[0]}", headers=HX).text
        if "Envoi terminé" in body:
            break
        time.sleep(0.1)
    assert "Envoi terminé <strong>1 / 1</strong>" in body, body
    assert "Envoyé" in body and "Durand BTP" in body, body
    assert [m.recipients for m in smtp[0].messages] == [["compta@durand.test"]]
    debtor_page = owner_client.get(f"/debtors/{durand.id}").text
    assert "Copie de relance" in debtor_page, session.exec(select(ReminderMessage)).all()
    # Garage Martin was unticked: nothing recorded, still due.
    assert f'id="planned-{martin.id}"' in owner_client.get("/reminders").text


def test_reader_sees_but_cannot_send(client: Browser, session: Session, reader: Actor,
                                     durand: Debtor) -> None:
    client.login("lea@lefevre.test")
    page = client.get("/reminders")
    assert page.status_code == 200 and 'id="reminders-send"' not in page.text
    response = client.submit("/reminders/send", {"send": "x"}, headers=HX)
    assert response.status_code == 403


def _invoice_ids(session: Session, debtor: Debtor) -> list[int]:
    from app.models import Invoice

    return sorted(i.id for i in session.exec(select(Invoice).where(  # type: ignore[misc]
        Invoice.debtor_id == debtor.id)))



def test_doubt_is_shown_and_a_person_marks_it_sent(owner_client: Browser, session: Session,
                                                   owner: Actor, durand: Debtor,
                                                   smtp_settings: Settings) -> None:
    from app.models.types import utcnow
    from app.services.reminders import deliver
    from app.storage import FileStore

    row = ReminderMessage(creditor_id=owner.creditor_id, debtor_id=durand.id,  # type: ignore[arg-type]
                          template="relance_2", channel="email",
                          invoice_ids=_invoice_ids(session, durand),
                          idempotency_key="k", planned_for=TODAY, status="intent", attempts=1,
                          next_attempt_at=utcnow() - deliver.LEASE * 2,
                          to_address="compta@durand.test", message_id="<m@lefevre.test>",
                          smtp_reply="", meta={"reached": []},
                          eml_sha256=FileStore(smtp_settings.files_dir).put(
                              b"From: a@lefevre.test\r\nTo: compta@durand.test\r\n"
                              b"Subject: Relance\r\nMessage-ID: <m@lefevre.test>\r\n\r\nBonjour\r\n"))
    session.add(row)
    session.commit()
    page = owner_client.get("/reminders").text
    assert f'id="doubt-{row.id}"' in page and "Marquer envoyé" in page
    response = owner_client.submit(f"/reminders/messages/{row.id}/sent", follow_redirects=False)
    assert response.status_code == 303
    session.refresh(row)
    assert row.status == "sent" and row.evidence_id and row.step_id
    assert f'id="doubt-{row.id}"' not in owner_client.get("/reminders").text


def test_printed_letter_marked_posted_from_the_page(owner_client: Browser, session: Session,
                                                    owner: Actor) -> None:
    from app.models import Creditor, GeneratedDocument, Step
    from app.services.demo import siren

    creditor = session.get(Creditor, owner.creditor_id)
    assert creditor is not None
    creditor.legal_form, creditor.siren = "SARL", siren("51234567")
    creditor.street, creditor.postal_code, creditor.city = "3 rue des Artisans", "49100", "Angers"
    session.add(creditor)
    session.commit()
    debtor = make_debtor(session, owner, email="compta@durand.test")
    make_invoice(session, owner, debtor, number="F-1", issue_date="2026-09-01",
                 due_date="2026-10-20")  # J+33: relance 3 by letter
    owner_client.submit("/reminders/send", {"send": f"{debtor.id}:relance_3:"
                        f"{_invoice_ids(session, debtor)[0]}"}, headers=HX)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        row = session.exec(select(ReminderMessage)).one()
        session.refresh(row)
        if row.status != "intent":
            break
        time.sleep(0.1)
    assert row.status == "draft"
    page = owner_client.get("/reminders").text
    assert f'id="draft-{row.id}"' in page and "Marquer posté" in page
    document = session.get(GeneratedDocument, row.document_id)
    assert document is not None and f"/documents/{document.id}/download" in page
    response = owner_client.submit(f"/reminders/messages/{row.id}/posted",
                                   {"sent_on": "2026-11-23", "channel": "letter"},
                                   follow_redirects=False)
    assert response.status_code == 303 and "error" not in response.headers["location"]
    session.refresh(row)
    step = session.get(Step, row.step_id)
    assert row.status == "posted" and step is not None and (step.level, step.channel) == (3, "letter")


def test_progress_counts_only_the_users_creditors_messages(
        client: Browser, session: Session, owner: Actor, outsider: Actor, durand: Debtor,
        engine, smtp: tuple[Recorder, int], smtp_settings: Settings) -> None:
    run(engine, smtp_settings, owner.creditor_id, TODAY)
    ids = ",".join(str(i) for i in session.exec(select(ReminderMessage.id)).all())
    client.login("paul@roux.test")  # another creditor's user
    polled = client.get(f"/reminders/progress?ids={ids}", headers=HX).text
    page = client.get(f"/reminders?run={ids}").text
    for body in (polled, page):
        assert "<strong>0 / 0</strong>" in body
        assert "1 / 1" not in body and "Durand BTP" not in body


def test_the_page_shows_what_the_morning_run_sent(owner_client: Browser, session: Session,
                                                  owner: Actor, durand: Debtor, engine,
                                                  settings: Settings,
                                                  smtp: tuple[Recorder, int]) -> None:
    # Review 39: with "envoi automatique" on, the 07:00 run sent Durand BTP its relance 2.
    # "Relances du jour" then says "0 message à envoyer ou préparer · 0 écarté — Rien à
    # envoyer aujourd'hui": nothing tells the credit manager what went out this morning
    # (the page lists only drafts, doubts, refusals and the outbox; "sent" and "cancelled"
    # rows of the day are shown nowhere).
    from app.models import Creditor
    from app.services.reminders.run import morning

    creditor = session.get(Creditor, owner.creditor_id)
    assert creditor is not None
    creditor.reminders_auto = True
    session.add(creditor)
    session.commit()
    assert morning(engine, settings, TODAY) == 1
    assert len(smtp[0].messages) == 1
    page = owner_client.get("/reminders").text
    assert "Durand BTP" in page and "Envoyé" in page


def test_the_days_record_shows_a_cancellation_with_its_reason_to_its_creditor_only(
        client: Browser, session: Session, owner: Actor, outsider: Actor, durand: Debtor,
        martin: Debtor, engine, settings: Settings, smtp: tuple[Recorder, int]) -> None:
    # one relance sent this morning, one cancelled before it left (Garage Martin paid in
    # between): both listed with what happened, and to the creditor's own users only
    run(engine, settings, owner.creditor_id, TODAY)
    rows = {r.debtor_id: r for r in session.exec(select(ReminderMessage)).all()}
    cancelled = rows[martin.id]
    cancelled.status, cancelled.reason = "cancelled", "annulé avant l'envoi : facture payée"
    session.add(cancelled)
    session.commit()
    client.login("claire@lefevre.test")
    page = unescape(client.get("/reminders").text)
    record = page.split('id="reminders-done"')[1].split("</section>")[0]
    assert "Durand BTP" in record and "Envoyé" in record and "compta@durand.test" in record
    assert f'id="done-{cancelled.id}"' in record and "Annulé" in record
    assert "annulé avant l'envoi : facture payée" in record
    assert "2 déjà traités aujourd'hui" in page
    client.login("paul@roux.test")  # another creditor's user
    other = client.get("/reminders").text
    assert 'id="reminders-done"' not in other and "Durand BTP" not in other
