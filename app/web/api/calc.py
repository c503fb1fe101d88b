"""The calculators as a public JSON API: décompte, procedural deadline, prescription,
injonction de payer schedule. Thin: parse, call `app.services.calculators`, shape."""

from __future__ import annotations

from fastapi import APIRouter

from app.services import calculators
from app.web.api.calc_schemas import (
    DeadlineIn,
    DeadlineOut,
    DecompteIn,
    DecompteInvoiceOut,
    DecompteOut,
    InjonctionIn,
    InjonctionOut,
    PeriodOut,
    PrescriptionIn,
    PrescriptionOut,
)
from app.web.api.deps import ApiActor
from app.web.deps import SessionDep

router = APIRouter(prefix="/api/v1/calc", tags=["calculs"])


@router.post("/decompte", response_model=DecompteOut, name="api_calc_decompte")
def decompte(body: DecompteIn, actor: ApiActor, session: SessionDep) -> DecompteOut:
    result = calculators.decompte(session, body.model_dump())
    return DecompteOut(
        principal=result.principal, interest=result.interest, indemnities=result.indemnities,
        total=result.total, warnings=list(result.warnings),
        invoices=[
            DecompteInvoiceOut(number=inv.number, principal=inv.principal, interest=inv.interest,
                               indemnity=inv.indemnity,
                               periods=[PeriodOut(**vars(p)) for p in inv.periods])
            for inv in result.invoices
        ],
    )


@router.post("/deadline", response_model=DeadlineOut, name="api_calc_deadline")
def deadline(body: DeadlineIn, actor: ApiActor) -> DeadlineOut:
    result = calculators.deadline(body.start, months=body.months, days=body.days,
                                  department=body.department)
    return DeadlineOut(**vars(result))


@router.post("/prescription", response_model=PrescriptionOut, name="api_calc_prescription")
def prescription(body: PrescriptionIn, actor: ApiActor) -> PrescriptionOut:
    result = calculators.prescription(body.model_dump())
    return PrescriptionOut(deadline=result.deadline, prescribed=result.prescribed,
                           days_left=result.days_left, explanation=list(result.explanation))


@router.post("/injonction", response_model=InjonctionOut, name="api_calc_injonction")
def injonction(body: InjonctionIn, actor: ApiActor) -> InjonctionOut:
    result = calculators.injonction(body.model_dump())
    return InjonctionOut(regime=result.regime, service_deadline=result.service_deadline,
                         service_last_day=result.service_last_day or result.service_deadline,
                         opposition_deadline=result.opposition_deadline,
                         enforceable_from=result.enforceable_from,
                         explanation=list(result.explanation))
