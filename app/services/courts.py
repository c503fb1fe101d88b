"""The creditor's list of courts (name and address), offered again for later requêtes.

The app determines the court type from the debtor's seat (CPC 1406, `competent_court`); the
user confirms the court's name and address from this editable list.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, col, select

from app.errors import NotFound
from app.law.calendar import department_from_postcode
from app.law.procedures import Court as CourtType
from app.law.procedures import competent_court
from app.models import Court, Debtor
from app.parsing import FormReader
from app.services import audit
from app.services.context import Actor

COURT_KINDS = {
    "tribunal_commerce": "Tribunal de commerce",
    "tae": "Tribunal des activités économiques",
    "tribunal_judiciaire": "Tribunal judiciaire",
    "chambre_commerciale_tj": "Tribunal judiciaire (chambre commerciale)",
}
FIELDS = ("kind", "name", "street", "postal_code", "city")


def court_type(debtor: Debtor) -> CourtType:
    """The court type for this debtor's requête (CPC 1406), from its seat or domicile."""
    return competent_court(
        commercial=debtor.kind == "company" and debtor.is_merchant,
        city=debtor.city,
        department=department_from_postcode(debtor.postal_code),
    )


def of_creditor(session: Session, actor: Actor) -> list[Court]:
    query = select(Court).where(Court.creditor_id == actor.creditor_id).order_by(col(Court.name))
    return list(session.exec(query))


def get(session: Session, actor: Actor, court_id: int) -> Court:
    court = session.get(Court, court_id)
    if court is None or court.creditor_id != actor.creditor_id:
        raise NotFound("Juridiction")
    return court


def read_court(data: Mapping[str, Any], prefix: str = "court_") -> dict[str, Any]:
    r = FormReader({key.removeprefix(prefix): value for key, value in data.items()})
    values = {
        "kind": r.choice("kind", COURT_KINDS, default="tribunal_commerce"),
        "name": r.text("name", required=True, max_length=200, label="Le nom de la juridiction"),
        "street": r.text("street", max_length=300),
        "postal_code": r.text("postal_code", max_length=10),
        "city": r.text("city", required=True, max_length=120, label="La ville"),
    }
    r.errors = {prefix + key: message for key, message in r.errors.items()}
    r.check()
    return values


def add(session: Session, actor: Actor, data: Mapping[str, Any], commit: bool = True) -> Court:
    actor.require_write()
    court = Court(creditor_id=actor.creditor_id, **read_court(data))
    session.add(court)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        obj=court,
        summary=f"Juridiction ajoutée : {court.name}",
        changes=audit.snapshot(court, FIELDS),
    )
    if commit:
        session.commit()
    return court


def update(session: Session, actor: Actor, court: Court, data: Mapping[str, Any]) -> Court:
    actor.require_write()
    before = audit.snapshot(court, FIELDS)
    for name, value in read_court(data).items():
        setattr(court, name, value)
    session.add(court)
    audit.record(
        session,
        actor,
        action="update",
        obj=court,
        summary=f"Juridiction modifiée : {court.name}",
        changes=audit.diff(before, audit.snapshot(court, FIELDS)),
    )
    session.commit()
    return court
