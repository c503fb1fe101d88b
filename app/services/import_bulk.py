"""Writing an import's plan (app/services/import_rows.py) in a few bulk statements.

Once per debtor the import touches: its balances (app/services/balances.py, the same
computation as after any edit), then one multi-row INSERT per table for the new debtors,
invoices, payments and audit events, an executemany UPDATE per table for the stored rows
that changed, the dashboard's aggregates as one set of deltas (app/services/dashboard/
maintain.py) and the creditor's revision (app/revisions.py). Alerts are marked to compute
again (`Debtor.alerts_on` None), once per debtor, as after any audited change. Nothing
commits here: the import is one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, text, update
from sqlmodel import Session

from app import revisions
from app.models import AuditEvent, Debtor, Invoice, Payment
from app.models.types import Money, utcnow
from app.services import balances
from app.services.context import Actor
from app.services.dashboard import maintain
from app.services.import_rows import DebtorRow, InvoiceRow, PaymentRow, Rows, stored_invoices

DETAILS = ("siren", "email", "street", "postal_code", "city")
TOTALS = ("outstanding", "oldest_due_date", "invoice_count")
FIGURES = ("paid", "balance", "fell_overdue", "paid_late")
SLICE = 1000  # rows per executemany


def write(session: Session, actor: Actor, rows: Rows) -> dict[int, int]:
    """Write the plan; the ids given to the new debtors (planned id → id). The session's
    objects are expired after: they may show the rows as they were."""
    session.flush()
    connection = session.connection()
    touched = [d for d in rows.debtors.values() if d.touched]
    stored = stored_invoices(connection, [d.id for d in touched if not d.new])
    terms = balances.terms_of_rows(session, rows.creditor_id)
    for debtor in touched:
        _settle(session, debtor, stored.get(debtor.id, []) + rows.invoices.get(debtor.id, []),
                rows.payments.get(debtor.id, []), terms)
    payments = list(_all(rows.payments.get(d.id, []) for d in touched))
    touched_creditor = revisions.Touched()
    touched_creditor.creditors.add(rows.creditor_id)
    revisions.bump(session, touched_creditor)  # first: SQLite's write lock is held from here
    ids = _insert_debtors(connection, [d for d in touched if d.new])
    new_invoices = sorted((i for i in _all(rows.invoices.values()) if i.new), key=_key)
    invoice_ids = _insert_invoices(connection, new_invoices, ids)
    _insert_payments(connection, [p for p in payments if p.new], ids, invoice_ids)
    old_invoices = [i for i in _all(stored.values()) if _differ(i, FIGURES)]
    old_payments = [p for p in payments if not p.new and _differ(p, ("amount", "invoice_id"))]
    _update_stored(connection, rows, old_invoices, old_payments, invoice_ids)
    _audit(connection, actor, rows, ids)
    _aggregate(connection, rows, new_invoices, old_invoices, payments)
    session.expire_all()
    return ids


def _settle(session: Session, debtor: DebtorRow, invoices: list[InvoiceRow],
            payments: list[PaymentRow], terms: Callable[[DebtorRow], balances.Terms]) -> None:
    invoices.sort(key=lambda i: (i.due_date, i.id))
    payments = sorted(payments, key=lambda p: (p.date, p.id))
    figures = balances.settle(invoices, payments,
                              balances.rater(session, debtor.kind, debtor.creditor_id),
                              lambda: terms(debtor))
    for invoice in invoices:
        invoice.paid, invoice.balance, invoice.fell_overdue, invoice.paid_late = \
            figures[invoice.id]
    debtor.outstanding, debtor.oldest_due_date, debtor.invoice_count = \
        balances.totals(invoices)


def _insert_debtors(connection: Connection, debtors: list[DebtorRow]) -> dict[int, int]:
    debtors.sort(key=lambda d: -d.id)  # planned ids -1, -2…: the order of the file
    ids = dict(zip([d.id for d in debtors], _reserve(connection, Debtor, len(debtors)),
                   strict=True))
    for debtor in debtors:
        debtor.id = ids[debtor.id]
    _insert(connection, Debtor, debtors, lambda d: {
        "id": d.id, "creditor_id": d.creditor_id, "kind": d.kind, "legal_name": d.legal_name,
        "is_merchant": d.is_merchant, "notes": d.notes,
        **{name: getattr(d, name) for name in (*DETAILS, *TOTALS)}})
    return ids


def _insert_invoices(connection: Connection, invoices: list[InvoiceRow],
                     debtor_ids: dict[int, int]) -> dict[int, int]:
    ids = dict(zip([i.id for i in invoices], _reserve(connection, Invoice, len(invoices)),
                   strict=True))
    for invoice in invoices:
        invoice.id = ids[invoice.id]
        invoice.debtor_id = debtor_ids.get(invoice.debtor_id, invoice.debtor_id)
    _insert(connection, Invoice, invoices, lambda i: {
        "id": i.id, "creditor_id": i.creditor_id, "debtor_id": i.debtor_id,
        "number": i.number, "issue_date": i.issue_date, "due_date": i.due_date,
        "amount_ht": i.amount_ttc - i.amount_tva, "amount_tva": i.amount_tva,
        "amount_ttc": i.amount_ttc, "description": i.description,
        **{name: getattr(i, name) for name in FIGURES}})
    return ids


def _insert_payments(connection: Connection, payments: list[PaymentRow],
                     debtor_ids: dict[int, int], invoice_ids: dict[int, int]) -> None:
    payments.sort(key=_key)
    for payment in payments:
        payment.debtor_id = debtor_ids.get(payment.debtor_id, payment.debtor_id)
        payment.invoice_id = invoice_ids.get(payment.invoice_id or 0, payment.invoice_id)
    _insert(connection, Payment, payments, lambda p: {
        "creditor_id": p.creditor_id, "debtor_id": p.debtor_id, "invoice_id": p.invoice_id,
        "date": p.date, "amount": p.amount, "reference": p.reference, "kind": p.kind})


def _update_stored(connection: Connection, rows: Rows, invoices: list[InvoiceRow],
                   payments: list[PaymentRow], invoice_ids: dict[int, int]) -> None:
    """The stored rows that changed: invoices' figures, relettered payments, debtors'
    totals and details (a debtor the import touched also gets its alerts marked stale)."""
    for payment in payments:
        payment.invoice_id = invoice_ids.get(payment.invoice_id or 0, payment.invoice_id)
    _update(connection, Invoice, FIGURES, invoices)
    _update(connection, Payment, ("amount", "invoice_id"), payments)
    debtors = [d for d in rows.debtors.values() if d.before is not None]
    _update(connection, Debtor, (*DETAILS, *TOTALS),
            [d for d in debtors if _differ(d, (*DETAILS, *TOTALS))])
    _update(connection, Debtor, ("alerts_on",), [d for d in debtors if d.touched],
            extra=lambda d: {"alerts_on": None})


def _audit(connection: Connection, actor: Actor, rows: Rows, ids: dict[int, int]) -> None:
    at = utcnow()
    _insert(connection, AuditEvent, rows.audit, lambda event: {
        "creditor_id": actor.creditor_id, "debtor_id": ids.get(event[0], event[0]),
        "object_id": ids.get(event[0], event[0]), "user_id": actor.user_id, "at": at,
        "action": "import", "object_type": "debtor", "summary": event[1][:500],
        "changes": event[2]})


def _aggregate(connection: Connection, rows: Rows, new_invoices: list[InvoiceRow],
               old_invoices: list[InvoiceRow], payments: list[PaymentRow]) -> None:
    """The dashboard's aggregates: each new row's share added, each changed row's share
    as stored taken back and its new one added."""
    changes = maintain.Changes()
    for model, new, changed in (
            (Invoice, new_invoices, old_invoices),
            (Payment, [p for p in payments if p.new],
             [p for p in payments if not p.new and _differ(p, ("amount",))]),
            (Debtor, [d for d in rows.debtors.values() if d.touched and d.before is None],
             [d for d in rows.debtors.values() if d.before is not None
              and _differ(d, ("outstanding", "oldest_due_date"))])):
        for row in new:
            changes.add(model, row, +1)
        for row in changed:
            changes.add(model, row.before, -1)
            changes.add(model, row, +1)
    maintain.apply(connection, changes)


def _insert(connection: Connection, model: type, items: Sequence[Any],
            values_of: Callable[[Any], dict[str, Any]]) -> None:
    """The driver's executemany, a slice of rows at a time (memory stays that of a slice).
    Values go through each column's own bind processing, once, without the per-row work of
    a compiled statement's execution; the columns' Python defaults are computed once."""
    if not items:
        return
    table = model.__table__  # type: ignore[attr-defined]
    dialect = connection.dialect
    names = list(values_of(items[0]))
    defaults = {c.name: c.default.arg(None) if c.default.is_callable else c.default.arg
                for c in table.c if c.name not in names and c.default is not None
                and not c.default.is_sequence and not c.default.is_clause_element}
    names += list(defaults)
    compiled = insert(table).values({n: bindparam(n, type_=table.c[n].type) for n in names}
                                    ).compile(dialect=dialect)
    order = list(compiled.positiontup or names) if compiled.positional else names
    template: list[Any] = []  # a row: the defaults in place (processed once), values to fill
    fill: list[tuple[int, str, Callable[[Any], Any] | None]] = []
    for position, name in enumerate(order):
        process = _processor(table.c[name].type, dialect)
        if name in defaults:
            template.append(process(defaults[name]) if process else defaults[name])
        else:
            template.append(None)
            fill.append((position, name, process))
    sql = str(compiled)
    for start in range(0, len(items), SLICE):
        params = []
        for item in items[start:start + SLICE]:
            values, row = values_of(item), template.copy()
            for position, name, process in fill:
                row[position] = process(values[name]) if process else values[name]
            params.append(tuple(row) if compiled.positional else dict(zip(order, row, strict=True)))
        connection.exec_driver_sql(sql, params)


def _processor(column_type: Any, dialect: Any) -> Callable[[Any], Any] | None:
    """The column's bind processing; money (cents) on a fast path for a Decimal in cents."""
    process = column_type._cached_bind_processor(dialect)
    if not isinstance(column_type, Money) or process is None:
        return process

    def cents(value: Any) -> Any:
        if isinstance(value, Decimal):
            scaled = value.scaleb(2)
            whole = int(scaled)
            if whole == scaled:
                return whole
        return process(value)

    return cents


def _reserve(connection: Connection, model: type, count: int) -> Sequence[int]:
    """Ids for `count` new rows: from the table's sequence (PostgreSQL), or after the
    greatest (SQLite: this transaction holds the one write lock)."""
    table = model.__table__  # type: ignore[attr-defined]
    if count == 0:
        return []
    if connection.dialect.name == "postgresql":
        return list(connection.execute(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                 "FROM generate_series(1, :count)"), {"table": table.name, "count": count}
        ).scalars())
    last = connection.execute(select(func.max(table.c.id))).scalar_one() or 0
    return range(last + 1, last + 1 + count)


def _update(connection: Connection, model: type, names: Sequence[str], items: Sequence[Any],
            extra: Any = None) -> None:
    if not items:
        return
    table = model.__table__  # type: ignore[attr-defined]
    statement = update(table).where(table.c.id == bindparam("row_id")).values(
        {name: bindparam(name) for name in names})
    for start in range(0, len(items), SLICE):
        params = []
        for item in items[start:start + SLICE]:
            values = {name: getattr(item, name) for name in names if hasattr(item, name)}
            if extra is not None:
                values.update(extra(item))
            params.append({"row_id": item.id, **values})
        connection.execute(statement, params)


def _differ(row: Any, names: Iterable[str]) -> bool:
    return row.before is not None and any(
        getattr(row, name) != getattr(row.before, name) for name in names)


def _all(lists: Iterable[list[Any]]) -> Iterable[Any]:
    for items in lists:
        yield from items


def _key(row: InvoiceRow | PaymentRow) -> int:
    return row.id
