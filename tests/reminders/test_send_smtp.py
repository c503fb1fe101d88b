"""Reminders handed to a real SMTP server: headers, body, attachments, refusals, no resend."""

from __future__ import annotations

import mailbox
from datetime import timedelta
from decimal import Decimal
from email import message_from_bytes, policy
from pathlib import Path

from sqlmodel import Session, select

from app.config import Settings
from app.formatting import date_fr, eur
from app.models import AuditEvent, Debtor, Evidence, ReminderMessage, Step, StepEvidence
from app.models.types import utcnow
from app.services import debtors, evidence
from app.services.context import Actor
from app.services.decompte import debtor_decompte
from app.services.reminders import proof
from app.services.reminders.run import run, send_pending, system_actor
from app.storage import FileStore
from tests.factories import make_debtor, make_invoice, make_step
from tests.reminders.conftest import SENDER, TODAY, Recorder

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_one_message_per_debtor_at_the_highest_level(
        engine, session: Session, owner: Actor, durand: Debtor, smtp: tuple[Recorder, int],
        smtp_settings: Settings) -> None:
    outcomes = run(engine, smtp_settings, owner.creditor_id, TODAY)
    sent = [o for o in outcomes if o.status == "sent"]
    assert [(o.step, o.channel, o.invoices) for o in sent] == [("relance_2", "email", ["F-1", "F-2"])]
    recorder = smtp[0]
    assert len(recorder.messages) == 1
    received = recorder.messages[0]
    assert received.sender == "claire@lefevre.test"
    assert received.recipients == ["compta@durand.test"]
    mail = message_from_bytes(received.data, policy=policy.default)
    assert mail["From"] == "Claire Lefèvre <claire@lefevre.test>"
    assert mail["Reply-To"] == "compta@lefevre.test"
    assert mail["Subject"].startswith("Deuxième relance")
    text = mail.get_body(("plain",)).get_content()
    assert "F-1, échéance le 05/11/2026" in text
    # No relance recorded before: the text does not speak of a previous reminder.
    assert "les factures ci-dessous restent impayées malgré leur échéance" in text
    assert "précédent rappel" not in text
    row = session.exec(select(ReminderMessage)).one()
    assert row.status == "sent" and row.smtp_reply.startswith("250 2.0.0")
    assert mail["Message-ID"] == row.message_id



def test_accepted_message_is_filed_as_piece_step_and_audit(
        engine, session: Session, owner: Actor, durand: Debtor, smtp: tuple[Recorder, int],
        smtp_settings: Settings) -> None:
    run(engine, smtp_settings, owner.creditor_id, TODAY)
    row = session.exec(select(ReminderMessage)).one()
    piece = session.get(Evidence, row.evidence_id)
    assert piece is not None and piece.kind == "reminder_copy"
    assert piece.media_type == "message/rfc822"
    store = FileStore(smtp_settings.files_dir)
    assert piece.sha256 == row.eml_sha256  # the exact bytes handed over
    assert _same_message(store.read(piece.sha256), smtp[0].messages[0].data)
    linked = {i.number for i in evidence.linked_invoices(session, [piece.id])[piece.id]}
    assert linked == {"F-1", "F-2"}
    step = session.get(Step, row.step_id)
    assert step is not None
    assert (step.kind, step.level, step.channel, step.date) == ("reminder", 2, "email", TODAY)
    assert session.exec(select(StepEvidence).where(StepEvidence.step_id == step.id)).one() \
        .evidence_id == piece.id
    summaries = [e.summary for e in session.exec(select(AuditEvent))]
    assert any(s.startswith("Relance 2 envoyée par e-mail à compta@durand.test") for s in summaries)


def test_invoice_pdfs_are_attached(engine, session: Session, owner: Actor, durand: Debtor,
                                   smtp: tuple[Recorder, int], smtp_settings: Settings) -> None:
    store = FileStore(smtp_settings.files_dir)
    pdf = (SAMPLES / "text_quote_signed.pdf").read_bytes()
    evidence.add_bytes(session, owner, store, durand, pdf, "facture-F-1.pdf", 10**7,
                       data={"kind": "invoice", "invoices": "F-1"})
    run(engine, smtp_settings, owner.creditor_id, TODAY)
    mail = message_from_bytes(smtp[0].messages[0].data, policy=policy.default)
    attachments = list(mail.iter_attachments())
    assert [(a.get_filename(), a.get_content_type()) for a in attachments] == \
        [("facture-F-1.pdf", "application/pdf")]
    assert attachments[0].get_content() == pdf


def test_figures_are_the_decompte_ones(engine, session: Session, owner: Actor, durand: Debtor,
                                       smtp: tuple[Recorder, int], smtp_settings: Settings) -> None:
    run(engine, smtp_settings, owner.creditor_id, TODAY)
    text = message_from_bytes(smtp[0].messages[0].data, policy=policy.default) \
        .get_body(("plain",)).get_content()
    decompte = debtor_decompte(session, durand, TODAY)
    for row in decompte.invoices:
        assert f"Facture n° {row.number}, échéance le {date_fr(row.due_date)} : " \
               f"{eur(row.principal)} restant dû" in text
    # F-1: 1 200 € due 05/11/2026, 17 days at ECB + 10 points; F-2: 600 € due 18/11, 4 days.
    assert f"Pénalités de retard à ce jour : {eur(decompte.interest)}" in text
    assert decompte.interest > 0
    assert f"Indemnités forfaitaires pour frais de recouvrement : {eur(Decimal('80.00'))}" in text
    assert f"Total dû à ce jour : {eur(decompte.total)}" in text
    # The ECB rate of the 2nd half of 2026 is "?" in LAW.md: the e-mail says so, as the
    # letters do (LAW.md §11)
    assert f"Pénalités de retard à ce jour : {eur(decompte.interest)} (à vérifier : taux non " \
           "encore confirmé)" in text
    html = message_from_bytes(smtp[0].messages[0].data, policy=policy.default) \
        .get_body(("html",)).get_content()
    assert "(à vérifier)</td>" in html and "reposent sur un taux non encore confirmé" in html


def test_consumer_gets_no_penalties_nor_40_euros(
        engine, session: Session, owner: Actor, smtp: tuple[Recorder, int],
        smtp_settings: Settings) -> None:
    martin = make_debtor(session, owner, kind="consumer", legal_name="Paul Martin", siren="",
                         email="paul@martin.test", is_merchant="")
    make_invoice(session, owner, martin, number="F-9", issue_date="2026-10-06",
                 due_date="2026-11-05")
    run(engine, smtp_settings, owner.creditor_id, TODAY)
    text = message_from_bytes(smtp[0].messages[0].data, policy=policy.default) \
        .get_body(("plain",)).get_content()
    assert "1 200,00" in text.replace("\u202f", " ").replace("\u00a0", " ")
    assert "Pénalités" not in text and "40 €" not in text and "D441-5" not in text


def test_refused_recipient_is_failed_with_the_reply(
        engine, session: Session, owner: Actor, durand: Debtor, smtp: tuple[Recorder, int],
        smtp_settings: Settings) -> None:
    durand.email = "refuse@durand.test"
    session.add(durand)
    session.commit()
    outcomes = run(engine, smtp_settings, owner.creditor_id, TODAY)
    assert [o.status for o in outcomes] == ["failed"]
    row = session.exec(select(ReminderMessage)).one()
    assert row.status == "failed"
    assert row.smtp_reply.startswith("550 5.1.1")
    assert "refusé par le serveur : 550 5.1.1" in row.reason
    assert row.evidence_id is None and row.step_id is None
    assert smtp[0].messages == []


def test_refused_then_sent_again_goes_to_the_corrected_address(
        engine, session: Session, owner: Actor, durand: Debtor, smtp: tuple[Recorder, int],
        smtp_settings: Settings) -> None:
    durand.email = "refuse@durand.test"
    session.add(durand)
    session.commit()
    assert [o.status for o in run(engine, smtp_settings, owner.creditor_id, TODAY)] == ["failed"]
    debtors.update(session, owner, durand, {**_form(durand), "email": "compta@durand.test"})
    row = session.exec(select(ReminderMessage)).one()
    proof.send_again(session, owner, row)  # "Renvoyer"
    assert send_pending(engine, smtp_settings, system_actor(owner.creditor_id),
                        [row.id]) == {row.id: "sent"}
    session.refresh(row)
    assert (row.status, row.to_address) == ("sent", "compta@durand.test")
    assert [m.recipients for m in smtp[0].messages] == [["compta@durand.test"]]
    mail = message_from_bytes(smtp[0].messages[0].data, policy=policy.default)
    assert mail["To"].addresses[0].addr_spec == "compta@durand.test"
    assert row.message_id == mail["Message-ID"]


def _form(debtor: Debtor) -> dict[str, str]:
    return {k: ("" if v is None else str(v)) for k, v in debtor.model_dump().items()}


def test_temporary_refusal_is_retried_then_sent(
        engine, session: Session, owner: Actor, durand: Debtor, smtp: tuple[Recorder, int],
        smtp_settings: Settings) -> None:
    durand.email = "busy@durand.test"
    session.add(durand)
    session.commit()
    outcomes = run(engine, smtp_settings, owner.creditor_id, TODAY)
    assert [o.status for o in outcomes] == ["retry"]
    row = session.exec(select(ReminderMessage)).one()
    assert row.smtp_reply.startswith("451 4.7.1") and row.attempts == 1
    assert row.next_attempt_at is not None
    first_bytes = row.eml_sha256
    # Not yet time: nothing is tried again.
    assert send_pending(engine, smtp_settings, system_actor(owner.creditor_id)) == {}
    # Time has come, and the mailbox has room again (same bytes, same Message-ID).
    row.next_attempt_at = utcnow() - timedelta(seconds=1)
    row.to_address = "compta@durand.test"
    session.add(row)
    session.commit()
    assert send_pending(engine, smtp_settings, system_actor(owner.creditor_id)) == {row.id: "sent"}
    session.refresh(row)
    assert (row.status, row.attempts, row.eml_sha256) == ("sent", 2, first_bytes)
    assert len(smtp[0].messages) == 1


def test_temporary_refusals_fail_after_the_last_attempt(
        engine, session: Session, owner: Actor, durand: Debtor, smtp: tuple[Recorder, int],
        smtp_settings: Settings) -> None:
    durand.email = "busy@durand.test"
    session.add(durand)
    session.commit()
    run(engine, smtp_settings, owner.creditor_id, TODAY)
    row = session.exec(select(ReminderMessage)).one()
    for _ in range(2):
        row.next_attempt_at = utcnow() - timedelta(seconds=1)
        session.add(row)
        session.commit()
        send_pending(engine, smtp_settings, system_actor(owner.creditor_id))
        session.refresh(row)
    assert (row.status, row.attempts) == ("failed", 3)
    assert row.reason.startswith("refus temporaire répété (3 essais) : 451")


def test_relance_2_after_relance_1_speaks_of_it(
        engine, session: Session, owner: Actor, durand: Debtor, smtp: tuple[Recorder, int],
        smtp_settings: Settings) -> None:
    make_step(session, owner, durand, kind="reminder", level="1", date="2026-11-10")
    run(engine, smtp_settings, owner.creditor_id, TODAY)
    text = message_from_bytes(smtp[0].messages[0].data, policy=policy.default) \
        .get_body(("plain",)).get_content()
    assert "Malgré notre précédent rappel, les factures ci-dessous restent impayées." in text


def test_second_run_sends_nothing(engine, session: Session, owner: Actor, durand: Debtor,
                                  smtp: tuple[Recorder, int], smtp_settings: Settings) -> None:
    run(engine, smtp_settings, owner.creditor_id, TODAY)
    again = run(engine, smtp_settings, owner.creditor_id, TODAY)
    assert again == []
    later = run(engine, smtp_settings, owner.creditor_id, TODAY + timedelta(days=3))
    assert later == []  # nothing new reached: relance 3 is at J+30
    assert len(smtp[0].messages) == 1


def test_without_smtp_messages_go_to_the_outbox_not_sent(
        engine, session: Session, owner: Actor, durand: Debtor, tmp_path) -> None:
    settings = Settings(data_dir=tmp_path / "data", today=TODAY, smtp_from=SENDER)
    outcomes = run(engine, settings, owner.creditor_id, TODAY)
    assert [(o.status, o.reason) for o in outcomes] == \
        [("outbox", "non envoyé — aucun serveur SMTP configuré")]
    row = session.exec(select(ReminderMessage)).one()
    assert row.status == "outbox" and row.sent_at is None and row.step_id is None
    box = mailbox.Maildir(settings.outbox_dir, create=False)
    assert len(box) == 1
    assert next(iter(box.values()))["Message-ID"] == row.message_id
    assert session.exec(select(Step)).all() == []


def _same_message(kept: bytes, received: bytes) -> bool:
    """SMTP adds nothing to the body; the server may only normalise line ends."""
    return kept.replace(b"\r\n", b"\n") == received.replace(b"\r\n", b"\n")
