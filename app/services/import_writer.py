"""Matching imported open items against the creditor's files, and planning what to write.

The same code runs for the dry run (`write=False`: counts in the report) and for the import
(`write=True`), so the dry-run report says exactly what the import will do. Debtors are
matched by customer account (remembered per source), then SIREN, then name; invoices by
(creditor, number); payments by (debtor, reference, date) so that importing the same ledger
twice, or a later export of it, never duplicates anything.

Everything is planned in memory (app/services/import_rows.py), reading the stored rows a
chunk of customers at a time; the import then writes it in bulk (app/services/import_bulk.py).
Nothing here commits: the caller holds the one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import islice

from sqlalchemy import select
from sqlmodel import Session

from app.imports.items import CREDIT_NOTE, Credit, Customer, InvoiceItem, name_key
from app.imports.report import PREVIEW_SIZE, ImportReport, PreviewInvoice
from app.models import Debtor, ImportBatch
from app.services import import_bulk
from app.services.context import Actor
from app.services.import_rows import DebtorRow, InvoiceRow, PaymentRow, Rows, existing_invoices

ZERO = Decimal("0.00")
CHUNK = 500  # customers whose stored rows are read together
CONSUMER_PREFIXES = ("m ", "mme ", "mr ", "monsieur ", "madame ", "mlle ")


@dataclass
class Settings:
    term_days: int
    due_dates: dict[str, date] = field(default_factory=dict)


@dataclass(slots=True)
class _Target:
    """An invoice of this import: stored, or planned (its provisional id)."""

    id: int
    existing: bool
    touched: bool = False


class ImportWriter:
    def __init__(self, session: Session, actor: Actor, batch: ImportBatch, report: ImportReport,
                 settings: Settings, accounts: dict[str, int], *, write: bool) -> None:
        self.session, self.actor, self.batch, self.report = session, actor, batch, report
        self.settings, self.accounts, self.write = settings, accounts, write
        self.connection = session.connection()
        self.rows = Rows(creditor_id=actor.creditor_id)
        self.by_siren: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        self.numbers: dict[str, str] = {}  # invoice number → customer key, within the file
        self.stored: dict[str, tuple[int, int]] = {}  # this chunk's stored invoices by number
        self.planned = 0  # negative ids of the debtors this import creates
        self._load_debtors()

    def _load_debtors(self) -> None:
        rows = self.connection.execute(select(Debtor.id, Debtor.siren, Debtor.legal_name)
                                       .where(Debtor.creditor_id == self.actor.creditor_id))
        known: set[int] = set()
        for debtor_id, siren, legal_name in rows:
            known.add(debtor_id)
            if siren:
                self.by_siren.setdefault(siren, debtor_id)
            self.by_name.setdefault(name_key(legal_name), debtor_id)
        self.accounts = {k: v for k, v in self.accounts.items() if v in known}

    def run(self, customers: Iterable[Customer], total: int,
            progress: Callable[[float], None] | None = None) -> None:
        """Plan every customer, then (the import) write the plan; progress to 0.9 while
        planning, the rest once written."""
        done = 0
        for chunk in _chunks(iter(customers), CHUNK):
            self._prefetch(chunk)
            for customer in chunk:
                self.customer(customer)
            done += len(chunk)
            if progress:
                progress(0.9 * done / max(total, 1))
        if self.write:
            ids = import_bulk.write(self.session, self.actor, self.rows)
            self.accounts = {k: ids.get(v, v) for k, v in self.accounts.items()}

    def _prefetch(self, chunk: list[Customer]) -> None:
        """The stored rows this chunk needs: its invoice numbers, its matched debtors and
        their payments, each in a query or a few."""
        numbers = [inv.number for customer in chunk for inv in customer.invoices]
        self.stored = existing_invoices(self.connection, self.actor.creditor_id, numbers)
        matched = [m for m in (self.match(c) for c in chunk) if m is not None and m > 0]
        self.rows.load_debtors(self.connection, matched)
        self.rows.load_payments(self.connection, matched)

    # -- debtors -----------------------------------------------------------------------------

    def match(self, customer: Customer) -> int | None:
        if customer.account and customer.account in self.accounts:
            return self.accounts[customer.account]
        if customer.siren and customer.siren in self.by_siren:
            return self.by_siren[customer.siren]
        return self.by_name.get(name_key(customer.name))

    def customer(self, customer: Customer) -> None:
        debtor_id = self.match(customer)
        if debtor_id is None and not customer.has_open_items:
            self.report.debtors.skipped += 1
            self.report.invoices.skipped += len(customer.invoices)
            for credit in customer.credits:
                self._counts(credit).skipped += 1
            return
        created = debtor_id is None
        debtor = self._debtor(customer, debtor_id)
        if customer.account:
            self.accounts[customer.account] = debtor.id
        targets, new_invoices = self._invoices(customer, debtor)
        new_credits = self._credits(customer, debtor, targets)
        changed = bool(new_invoices or new_credits)
        if created:
            self.report.debtors.created += 1
        elif changed:
            self.report.debtors.updated += 1
        else:
            self.report.debtors.skipped += 1
        existing = [t for t in targets.values() if t.existing]
        self.report.invoices.updated += sum(1 for t in existing if t.touched)
        self.report.invoices.skipped += sum(1 for t in existing if not t.touched)
        if changed or created:
            debtor.touched = True
            self.rows.audit.append((debtor.id, _summary(self.batch, new_invoices, new_credits),
                                    {"import_batch": self.batch.id,
                                     "invoices": new_invoices[:200],
                                     "credits": new_credits[:200]}))

    def _debtor(self, customer: Customer, debtor_id: int | None) -> DebtorRow:
        if debtor_id is not None:
            if debtor_id not in self.rows.debtors:  # matched after its chunk was read
                self.rows.load_debtors(self.connection, [debtor_id])
            debtor = self.rows.debtors[debtor_id]
            if debtor_id > 0:
                self._complete(debtor, customer)
            return debtor
        self.planned -= 1
        debtor = self._new_debtor(customer, self.planned)
        self.rows.debtors[debtor.id] = debtor
        self.rows.payments[debtor.id] = []
        if customer.siren:
            self.by_siren[customer.siren] = debtor.id
        self.by_name[name_key(customer.name)] = debtor.id
        return debtor

    def _new_debtor(self, customer: Customer, debtor_id: int) -> DebtorRow:
        details = customer.details
        consumer = name_key(customer.name + " ").startswith(CONSUMER_PREFIXES) or \
            customer.name.lower().startswith(("m.", "mme"))
        return DebtorRow(
            id=debtor_id, creditor_id=self.actor.creditor_id, legal_name=customer.name[:200],
            kind="consumer" if consumer else "company", is_merchant=not consumer,
            siren=customer.siren, email=details.get("email", "")[:254],
            street=details.get("street", "")[:300],
            postal_code=details.get("postal_code", "")[:10], city=details.get("city", "")[:120],
            notes=f"Créé par l'import n° {self.batch.id} ({self.batch.original_name})."[:5000])

    def _complete(self, debtor: DebtorRow, customer: Customer) -> None:
        """Fill what the file knows and the debtor's file does not; never overwrite."""
        known = {"siren": customer.siren, **customer.details}
        for name in ("siren", "email", "street", "postal_code", "city"):
            if known.get(name) and not getattr(debtor, name):
                setattr(debtor, name, known[name])

    # -- invoices ----------------------------------------------------------------------------

    def _invoices(self, customer: Customer, debtor: DebtorRow
                  ) -> tuple[dict[str, _Target], list[str]]:
        targets: dict[str, _Target] = {}
        created: list[str] = []
        for item in customer.invoices:
            other = self.numbers.setdefault(item.number, customer.key)
            found = self.stored.get(item.number)
            if len(item.number) > 60:
                self.report.refuse(item.line, f"N° de pièce « {item.number[:60]}… » trop long "
                                              "(60 caractères au plus).")
            elif other != customer.key:
                self.report.refuse(item.line, f"Facture {item.number} : ce numéro est aussi "
                                              f"celui d'une pièce d'un autre client du fichier.")
            elif found is not None and found[1] != debtor.id:
                self.report.refuse(item.line, f"La facture {item.number} existe déjà dans le "
                                              "dossier d'un autre débiteur.")
            elif found is not None:
                targets[item.number] = _Target(found[0], existing=True)
            elif item.settled:
                self.report.invoices.skipped += 1  # paid and lettered: nothing to collect
            else:
                targets[item.number] = _Target(self._create(item, debtor), existing=False)
                created.append(item.number)
        return targets, created

    def _create(self, item: InvoiceItem, debtor: DebtorRow) -> int:
        due, proposed = self.due_date(item)
        self.report.invoices.created += 1
        if len(self.report.preview) < PREVIEW_SIZE:
            self.report.preview.append(PreviewInvoice(item.number, debtor.legal_name,
                                                      item.issue_date, due, item.amount_ttc,
                                                      proposed))
        tva = item.amount_tva if item.amount_tva is not None and \
            ZERO <= item.amount_tva < item.amount_ttc else ZERO
        invoice = InvoiceRow(
            id=self.rows.provisional_id(), creditor_id=self.actor.creditor_id,
            debtor_id=debtor.id, number=item.number[:60], issue_date=item.issue_date,
            due_date=due, amount_ttc=item.amount_ttc, balance=item.amount_ttc, amount_tva=tva,
            description=(item.description or "Importée de la comptabilité")[:2000])
        self.rows.invoices.setdefault(debtor.id, []).append(invoice)
        return invoice.id

    def due_date(self, item: InvoiceItem) -> tuple[date, bool]:
        """The corrected date, the file's, or issue date + the creditor's payment term."""
        if item.number in self.settings.due_dates:
            return self.settings.due_dates[item.number], False
        if item.due_date is not None and item.due_date >= item.issue_date:
            return item.due_date, False
        return item.issue_date + timedelta(days=self.settings.term_days), True

    # -- payments and credit notes -----------------------------------------------------------

    def _credits(self, customer: Customer, debtor: DebtorRow, targets: dict[str, _Target]
                 ) -> list[str]:
        # As stored when the customer comes: its own new payments join them for the next one.
        recorded = list(self.rows.payments_of(self.connection, debtor))
        groups: dict[tuple[str, str, date], list[Credit]] = {}
        for credit in customer.credits:
            if credit.invoice_number and credit.invoice_number not in targets:
                self._counts(credit).skipped += 1  # settles an invoice not imported
                continue
            groups.setdefault((credit.kind, credit.reference, credit.date), []).append(credit)
        written: list[str] = []
        for parts in groups.values():
            if parts[0].cumulative:
                written += self._cumulative(parts, debtor, targets, recorded)
            else:
                written += self._settle(parts, debtor, targets, recorded)
        return written

    def _counts(self, credit: Credit):  # type: ignore[no-untyped-def]
        return self.report.credit_notes if credit.kind == CREDIT_NOTE else self.report.payments

    def _settle(self, parts: list[Credit], debtor: DebtorRow, targets: dict[str, _Target],
                recorded: list[PaymentRow]) -> list[str]:
        first = parts[0]
        reference = _reference(first)
        same = [p for p in recorded if p.reference == reference and p.date == first.date]
        counts = self._counts(first)
        total = sum((c.amount for c in parts), ZERO)
        already = sum((p.amount for p in same), ZERO)
        if not same:
            for part in parts:
                self._payment(debtor, part, part.amount, targets)
            counts.created += 1
            return [f"{reference} {total}"]
        if already == total:
            wanted = sorted((c.amount, _id(targets, c) or 0) for c in parts)
            if wanted == sorted((p.amount, p.invoice_id or 0) for p in same) or \
                    any(p.invoice_id is not None for p in same) or len(same) > len(parts):
                counts.skipped += 1
                return []
            self._reletter(same, parts, debtor, targets)
            counts.updated += 1
            return [f"{reference} lettré"]
        if already < total:
            self._payment(debtor, parts[-1], total - already, targets)
            counts.created += 1
            return [f"{reference} {total - already}"]
        self.report.warn(f"{reference} du {first.date:%d/%m/%Y} : le dossier enregistre "
                         f"{already} €, la comptabilité {total} € ; rien n'a été changé.")
        counts.skipped += 1
        return []

    def _reletter(self, rows: list[PaymentRow], parts: list[Credit], debtor: DebtorRow,
                  targets: dict[str, _Target]) -> None:
        """An unapplied payment now lettered in the ledger: attach it to its invoices."""
        for index, part in enumerate(parts):
            self._touch(targets, part)
            if index < len(rows):
                rows[index].amount, rows[index].invoice_id = part.amount, _id(targets, part)
            else:
                self._payment(debtor, part, part.amount, targets)

    def _cumulative(self, parts: list[Credit], debtor: DebtorRow, targets: dict[str, _Target],
                    recorded: list[PaymentRow]) -> list[str]:
        """"Already paid" columns: record what the file shows beyond what is recorded."""
        written = []
        for part in parts:
            invoice_id = _id(targets, part)
            already = sum((p.amount for p in recorded if invoice_id is not None
                           and p.invoice_id == invoice_id), ZERO)
            if part.amount > already:
                self._payment(debtor, part, part.amount - already, targets)
                self.report.payments.created += 1
                written.append(f"{part.reference} {part.amount - already}")
            else:
                self.report.payments.skipped += 1
        return written

    def _payment(self, debtor: DebtorRow, credit: Credit, amount: Decimal,
                 targets: dict[str, _Target]) -> None:
        self._touch(targets, credit)
        self.rows.payments[debtor.id].append(PaymentRow(
            id=self.rows.provisional_id(), creditor_id=self.actor.creditor_id,
            debtor_id=debtor.id, invoice_id=_id(targets, credit), date=credit.date,
            amount=amount, reference=_reference(credit),
            kind="credit_note" if credit.kind == CREDIT_NOTE else "payment"))

    @staticmethod
    def _touch(targets: dict[str, _Target], credit: Credit) -> None:
        if credit.invoice_number in targets:
            targets[credit.invoice_number].touched = True


def _chunks(items: Iterator[Customer], size: int) -> Iterator[list[Customer]]:
    while chunk := list(islice(items, size)):
        yield chunk


def _id(targets: dict[str, _Target], credit: Credit) -> int | None:
    target = targets.get(credit.invoice_number)
    return target.id if target else None


def _reference(credit: Credit) -> str:
    prefix = "Avoir " if credit.kind == CREDIT_NOTE else ""
    return (prefix + credit.reference)[:120]


def _summary(batch: ImportBatch, invoices: list[str], credits: list[str]) -> str:
    parts = []
    if invoices:
        parts.append(f"{len(invoices)} facture{'s' if len(invoices) > 1 else ''}")
    if credits:
        parts.append(f"{len(credits)} règlement{'s' if len(credits) > 1 else ''} ou avoir"
                     f"{'s' if len(credits) > 1 else ''}")
    detail = " et ".join(parts) or "aucun mouvement"
    return f"Import de « {batch.original_name} » (n° {batch.id}) : {detail}"
