"""The reminders settings page (/settings/relances): the sender, and the scenarios' steps.

Each form saves whole or nothing; on an error the page comes back (422) with the submitted
values and each message next to its field. The ↑/↓ buttons of a scenario reorder its rows in
the form only (nothing saved until "Enregistrer"), so the page works without JavaScript.
"""

from __future__ import annotations

import os
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.config import Settings
from app.errors import ValidationFailed
from app.law.reminder_scenario import CHANNELS, DRAFT_ONLY, TEMPLATES
from app.parsing import form_id
from app.services import creditors
from app.services.context import Actor
from app.services.reminders import followers, scenario_admin, sender
from app.services.reminders.steps_input import MAX_OFFSET, MIN_OFFSET, as_rows, form_rows, read_steps
from app.web.deps import ActorDep, SessionDep, SettingsDep
from app.web.forms import form_data
from app.web.htmx import redirect
from app.web.templating import render

router = APIRouter()
PAGE = "settings/reminders.html"
URL = "/settings/relances"


def smtp_configured(settings: Settings) -> bool:
    """The "reminders" side adds `smtp_url` to Settings; the environment says it meanwhile."""
    return bool(getattr(settings, "smtp_url", None) or os.environ.get("CONTENTIEUX_SMTP_URL"))


def _page(request: Request, session: Session, actor: Actor, settings: Settings, *,
          values: dict[str, Any] | None = None, rows: dict[int, list[dict[str, Any]]] | None = None,
          errors: dict[str, dict[str, str]] | None = None, names: dict[int, str] | None = None,
          status_code: int = 200) -> Response:
    creditor = creditors.get(session, actor)
    views = scenario_admin.list_scenarios(session, actor.creditor_id)
    session.commit()  # the default scenario, created on first visit
    rows = rows or {}
    return render(request, PAGE, {
        "views": views,
        "rows": {v.scenario.id: rows.get(v.scenario.id) or as_rows(v.steps) for v in views},
        "sender": values or sender.sender_values(creditor),
        "errors": errors or {},
        "names": names or {},
        "can_write": actor.can_write,
        "smtp": smtp_configured(settings),
        "channels": CHANNELS,
        "templates_": {k: label for k, (label, _) in TEMPLATES.items()},
        "draft_only": DRAFT_ONLY,
        "offsets": (MIN_OFFSET, MAX_OFFSET),
    }, status_code=status_code)


@router.get(URL, name="reminder_settings")
def reminder_settings(request: Request, actor: ActorDep, session: SessionDep,
                      settings: SettingsDep) -> Response:
    return _page(request, session, actor, settings)


@router.post(f"{URL}/expediteur", name="reminder_sender_update")
async def sender_update(request: Request, actor: ActorDep, session: SessionDep,
                        settings: SettingsDep) -> Response:
    data = await form_data(request)
    minimum = creditors.get(session, actor).reminder_min_amount
    try:
        creditor = sender.update_sender(session, actor, data)
    except ValidationFailed as exc:
        session.rollback()
        return _page(request, session, actor, settings, values=data,
                     errors={"sender": exc.errors}, status_code=422)
    followers.refresh_if_minimum_moved(request.app.state.queue, creditor, minimum)
    return redirect(request, f"{URL}?ok=saved#expediteur")


@router.post(f"{URL}/scenarios", name="reminder_scenario_create")
async def scenario_create(request: Request, actor: ActorDep, session: SessionDep,
                          settings: SettingsDep) -> Response:
    data = await form_data(request)
    try:
        scenario = scenario_admin.create(session, actor, data)
    except ValidationFailed as exc:
        session.rollback()
        return _page(request, session, actor, settings, errors={"new": exc.errors},
                     status_code=422)
    return redirect(request, f"{URL}?ok=created#scenario-{scenario.id}")


def _moved(rows: list[dict[str, Any]], move: str) -> list[dict[str, Any]]:
    """'3:up' / '3:down': swap row 3 with its neighbour (nothing saved)."""
    index, _, way = move.partition(":")
    i = form_id(index)
    if i is None or way not in ("up", "down"):
        return rows
    j = i - 1 if way == "up" else i + 1
    if 0 <= i < len(rows) and 0 <= j < len(rows):
        rows[i], rows[j] = rows[j], rows[i]
    return rows


@router.post(f"{URL}/scenarios/{{scenario_id}}", name="reminder_scenario_update")
async def scenario_update(request: Request, scenario_id: int, actor: ActorDep,
                          session: SessionDep, settings: SettingsDep) -> Response:
    scenario = scenario_admin.get(session, actor, scenario_id)
    actor.require_write()
    data = await form_data(request)
    rows = form_rows(data)
    if data.get("move"):
        return _page(request, session, actor, settings,
                     rows={scenario_id: _moved(rows, data["move"])},
                     names={scenario_id: str(data.get("name", ""))})
    try:
        steps = read_steps(rows)
        name = scenario_admin.read_name(session, actor, data, scenario)
        scenario_admin.replace_steps(session, actor, scenario, steps, name)
    except ValidationFailed as exc:
        session.rollback()
        return _page(request, session, actor, settings, rows={scenario_id: rows},
                     names={scenario_id: str(data.get("name", ""))},
                     errors={f"scenario-{scenario_id}": exc.errors}, status_code=422)
    followers.refresh_later(request.app.state.queue, actor.creditor_id)
    return redirect(request, f"{URL}?ok=saved#scenario-{scenario_id}")


@router.post(f"{URL}/scenarios/{{scenario_id}}/default", name="reminder_scenario_default")
def scenario_default(request: Request, scenario_id: int, actor: ActorDep,
                     session: SessionDep) -> Response:
    scenario_admin.set_default(session, actor, scenario_admin.get(session, actor, scenario_id))
    followers.refresh_later(request.app.state.queue, actor.creditor_id)
    return redirect(request, f"{URL}?ok=saved#scenario-{scenario_id}")


@router.post(f"{URL}/scenarios/{{scenario_id}}/delete", name="reminder_scenario_delete")
def scenario_delete(request: Request, scenario_id: int, actor: ActorDep, session: SessionDep,
                    settings: SettingsDep) -> Response:
    try:
        scenario_admin.delete(session, actor, scenario_admin.get(session, actor, scenario_id))
    except ValidationFailed as exc:
        session.rollback()
        return _page(request, session, actor, settings,
                     errors={f"scenario-{scenario_id}": exc.errors}, status_code=422)
    followers.refresh_later(request.app.state.queue, actor.creditor_id)
    return redirect(request, f"{URL}?ok=deleted")
