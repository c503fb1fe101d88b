"""Steps (démarches) of a debtor's file: reminders, mise en demeure, ordonnance…"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, select

from app.errors import NotFound
from app.models import Debtor, Step, StepEvidence
from app.parsing import FormReader
from app.services import audit, balances
from app.services.context import Actor
from app.vocabulary import STEP_CHANNELS, STEP_KINDS

FIELDS = ("kind", "date", "channel", "level", "reference", "end_date", "to_person", "amount",
          "deadline_days", "notes")


def read_step(data: Mapping[str, Any]) -> dict[str, Any]:
    r = FormReader(data)
    values: dict[str, Any] = {
        "kind": r.choice("kind", STEP_KINDS, default="other"),
        "date": r.date("date"),
        "channel": r.choice("channel", STEP_CHANNELS),
        "level": r.integer("level", minimum=1, maximum=3),
        "reference": r.text("reference", max_length=120),
        "end_date": r.date("end_date", required=False),
        "to_person": None,
        "amount": r.money("amount", required=False),
        "deadline_days": r.integer("deadline_days", minimum=1, maximum=90),
        "notes": r.text("notes", max_length=5000),
    }
    if values["kind"] == "signification":
        # à personne only when said so: an unticked box sends nothing, as does JSON's false
        # once read (CPC 1416 al. 2: else no opposition deadline can be fixed, LAW.md §5)
        values["to_person"] = r.flag("to_person")
    if values["kind"] == "reminder" and values["level"] is None:
        values["level"] = 1
    if values["kind"] == "mise_en_demeure" and values["deadline_days"] is None:
        values["deadline_days"] = 8
    if values["end_date"] and values["date"] and values["end_date"] < values["date"]:
        r.error("end_date", "La date de fin ne peut pas précéder la date de début.")
    r.check()
    return values


def get(session: Session, actor: Actor, step_id: int) -> Step:
    step = session.get(Step, step_id)
    if step is None or step.creditor_id != actor.creditor_id:
        raise NotFound("Démarche")
    return step


def of_debtor(session: Session, debtor: Debtor) -> list[Step]:
    return list(session.exec(select(Step).where(Step.debtor_id == debtor.id)
                             .order_by(Step.date, Step.id)))  # type: ignore[arg-type]


def create(session: Session, actor: Actor, debtor: Debtor, data: Mapping[str, Any]) -> Step:
    actor.require_write()
    step = Step(creditor_id=actor.creditor_id, debtor_id=debtor.id, **read_step(data))  # type: ignore[arg-type]
    session.add(step)
    session.flush()
    audit.record(session, actor, action="create", obj=step, debtor_id=debtor.id,
                 summary=f"Démarche ajoutée : {STEP_KINDS[step.kind]}",
                 changes=audit.snapshot(step, FIELDS))
    balances.after_step(session, step.kind, debtor.id)
    session.commit()
    return step


def update(session: Session, actor: Actor, step: Step, data: Mapping[str, Any]) -> Step:
    actor.require_write()
    values = read_step(data)
    before = step.kind
    audit.apply_changes(session, actor, step, values, FIELDS, debtor_id=step.debtor_id,
                        summary=f"Démarche modifiée : {STEP_KINDS[values['kind']]}")
    session.flush()
    balances.after_step(session, before, step.debtor_id)
    if step.kind != before:
        balances.after_step(session, step.kind, step.debtor_id)
    session.commit()
    return step


def delete(session: Session, actor: Actor, step: Step) -> None:
    actor.require_write()
    audit.record(session, actor, action="delete", obj=step, debtor_id=step.debtor_id,
                 summary=f"Démarche supprimée : {STEP_KINDS[step.kind]}",
                 changes=audit.snapshot(step, FIELDS))
    for link in session.exec(select(StepEvidence).where(StepEvidence.step_id == step.id)):
        session.delete(link)
    session.delete(step)
    session.flush()
    balances.after_step(session, step.kind, step.debtor_id)
    session.commit()
