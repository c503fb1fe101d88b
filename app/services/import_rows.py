"""The debtors, invoices and payments an import reads and plans, as plain records.

An import decides everything in memory first (app/services/import_writer.py), then writes
in a few bulk statements (app/services/import_bulk.py). Records rather than ORM objects: a
200,000-line ledger plans tens of thousands of rows, and an ORM object costs tens of
microseconds to make and to flush. Rows already stored are read in chunks, a query per
chunk of customers, never one per row.

A row not yet written has a provisional id: negative for a debtor (the dry run's convention),
above every stored id for an invoice or a payment, in the order they will be inserted, so
that sorting by id (balances: C. civ. 1342-10 ties) sorts as the database will.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select

from app.models import Debtor, Invoice, Payment

CHUNK = 500  # ids or numbers per IN (…): within every database's bound on parameters
PROVISIONAL = 10**15  # provisional ids of invoices and payments start here
ZERO = Decimal("0.00")
DEBTOR_FIELDS = ("id", "creditor_id", "kind", "legal_name", "siren", "email", "street",
                 "postal_code", "city", "outstanding", "oldest_due_date", "invoice_count",
                 "stage")
INVOICE_FIELDS = ("id", "creditor_id", "debtor_id", "number", "issue_date", "due_date",
                  "amount_ttc", "contractual_rate", "paid", "balance", "fell_overdue",
                  "paid_late")
PAYMENT_FIELDS = ("id", "creditor_id", "debtor_id", "invoice_id", "date", "amount",
                  "reference", "kind")


@dataclass(slots=True)
class DebtorRow:
    id: int
    creditor_id: int
    kind: str
    legal_name: str
    siren: str = ""
    email: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    outstanding: Decimal = ZERO
    oldest_due_date: date | None = None
    invoice_count: int = 0
    stage: str = "amiable"
    is_merchant: bool = True
    notes: str = ""
    before: DebtorRow | None = None  # as stored (None: a new debtor)
    touched: bool = False  # balances to compute again, an audit event to write

    @property
    def new(self) -> bool:
        return self.id < 0


@dataclass(slots=True)
class InvoiceRow:
    id: int
    creditor_id: int
    debtor_id: int
    number: str
    issue_date: date
    due_date: date
    amount_ttc: Decimal
    contractual_rate: Decimal | None = None
    paid: Decimal = ZERO
    balance: Decimal = ZERO
    fell_overdue: Decimal = ZERO
    paid_late: Decimal = ZERO
    amount_tva: Decimal = ZERO
    description: str = ""
    before: InvoiceRow | None = None

    @property
    def new(self) -> bool:
        return self.id >= PROVISIONAL


@dataclass(slots=True)
class PaymentRow:
    id: int
    creditor_id: int
    debtor_id: int
    invoice_id: int | None
    date: date
    amount: Decimal
    reference: str
    kind: str
    before: PaymentRow | None = None

    @property
    def new(self) -> bool:
        return self.id >= PROVISIONAL


@dataclass
class Rows:
    """What the import has read and planned, by debtor."""

    creditor_id: int
    debtors: dict[int, DebtorRow] = field(default_factory=dict)
    invoices: dict[int, list[InvoiceRow]] = field(default_factory=dict)  # planned, by debtor
    payments: dict[int, list[PaymentRow]] = field(default_factory=dict)  # stored + planned
    audit: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)
    next_id: int = PROVISIONAL

    def provisional_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def payments_of(self, connection: Connection, debtor: DebtorRow) -> list[PaymentRow]:
        if debtor.id not in self.payments:  # not read with its chunk (a later match)
            self.load_payments(connection, [debtor.id])
        return self.payments[debtor.id]

    def load_debtors(self, connection: Connection, ids: Iterable[int]) -> None:
        wanted = [i for i in set(ids) if i > 0 and i not in self.debtors]
        for row in _select(connection, Debtor, DEBTOR_FIELDS, Debtor.id, wanted):  # type: ignore[arg-type]
            debtor = DebtorRow(*row)
            debtor.before = replace(debtor)
            self.debtors[debtor.id] = debtor

    def load_payments(self, connection: Connection, debtor_ids: Sequence[int]) -> None:
        wanted = [i for i in debtor_ids if i > 0 and i not in self.payments]
        for debtor_id in wanted:
            self.payments[debtor_id] = []
        for row in _select(connection, Payment, PAYMENT_FIELDS, Payment.debtor_id, wanted,
                           order=(Payment.date, Payment.id)):
            payment = PaymentRow(*row)
            payment.before = replace(payment)
            self.payments[payment.debtor_id].append(payment)


def existing_invoices(connection: Connection, creditor_id: int, numbers: Sequence[str]
                      ) -> dict[str, tuple[int, int]]:
    """The creditor's invoices among `numbers`: number → (id, debtor id)."""
    found: dict[str, tuple[int, int]] = {}
    for start in range(0, len(numbers), CHUNK):
        part = numbers[start:start + CHUNK]
        found.update((number, (invoice_id, debtor_id)) for number, invoice_id, debtor_id in
                     connection.execute(select(Invoice.number, Invoice.id, Invoice.debtor_id)
                                        .where(Invoice.creditor_id == creditor_id,
                                               Invoice.number.in_(part))))  # type: ignore[attr-defined]
    return found


def stored_invoices(connection: Connection, debtor_ids: Sequence[int]
                    ) -> dict[int, list[InvoiceRow]]:
    """Every stored invoice of these debtors, by debtor."""
    invoices: dict[int, list[InvoiceRow]] = {i: [] for i in debtor_ids}
    for row in _select(connection, Invoice, INVOICE_FIELDS, Invoice.debtor_id, debtor_ids,
                       order=(Invoice.due_date, Invoice.id)):
        invoice = InvoiceRow(*row)
        invoice.before = replace(invoice)
        invoices[invoice.debtor_id].append(invoice)
    return invoices


def _select(connection: Connection, model: type, fields: Sequence[str], key: Any,
            values: Sequence[int], order: Sequence[Any] = ()) -> Iterator[Any]:
    columns = [getattr(model, name) for name in fields]
    for start in range(0, len(values), CHUNK):
        yield from connection.execute(select(*columns).where(
            key.in_(values[start:start + CHUNK])).order_by(*order))
