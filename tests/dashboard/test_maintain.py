"""The aggregates kept at every flush equal those rebuilt from the rows, after any edit."""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import AgingDay, Debtor, Invoice, MonthFigure, Payment, StageTotal
from app.services import alerts, invoices, payments
from app.services.context import Actor
from app.services.dashboard import maintain
from tests.dashboard.portfolio import AS_OF, build


def snapshot(session: Session) -> tuple[set, set, set]:  # type: ignore[type-arg]
    return ({tuple(r) for r in session.exec(select(AgingDay.creditor_id, AgingDay.due_date,
                                                   AgingDay.amount, AgingDay.invoices,
                                                   AgingDay.debtors, AgingDay.fell_overdue,
                                                   AgingDay.paid_late))},
            {tuple(r) for r in session.exec(select(MonthFigure.creditor_id, MonthFigure.month,
                                                   MonthFigure.invoiced, MonthFigure.settled))},
            {tuple(r) for r in session.exec(select(StageTotal.creditor_id, StageTotal.stage,
                                                   StageTotal.amount, StageTotal.debtors,
                                                   StageTotal.all_debtors))})


def test_edits_keep_the_aggregates_equal_to_a_rebuild(session: Session, owner: Actor) -> None:
    ids = build(session, owner)
    alerts.refresh_stale(session, AS_OF)
    b60 = session.exec(select(Invoice).where(Invoice.number == "B-60")).one()
    invoices.update(session, owner, b60, {
        "number": "B-60", "issue_date": "2026-05-01", "due_date": "2026-06-01",
        "amount_ht": "2500.00", "amount_tva": "500.00", "amount_ttc": "3000.00"})
    payment = session.exec(select(Payment).where(Payment.debtor_id == ids["B"])).one()
    payments.update(session, owner, payment, {"date": "2026-03-03", "amount": "1500.00",
                                              "invoice_id": str(b60.id)})
    e10 = session.exec(select(Invoice).where(Invoice.number == "E+10")).one()
    invoices.delete(session, owner, e10)
    payments.delete(session, owner, session.exec(select(Payment).where(
        Payment.debtor_id == ids["C"])).one())
    alerts.refresh_stale(session, AS_OF)
    kept = snapshot(session)
    maintain.rebuild(session, owner.creditor_id)
    assert snapshot(session) == kept
    assert kept[0] and kept[1] and kept[2]


def test_an_empty_key_leaves_no_row(session: Session, owner: Actor) -> None:
    ids = build(session, owner)
    e10 = session.exec(select(Invoice).where(Invoice.number == "E+10")).one()
    due = e10.due_date
    invoices.delete(session, owner, e10)
    assert session.exec(select(AgingDay).where(AgingDay.due_date == due)).first() is None
    assert session.get(Debtor, ids["E"]).outstanding == 900  # type: ignore[union-attr]


def test_a_creditor_from_before_the_aggregates_gets_them_at_its_first_read(
        session: Session, owner: Actor) -> None:
    """After the upgrade (0003_dashboard) a creditor's aggregates and recovery columns are
    empty: the first dashboard read builds them from its rows."""
    from sqlalchemy import delete, update

    from app.models import Creditor
    from app.services.dashboard.figures import portfolio

    build(session, owner)
    expected = portfolio(session, owner.creditor_id, AS_OF, AS_OF)
    connection = session.connection()
    for model in (AgingDay, MonthFigure, StageTotal):
        connection.execute(delete(model.__table__))  # type: ignore[attr-defined]
    connection.execute(update(Invoice.__table__).values(fell_overdue=0, paid_late=0))  # type: ignore[attr-defined]
    connection.execute(update(Creditor.__table__).values(portfolio_built=False))  # type: ignore[attr-defined]
    session.commit()
    session.expire_all()
    rebuilt = portfolio(session, owner.creditor_id, AS_OF, AS_OF)
    assert rebuilt == expected
    assert session.get(Creditor, owner.creditor_id).portfolio_built  # type: ignore[union-attr]


def test_a_failed_flush_leaves_nothing_behind(session: Session, owner: Actor) -> None:
    """The changes of a flush that failed are forgotten with its rollback."""
    from datetime import date
    from decimal import Decimal

    import pytest
    from sqlalchemy.exc import IntegrityError

    from tests.dashboard.portfolio import invoice

    ids = build(session, owner)
    duplicate = Invoice(creditor_id=owner.creditor_id, debtor_id=ids["A"], number="A-30",
                        issue_date=date(2026, 1, 1), due_date=date(2026, 2, 1),
                        amount_ht=Decimal(100), amount_tva=Decimal(20), amount_ttc=Decimal(120),
                        balance=Decimal(120))
    session.add(duplicate)
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()
    invoice(session, owner, session.get(Debtor, ids["A"]), "A-NEW", 5, 300)
    kept = snapshot(session)
    maintain.rebuild(session, owner.creditor_id)
    assert snapshot(session) == kept
