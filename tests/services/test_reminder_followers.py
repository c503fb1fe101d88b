"""After a change to a creditor's scenarios, the next actions its debtors show are stored again
by a job of the queue (app/services/reminders/followers.py), on the hand-computed portfolio of
tests/dashboard/portfolio.py (22 Nov 2026): Durand BTP's relance 3 comes at J+30 of A-31
(due 22 Oct), or at J+40 once the scenario says so."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlmodel import Session

from app.law.reminder_scenario import ScenarioStep
from app.models import Creditor, Debtor
from app.queue import InlineQueue, Runtime
from app.services import alerts
from app.services.context import Actor
from app.services.reminders import followers, scenario_admin
from app.services.reminders.scenarios import ensure_default, steps_of
from tests.dashboard.portfolio import build

TODAY = date(2026, 11, 22)


@pytest.fixture
def queue(engine, settings) -> Iterator[InlineQueue]:  # type: ignore[no-untyped-def]
    queue = InlineQueue(Runtime(engine, settings))
    yield queue
    queue.close()


def relance_3_at(session: Session, owner: Actor, offset: int) -> None:
    scenario = ensure_default(session, owner.creditor_id)
    steps = [ScenarioStep(offset if s.template == "relance_3" else s.offset_days, s.channel,
                          s.template) for s in steps_of(session, scenario.id)]  # type: ignore[arg-type]
    scenario_admin.replace_steps(session, owner, scenario, steps)


def revision(session: Session, owner: Actor) -> int:
    creditor = session.get(Creditor, owner.creditor_id)
    assert creditor is not None
    session.refresh(creditor)
    return creditor.revision


def durand(session: Session, ids: dict[str, int]) -> tuple[str, date | None]:
    debtor = session.get(Debtor, ids["A"])
    assert debtor is not None
    session.refresh(debtor)
    return debtor.next_action, debtor.next_action_date


def test_the_next_actions_are_stored_again_and_the_kept_pages_dropped_only_if_one_moved(
        session: Session, owner: Actor) -> None:
    ids = build(session, owner)
    alerts.refresh_stale(session, TODAY)
    relance_3_at(session, owner, 40)
    letter = "Relance 3 par courrier (scénario) : l'imprimer et la poster"
    assert durand(session, ids) == (letter, TODAY)  # stored before the change
    before = revision(session, owner)
    assert followers.refresh(session, owner.creditor_id, TODAY) == 1  # Durand only
    assert durand(session, ids) == (letter, date(2026, 12, 1))
    assert revision(session, owner) > before  # the list kept with the old date: rendered again
    before = revision(session, owner)
    assert followers.refresh(session, owner.creditor_id, TODAY) == 0  # nothing moved: kept
    assert revision(session, owner) == before


def test_a_debtor_not_up_to_date_today_is_left_to_the_page_that_reads_it(
        session: Session, owner: Actor) -> None:
    ids = build(session, owner)
    alerts.refresh_stale(session, TODAY)
    relance_3_at(session, owner, 40)
    alerts.mark_stale(session, ids["A"], owner.creditor_id)
    session.commit()
    assert followers.refresh(session, owner.creditor_id, TODAY) == 0
    assert alerts.refresh_stale(session, TODAY, owner.creditor_id) == 1  # as a list would
    assert durand(session, ids)[1] == date(2026, 12, 1)


def test_the_job_runs_on_the_queue(session: Session, owner: Actor, queue: InlineQueue,
                                   settings) -> None:  # type: ignore[no-untyped-def]
    settings.today = TODAY
    ids = build(session, owner)
    alerts.refresh_stale(session, TODAY)
    relance_3_at(session, owner, 40)
    followers.refresh_later(queue, owner.creditor_id)
    followers.refresh_later(queue, owner.creditor_id)  # one waiting already, or a second run
    queue.drain()
    assert durand(session, ids)[1] == date(2026, 12, 1)


def test_a_failed_run_is_retried(session: Session, owner: Actor, queue: InlineQueue, settings,  # type: ignore[no-untyped-def]
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected error (a lock timeout) runs the job again; the next actions are stored."""
    settings.today = TODAY
    ids = build(session, owner)
    alerts.refresh_stale(session, TODAY)
    relance_3_at(session, owner, 40)
    real, calls = followers.refresh, []

    def flaky(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:
            raise OSError("database is locked")
        return real(*args, **kwargs)

    monkeypatch.setattr(followers, "refresh", flaky)
    followers.refresh_later(queue, owner.creditor_id)
    queue.drain()
    assert len(calls) == 2
    assert durand(session, ids)[1] == date(2026, 12, 1)
