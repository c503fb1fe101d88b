"""One debtor's file loaded once from the database: rows the law facts are read from.

`load()` reads the creditor, the debtor, its invoices, payments, steps and exhibits (with the
invoices each exhibit proves), the court named in its last requête, and the rate tables when a
payment names no invoice (C. civ. 1342-10). `app.services.law_facts` maps it to law facts.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from app.law import territory
from app.law.calendar import department_from_postcode
from app.law.facts import CollectiveProceedingsFacts
from app.law.rates import RateTables
from app.models import (
    Court,
    Creditor,
    Debtor,
    Evidence,
    EvidenceInvoice,
    GeneratedDocument,
    Invoice,
    Payment,
    PaymentPromise,
    Step,
)
from app.services import courts  # the module: courts → audit → alerts → law_facts → here
from app.services.decompte import collective_of, decompte_from
from app.services.rates import current_rates

if TYPE_CHECKING:  # creditor_lists → courts → audit → alerts → law_facts → here
    from app.services.creditor_lists import CreditorLists


@dataclass(frozen=True)
class DebtorFile:
    """Everything the rules need about one debtor, loaded once."""

    creditor: Creditor
    debtor: Debtor
    invoices: list[Invoice]
    payments: list[Payment]
    steps: list[Step]
    exhibits: list[Evidence]
    links: dict[int, set[int]]  # evidence id → invoice ids
    issuing_court: Court | None = None  # the court of the last requête: where the ordonnance came from
    rates: RateTables | None = None  # loaded only when a payment names no invoice (1342-10)
    court: Court | None = None  # the court named for this debtor's town (CPC 54 1°)
    promises: tuple[PaymentPromise, ...] = ()  # promises to pay, oldest first (issue 17)

    @property
    def territory(self) -> str:
        """The debtor's territory (LAW.md §8: overseas from the postcode's first 3 digits)."""
        return territory.territory(self.debtor.country, self.debtor.postal_code)

    @property
    def department(self) -> str | None:
        """The department whose calendar applies to the debtor (None abroad)."""
        place = self.territory
        if place == territory.ABROAD:
            return None
        return territory.department(place) or department_from_postcode(self.debtor.postal_code)

    @property
    def open_invoices(self) -> list[Invoice]:
        return [inv for inv in self.invoices if inv.balance > 0]

    def steps_of(self, *kinds: str) -> list[Step]:
        return [s for s in self.steps if s.kind in kinds]

    def until(self, day: date) -> DebtorFile:
        """The file as it stood on `day`: later steps and payments are ignored, except the
        instalments of a payment plan, which are scheduled ahead."""
        return replace(self, steps=[s for s in self.steps
                                    if s.date <= day or s.kind == "payment_plan"],
                       payments=[p for p in self.payments if p.date <= day])

    @cached_property
    def collective(self) -> CollectiveProceedingsFacts:
        """Its collective proceedings: the form's fields, else the steps (decompte.collective_of)."""
        return collective_of(self.debtor, self.steps)

    @cached_property
    def computed(self) -> dict[Hashable, object]:
        """What the rules made of this file, kept with it (law_facts): a file is the rows as
        read once, never changed after, and `until` makes another."""
        return {}

    @cached_property
    def imputed_payments(self) -> dict[int, list[date]]:
        """Dates of the debtor's payments that went to each invoice: the one they name, else
        as the décompte imputes them (C. civ. 1342-10 al. 2, LAW.md §2.4).
        A credit note (avoir) settles but is no acknowledgment by the debtor (C. civ. 2240)."""
        by_id = {inv.id: inv for inv in self.invoices}
        paid_by: dict[int, list[Payment]] = {inv.id: [] for inv in self.invoices}  # type: ignore[misc]
        for payment in self.payments:
            if payment.invoice_id in by_id:
                paid_by[payment.invoice_id].append(payment)
        if self.rates is not None and any(p.invoice_id not in by_id for p in self.payments):
            last = max([p.date for p in self.payments] + [i.due_date for i in self.invoices])
            result = decompte_from(self.creditor, self.debtor, self.invoices, self.payments,
                                   self.steps, self.rates, as_of=last)
            numbers = {inv.number: inv.id for inv in self.invoices}
            payments = {p.id: p for p in self.payments}
            paid_by = {inv.id: [] for inv in self.invoices}  # type: ignore[misc]
            for row in result.invoices:
                paid_by[numbers[row.number]] = [payments[a.ref] for a in row.payments  # type: ignore[index]
                                                if a.ref in payments]
        return {invoice_id: [p.date for p in paid if p.kind != "credit_note"]
                for invoice_id, paid in paid_by.items()}


def load(session: Session, debtor: Debtor, as_of: date | None = None,
         exhibits: list[Evidence] | None = None,
         lists: CreditorLists | None = None, no_promises: bool = False) -> DebtorFile:
    """The debtor's file, as it stood on `as_of` when given. `exhibits`: every exhibit of the
    debtor, withdrawn ones too, when the caller already read them (the debtor page). `lists`:
    the rate tables and the courts named by town, when kept (app/services/creditor_lists.py).
    `no_promises`: the debtor is known to have none (read with it: services/debtors.py)."""
    file = _load(session, debtor, exhibits, lists, no_promises)
    return file.until(as_of) if as_of else file


# The file's queries, built once with the debtor's id bound at each run: building a statement
# cost about half of running it, on every render of the debtor page.
EXHIBITS = select(Evidence).where(Evidence.debtor_id == bindparam("debtor_id"),
                                  col(Evidence.withdrawn_at).is_(None))
LINKS = select(EvidenceInvoice).where(
    col(EvidenceInvoice.evidence_id).in_(bindparam("evidence_ids", expanding=True)))
INVOICES = select(Invoice).where(Invoice.debtor_id == bindparam("debtor_id")) \
    .order_by(Invoice.due_date, Invoice.id)  # type: ignore[arg-type]
PAYMENTS = select(Payment).where(Payment.debtor_id == bindparam("debtor_id")) \
    .order_by(Payment.date, Payment.id)  # type: ignore[arg-type]
STEPS = select(Step).where(Step.debtor_id == bindparam("debtor_id")) \
    .order_by(Step.date, Step.id)  # type: ignore[arg-type]
PROMISES = select(PaymentPromise).where(PaymentPromise.debtor_id == bindparam("debtor_id")) \
    .order_by(col(PaymentPromise.made_on), col(PaymentPromise.id))


def _load(session: Session, debtor: Debtor, every_exhibit: list[Evidence] | None,
          lists: CreditorLists | None, no_promises: bool) -> DebtorFile:
    creditor = session.get(Creditor, debtor.creditor_id)
    assert creditor is not None
    of_debtor = {"debtor_id": debtor.id}
    exhibits = list(session.exec(EXHIBITS, params=of_debtor)) if every_exhibit is None \
        else [e for e in every_exhibit if e.withdrawn_at is None]
    links: dict[int, set[int]] = {e.id: set() for e in exhibits}  # type: ignore[misc]
    if exhibits:
        for link in session.exec(LINKS, params={"evidence_ids": list(links)}):
            links[link.evidence_id].add(link.invoice_id)
    invoices = list(session.exec(INVOICES, params=of_debtor))
    payments = list(session.exec(PAYMENTS, params=of_debtor))
    steps = list(session.exec(STEPS, params=of_debtor))
    numbered = {inv.id for inv in invoices}
    unassigned = bool(invoices) and any(p.invoice_id not in numbered for p in payments)
    issuing = requete_court(session, debtor) if any(s.kind == "ordonnance" for s in steps) \
        else None
    rates = (lists.rates if lists else current_rates(session)) if unassigned else None
    court = lists.proposed_court(debtor) if lists \
        else courts.proposed(session, creditor.id, debtor)  # type: ignore[arg-type]
    return DebtorFile(creditor, debtor, invoices, payments, steps, exhibits, links, issuing,
                      rates, court, () if no_promises else _promises(session, debtor))


def _promises(session: Session, debtor: Debtor) -> tuple[PaymentPromise, ...]:
    return tuple(session.exec(PROMISES, params={"debtor_id": debtor.id}))


def requete_court(session: Session, debtor: Debtor) -> Court | None:
    """The court named in the last requête generated for this debtor (it issues the
    ordonnance: CPC 643/644 depend on where it sits)."""
    documents = session.exec(select(GeneratedDocument).where(
        GeneratedDocument.debtor_id == debtor.id, GeneratedDocument.kind == "requete_injonction")
        .order_by(col(GeneratedDocument.document_date).desc(),
                  col(GeneratedDocument.id).desc()))
    for document in documents:
        court_id = (document.params or {}).get("court_id")
        court = session.get(Court, court_id) if court_id else None
        if court is not None and court.creditor_id == debtor.creditor_id:
            return court
    return None
