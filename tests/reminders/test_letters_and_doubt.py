"""Letters prepared as drafts (relance 3 to print, the mise en demeure to check), posted by a
person; a message in doubt after a crash is never resent without a person deciding."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from app.config import Settings
from app.models import Creditor, Debtor, GeneratedDocument, ReminderMessage, Step
from app.models.types import utcnow
from app.services.context import Actor
from app.services.demo import siren
from app.services.reminders import deliver, proof
from app.services.reminders.run import run, send_pending, system_actor
from app.storage import FileStore
from tests.factories import make_debtor, make_invoice
from tests.reminders.conftest import TODAY, Recorder


def _overdue(session: Session, owner: Actor, due: str) -> Debtor:
    """A creditor whose identity a letter can carry (LAW.md §11), a debtor with F-1 due."""
    creditor = session.get(Creditor, owner.creditor_id)
    assert creditor is not None
    creditor.legal_form, creditor.siren = "SARL", siren("51234567")
    creditor.street, creditor.postal_code, creditor.city = "3 rue des Artisans", "49100", "Angers"
    creditor.rcs_city, creditor.representative = "Angers", "Claire Lefèvre"
    session.add(creditor)
    session.commit()
    debtor = make_debtor(session, owner, email="compta@durand.test")
    make_invoice(session, owner, debtor, number="F-1", issue_date="2026-09-01", due_date=due)
    return debtor


def test_relance_3_letter_is_a_draft_pdf_then_posted(
        engine, session: Session, owner: Actor, smtp: tuple[Recorder, int],
        smtp_settings: Settings) -> None:
    debtor = _overdue(session, owner, "2026-10-20")  # J+33 on 22/11/2026: relance 3 (J+30)
    [outcome] = run(engine, smtp_settings, owner.creditor_id, TODAY)
    assert (outcome.step, outcome.channel, outcome.status, outcome.reason) == \
        ("relance_3", "letter", "draft", "courrier à imprimer et poster")
    assert smtp[0].messages == []
    message = session.exec(select(ReminderMessage)).one()
    document = session.get(GeneratedDocument, message.document_id)
    assert document is not None and (document.kind, document.status) == ("relance_3", "draft")
    pdf = FileStore(smtp_settings.files_dir).read(document.sha256)
    assert pdf.startswith(b"%PDF")
    assert session.exec(select(Step)).all() == []  # nothing recorded before it is posted
    proof.mark_posted(session, owner, FileStore(smtp_settings.files_dir), message,
                      {"sent_on": "2026-11-23", "channel": "letter"})
    session.refresh(message)
    step = session.get(Step, message.step_id)
    assert message.status == "posted"
    assert step is not None and (step.kind, step.level, step.channel, step.date) == \
        ("reminder", 3, "letter", date(2026, 11, 23))
    assert run(engine, smtp_settings, owner.creditor_id, TODAY + timedelta(days=1)) == []
    assert debtor.id == message.debtor_id


def test_no_letter_is_prepared_without_the_debtors_postal_address(
        engine, session: Session, owner: Actor, smtp: tuple[Recorder, int],
        smtp_settings: Settings) -> None:
    debtor = _overdue(session, owner, "2026-10-20")  # J+33 on 22/11/2026: relance 3 (J+30)
    debtor.street, debtor.postal_code, debtor.city = "", "", ""
    session.add(debtor)
    session.commit()
    [outcome] = run(engine, smtp_settings, owner.creditor_id, TODAY)
    assert (outcome.status, outcome.invoices, outcome.reason) == (
        "skipped", ["F-1"], "aucune adresse postale : l'ajouter sur la fiche du débiteur")
    assert session.exec(select(ReminderMessage)).all() == []
    assert session.exec(select(GeneratedDocument)).all() == []


def test_mise_en_demeure_is_only_prepared(engine, session: Session, owner: Actor,
                                          smtp: tuple[Recorder, int],
                                          smtp_settings: Settings) -> None:
    _overdue(session, owner, "2026-10-05")  # J+48: mise en demeure (J+45)
    [outcome] = run(engine, smtp_settings, owner.creditor_id, TODAY)
    assert (outcome.step, outcome.status) == ("mise_en_demeure", "draft")
    assert outcome.reason == "projet de mise en demeure à vérifier, signer et envoyer"
    message = session.exec(select(ReminderMessage)).one()
    document = session.get(GeneratedDocument, message.document_id)
    assert document is not None and (document.kind, document.status) == \
        ("mise_en_demeure", "draft")
    assert smtp[0].messages == []
    assert session.exec(select(Step).where(Step.kind == "mise_en_demeure")).all() == []


class Crash(Exception):
    """The process dies between the SMTP answer and the commit."""


def test_crash_after_smtp_leaves_a_doubt_a_person_resolves(
        engine, session: Session, owner: Actor, durand: Debtor, smtp: tuple[Recorder, int],
        smtp_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*args: object, **kwargs: object) -> str:
        raise Crash

    monkeypatch.setattr(deliver, "_record_answer", crash)
    with pytest.raises(Crash):
        run(engine, smtp_settings, owner.creditor_id, TODAY)
    monkeypatch.undo()
    assert len(smtp[0].messages) == 1  # the server has it; the database does not know
    row = session.exec(select(ReminderMessage)).one()
    assert (row.status, row.attempts) == ("intent", 1)
    # Later runs, before and after the lease: never sent again.
    assert run(engine, smtp_settings, owner.creditor_id, TODAY) == []
    row.next_attempt_at = utcnow() - deliver.LEASE - timedelta(seconds=1)
    session.add(row)
    session.commit()
    assert send_pending(engine, smtp_settings, system_actor(owner.creditor_id)) == {}
    session.refresh(row)
    assert row.status == "doubt" and row.reason.startswith("envoi interrompu")
    assert run(engine, smtp_settings, owner.creditor_id, TODAY) == []
    assert len(smtp[0].messages) == 1
    # A person checked: it went out. Its proof is filed from the bytes kept.
    proof.mark_sent(session, owner, FileStore(smtp_settings.files_dir), row, TODAY)
    session.refresh(row)
    assert row.status == "sent" and row.evidence_id and row.step_id


def test_doubt_sent_again_on_a_persons_decision(
        engine, session: Session, owner: Actor, durand: Debtor, smtp: tuple[Recorder, int],
        smtp_settings: Settings) -> None:
    row = ReminderMessage(creditor_id=owner.creditor_id, debtor_id=durand.id,  # type: ignore[arg-type]
                          template="relance_1", channel="email", invoice_ids=[],
                          idempotency_key="x", planned_for=TODAY, status="doubt", attempts=1)
    session.add(row)
    session.commit()
    assert send_pending(engine, smtp_settings, system_actor(owner.creditor_id)) == {}
    proof.send_again(session, owner, row)
    row.invoice_ids = [i for i in _invoice_ids(session, durand)]
    session.add(row)
    session.commit()
    assert send_pending(engine, smtp_settings, system_actor(owner.creditor_id)) == {row.id: "sent"}
    assert len(smtp[0].messages) == 1


def _invoice_ids(session: Session, debtor: Debtor) -> list[int]:
    from app.models import Invoice

    return sorted(i.id for i in session.exec(select(Invoice).where(  # type: ignore[misc]
        Invoice.debtor_id == debtor.id)))
