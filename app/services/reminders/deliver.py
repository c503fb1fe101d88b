"""Recording a reminder's intent, then acting on it exactly once.

`record` writes the message row as an *intent* with its unique idempotency key and commits
before anything is sent: a second run (another thread, another server) that plans the same
message hits the unique constraint and leaves it alone; a message cancelled before it left
gives its key up to the next run that plans it again (`record_again`), its row kept as
history.
`process` claims a row with a compare-and-set on its attempts (only one worker wins), writes
the exact bytes it will hand over and commits, then talks to SMTP and records the answer. A
row claimed but never answered (a crash between SMTP and the commit) is found after LEASE by
`reconcile` and becomes "doubt": a person decides, it is never resent by itself. A letter or
a mise en demeure is prepared as a draft PDF through the document generation, for a person to
check, print or send.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from email.errors import MessageError

from sqlalchemy import and_, or_, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.config import Settings
from app.errors import DomainError
from app.law.reminders import Action
from app.models import Creditor, Debtor, ReminderMessage
from app.models.types import utcnow
from app.services import documents
from app.services.context import Actor
from app.services.reminders import send
from app.services.reminders.compose import compose
from app.services.reminders.plan import CANCELLED, stale_reason
from app.services.reminders.proof import file_proof
from app.storage import FileStore

log = logging.getLogger("contentieux")
LEASE = timedelta(minutes=10)  # a claimed message unanswered for this long is in doubt
GRACE = timedelta(minutes=2)  # a fresh intent is left to its own run this long
MAX_ATTEMPTS = 3  # temporary refusals (4xx) tried this many times, then failed
RETRY_DELAYS = (timedelta(minutes=5), timedelta(minutes=30))


def record(session: Session, actor: Actor, action: Action, today: date) -> int | None:
    """The intent, committed: its id; None when another run already holds this message.
    A message cancelled before it left holds its key no more (`record_again`)."""
    message = _intent(actor, action, today)
    session.add(message)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return record_again(session, actor, action, today)
    return message.id


def _intent(actor: Actor, action: Action, today: date) -> ReminderMessage:
    level = {"relance_1": 1, "relance_2": 2, "relance_3": 3}.get(action.step.template)
    return ReminderMessage(
        creditor_id=actor.creditor_id, debtor_id=action.debtor_id, template=action.step.template,
        channel=action.step.channel, level=level, invoice_ids=list(action.invoices),
        idempotency_key=action.key, planned_for=today, status="intent",
        meta={"reached": [list(pair) for pair in action.reached],
              "offset_days": action.step.offset_days},
        created_by=actor.user_id)


def released_key(message_id: int, key: str) -> str:
    """The key a cancelled message keeps once it gave its own up: unique by its id, and never
    one a plan makes (those start with the debtor's id)."""
    return f"{CANCELLED}-{message_id}:{key}"[:200]


def record_again(session: Session, actor: Actor, action: Action, today: date) -> int | None:
    """A message cancelled before it left (nothing was handed over) gives its key up when the
    file calls for it again (a hold lifted, a promise cancelled): the new intent takes the key
    in the same transaction, so no other run ever finds it free, and the compare-and-set on
    the old row's key and status lets one run only do it. The cancelled row stays, with its
    reason and the day it was planned again. The new intent's id; None when no cancelled
    message holds the key, or another run won."""
    key = action.key
    row = session.exec(select(ReminderMessage).where(
        ReminderMessage.creditor_id == actor.creditor_id,
        ReminderMessage.idempotency_key == key, ReminderMessage.status == CANCELLED)).first()
    if row is None or row.id is None:
        return None
    cancelled = row.id
    result = session.execute(update(ReminderMessage).where(
        col(ReminderMessage.id) == cancelled, col(ReminderMessage.idempotency_key) == key,
        col(ReminderMessage.status) == CANCELLED).values(
        idempotency_key=released_key(cancelled, key),
        meta={**row.meta, "planned_again": today.isoformat()}),
        execution_options={"creditor_id": row.creditor_id,  # app/revisions.py
                           "debtor_id": row.debtor_id})
    if not result.rowcount:  # type: ignore[attr-defined]
        session.rollback()
        return None
    message = _intent(actor, action, today)
    message.meta = {**message.meta, "replaces": cancelled}
    session.add(message)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return None
    return message.id


def claimable(creditor_id: int, now: datetime):  # type: ignore[no-untyped-def]
    """Rows waiting to be acted on: fresh intents, and temporary refusals whose time came."""
    return and_(ReminderMessage.creditor_id == creditor_id, or_(
        and_(col(ReminderMessage.status) == "intent", col(ReminderMessage.attempts) == 0),
        and_(col(ReminderMessage.status) == "retry", col(ReminderMessage.next_attempt_at) <= now)))


def pending_ids(session: Session, creditor_id: int, now: datetime) -> list[int]:
    """Messages left waiting: a retry whose time came, an intent its run did not act on within
    GRACE (it stopped). A fresh intent belongs to the run (or job) that recorded it."""
    rows = session.exec(select(ReminderMessage.id).where(
        claimable(creditor_id, now), or_(col(ReminderMessage.status) == "retry",
                                         col(ReminderMessage.created_at) < now - GRACE))
                        .order_by(col(ReminderMessage.id))).all()
    return [r for r in rows if r is not None]


def claim(session: Session, message_id: int, now: datetime) -> bool:
    """Compare-and-set: this worker, and no other, acts on the message now."""
    row = session.get(ReminderMessage, message_id)
    if row is None:
        return False
    result = session.execute(update(ReminderMessage).where(
        col(ReminderMessage.id) == message_id, col(ReminderMessage.attempts) == row.attempts,
        claimable(row.creditor_id, now)).values(
        status="intent", attempts=row.attempts + 1, next_attempt_at=now),
        execution_options={"creditor_id": row.creditor_id,  # app/revisions.py
                           "debtor_id": row.debtor_id})
    session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def reconcile(session: Session, creditor_id: int, now: datetime) -> int:
    """Claimed e-mails left unanswered past the lease become "doubt"; a letter is only a draft
    to prepare, so it simply goes back to be prepared. How many e-mails went to doubt."""
    stale = session.exec(select(ReminderMessage).where(
        ReminderMessage.creditor_id == creditor_id, ReminderMessage.status == "intent",
        col(ReminderMessage.attempts) > 0, col(ReminderMessage.next_attempt_at) < now - LEASE)).all()
    doubts = 0
    for message in stale:
        if message.channel == "email" and message.template != "mise_en_demeure":
            message.status, doubts = "doubt", doubts + 1
            message.reason = ("envoi interrompu : le serveur a peut-être reçu le message. "
                              "Vérifiez, puis marquez-le envoyé ou renvoyez-le.")
        else:
            message.attempts = 0
        session.add(message)
    session.commit()
    return doubts


def send_day(settings: Settings, today: date | None = None) -> date:
    """The day a message leaves: the run's, else the pinned or real date."""
    return today or settings.today or date.today()  # noqa: DTZ011 (local day)


def process(engine: Engine, settings: Settings, actor: Actor, message_id: int,
            today: date | None = None) -> str:
    """Act once on a claimable message, if the file still calls for it on the day it leaves
    (`send_day`): send the e-mail or prepare the letter. Its status."""
    with Session(engine, expire_on_commit=False) as session:
        now = utcnow()
        if not claim(session, message_id, now):
            return "skipped"
        message = session.get(ReminderMessage, message_id)
        assert message is not None
        session.refresh(message)
        day = send_day(settings, today)
        stale = stale_reason(session, message, day)
        if stale:  # never sent, the reason kept
            return _end(session, message, CANCELLED, f"annulé avant l'envoi : {stale}")
        store = FileStore(settings.files_dir)
        if message.channel == "letter" or message.template == "mise_en_demeure":
            return _prepare_letter(session, actor, store, message)
        return _send_email(session, settings, actor, store, message, day)


def _prepare_letter(session: Session, actor: Actor, store: FileStore,
                    message: ReminderMessage) -> str:
    """The PDF through the document generation, as a draft: printed or checked by a person."""
    debtor = session.get(Debtor, message.debtor_id)
    assert debtor is not None
    try:
        generated = documents.generate(session, actor, store, debtor, {
            "kind": message.template, "date": message.planned_for.isoformat(),
            "deadline_days": "8", "channel": "lrar"})
    except DomainError as exc:
        session.rollback()
        message.status, message.reason = "failed", f"courrier non préparé : {exc.message}"[:500]
    else:
        message.status, message.document_id = "draft", generated.document.id
        message.reason = ("projet de mise en demeure à vérifier, signer et envoyer"
                          if message.template == "mise_en_demeure"
                          else "courrier à imprimer et poster")
    session.add(message)
    session.commit()
    return message.status


def _send_email(session: Session, settings: Settings, actor: Actor, store: FileStore,
                message: ReminderMessage, day: date) -> str:
    """Composed on `day` (its figures as of that day), handed over, answered; a sent one is
    proved as sent on `day`."""
    creditor = session.get(Creditor, message.creditor_id)
    debtor = session.get(Debtor, message.debtor_id)
    assert creditor is not None and debtor is not None
    if not message.eml_sha256:  # composed once: a retry hands over the very same bytes
        try:
            composed = compose(session, store, creditor, debtor, message.template,
                               message.invoice_ids, day, settings.smtp_from)
        except DomainError as exc:
            return _end(session, message, "failed", exc.message)
        except (ValueError, TypeError, LookupError, MessageError) as exc:  # a header, a charset
            log.exception("reminder %s could not be composed", message.id)
            return _end(session, message, "failed", f"message impossible à composer ({exc}) : "
                        "vérifiez les adresses et les noms de la fiche du débiteur")
        message.eml_sha256 = store.put(composed.eml)
        message.message_id, message.to_address = composed.message_id, composed.to_address
        message.meta = {**message.meta, "sender": _sender(creditor, settings),
                        "subject": composed.subject, "attachments": list(composed.attachments)}
        session.add(message)
        session.commit()  # the bytes are known before anything leaves
    delivery = _deliver(settings, store, message)
    return _record_answer(session, actor, store, message, delivery, day)


def _end(session: Session, message: ReminderMessage, status: str, why: str) -> str:
    """Nothing was handed over: this message ends (cancelled, failed) with its reason, and
    the run goes on with the others."""
    session.rollback()
    message.status, message.reason = status, why[:500]
    session.add(message)
    session.commit()
    return message.status


def _sender(creditor: Creditor, settings: Settings) -> str:
    return creditor.sender_email or settings.smtp_from


def _deliver(settings: Settings, store: FileStore, message: ReminderMessage) -> send.Delivery:
    eml = store.read(message.eml_sha256)
    server = settings.smtp
    if server is None:
        return send.to_outbox(settings.outbox_dir, eml)
    return send.send(server, eml, message.meta["sender"], message.to_address, settings.smtp_timeout)


def _record_answer(session: Session, actor: Actor, store: FileStore, message: ReminderMessage,
                   delivery: send.Delivery, day: date) -> str:
    now = utcnow()
    message.smtp_reply = delivery.reply
    status = delivery.status
    if status == "retry" and message.attempts >= MAX_ATTEMPTS:
        status = "failed"
        message.reason = f"refus temporaire répété ({message.attempts} essais) : {delivery.reply}"
    elif status == "retry":
        delay = RETRY_DELAYS[min(message.attempts, len(RETRY_DELAYS)) - 1]
        message.next_attempt_at = now + delay
        message.reason = f"refus temporaire, nouvel essai prévu : {delivery.reply}"
    elif status == "failed":
        message.reason = f"refusé par le serveur : {delivery.reply}"
    elif status == "outbox":
        message.reason = send.NOT_SENT
    elif status == "doubt":
        message.reason = f"sort incertain, à vérifier : {delivery.reply}"
    else:
        message.sent_at, message.reason = now, ""
    message.status, message.reason = status, message.reason[:500]
    session.add(message)
    session.commit()
    if status == "sent":
        try:
            file_proof(session, actor, store, message, day)
        except DomainError as exc:  # sent all the same: say what is missing from the file
            session.rollback()
            log.warning("reminder %s sent, proof not filed: %s", message.id, exc.message)
            message.reason = f"envoyé ; copie non classée : {exc.message}"[:500]
            session.add(message)
            session.commit()
    return status
