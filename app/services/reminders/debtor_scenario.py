"""The scenario a debtor follows: its creditor's default, another one, or none.

Read only on the pages (`followed`, `scenario_choices`): the creditor's default scenario is
created by the settings page and the reminder run (scenarios.ensure_default), never by showing
a debtor's page, so a kept page stays kept (app/web/page_cache.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from app.errors import ValidationFailed
from app.law.reminder_scenario import DEFAULT_NAME, DEFAULT_STEPS, ScenarioStep
from app.models import Debtor, ReminderScenario
from app.services import audit
from app.services.context import Actor
from app.services.reminders.scenarios import steps_of

OFF, DEFAULT = "off", ""


def default_scenario(session: Session, creditor_id: int) -> ReminderScenario | None:
    """The creditor's default scenario if it was created yet (pages only read: the settings
    page and the reminder run create it, app/services/reminders/scenarios.ensure_default)."""
    return session.exec(select(ReminderScenario).where(
        ReminderScenario.creditor_id == creditor_id, col(ReminderScenario.is_default))).first()


# Read at every render of a debtor's page: built once (building it cost more than running it).
OF_CREDITOR = select(ReminderScenario).where(
    ReminderScenario.creditor_id == bindparam("creditor_id")).order_by(col(ReminderScenario.name))


def of_creditor(session: Session, creditor_id: int) -> list[ReminderScenario]:
    """The creditor's scenarios by name (one read for the debtor page's section)."""
    return list(session.exec(OF_CREDITOR, params={"creditor_id": creditor_id}))


@dataclass(frozen=True, slots=True)
class ScenarioSeen:
    """A scenario of the creditor, as the debtor page offers and names it."""

    id: int
    name: str
    is_default: bool


def seen(session: Session, creditor_id: int) -> tuple[ScenarioSeen, ...]:
    """`of_creditor` as plain values (app/services/creditor_lists.py)."""
    return tuple(ScenarioSeen(s.id, s.name, s.is_default)  # type: ignore[arg-type]
                 for s in of_creditor(session, creditor_id))


def followed(session: Session, debtor: Debtor, scenarios: Sequence[ScenarioSeen] | None = None
             ) -> tuple[str, list[ScenarioStep]] | None:
    """The name and steps of the scenario the debtor follows (None: no reminders), read only.
    `scenarios`: the creditor's, when already read."""
    if debtor.reminders_off:
        return None
    if scenarios is None:
        scenarios = seen(session, debtor.creditor_id)
    by_id = {s.id: s for s in scenarios}
    own = by_id.get(debtor.reminder_scenario_id) if debtor.reminder_scenario_id else None
    if own is None:
        own = next((s for s in scenarios if s.is_default), None)
    if own is None:
        return DEFAULT_NAME, list(DEFAULT_STEPS)
    return own.name, steps_of(session, own.id)


def scenario_choices(session: Session, creditor_id: int,
                     scenarios: Sequence[ScenarioSeen] | None = None) -> dict[str, str]:
    """The options of "scénario de relance" on the debtor page (`scenarios`: the creditor's,
    when already read)."""
    if scenarios is None:
        scenarios = seen(session, creditor_id)
    default = next((s for s in scenarios if s.is_default), None)
    choices = {DEFAULT: "Scénario par défaut du créancier "
                        f"({default.name if default else DEFAULT_NAME})"}
    for scenario in scenarios:
        if not scenario.is_default:
            choices[str(scenario.id)] = scenario.name
    choices[OFF] = "Aucune relance automatique"
    return choices


def choice_of(debtor: Debtor) -> str:
    if debtor.reminders_off:
        return OFF
    return str(debtor.reminder_scenario_id) if debtor.reminder_scenario_id else DEFAULT


def set_scenario(session: Session, actor: Actor, debtor: Debtor,
                 data: Mapping[str, Any]) -> Debtor:
    actor.require_write()
    choices = scenario_choices(session, actor.creditor_id)
    choice = str(data.get("scenario", "")).strip()
    if choice not in choices:
        raise ValidationFailed({"scenario": "Choisissez un scénario de ce créancier."})
    values = {"reminders_off": choice == OFF,
              "reminder_scenario_id": int(choice) if choice not in (OFF, DEFAULT) else None}
    audit.apply_changes(session, actor, debtor, values, tuple(values), debtor_id=debtor.id,
                        summary=f"Scénario de relance : {choices[choice]}")
    session.commit()
    return debtor
