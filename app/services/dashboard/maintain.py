"""Keeps the dashboard's aggregates (app/models/portfolio.py) right at every flush.

Each flush that changes an invoice, a payment or a debtor takes back the share of each
changed row as the database held it before the flush, and adds its new share: a few upserts
per change, whatever the size of the portfolio (recomputing a month's sales read thousands
of invoices at every edit). Writes that bypass the ORM (bulk loads) must call `rebuild`,
which recomputes a creditor's aggregates from its rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, bindparam, delete, event, func, inspect, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col

from app.law.stages import STAGE_RANK
from app.models import AgingDay, AlertCount, Debtor, Invoice, MonthFigure, Payment, StageTotal
from app.models.debtors import ZERO

PAUSED = "portfolio_paused"  # session.info flag: a full rebuild follows, skip the keys
TOUCHED = "portfolio_touched"
WATCHED: dict[type, tuple[str, ...]] = {
    Invoice: ("creditor_id", "due_date", "issue_date", "amount_ttc", "balance", "fell_overdue",
              "paid_late"),
    Payment: ("creditor_id", "date", "amount"),
    Debtor: ("creditor_id", "oldest_due_date", "stage", "outstanding"),
}


KEYS: dict[type, tuple[str, str]] = {AgingDay: ("creditor_id", "due_date"),
                                     MonthFigure: ("creditor_id", "month"),
                                     StageTotal: ("creditor_id", "stage"),
                                     AlertCount: ("creditor_id", "severity")}  # services/alerts


@dataclass
class Changes:
    """What a flush adds to (or takes from) each aggregate row, by model and key."""

    deltas: dict[tuple[type, tuple[Any, ...]], dict[str, Any]] = field(default_factory=dict)

    def add(self, model: type, row: Any, sign: int) -> None:
        """One object's share (`row`: the object itself, or its row before the flush)."""
        if model is Invoice:
            open_ = row.balance > 0
            self._add(AgingDay, (row.creditor_id, row.due_date), sign,
                      amount=row.balance if open_ else ZERO, invoices=int(open_),
                      fell_overdue=row.fell_overdue, paid_late=row.paid_late)
            self._add(MonthFigure, (row.creditor_id, month_of(row.issue_date)), sign,
                      invoiced=row.amount_ttc)
        elif model is Payment:
            self._add(MonthFigure, (row.creditor_id, month_of(row.date)), sign,
                      settled=row.amount)
        elif model is Debtor:
            if row.oldest_due_date is not None:
                self._add(AgingDay, (row.creditor_id, row.oldest_due_date), sign, debtors=1)
            if row.outstanding > 0:
                self._add(StageTotal, (row.creditor_id, row.stage), sign, debtors=1,
                          amount=row.outstanding)
            self._add(StageTotal, (row.creditor_id, row.stage), sign, all_debtors=1)

    def _add(self, model: type, key: tuple[Any, ...], sign: int, **values: Any) -> None:
        delta = self.deltas.setdefault((model, key), {})
        for name, value in values.items():
            delta[name] = delta.get(name, 0) + sign * value


def month_of(day: date) -> date:
    return day.replace(day=1)


def changed(obj: Any) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in WATCHED[type(obj)])


@event.listens_for(OrmSession, "before_flush")
def _collect(session: OrmSession, _context: object, _instances: object) -> None:
    """New objects add their share; changed or deleted ones take back the share of their row
    as the database holds it before this flush, and changed ones add their new share."""
    if session.info.get(PAUSED):
        return
    changes = session.info.setdefault(TOUCHED, Changes())
    before: dict[type, list[Any]] = {}
    for obj in session.new:
        if type(obj) in WATCHED:
            changes.add(type(obj), obj, +1)
    for obj in (*session.dirty, *session.deleted):
        if type(obj) in WATCHED and (obj in session.deleted or changed(obj)):
            if obj not in session.deleted:
                changes.add(type(obj), obj, +1)
            before.setdefault(type(obj), []).append(obj.id)
    for model, ids in before.items():
        table = model.__table__  # type: ignore[attr-defined]
        names = [table.c[name] for name in WATCHED[model]]
        for row in session.connection().execute(select(*names).where(table.c.id.in_(ids))):
            changes.add(model, row, -1)


@event.listens_for(OrmSession, "after_flush_postexec")
def _apply(session: OrmSession, _context: object) -> None:
    changes = session.info.pop(TOUCHED, None)
    if changes is not None:
        apply(session.connection(), changes)


@event.listens_for(OrmSession, "after_soft_rollback")
def _forget(session: OrmSession, _previous: object) -> None:
    """A flush that failed left its changes behind: they were never written."""
    session.info.pop(TOUCHED, None)


def apply(connection: Connection, changes: Changes) -> None:
    """Add each delta to its row (created at zero if missing); a row back to nothing but
    zeros is removed. One executemany per statement (a bulk import changes hundreds)."""
    batches: dict[tuple[type, tuple[str, ...]], list[dict[str, Any]]] = {}
    for (model, key), delta in changes.deltas.items():
        if not any(delta.values()):
            continue
        params = {**dict(zip(KEYS[model], key, strict=True)), **delta}
        batches.setdefault((model, tuple(sorted(delta))), []).append(params)
    for (model, names), rows in batches.items():
        upsert, prune = _statements(connection.dialect.name, model, names)
        connection.execute(upsert, rows)
        connection.execute(prune, rows)


@lru_cache(maxsize=64)
def _statements(dialect_name: str, model: type, names: tuple[str, ...]) -> tuple[Any, Any]:
    """The upsert adding `names` to a row, and the delete of a row of zeros, built once."""
    table = model.__table__  # type: ignore[attr-defined]
    keys = KEYS[model]
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    others = [c.name for c in table.c if c.name not in keys]
    statement = dialect.insert(table).values(
        {**{k: bindparam(k) for k in keys},
         **{c: bindparam(c) if c in names else literal(0) for c in others}})
    upsert = statement.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: table.c[name] + statement.excluded[name] for name in names})
    prune = delete(table).where(*(table.c[k] == bindparam(k) for k in keys),
                                *(table.c[c] == 0 for c in others))
    return upsert, prune


def recompute(connection: Connection, keys: Keys) -> None:
    """Rows recomputed from the invoices, payments and debtors (a rebuild)."""
    for creditor_id, day in keys.days:
        _store(connection, AgingDay, {"creditor_id": creditor_id, "due_date": day},
               _day(connection, creditor_id, day))
    for creditor_id, month in keys.months:
        _store(connection, MonthFigure, {"creditor_id": creditor_id, "month": month},
               _month(connection, creditor_id, month))
    for creditor_id, stage in keys.stages:
        _store(connection, StageTotal, {"creditor_id": creditor_id, "stage": stage},
               _stage(connection, creditor_id, stage))


@dataclass
class Keys:
    """The rows a rebuild recomputes."""

    days: set[tuple[int, date]] = field(default_factory=set)
    months: set[tuple[int, date]] = field(default_factory=set)
    stages: set[tuple[int, str]] = field(default_factory=set)


def _day(connection: Connection, creditor_id: int, day: date) -> dict[str, Any]:
    amount, invoices, fell, late = connection.execute(
        select(func.sum(Invoice.balance).filter(col(Invoice.balance) > 0),
               func.count().filter(col(Invoice.balance) > 0),
               func.sum(Invoice.fell_overdue), func.sum(Invoice.paid_late))
        .where(Invoice.creditor_id == creditor_id, Invoice.due_date == day)).one()
    debtors = connection.execute(select(func.count()).select_from(Debtor).where(
        Debtor.creditor_id == creditor_id, Debtor.oldest_due_date == day)).scalar_one()
    return {"amount": amount or ZERO, "invoices": invoices, "debtors": debtors,
            "fell_overdue": fell or ZERO, "paid_late": late or ZERO}


def _month(connection: Connection, creditor_id: int, month: date) -> dict[str, Any]:
    after = next_month(month)
    invoiced = connection.execute(select(func.sum(Invoice.amount_ttc)).where(
        Invoice.creditor_id == creditor_id, Invoice.issue_date >= month,
        Invoice.issue_date < after)).scalar_one()
    settled = connection.execute(select(func.sum(Payment.amount)).where(
        Payment.creditor_id == creditor_id, Payment.date >= month,
        Payment.date < after)).scalar_one()
    return {"invoiced": invoiced or ZERO, "settled": settled or ZERO}


def _stage(connection: Connection, creditor_id: int, stage: str) -> dict[str, Any]:
    is_open = col(Debtor.outstanding) > 0
    debtors, amount, all_debtors = connection.execute(
        select(func.count().filter(is_open), func.sum(Debtor.outstanding).filter(is_open),
               func.count()).where(
            Debtor.creditor_id == creditor_id, Debtor.stage_rank == STAGE_RANK.get(stage, -1))
    ).one()
    return {"debtors": debtors, "amount": amount or ZERO, "all_debtors": all_debtors}


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _store(connection: Connection, model: type, key: dict[str, Any],
           values: dict[str, Any]) -> None:
    """Upsert the row at `key`; a row of nothing but zeros is removed."""
    table = model.__table__  # type: ignore[attr-defined]
    if not any(values.values()):
        connection.execute(delete(table).where(*(table.c[k] == v for k, v in key.items())))
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(**key, **values)
    connection.execute(statement.on_conflict_do_update(index_elements=list(key), set_=values))


def rebuild(session: Session, creditor_id: int) -> None:
    """Every aggregate of a creditor from its rows (bulk loads, first use after an upgrade)."""
    connection = session.connection()
    for model in (AgingDay, MonthFigure, StageTotal):
        table = model.__table__  # type: ignore[attr-defined]
        connection.execute(delete(table).where(table.c.creditor_id == creditor_id))
    keys = Keys()
    keys.days.update((creditor_id, d) for d in _distinct(connection, Invoice.due_date, creditor_id))
    keys.months.update((creditor_id, month_of(d)) for d in
                       _distinct(connection, Invoice.issue_date, creditor_id))
    keys.months.update((creditor_id, month_of(d)) for d in
                       _distinct(connection, Payment.date, creditor_id))
    keys.stages.update((creditor_id, stage) for stage in STAGE_RANK)
    recompute(connection, keys)


def _distinct(connection: Connection, column: Any, creditor_id: int) -> Iterable[date]:
    table = column.class_.__table__
    return connection.execute(select(column).distinct().where(
        table.c.creditor_id == creditor_id)).scalars()
