"""The debtor page's reminders section: log a call (and a promise), correct or cancel a
promise, stop or resume the reminders, choose the scenario. Answers like the other sections
(app/web/sections.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.errors import ValidationFailed
from app.models import Debtor
from app.services.context import Actor
from app.services.reminders import calls, debtor_scenario, holds, promise_edit
from app.web.deps import ActorDep, DebtorDep, SessionDep, TodayDep
from app.web.forms import form_data, row_id
from app.web.sections import section_response

router = APIRouter()
BLOCK = "reminders"


async def _post(request: Request, debtor: Debtor, actor: Actor, session: SessionDep,
                today: Any, form: str, save: Callable[[dict[str, str]], object]) -> Response:
    data = await form_data(request)
    try:
        save(data)
    except ValidationFailed as exc:
        session.rollback()
        return section_response(request, session, actor, debtor, today, block=BLOCK, form=form,
                                values=data, errors=exc.errors)
    return section_response(request, session, actor, debtor, today, block=BLOCK)


@router.post("/debtors/{debtor_id}/calls", name="call_create")
async def call_create(request: Request, debtor: DebtorDep, actor: ActorDep,
                      session: SessionDep, today: TodayDep) -> Response:
    return await _post(request, debtor, actor, session, today, "call",
                       lambda data: calls.log_call(session, actor, debtor, data, today))


@router.post("/debtors/{debtor_id}/promises/{promise_id}", name="promise_update")
async def promise_update(request: Request, promise_id: str, debtor: DebtorDep, actor: ActorDep,
                         session: SessionDep, today: TodayDep) -> Response:
    return await _post(request, debtor, actor, session, today, f"promise-{row_id(promise_id)}",
                       lambda data: promise_edit.correct_promise(
                           session, actor, debtor, row_id(promise_id), data, today))


@router.post("/debtors/{debtor_id}/promises/{promise_id}/cancel", name="promise_cancel")
async def promise_cancel(request: Request, promise_id: str, debtor: DebtorDep, actor: ActorDep,
                         session: SessionDep, today: TodayDep) -> Response:
    return await _post(request, debtor, actor, session, today, f"cancel-{row_id(promise_id)}",
                       lambda data: promise_edit.cancel_promise(
                           session, actor, debtor, row_id(promise_id), data, today))


@router.post("/debtors/{debtor_id}/holds", name="hold_create")
async def hold_create(request: Request, debtor: DebtorDep, actor: ActorDep,
                      session: SessionDep, today: TodayDep) -> Response:
    return await _post(request, debtor, actor, session, today, "hold",
                       lambda data: holds.add_hold(session, actor, debtor, data, today))


@router.post("/debtors/{debtor_id}/holds/{hold_id}/lift", name="hold_lift")
async def hold_lift(request: Request, hold_id: str, debtor: DebtorDep, actor: ActorDep,
                    session: SessionDep, today: TodayDep) -> Response:
    return await _post(request, debtor, actor, session, today, "hold",
                       lambda _: holds.lift_hold(session, actor, debtor, row_id(hold_id)))


@router.post("/debtors/{debtor_id}/reminder-scenario", name="debtor_scenario")
async def debtor_scenario_choose(request: Request, debtor: DebtorDep, actor: ActorDep,
                          session: SessionDep, today: TodayDep) -> Response:
    return await _post(request, debtor, actor, session, today, "scenario",
                       lambda data: debtor_scenario.set_scenario(session, actor, debtor, data))
