"""Reminder scenarios: the creditor's default (created on first use) and a debtor's own."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.law.reminder_scenario import DEFAULT_NAME, DEFAULT_STEPS, ScenarioStep
from app.models import Debtor, ReminderScenario, ReminderScenarioStep


def find_default(session: Session, creditor_id: int) -> ReminderScenario | None:
    """The creditor's default scenario, if it was made."""
    return session.exec(
        select(ReminderScenario).where(
            ReminderScenario.creditor_id == creditor_id, col(ReminderScenario.is_default)
        )
    ).first()


def ensure_default(session: Session, creditor_id: int) -> ReminderScenario:
    """The creditor's default scenario; the practice's one (J-5 … J+45) the first time.
    Two pages or runs on a new creditor may both find none: the unique (creditor, name) lets
    one insert it; the other's savepoint is undone and it reads the winner's, its own
    transaction untouched."""
    found = find_default(session, creditor_id)
    if found is not None:
        return found
    try:
        with session.begin_nested():
            return _make_default(session, creditor_id)
    except IntegrityError:
        found = find_default(session, creditor_id)
        if found is None:  # refused for another reason
            raise
        return found


def _make_default(session: Session, creditor_id: int) -> ReminderScenario:
    scenario = ReminderScenario(creditor_id=creditor_id, name=DEFAULT_NAME, is_default=True)
    session.add(scenario)
    session.flush()
    assert scenario.id is not None
    session.add_all(
        ReminderScenarioStep(scenario_id=scenario.id, position=position,
                             offset_days=step.offset_days, channel=step.channel,
                             template=step.template)
        for position, step in enumerate(DEFAULT_STEPS))
    session.flush()
    return scenario


def steps_of(session: Session, scenario_id: int) -> list[ScenarioStep]:
    rows = session.exec(
        select(ReminderScenarioStep)
        .where(ReminderScenarioStep.scenario_id == scenario_id)
        .order_by(col(ReminderScenarioStep.position), col(ReminderScenarioStep.id))
    ).all()
    return [ScenarioStep(r.offset_days, r.channel, r.template) for r in rows]


def scenario_for(session: Session, debtor: Debtor) -> ReminderScenario | None:
    """The scenario a debtor follows: its own, else its creditor's default; None if off."""
    if debtor.reminders_off:
        return None
    return _own(session, debtor) or ensure_default(session, debtor.creditor_id)


def steps_followed(session: Session, debtor: Debtor) -> tuple[ScenarioStep, ...] | None:
    """The steps of `scenario_for`, None if off, without writing: while the creditor's
    default scenario is not made yet, the practice's steps it will be made with."""
    if debtor.reminders_off:
        return None
    scenario = _own(session, debtor) or find_default(session, debtor.creditor_id)
    return DEFAULT_STEPS if scenario is None else tuple(steps_of(session, scenario.id))  # type: ignore[arg-type]


def _own(session: Session, debtor: Debtor) -> ReminderScenario | None:
    if debtor.reminder_scenario_id is None:
        return None
    own = session.get(ReminderScenario, debtor.reminder_scenario_id)
    return own if own is not None and own.creditor_id == debtor.creditor_id else None
