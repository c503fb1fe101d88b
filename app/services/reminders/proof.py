"""What an accepted reminder leaves in the file, and what a person decides about a message.

An e-mail the SMTP server accepted is filed as a pièce of the debtor (the exact `.eml` handed
over, kind "reminder_copy", linked to its invoices, through the evidence service so it is
stored and checked like an upload), records a step of the chronology (a relance with its level,
channel e-mail; a prévenance as "autre démarche", it is no relance) linked to that pièce, and
an audit event. A message in doubt is never resent by itself: a person marks it as sent (its
proof is filed from the bytes kept) or asks to send it again. A letter becomes a step when a
person marks it as posted (`document_sending.record_sent`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from app.errors import DomainError, NotFound
from app.formatting import date_fr
from app.law.reminder_scenario import TEMPLATES
from app.models import Debtor, GeneratedDocument, ReminderMessage, Step, StepEvidence
from app.models.types import utcnow
from app.services import audit, document_sending, evidence
from app.services.context import Actor
from app.services.documents import EXHIBIT_LIMIT
from app.storage import FileStore


def get(session: Session, actor: Actor, message_id: int) -> ReminderMessage:
    message = session.get(ReminderMessage, message_id)
    if message is None or message.creditor_id != actor.creditor_id:
        raise NotFound("Relance")
    return message


def _title(message: ReminderMessage, day: date) -> str:
    label = TEMPLATES[message.template][0]
    return (f"{label} par e-mail du {date_fr(day)} à {message.to_address} "
            f"(Message-ID {message.message_id} ; serveur : {message.smtp_reply})")[:300]


def file_proof(session: Session, actor: Actor, store: FileStore, message: ReminderMessage,
               day: date) -> ReminderMessage:
    """The pièce (exact .eml), the step and the audit of an accepted message; commits."""
    debtor = session.get(Debtor, message.debtor_id)
    assert debtor is not None
    exhibit = evidence.add_bytes(
        session, actor, store, debtor, store.read(message.eml_sha256),
        f"relance-{message.template}-{day.isoformat()}-{message.id}.eml", EXHIBIT_LIMIT,
        data={"kind": "reminder_copy", "title": _title(message, day),
              "document_date": day.isoformat(),
              "invoices": ",".join(str(i) for i in message.invoice_ids)})
    level = TEMPLATES[message.template][1]
    step = Step(creditor_id=message.creditor_id, debtor_id=message.debtor_id,
                kind="reminder" if level else "other", date=day, channel="email", level=level,
                reference=message.message_id[:120],
                notes=f"{TEMPLATES[message.template][0]} envoyée par e-mail à "
                      f"{message.to_address} — réponse du serveur : {message.smtp_reply}"[:5000])
    session.add(step)
    session.flush()
    session.add(StepEvidence(step_id=step.id, evidence_id=exhibit.id))  # type: ignore[arg-type]
    message.evidence_id, message.step_id = exhibit.id, step.id
    session.add(message)
    audit.record(session, actor, action="create", obj=step, debtor_id=message.debtor_id,
                 summary=f"{TEMPLATES[message.template][0]} envoyée par e-mail à "
                         f"{message.to_address} ({message.smtp_reply[:80]})",
                 changes={"message_id": message.message_id, "invoices": message.invoice_ids,
                          "evidence_id": exhibit.id})
    session.commit()
    return message


def mark_sent(session: Session, actor: Actor, store: FileStore, message: ReminderMessage,
              today: date) -> ReminderMessage:
    """A person checked (the recipient, the server's log) that a message in doubt went out."""
    actor.require_write()
    if message.status != "doubt":
        raise DomainError("Seul un message au sort incertain se marque comme envoyé.")
    if not message.eml_sha256:
        raise DomainError("Ce message n'a jamais été composé, il n'a donc pas pu partir : "
                          "renvoyez-le.")
    message.status, message.sent_at = "sent", utcnow()
    message.smtp_reply = message.smtp_reply or "marqué envoyé par une personne"
    message.reason = "marqué comme envoyé après vérification"
    session.add(message)
    session.commit()
    return file_proof(session, actor, store, message, today)


def send_again(session: Session, actor: Actor, message: ReminderMessage) -> ReminderMessage:
    """A person decided that a message in doubt (or refused) did not go: send it once more.
    One in doubt may have arrived: the very same bytes go again (same Message-ID). A refused
    one never left: it is composed again, to the debtor's address as it is now corrected."""
    actor.require_write()
    if message.status not in ("doubt", "failed"):
        raise DomainError("Seul un message incertain ou refusé peut être renvoyé.")
    again = " (recomposé à l'adresse actuelle du débiteur)" if message.status == "failed" else ""
    audit.record(session, actor, action="update", obj=message, debtor_id=message.debtor_id,
                 summary=f"{TEMPLATES[message.template][0]} : nouvel envoi demandé{again} "
                         f"(état précédent : {message.status})", changes={})
    if message.status == "failed":
        message.eml_sha256 = ""  # deliver composes it again
    message.status, message.attempts, message.next_attempt_at = "retry", 0, utcnow()
    message.reason = "nouvel envoi demandé"
    session.add(message)
    session.commit()
    return message


def mark_posted(session: Session, actor: Actor, store: FileStore, message: ReminderMessage,
                data: dict[str, Any]) -> ReminderMessage:
    """A letter of the day printed and posted: the final PDF, its pièce and its step."""
    actor.require_write()
    if message.status != "draft" or message.document_id is None:
        raise DomainError("Seul un courrier préparé se marque comme posté.")
    document = session.get(GeneratedDocument, message.document_id)
    assert document is not None
    final = document_sending.record_sent(session, actor, store, document, data)
    message.status, message.step_id, message.sent_at = "posted", final.step_id, utcnow()
    message.reason = f"posté le {date_fr(final.sent_on)}"
    session.add(message)
    session.commit()
    return message
