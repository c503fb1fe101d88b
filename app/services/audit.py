"""Append-only audit trail: who changed what, when, with before/after values."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, bindparam
from sqlmodel import Session, SQLModel, select

from app.models import AuditEvent
from app.services import alerts  # the module: alerts → law_facts → courts imports audit
from app.services.audit_labels import in_sentence
from app.services.context import Actor


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def snapshot(obj: SQLModel, fields: Iterable[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """{field: [before, after]} for the fields that changed."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def record(session: Session, actor: Actor | None, *, action: str, obj: SQLModel,
           summary: str, debtor_id: int | None = None, changes: dict[str, Any] | None = None,
           creditor_id: int | None = None) -> AuditEvent:
    event = AuditEvent(
        creditor_id=creditor_id if creditor_id is not None else (actor.creditor_id if actor else None),
        debtor_id=debtor_id,
        user_id=actor.user_id if actor else None,
        action=action,
        object_type=type(obj).__name__.lower(),
        object_id=getattr(obj, "id", None),
        summary=summary[:500],
        changes=changes or {},
    )
    session.add(event)
    if debtor_id is not None:
        alerts.mark_stale(session, debtor_id, event.creditor_id)
    return event


def apply_changes(session: Session, actor: Actor, obj: SQLModel, values: dict[str, Any],
                  fields: Iterable[str], *, summary: str, debtor_id: int | None = None
                  ) -> dict[str, Any]:
    """Set `values` on `obj` and audit what really changed, with before/after values.
    `summary` may name the changed fields with a `{fields}` marker."""
    fields = tuple(fields)
    before = snapshot(obj, fields)
    for name, value in values.items():
        setattr(obj, name, value)
    session.add(obj)
    changes = diff(before, snapshot(obj, fields))
    if changes:
        record(session, actor, action="update", obj=obj, debtor_id=debtor_id,
               summary=summary.replace("{fields}", ", ".join(map(in_sentence, changes))),
               changes=changes)
    return changes


# Read by every debtor page: built once, the creditor, debtor and limit bound at each run.
DEBTOR_HISTORY = (
    select(AuditEvent)
    .where(AuditEvent.creditor_id == bindparam("creditor_id"),
           AuditEvent.debtor_id == bindparam("debtor_id"))
    .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())  # type: ignore[attr-defined]
    .limit(bindparam("limit", type_=Integer))
)


def debtor_history(session: Session, actor: Actor, debtor_id: int, limit: int = 200
                   ) -> list[AuditEvent]:
    return list(session.exec(DEBTOR_HISTORY, params={
        "creditor_id": actor.creditor_id, "debtor_id": debtor_id, "limit": limit}))
