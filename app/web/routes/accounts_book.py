"""Invoices, payments and steps of a debtor: added from the debtor page, edited on their own."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.errors import ValidationFailed
from app.services import invoices, payments, steps
from app.web.deps import ActorDep, DebtorDep, InvoiceDep, PaymentDep, SessionDep, StepDep, TodayDep
from app.web.forms import form_data
from app.web.htmx import redirect
from app.web.sections import section_response
from app.web.templating import render

router = APIRouter()

SERVICES: dict[str, Any] = {"invoice": invoices, "payment": payments, "step": steps}
BLOCKS = {"invoice": "account", "payment": "account", "step": "steps"}


async def _add(kind: str, request: Request, debtor: DebtorDep, actor: ActorDep,
               session: SessionDep, today: TodayDep) -> Response:
    data = await form_data(request)
    try:
        if kind == "payment":  # none dated after today (services/payments.py read_payment)
            payments.create(session, actor, debtor, data, today)
        else:
            SERVICES[kind].create(session, actor, debtor, data)
    except payments.OverpaymentToConfirm as exc:
        session.rollback()
        return section_response(request, session, actor, debtor, today, block=BLOCKS[kind],
                                form=kind, values=data, confirm=exc.overpayment)
    except ValidationFailed as exc:
        session.rollback()
        return section_response(request, session, actor, debtor, today, block=BLOCKS[kind],
                                form=kind, values=data, errors=exc.errors)
    return section_response(request, session, actor, debtor, today, block=BLOCKS[kind])


@router.post("/debtors/{debtor_id}/invoices", name="invoice_create")
async def invoice_create(request: Request, debtor: DebtorDep, actor: ActorDep,
                         session: SessionDep, today: TodayDep) -> Response:
    return await _add("invoice", request, debtor, actor, session, today)


@router.post("/debtors/{debtor_id}/payments", name="payment_create")
async def payment_create(request: Request, debtor: DebtorDep, actor: ActorDep,
                         session: SessionDep, today: TodayDep) -> Response:
    return await _add("payment", request, debtor, actor, session, today)


@router.post("/debtors/{debtor_id}/steps", name="step_create")
async def step_create(request: Request, debtor: DebtorDep, actor: ActorDep,
                      session: SessionDep, today: TodayDep) -> Response:
    return await _add("step", request, debtor, actor, session, today)


def _edit_page(request: Request, session: SessionDep, kind: str, obj: Any,
               values: dict[str, Any], errors: dict[str, str], status_code: int = 200) -> Response:
    from app.models import Debtor

    debtor = session.get(Debtor, obj.debtor_id)
    options = {inv.id: inv.number for inv in invoices.of_debtor(session, debtor)}  # type: ignore[arg-type]
    return render(request, "debtors/edit_entry.html",
                  {"kind": kind, "obj": obj, "debtor": debtor, "values": values,
                   "errors": errors, "invoice_numbers": options}, status_code=status_code)


def _values(obj: Any) -> dict[str, Any]:
    return {k: ("" if v is None else v) for k, v in obj.model_dump().items()}


async def _save(kind: str, request: Request, obj: Any, actor: ActorDep,
                session: SessionDep, today: date | None = None) -> Response:
    data = await form_data(request)
    try:
        if kind == "payment":
            payments.update(session, actor, obj, data, today)
        else:
            SERVICES[kind].update(session, actor, obj, data)
    except ValidationFailed as exc:
        session.rollback()
        return _edit_page(request, session, kind, obj, data, exc.errors, status_code=422)
    anchor = BLOCKS[kind]
    return redirect(request, f"/debtors/{obj.debtor_id}?ok=saved#{anchor}")


@router.get("/invoices/{invoice_id}/edit", name="invoice_edit")
def invoice_edit(request: Request, invoice: InvoiceDep, actor: ActorDep,
                 session: SessionDep) -> Response:
    actor.require_write()
    return _edit_page(request, session, "invoice", invoice, _values(invoice), {})


@router.post("/invoices/{invoice_id}", name="invoice_update")
async def invoice_update(request: Request, invoice: InvoiceDep, actor: ActorDep,
                         session: SessionDep) -> Response:
    return await _save("invoice", request, invoice, actor, session)


@router.get("/payments/{payment_id}/edit", name="payment_edit")
def payment_edit(request: Request, payment: PaymentDep, actor: ActorDep,
                 session: SessionDep) -> Response:
    actor.require_write()
    return _edit_page(request, session, "payment", payment, _values(payment), {})


@router.post("/payments/{payment_id}", name="payment_update")
async def payment_update(request: Request, payment: PaymentDep, actor: ActorDep,
                         session: SessionDep, today: TodayDep) -> Response:
    return await _save("payment", request, payment, actor, session, today)


@router.get("/steps/{step_id}/edit", name="step_edit")
def step_edit(request: Request, step: StepDep, actor: ActorDep, session: SessionDep) -> Response:
    actor.require_write()
    return _edit_page(request, session, "step", step, _values(step), {})


@router.post("/steps/{step_id}", name="step_update")
async def step_update(request: Request, step: StepDep, actor: ActorDep,
                      session: SessionDep) -> Response:
    return await _save("step", request, step, actor, session)
