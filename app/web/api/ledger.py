"""CRUD for debtors, invoices, payments and steps, with the pages' validation and scoping."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.services import debtors, invoices, payments, steps
from app.web.api.deps import ApiActor, ApiDebtor, ApiInvoice, ApiPayment, ApiStep
from app.web.api.schemas import (
    DebtorIn,
    DebtorOut,
    InvoiceIn,
    InvoiceOut,
    PaymentIn,
    PaymentOut,
    StepIn,
    StepOut,
)
from app.web.deps import SessionDep, TodayDep

router = APIRouter(prefix="/api/v1", tags=["dossiers"])
NOT_FOUND = {404: {"description": "Introuvable (ou appartient à un autre créancier)"},
             422: {"description": "Champs invalides, message en français par champ"}}


@router.get("/debtors", response_model=list[DebtorOut], name="api_debtors")
def list_debtors(actor: ApiActor, session: SessionDep, q: str = "", sort: str = "amount",
                 page: int = 1) -> list[DebtorOut]:
    result = debtors.search(session, actor, query=q, sort=sort, page=page)
    return [DebtorOut.model_validate(d) for d in result.debtors]


@router.post("/debtors", response_model=DebtorOut, status_code=201, responses=NOT_FOUND)
def create_debtor(body: DebtorIn, actor: ApiActor, session: SessionDep) -> DebtorOut:
    return DebtorOut.model_validate(debtors.create(session, actor, body.model_dump()))


@router.get("/debtors/{debtor_id}", response_model=DebtorOut, responses=NOT_FOUND)
def get_debtor(debtor: ApiDebtor) -> DebtorOut:
    return DebtorOut.model_validate(debtor)


@router.put("/debtors/{debtor_id}", response_model=DebtorOut, responses=NOT_FOUND)
def update_debtor(body: DebtorIn, debtor: ApiDebtor, actor: ApiActor,
                  session: SessionDep) -> DebtorOut:
    return DebtorOut.model_validate(debtors.update(session, actor, debtor, body.model_dump()))


@router.get("/debtors/{debtor_id}/invoices", response_model=list[InvoiceOut],
            responses=NOT_FOUND)
def list_invoices(debtor: ApiDebtor, session: SessionDep) -> list[InvoiceOut]:
    return [InvoiceOut.model_validate(i) for i in invoices.of_debtor(session, debtor)]


@router.post("/debtors/{debtor_id}/invoices", response_model=InvoiceOut, status_code=201,
             responses=NOT_FOUND)
def create_invoice(body: InvoiceIn, debtor: ApiDebtor, actor: ApiActor,
                   session: SessionDep) -> InvoiceOut:
    return InvoiceOut.model_validate(invoices.create(session, actor, debtor, body.model_dump()))


@router.get("/invoices/{invoice_id}", response_model=InvoiceOut, responses=NOT_FOUND)
def get_invoice(invoice: ApiInvoice) -> InvoiceOut:
    return InvoiceOut.model_validate(invoice)


@router.put("/invoices/{invoice_id}", response_model=InvoiceOut, responses=NOT_FOUND)
def update_invoice(body: InvoiceIn, invoice: ApiInvoice, actor: ApiActor,
                   session: SessionDep) -> InvoiceOut:
    return InvoiceOut.model_validate(invoices.update(session, actor, invoice, body.model_dump()))


@router.delete("/invoices/{invoice_id}", status_code=204, responses=NOT_FOUND)
def delete_invoice(invoice: ApiInvoice, actor: ApiActor, session: SessionDep) -> Response:
    invoices.delete(session, actor, invoice)
    return Response(status_code=204)


@router.get("/invoices/{invoice_id}/payments", response_model=list[PaymentOut],
            responses=NOT_FOUND)
def list_payments(invoice: ApiInvoice, session: SessionDep) -> list[PaymentOut]:
    return [PaymentOut.model_validate(p) for p in payments.of_invoice(session, invoice)]


@router.post("/invoices/{invoice_id}/payments", response_model=PaymentOut, status_code=201,
             responses=NOT_FOUND)
def create_payment(body: PaymentIn, invoice: ApiInvoice, actor: ApiActor,
                   session: SessionDep, today: TodayDep) -> PaymentOut:
    debtor = debtors.get(session, actor, invoice.debtor_id)
    data = {**body.model_dump(), "invoice_id": invoice.id}
    return PaymentOut.model_validate(payments.create(session, actor, debtor, data, today))


@router.get("/payments/{payment_id}", response_model=PaymentOut, responses=NOT_FOUND)
def get_payment(payment: ApiPayment) -> PaymentOut:
    return PaymentOut.model_validate(payment)


@router.delete("/payments/{payment_id}", status_code=204, responses=NOT_FOUND)
def delete_payment(payment: ApiPayment, actor: ApiActor, session: SessionDep) -> Response:
    payments.delete(session, actor, payment)
    return Response(status_code=204)


@router.get("/debtors/{debtor_id}/steps", response_model=list[StepOut], responses=NOT_FOUND)
def list_steps(debtor: ApiDebtor, session: SessionDep) -> list[StepOut]:
    return [StepOut.model_validate(s) for s in steps.of_debtor(session, debtor)]


@router.post("/debtors/{debtor_id}/steps", response_model=StepOut, status_code=201,
             responses=NOT_FOUND)
def create_step(body: StepIn, debtor: ApiDebtor, actor: ApiActor,
                session: SessionDep) -> StepOut:
    return StepOut.model_validate(steps.create(session, actor, debtor, body.model_dump()))


@router.get("/steps/{step_id}", response_model=StepOut, responses=NOT_FOUND)
def get_step(step: ApiStep) -> StepOut:
    return StepOut.model_validate(step)


@router.put("/steps/{step_id}", response_model=StepOut, responses=NOT_FOUND)
def update_step(body: StepIn, step: ApiStep, actor: ApiActor, session: SessionDep) -> StepOut:
    return StepOut.model_validate(steps.update(session, actor, step, body.model_dump()))


@router.delete("/steps/{step_id}", status_code=204, responses=NOT_FOUND)
def delete_step(step: ApiStep, actor: ApiActor, session: SessionDep) -> Response:
    steps.delete(session, actor, step)
    return Response(status_code=204)
