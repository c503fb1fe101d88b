"""A creditor's aggregates built once from its rows: creditors that existed before them."""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import Creditor, Debtor
from app.services import balances
from app.services.dashboard import maintain


def ensure_built(session: Session, creditor: Creditor) -> None:
    """Recompute every balance (and the recovery columns) of the creditor's invoices, then
    its aggregates, the first time a dashboard reads them."""
    if creditor.portfolio_built:
        return
    session.info[maintain.PAUSED] = True
    try:
        for debtor in session.exec(select(Debtor).where(Debtor.creditor_id == creditor.id)):
            balances.refresh(session, debtor)
        session.flush()
    finally:
        session.info.pop(maintain.PAUSED, None)
    maintain.rebuild(session, creditor.id)  # type: ignore[arg-type]
    creditor.portfolio_built = True
    session.add(creditor)
    session.commit()
