"""The creditor's sender for reminders: name, From, Reply-To, "envoi automatique", minimum.

`read_sender` is the one validator of these fields, for the settings page and the API;
`update_profile` reads the whole creditor profile (app/services/creditors.py) and the sender
together, so an API PUT gets every error at once and saves nothing on any.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from app.errors import ValidationFailed
from app.formatting import number_fr
from app.models import Creditor
from app.parsing import FormReader
from app.services import audit, creditors
from app.services.context import Actor

SENDER_FIELDS = ("sender_name", "sender_email", "reply_to", "reminders_auto",
                 "reminder_min_amount")


def read_sender(data: Mapping[str, Any]) -> dict[str, Any]:
    r = FormReader(data)
    values = {
        "sender_name": r.text("sender_name", max_length=200),
        "sender_email": r.email("sender_email"),
        "reply_to": r.email("reply_to"),
        "reminders_auto": r.flag("reminders_auto"),
        "reminder_min_amount": r.money("reminder_min_amount", required=False) or Decimal("0.00"),
    }
    if '"' in values["sender_name"] or "<" in values["sender_name"]:
        r.error("sender_name", "Ni guillemets ni chevrons dans le nom de l'expéditeur.")
    r.check()
    return values


def sender_values(creditor: Creditor) -> dict[str, Any]:
    """The sender form's values from the stored row."""
    return {"sender_name": creditor.sender_name, "sender_email": creditor.sender_email,
            "reply_to": creditor.reply_to, "reminders_auto": creditor.reminders_auto,
            "reminder_min_amount": number_fr(creditor.reminder_min_amount)}


def update_sender(session: Session, actor: Actor, data: Mapping[str, Any]) -> Creditor:
    actor.require_write()
    creditor = creditors.get(session, actor)
    audit.apply_changes(session, actor, creditor, read_sender(data), SENDER_FIELDS,
                        summary="Expéditeur des relances modifié : {fields}")
    session.commit()
    return creditor


def profile_values(creditor: Creditor) -> dict[str, Any]:
    """The whole profile as the readers take it (what an API PUT starts from)."""
    return {**creditors.form_values(creditor), **sender_values(creditor)}


def update_profile(session: Session, actor: Actor, data: Mapping[str, Any],
                   today: date | None = None) -> Creditor:
    """Identity and sender at once: the fields `data` leaves out keep their value."""
    actor.require_write()
    creditor = creditors.get(session, actor)
    merged = {**profile_values(creditor), **data}
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for reader in (lambda: creditors.read_creditor(merged, today), lambda: read_sender(merged)):
        try:
            values |= reader()
        except ValidationFailed as exc:
            errors |= exc.errors
    if errors:
        raise ValidationFailed(errors)
    fields = creditors.FIELDS + creditors.LAW_FIELDS + SENDER_FIELDS
    audit.apply_changes(session, actor, creditor, values, fields,
                        summary="Profil du créancier modifié : {fields}")
    session.commit()
    return creditor
