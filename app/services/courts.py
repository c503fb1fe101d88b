"""The creditor's list of courts (name and address), offered again for later requêtes.

The app determines the court type from the debtor's seat (CPC 1406, `competent_court`); the
user confirms the court's name and address from this editable list. No published directory of
the courts with their territorial competence by postcode could be compiled (the Ministry's
open data maps INSEE communes to tribunaux judiciaires only, and is not reachable offline), so
a court typed once is remembered for the debtor's town and proposed for the next debtor there,
for the user to confirm (CPC 54 1°: the requête names its court).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from app.errors import NotFound
from app.law.calendar import department_from_postcode
from app.law.procedures import Court as CourtType
from app.law.procedures import competent_court, normalise_city
from app.models import Court, CourtPlace, Debtor
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


# Both read by every debtor page: built once, their values bound at each run.
OF_CREDITOR = select(Court).where(Court.creditor_id == bindparam("creditor_id")) \
    .order_by(col(Court.name))
PROPOSED = select(Court).join(CourtPlace, col(CourtPlace.court_id) == Court.id).where(
    CourtPlace.creditor_id == bindparam("creditor_id"), CourtPlace.kind == bindparam("kind"),
    CourtPlace.place == bindparam("place"))


# Every court the creditor named for a town, by court type and town (`place_key`).
PLACES = select(CourtPlace.kind, CourtPlace.place, Court).join(
    Court, col(CourtPlace.court_id) == Court.id).where(
    CourtPlace.creditor_id == bindparam("creditor_id")).order_by(col(CourtPlace.id))
COURT_COLUMNS = ("id", "creditor_id", "kind", "name", "street", "postal_code", "city")


def named_places(session: Session, creditor_id: int) -> dict[tuple[str, str], tuple[object, ...]]:
    """(court type, town) → the columns (COURT_COLUMNS) of the court last named there, as plain
    values (app/services/creditor_lists.py); `proposed` reads one of them."""
    found: dict[tuple[str, str], tuple[object, ...]] = {}
    for kind, place, court in session.exec(PLACES, params={"creditor_id": creditor_id}):
        found.setdefault((kind, place), tuple(getattr(court, c) for c in COURT_COLUMNS))
    return found


def proposed_from(places: Mapping[tuple[str, str], tuple[object, ...]],
                  debtor: Debtor) -> Court | None:
    """`proposed`, from the creditor's `named_places`: a court of its own, never in a session."""
    key = place_key(debtor)
    values = places.get((court_type(debtor).kind, key)) if key else None
    return None if values is None else Court(**dict(zip(COURT_COLUMNS, values, strict=True)))


def of_creditor(session: Session, actor: Actor) -> list[Court]:
    return list(session.exec(OF_CREDITOR, params={"creditor_id": actor.creditor_id}))


@dataclass(frozen=True, slots=True)
class CourtChoice:
    """A court of the creditor's list, as the letters' form offers it."""

    id: int
    name: str
    city: str


def choices(session: Session, actor: Actor) -> tuple[CourtChoice, ...]:
    """The creditor's courts by name, as plain values (app/services/creditor_lists.py)."""
    return tuple(CourtChoice(c.id, c.name, c.city)  # type: ignore[arg-type]
                 for c in of_creditor(session, actor))


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


def add(session: Session, actor: Actor, data: Mapping[str, Any], commit: bool = True,
        debtor: Debtor | None = None) -> Court:
    """A new court; added from a debtor's page, it is remembered for that debtor's town."""
    actor.require_write()
    court = Court(creditor_id=actor.creditor_id, **read_court(data))
    session.add(court)
    session.flush()
    if debtor is not None:
        remember(session, actor, debtor, court)
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


def place_key(debtor: Debtor) -> str:
    """'49:angers': the debtor's department and town, the unit a court is remembered for."""
    town = normalise_city(debtor.city)
    if not town or debtor.country != "FR":
        return ""
    return f"{department_from_postcode(debtor.postal_code) or ''}:{town}"[:140]


def proposed(session: Session, creditor_id: int, debtor: Debtor) -> Court | None:
    """The court last named for a debtor of the same town and court type, if any."""
    key = place_key(debtor)
    if not key:
        return None
    return session.exec(PROPOSED, params={"creditor_id": creditor_id,
                                          "kind": court_type(debtor).kind, "place": key}).first()


def remember(session: Session, actor: Actor, debtor: Debtor, court: Court) -> None:
    """Keep `court` as the one to propose for debtors of this town (no commit)."""
    key = place_key(debtor)
    if not key or court.kind != court_type(debtor).kind:
        return
    kind = court_type(debtor).kind
    row = session.exec(select(CourtPlace).where(
        CourtPlace.creditor_id == actor.creditor_id, CourtPlace.kind == kind,
        CourtPlace.place == key)).first()
    if row is None:
        row = CourtPlace(creditor_id=actor.creditor_id, court_id=court.id, kind=kind, place=key)
    row.court_id = court.id  # type: ignore[assignment]
    session.add(row)

