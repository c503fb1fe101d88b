""""Relances du jour": the day's reminders across the creditor, sent in one click.

The page lists what is due (ticked), who is skipped and why, the drafts to check or print
and the messages in doubt. Sending records the intents of the ticked messages and hands them
to the worker (`reminders.send`); the page polls `/reminders/progress` every second (htmx)
until every message has its answer, then shows the outcomes. A person decides about a message
in doubt (marked sent, or sent again) and marks a printed letter as posted.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.errors import DomainError, ValidationFailed
from app.parsing import form_id
from app.services.reminders import day, proof
from app.services.reminders import run as reminders
from app.storage import FileStore
from app.web.deps import ActorDep, SessionDep, SettingsDep, TodayDep
from app.web.forms import form_data
from app.web.htmx import is_fragment_request, redirect
from app.web.templating import render

router = APIRouter()
PAGE = "reminders/day.html"


def _ids(raw: str) -> list[int]:
    return [i for i in map(form_id, raw.split(",")[:1000]) if i is not None]


@router.get("/reminders", name="reminders_day")
def page(request: Request, actor: ActorDep, session: SessionDep, settings: SettingsDep,
         today: TodayDep, error: str = "", run: str = "") -> Response:
    context = day.page_context(request.app.state.engine, session, settings, actor, today)
    ids = _ids(run)
    if ids:  # without JavaScript: the sending just started, the page shows its progress
        done, total = reminders.progress(request.app.state.engine, actor.creditor_id, ids)
        context |= {"run_ids": ids, "progress": (done, total),
                    "results": day.message_rows(session, actor.creditor_id, (), ids)
                    if done == total else []}
    return render(request, PAGE, {**context, "can_write": actor.can_write,
                                  "error": error[:500]})


@router.post("/reminders/send", name="reminders_send")
async def send(request: Request, actor: ActorDep, session: SessionDep, settings: SettingsDep,
               today: TodayDep) -> Response:
    """The ticked messages go to the worker; the unticked ones are held for today."""
    actor.require_write()
    form = await request.form()
    ticked = {str(v) for v in form.getlist("send")}
    engine = request.app.state.engine
    plan = reminders.prepare(engine, actor.creditor_id, today)
    held = {p.action.key for p in plan.actions if p.action.key not in ticked}
    plan, recorded = reminders.launch(engine, request.app.state.queue, actor, today, held)
    ids = [m for _, m in recorded if m]
    if not is_fragment_request(request):
        return redirect(request, f"/reminders?run={','.join(map(str, ids))}")
    return _progress(request, session, actor.creditor_id, ids)


@router.get("/reminders/progress", name="reminders_progress")
def progress(request: Request, actor: ActorDep, session: SessionDep, ids: str = "") -> Response:
    if not is_fragment_request(request):
        return redirect(request, "/reminders")
    return _progress(request, session, actor.creditor_id, _ids(ids))


def _progress(request: Request, session: Any, creditor_id: int, ids: list[int]) -> Response:
    done, total = reminders.progress(request.app.state.engine, creditor_id, ids)
    results = day.message_rows(session, creditor_id, (), ids) if done == total else []
    return render(request, PAGE, {"run_ids": ids, "progress": (done, total), "results": results},
                  block="reminders_progress")


def _act(request: Request, action: str, reminder_id: int, actor: Any, session: Any,
         settings: Any, today: Any, data: dict[str, Any]) -> Response:
    actor.require_write()
    message = proof.get(session, actor, reminder_id)
    store = FileStore(settings.files_dir)
    try:
        if action == "sent":
            proof.mark_sent(session, actor, store, message, today)
        elif action == "resend":
            proof.send_again(session, actor, message)
            request.app.state.queue.defer(reminders.SEND_TASK, creditor_id=actor.creditor_id,
                                          message_ids=[reminder_id], user_id=actor.user_id)
        else:
            proof.mark_posted(session, actor, store, message, data)
    except ValidationFailed as exc:
        session.rollback()
        return redirect(request, "/reminders?error=" + quote(" ".join(exc.errors.values())))
    except DomainError as exc:
        session.rollback()
        return redirect(request, "/reminders?error=" + quote(exc.message))
    return redirect(request, "/reminders?ok=saved")


@router.post("/reminders/messages/{reminder_id}/sent", name="reminders_mark_sent")
def mark_sent(request: Request, reminder_id: int, actor: ActorDep, session: SessionDep,
              settings: SettingsDep, today: TodayDep) -> Response:
    """A message in doubt that a person checked went out: its proof is filed."""
    return _act(request, "sent", reminder_id, actor, session, settings, today, {})


@router.post("/reminders/messages/{reminder_id}/resend", name="reminders_resend")
def resend(request: Request, reminder_id: int, actor: ActorDep, session: SessionDep,
           settings: SettingsDep, today: TodayDep) -> Response:
    """A message in doubt or refused, sent once more on a person's decision."""
    return _act(request, "resend", reminder_id, actor, session, settings, today, {})


@router.post("/reminders/messages/{reminder_id}/posted", name="reminders_posted")
async def posted(request: Request, reminder_id: int, actor: ActorDep, session: SessionDep,
                 settings: SettingsDep, today: TodayDep) -> Response:
    """A printed letter of the day, posted: its final PDF, pièce and step."""
    data = await form_data(request)
    return _act(request, "posted", reminder_id, actor, session, settings, today, data)
