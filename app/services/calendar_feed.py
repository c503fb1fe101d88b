"""An iCalendar (.ics) feed of a creditor's deadlines, behind a secret URL token."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from icalendar import Alarm, Calendar, Event
from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from app.errors import NotFound
from app.law.severity import LEVEL_LABELS, reminder_days
from app.models import AlertEntry, Creditor, Debtor
from app.models.types import utcnow
from app.security import new_token, same
from app.services import alerts
from app.services.context import Actor

REMINDER_HOUR = 9  # reminders ring at 09:00 on their day, not at midnight


# Read at every render of the deadlines page (its feed's address): the one column, built once.
TOKEN = select(Creditor.calendar_token).where(Creditor.id == bindparam("creditor_id"))


def token_of(session: Session, actor: Actor) -> str:
    token = session.connection().execute(TOKEN, {"creditor_id": actor.creditor_id}).scalar()
    if token:
        return token  # type: ignore[no-any-return]
    creditor = session.get(Creditor, actor.creditor_id)
    assert creditor is not None
    if not creditor.calendar_token:
        creditor.calendar_token = new_token()
        session.add(creditor)
        session.commit()
    return creditor.calendar_token


def _creditor_for(session: Session, token: str) -> Creditor:
    creditor = session.exec(select(Creditor).where(Creditor.calendar_token == token)).first() \
        if len(token) >= 20 else None
    if creditor is None or not same(creditor.calendar_token, token):
        raise NotFound("Calendrier")
    return creditor


def feed(session: Session, token: str, today: date) -> bytes:
    creditor = _creditor_for(session, token)
    alerts.refresh_stale(session, today, creditor_id=creditor.id)
    rows = session.exec(
        select(AlertEntry, Debtor).join(Debtor, col(Debtor.id) == AlertEntry.debtor_id)
        .where(AlertEntry.creditor_id == creditor.id).order_by(AlertEntry.date))  # type: ignore[arg-type]
    calendar = Calendar()
    calendar.add("prodid", "-//Contentieux//Échéances//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Échéances — {creditor.legal_name}")
    stamp = utcnow()
    for entry, debtor in rows:
        calendar.add_component(_event(entry, debtor, stamp))
    return calendar.to_ical()


def _event(entry: AlertEntry, debtor: Debtor, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"alert-{entry.debtor_id}-{entry.key}-{entry.date.isoformat()}@contentieux")
    event.add("dtstamp", stamp)
    event.add("dtstart", entry.date)
    event.add("dtend", entry.date + timedelta(days=1))
    label = LEVEL_LABELS.get(entry.severity, entry.severity)
    event.add("summary", f"{debtor.legal_name} — {entry.title}")
    event.add("description", f"{label}\n{entry.consequence}\nÀ faire : {entry.action}\n"
                             f"({entry.article})")
    event.add("categories", [alerts.KEY_LABELS.get(entry.key, entry.key), label])
    event.add_component(_alarm(entry, label, debtor))
    return event


def _alarm(entry: AlertEntry, label: str, debtor: Debtor) -> Alarm:
    """A reminder at 09:00 the alert's lead time before its date (on the day when none)."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"{label} : {debtor.legal_name} — {entry.action}")
    days = reminder_days(entry.key, entry.severity)
    alarm.add("trigger", timedelta(days=-days, hours=REMINDER_HOUR))
    return alarm
