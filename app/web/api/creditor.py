"""The creditor's profile (identity and reminder sender) and its default reminder scenario.

Same readers as the pages (app/services/creditors.py, app/services/reminders/sender.py and
steps_input.py): 422 with a French message per field, nothing saved. A PUT of the profile
changes the fields it names and keeps the others. Read-only members get 403 on PUT.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from app.services import creditors, rebalance
from app.services.reminders import followers, scenario_admin, sender
from app.services.reminders.scenarios import ensure_default, steps_of
from app.services.reminders.steps_input import as_rows, read_steps
from app.web.api.deps import ApiActor
from app.web.api.schemas import Amount, OptAmount
from app.web.deps import SessionDep, TodayDep

router = APIRouter(prefix="/api/v1", tags=["créancier"])
ERRORS = {403: {"description": "Accès en lecture seule"},
          422: {"description": "Champs invalides, message en français par champ"}}


class CreditorOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    legal_name: str
    legal_form: str
    siren: str
    siret: str
    rcs_city: str
    street: str
    postal_code: str
    city: str
    country: str
    representative: str
    representative_title: str
    contact_email: str
    contact_phone: str
    iban: str
    bic: str
    default_penalty_rate: OptAmount
    payment_term_days: int
    natural_person: bool
    profession: str
    nationality: str
    birth_date: date | None
    birth_place: str
    notice_by_due_date: bool
    goods_carrier: bool
    sender_name: str
    sender_email: str
    reply_to: str
    reminders_auto: bool
    reminder_min_amount: Amount


class CreditorIn(BaseModel):
    """Every field optional: those left out keep their value. Amounts and dates as strings."""

    legal_name: str | None = None
    legal_form: str | None = None
    siren: str | None = None
    siret: str | None = None
    rcs_city: str | None = None
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None
    representative: str | None = None
    representative_title: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    iban: str | None = None
    bic: str | None = None
    default_penalty_rate: str | None = None
    payment_term_days: str | int | None = None
    natural_person: bool | None = None
    profession: str | None = None
    nationality: str | None = None
    birth_date: str | None = None
    birth_place: str | None = None
    notice_by_due_date: bool | None = None
    goods_carrier: bool | None = None
    sender_name: str | None = None
    sender_email: str | None = None
    reply_to: str | None = None
    reminders_auto: bool | None = None
    reminder_min_amount: str | None = Field(default=None, examples=["50.00"])

    def as_form(self) -> dict[str, Any]:
        data = self.model_dump(exclude_unset=True)
        if "natural_person" in data:
            data["creditor_kind"] = "person" if data.pop("natural_person") else "company"
        return {k: "" if v is None else v for k, v in data.items()}


class StepItem(BaseModel):
    offset_days: int
    channel: str
    template: str


class ScenarioOut(BaseModel):
    id: int
    name: str
    steps: list[StepItem]


class ScenarioIn(BaseModel):
    """Steps in time order; each validated like the settings page (messages in French)."""

    steps: list[Any] = Field(examples=[[{"offset_days": -5, "channel": "email",
                                          "template": "prevenance"}]])


@router.get("/creditor", response_model=CreditorOut, name="api_creditor")
def get_creditor(actor: ApiActor, session: SessionDep) -> CreditorOut:
    return CreditorOut.model_validate(creditors.get(session, actor))


@router.put("/creditor", response_model=CreditorOut, responses=ERRORS)
def put_creditor(request: Request, body: CreditorIn, actor: ApiActor, session: SessionDep,
                 today: TodayDep) -> CreditorOut:
    minimum = creditors.get(session, actor).reminder_min_amount
    before = rebalance.terms(creditors.get(session, actor))
    creditor = sender.update_profile(session, actor, body.as_form(), today)
    followers.refresh_if_minimum_moved(request.app.state.queue, creditor, minimum)
    rebalance.refresh_if_terms_moved(request.app.state.queue, creditor, before)
    return CreditorOut.model_validate(creditor)


def _scenario_out(session: SessionDep, creditor_id: int) -> ScenarioOut:
    scenario = ensure_default(session, creditor_id)
    session.commit()
    steps = as_rows(steps_of(session, scenario.id))  # type: ignore[arg-type]
    return ScenarioOut(id=scenario.id, name=scenario.name,  # type: ignore[arg-type]
                       steps=[StepItem(**row) for row in steps])


@router.get("/creditor/reminder-scenario", response_model=ScenarioOut,
            name="api_reminder_scenario")
def get_scenario(actor: ApiActor, session: SessionDep) -> ScenarioOut:
    return _scenario_out(session, actor.creditor_id)


@router.put("/creditor/reminder-scenario", response_model=ScenarioOut, responses=ERRORS)
def put_scenario(request: Request, body: ScenarioIn, actor: ApiActor,
                 session: SessionDep) -> ScenarioOut:
    actor.require_write()
    steps = read_steps(body.steps)
    scenario_admin.replace_steps(session, actor, ensure_default(session, actor.creditor_id),
                                 steps)
    followers.refresh_later(request.app.state.queue, actor.creditor_id)
    return _scenario_out(session, actor.creditor_id)
