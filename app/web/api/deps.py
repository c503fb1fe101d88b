"""API authentication (bearer token) and scoped loaders, mirroring the page dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from app.models import Debtor, Invoice, Payment, Step
from app.services import accounts, debtors, invoices, payments, steps
from app.services.context import Actor
from app.web.deps import LoginRequired, SessionDep, read_first

bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


REVISION = "api_creditor_revision"  # request.state: the bearer's creditor's, read with it


async def api_actor(request: Request, session: SessionDep,
                    token: Annotated[str | None, Depends(bearer)]) -> Actor:
    """The token's bearer, read first (`read_first`: on the event loop, no worker thread),
    with its creditor's revision (`creditor_revision`)."""
    found = await read_first(request, session, accounts.api_bearer, token) if token else None
    if found is None:
        raise LoginRequired
    setattr(request.state, REVISION, found.revision)
    return found.actor


def creditor_revision(request: Request) -> int:
    """The revision of the bearer's creditor, read with the bearer (app/revisions.py)."""
    return getattr(request.state, REVISION)  # type: ignore[no-any-return]


ApiActor = Annotated[Actor, Depends(api_actor)]


def api_debtor(debtor_id: int, actor: ApiActor, session: SessionDep) -> Debtor:
    return debtors.get(session, actor, debtor_id)


def api_invoice(invoice_id: int, actor: ApiActor, session: SessionDep) -> Invoice:
    return invoices.get(session, actor, invoice_id)


def api_payment(payment_id: int, actor: ApiActor, session: SessionDep) -> Payment:
    return payments.get(session, actor, payment_id)


def api_step(step_id: int, actor: ApiActor, session: SessionDep) -> Step:
    return steps.get(session, actor, step_id)


ApiDebtor = Annotated[Debtor, Depends(api_debtor)]
ApiInvoice = Annotated[Invoice, Depends(api_invoice)]
ApiPayment = Annotated[Payment, Depends(api_payment)]
ApiStep = Annotated[Step, Depends(api_step)]
