"""POST /api/v1/reminders/run: the day's reminders of the token's creditor, planned or sent.

A dry run answers the plan, at any date. Otherwise, at today's date only (a message sent now
is proved as sent today), the request records each message's intent and hands the sending to
the background worker, then waits (at most WAIT_SECONDS) for its answers: a message still being
sent is answered "intent" and its outcome shows in "Relances du jour".
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from app.errors import ValidationFailed
from app.law.reminders import fr
from app.services.reminders import run as reminders
from app.web.api.deps import ApiActor
from app.web.deps import SettingsDep, TodayDep

router = APIRouter(prefix="/api/v1", tags=["relances"])
WAIT_SECONDS = 60.0
RESPONSES: dict[int | str, dict[str, Any]] = {
    403: {"description": "Compte en lecture seule"},
    422: {"description": "Corps invalide (date au format AAAA-MM-JJ ; une autre date que "
                         "celle du jour sans dry_run)"},
}


class RunIn(BaseModel):
    dry_run: bool = Field(default=False, description="Lister sans rien envoyer ni enregistrer")
    today: date | None = Field(default=None, description="Date du jour (AAAA-MM-JJ) ; "
                                                          "aujourd'hui si absente ; une autre "
                                                          "date avec dry_run seulement")


class ActionOut(BaseModel):
    debtor_id: int
    debtor: str
    step: str = Field(description="prevenance, relance_1…3, mise_en_demeure ; vide si écarté")
    channel: str = Field(description="email ou letter ; vide si écarté")
    invoices: list[str] = Field(description="Numéros des factures couvertes")
    status: Literal["sent", "outbox", "skipped", "failed", "draft", "retry", "doubt", "intent",
                    "cancelled"]
    reason: str = Field(description="Pourquoi (écarté, échec avec la réponse du serveur…)")
    message_id: int | None = None


@router.post("/reminders/run", response_model=list[ActionOut], responses=RESPONSES)
def run(request: Request, actor: ApiActor, settings: SettingsDep, today: TodayDep,
        body: RunIn | None = None) -> Any:
    """The day's actions: `debtor_id`, `step`, `channel`, `invoices`, `status`, `reason`."""
    body = body or RunIn()
    day = body.today or today
    engine = request.app.state.engine
    if body.dry_run:
        outcomes = reminders.plan_outcomes(reminders.prepare(engine, actor.creditor_id, day),
                                           settings)
        return [o.as_json() for o in outcomes]
    actor.require_write()
    if day != today:  # sent now: its Step and its proof carry the day it left
        raise ValidationFailed({"today": f"Une autre date que celle du jour ({fr(today)}) "
                                         "n'est possible qu'avec « dry_run » : une relance part "
                                         "et se prouve à la date de son envoi."})
    plan, recorded = reminders.launch(engine, request.app.state.queue, actor, day)
    reminders.wait(engine, actor.creditor_id, [m for _, m in recorded if m], WAIT_SECONDS)
    return [o.as_json() for o in reminders.collect(engine, plan, recorded)]
