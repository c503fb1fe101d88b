"""A creditor's reminder scenarios edited: list, create, save the steps, choose the default.

Every change is whole or nothing: the steps are read and checked first
(app/services/reminders/steps_input.py), then the old rows are replaced in one transaction,
audited with the steps before and after.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.errors import NotFound, ValidationFailed
from app.law.reminder_scenario import ScenarioStep
from app.models import Debtor, ReminderScenario, ReminderScenarioStep
from app.parsing import FormReader
from app.services import audit
from app.services.context import Actor
from app.services.reminders.scenarios import ensure_default, steps_of
from app.services.reminders.steps_input import as_labels


@dataclass(frozen=True)
class ScenarioView:
    scenario: ReminderScenario
    steps: list[ScenarioStep]
    debtor_count: int  # debtors that chose it by name


def list_scenarios(session: Session, creditor_id: int) -> list[ScenarioView]:
    """The default first, then by name."""
    ensure_default(session, creditor_id)
    scenarios = session.exec(select(ReminderScenario).where(
        ReminderScenario.creditor_id == creditor_id).order_by(
        col(ReminderScenario.is_default).desc(), col(ReminderScenario.name)))
    return [ScenarioView(s, steps_of(session, s.id), _users(session, s))  # type: ignore[arg-type]
            for s in scenarios]


def _users(session: Session, scenario: ReminderScenario) -> int:
    return len(session.exec(select(Debtor.id).where(
        Debtor.reminder_scenario_id == scenario.id)).all())


def get(session: Session, actor: Actor, scenario_id: int) -> ReminderScenario:
    scenario = session.get(ReminderScenario, scenario_id)
    if scenario is None or scenario.creditor_id != actor.creditor_id:
        raise NotFound("Scénario de relance")
    return scenario


def read_name(session: Session, actor: Actor, data: Mapping[str, Any],
              scenario: ReminderScenario | None = None) -> str:
    r = FormReader(data)
    name = r.text("name", required=True, max_length=80, label="Le nom du scénario")
    r.check()
    clash = session.exec(select(ReminderScenario.id).where(
        ReminderScenario.creditor_id == actor.creditor_id, ReminderScenario.name == name)).first()
    if clash is not None and (scenario is None or clash != scenario.id):
        raise ValidationFailed({"name": f"Un scénario s'appelle déjà « {name} »."})
    return name


def _summary(steps: Sequence[ScenarioStep]) -> str:
    return ", ".join(as_labels(steps))


def replace_steps(session: Session, actor: Actor, scenario: ReminderScenario,
                  steps: Sequence[ScenarioStep], name: str | None = None) -> None:
    """Save `steps` (already read) and the name, audited; commits."""
    actor.require_write()
    before = steps_of(session, scenario.id)  # type: ignore[arg-type]
    for row in session.exec(select(ReminderScenarioStep).where(
            ReminderScenarioStep.scenario_id == scenario.id)):
        session.delete(row)
    session.flush()
    _add_steps(session, scenario, steps)
    changes: dict[str, Any] = {}
    if list(before) != list(steps):
        changes["steps"] = [as_labels(before), as_labels(steps)]
    if name is not None and name != scenario.name:
        changes["name"] = [scenario.name, name]
        scenario.name = name
        session.add(scenario)
    if changes:
        audit.record(session, actor, action="update", obj=scenario, changes=changes,
                     summary=f"Scénario de relance « {scenario.name} » modifié : "
                             f"{_summary(steps)}")
    session.commit()


def _add_steps(session: Session, scenario: ReminderScenario,
               steps: Sequence[ScenarioStep]) -> None:
    for position, step in enumerate(steps):
        session.add(ReminderScenarioStep(scenario_id=scenario.id, position=position,  # type: ignore[arg-type]
                                         offset_days=step.offset_days, channel=step.channel,
                                         template=step.template))
    session.flush()


def create(session: Session, actor: Actor, data: Mapping[str, Any]) -> ReminderScenario:
    """A new scenario, starting from the default's steps."""
    actor.require_write()
    name = read_name(session, actor, data)
    default = ensure_default(session, actor.creditor_id)
    steps = steps_of(session, default.id)  # type: ignore[arg-type]
    scenario = ReminderScenario(creditor_id=actor.creditor_id, name=name)
    session.add(scenario)
    session.flush()
    _add_steps(session, scenario, steps)
    audit.record(session, actor, action="create", obj=scenario,
                 summary=f"Scénario de relance « {name} » créé : {_summary(steps)}",
                 changes={"name": name, "steps": as_labels(steps)})
    session.commit()
    return scenario


def set_default(session: Session, actor: Actor, scenario: ReminderScenario) -> None:
    actor.require_write()
    if scenario.is_default:
        return
    previous = ensure_default(session, actor.creditor_id)
    previous.is_default = False
    session.add(previous)
    session.flush()  # one default at any time
    scenario.is_default = True
    session.add(scenario)
    audit.record(session, actor, action="update", obj=scenario,
                 summary=f"Scénario par défaut : « {scenario.name} » (au lieu de "
                         f"« {previous.name} »)",
                 changes={"is_default": [False, True]})
    session.commit()


def delete(session: Session, actor: Actor, scenario: ReminderScenario) -> None:
    """Its debtors go back to the default; the default itself cannot be deleted."""
    actor.require_write()
    if scenario.is_default:
        raise ValidationFailed({"scenario": "Le scénario par défaut ne peut pas être supprimé : "
                                            "choisissez d'abord un autre scénario par défaut."})
    session.exec(update(Debtor).where(col(Debtor.reminder_scenario_id) == scenario.id)  # type: ignore[call-overload]
                 .values(reminder_scenario_id=None)
                 .execution_options(synchronize_session="fetch", creditor_id=actor.creditor_id))
    for row in session.exec(select(ReminderScenarioStep).where(
            ReminderScenarioStep.scenario_id == scenario.id)):
        session.delete(row)
    audit.record(session, actor, action="delete", obj=scenario,
                 summary=f"Scénario de relance « {scenario.name} » supprimé",
                 changes={"name": scenario.name})
    session.flush()
    session.delete(scenario)
    session.commit()
