"""A debtor's file read from the database as the plain facts the law engine takes.

One place maps steps, payments and exhibits to prescription events, alert facts and the
readiness facts, so the page, the dashboard, the letters and the claim file agree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cached_property, lru_cache

from sqlmodel import Session, col, select

from app.law import territory
from app.law.alerts import AlertFacts, Instalment
from app.law.calendar import add_months, department_from_postcode, holiday_calendar
from app.law.facts import (
    CollectiveProceedingsFacts,
    CreditorFacts,
    DebtorFacts,
    FileFacts,
    InvoiceFacts,
    MiseEnDemeureFacts,
    ProofKind,
)
from app.law.notice import DEFAULT_DAYS, NoticeDeadline, notice_deadline
from app.law.prescription import Prescription, PrescriptionEvent, prescription
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
    Step,
)
from app.services.decompte import debtor_kind, decompte_from
from app.services.rates import current_rates

ACCEPTANCE_KINDS = {"signed_quote", "purchase_order", "contract", "acknowledgment"}
PERFORMANCE_KINDS = {"delivery_note"}
PROOF_BY_EVIDENCE: dict[str, ProofKind] = {"posting_proof": "posting", "ar_signed": "receipt",
                                           "ar_unclaimed": "unclaimed", "lre_proof": "lre"}
PROOF_BY_STEP: dict[str, ProofKind] = {"ar_signed": "receipt", "pli_non_reclame": "unclaimed"}
# Steps that interrupt or suspend prescription (C. civ. 2240, 2241, 2244, 2238; L622-25-1).
INTERRUPTING_STEPS = {"acknowledgment": "acknowledgment", "signification": "ip_service",
                      "enforcement": "enforcement", "claim_declaration": "claim_declaration"}
# Steps that suspend it, with their basis (C. civ. 2238, 2239, 2234).
SUSPENDING_STEPS = {"mediation": "mediation", "instruction_measure": "instruction",
                    "impossibility": "impossibility"}


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
    court: Court | None = None  # the court of the last requête: where the ordonnance came from
    rates: RateTables | None = None  # loaded only when a payment names no invoice (1342-10)

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


def load(session: Session, debtor: Debtor, as_of: date | None = None) -> DebtorFile:
    """The debtor's file, as it stood on `as_of` when given."""
    file = _load(session, debtor)
    return file.until(as_of) if as_of else file


def _load(session: Session, debtor: Debtor) -> DebtorFile:
    creditor = session.get(Creditor, debtor.creditor_id)
    assert creditor is not None
    exhibits = list(session.exec(select(Evidence).where(
        Evidence.debtor_id == debtor.id, col(Evidence.withdrawn_at).is_(None))))
    links: dict[int, set[int]] = {e.id: set() for e in exhibits}  # type: ignore[misc]
    if exhibits:
        for link in session.exec(select(EvidenceInvoice).where(
                col(EvidenceInvoice.evidence_id).in_(list(links)))):
            links[link.evidence_id].add(link.invoice_id)
    invoices = list(session.exec(select(Invoice).where(Invoice.debtor_id == debtor.id)
                                 .order_by(Invoice.due_date, Invoice.id)))  # type: ignore[arg-type]
    payments = list(session.exec(select(Payment).where(Payment.debtor_id == debtor.id)
                                 .order_by(Payment.date, Payment.id)))  # type: ignore[arg-type]
    steps = list(session.exec(select(Step).where(Step.debtor_id == debtor.id)
                              .order_by(Step.date, Step.id)))  # type: ignore[arg-type]
    numbered = {inv.id for inv in invoices}
    unassigned = bool(invoices) and any(p.invoice_id not in numbered for p in payments)
    court = _requete_court(session, debtor) if any(s.kind == "ordonnance" for s in steps) \
        else None
    return DebtorFile(creditor, debtor, invoices, payments, steps, exhibits, links, court,
                      current_rates(session) if unassigned else None)


def _requete_court(session: Session, debtor: Debtor) -> Court | None:
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


@lru_cache(maxsize=64)
def holidays_for(department: str | None, first_year: int, last_year: int) -> frozenset[date]:
    return holiday_calendar(department, range(first_year, last_year + 1))


def file_holidays(file: DebtorFile, today: date) -> frozenset[date]:
    return holidays_for(file.department, today.year - 6, today.year + 6)


def prescription_events(file: DebtorFile, invoice: Invoice) -> list[PrescriptionEvent]:
    events = [PrescriptionEvent(INTERRUPTING_STEPS[s.kind], s.date)  # type: ignore[arg-type]
              for s in file.steps if s.kind in INTERRUPTING_STEPS]
    # A partial payment acknowledges the debt it pays (C. civ. 2240).
    events += [PrescriptionEvent("partial_payment", day)
               for day in file.imputed_payments.get(invoice.id, [])]  # type: ignore[arg-type]
    for s in file.steps_of(*SUSPENDING_STEPS):  # C. civ. 2238, 2239, 2234: while it lasts
        basis = SUSPENDING_STEPS[s.kind]
        events.append(PrescriptionEvent("suspension_start", s.date, basis))  # type: ignore[arg-type]
        if s.end_date:
            events.append(PrescriptionEvent("suspension_end", s.end_date))
    return sorted(events, key=lambda e: e.date)


def goods_transport(file: DebtorFile, invoice: Invoice) -> bool:
    """A carriage-of-goods claim (C. com. L133-6): a carrier creditor, or the invoice says so."""
    return file.creditor.goods_carrier or invoice.goods_transport


def invoice_prescription(file: DebtorFile, invoice: Invoice, today: date) -> Prescription:
    # LAW.md §1 tool rule: start at delivery/completion if recorded, else the issue date.
    return prescription(debtor_kind=debtor_kind(file.debtor),
                        start=invoice.delivery_date or invoice.issue_date, as_of=today,
                        events=prescription_events(file, invoice), due_date=invoice.due_date,
                        claim="goods_transport" if goods_transport(file, invoice)
                        else "ordinary")


def most_urgent_prescription(file: DebtorFile, today: date) -> Prescription | None:
    results = [invoice_prescription(file, inv, today) for inv in file.open_invoices]
    return min(results, key=lambda p: p.deadline, default=None)


def location(file: DebtorFile) -> str:
    """CPC 643, 644: metropolitan France, overseas or abroad."""
    return territory.location(file.territory)


def court_territory(file: DebtorFile) -> str:
    """Where the court that issued the ordonnance sits: from its own address when the requête
    named one, else the debtor's own court (CPC 1406), so the debtor's territory."""
    court = file.court
    if court is not None and court.postal_code.strip():
        return territory.territory("FR", court.postal_code)
    place = file.territory
    return territory.METROPOLE if place == territory.ABROAD else place


def notice_due(file: DebtorFile, notice: Step, holidays: frozenset[date]) -> NoticeDeadline:
    """LAW.md §4: N days from the AR (or first presentation), else an estimate."""
    received = [s.date for s in file.steps if s.kind in PROOF_BY_STEP and s.date >= notice.date]
    return notice_deadline(sent=notice.date, days=notice.deadline_days or DEFAULT_DAYS,
                           received=min(received, default=None), holidays=holidays,
                           served=notice.channel == "commissaire")


def instalments(file: DebtorFile) -> tuple[Instalment, ...]:
    """Payment-plan steps are instalments (date due, amount), paid in order by the payments
    received from a month before the first one on (tool convention: an early payment counts)."""
    plan = sorted((s for s in file.steps_of("payment_plan") if s.amount), key=lambda s: s.date)
    if not plan:
        return ()
    since = add_months(plan[0].date, -1)
    received = sum((p.amount for p in file.payments if p.date >= since), Decimal(0))
    result, owed = [], Decimal(0)
    for step in plan:
        owed += step.amount or 0
        result.append(Instalment(step.date, step.amount or Decimal(0), paid=received >= owed))
    return tuple(result)


def last(steps: list[Step]) -> Step | None:
    return steps[-1] if steps else None


def alert_facts(file: DebtorFile, today: date) -> AlertFacts:
    debtor = file.debtor
    notice = last(file.steps_of("mise_en_demeure"))
    ordonnance = last(file.steps_of("ordonnance"))
    service = last([s for s in file.steps_of("signification")
                    if ordonnance and s.date >= ordonnance.date])
    received = [s.date for s in file.steps if notice and s.kind in PROOF_BY_STEP
                and s.date >= notice.date]
    court = court_territory(file)
    return AlertFacts(
        prescription=most_urgent_prescription(file, today),
        mise_en_demeure_sent=notice.date if notice else None,
        mise_en_demeure_days=(notice.deadline_days or DEFAULT_DAYS) if notice else DEFAULT_DAYS,
        mise_en_demeure_received=min(received, default=None),
        mise_en_demeure_served=bool(notice and notice.channel == "commissaire"),
        holidays=file_holidays(file, today),
        ordonnance_date=ordonnance.date if ordonnance else None,
        service_date=service.date if service else None,
        service_to_person=bool(service.to_person) if service and service.to_person is not None
        else True,
        debtor_location=location(file),  # type: ignore[arg-type]
        court_location=territory.location(court),  # type: ignore[arg-type]
        same_territory=court == file.territory,
        opposition_filed=bool(ordonnance and any(s.date >= ordonnance.date
                                                 for s in file.steps_of("opposition"))),
        collective_opened=debtor.proceedings_judgment_date if debtor.proceedings_kind else None,
        bodacc_published=debtor.proceedings_bodacc_date if debtor.proceedings_kind else None,
        creditor_territory=territory.territory(file.creditor.country, file.creditor.postal_code),
        court_territory=court,
        claim_declared=bool(file.steps_of("claim_declaration")),
        instalments=instalments(file),
    )


def _covering(file: DebtorFile, invoice: Invoice, kinds: set[str]) -> bool:
    """An exhibit of one of `kinds` linked to the invoice, or linked to none (covers all)."""
    return any(e.kind in kinds and (not file.links[e.id] or invoice.id in file.links[e.id])  # type: ignore[index]
               for e in file.exhibits)


def _notice_facts(file: DebtorFile, holidays: frozenset[date]) -> MiseEnDemeureFacts:
    notice = last(file.steps_of("mise_en_demeure"))
    if notice is None:
        return MiseEnDemeureFacts()
    proofs = {PROOF_BY_EVIDENCE[e.kind] for e in file.exhibits if e.kind in PROOF_BY_EVIDENCE}
    proofs |= {PROOF_BY_STEP[s.kind] for s in file.steps if s.kind in PROOF_BY_STEP
               and s.date >= notice.date}
    if notice.channel == "lre":
        proofs.add("lre")
    if notice.channel == "commissaire":
        proofs.add("commissaire")
    due = notice_due(file, notice, holidays)
    return MiseEnDemeureFacts(sent_on=notice.date, to_registered_office=bool(file.debtor.street),
                              proofs=frozenset(proofs), deadline=due.deadline,
                              deadline_estimated=due.estimated)


def open_dispute(file: DebtorFile, today: date) -> bool:
    disputes = file.steps_of("dispute")
    if not disputes:
        return False
    latest = disputes[-1]
    closed = any(s.date >= latest.date for s in file.steps_of("dispute_closed"))
    ended = latest.end_date is not None and latest.end_date <= today
    return not (closed or ended)


def _address(street: str, postal_code: str, city: str) -> str:
    return ", ".join(part for part in (street, f"{postal_code} {city}".strip()) if part)


def file_facts(file: DebtorFile, today: date) -> FileFacts:
    creditor, debtor = file.creditor, file.debtor
    holidays = file_holidays(file, today)
    return FileFacts(
        as_of=today,
        creditor=CreditorFacts(creditor.legal_name, creditor.legal_form, creditor.siren,
                               creditor.rcs_city,
                               _address(creditor.street, creditor.postal_code, creditor.city),
                               creditor.representative),
        debtor=DebtorFacts(
            kind=debtor_kind(debtor), name=debtor.legal_name, is_company=debtor.kind == "company",
            siren=debtor.siren, registered_office=_address(debtor.street, "", ""),
            postcode=debtor.postal_code, city=debtor.city, country=debtor.country,
            commercial=debtor.kind == "company" and debtor.is_merchant),
        invoices=tuple(
            InvoiceFacts(inv.number, inv.due_date,
                         has_invoice_doc=_covering(file, inv, {"invoice"}),
                         has_acceptance_doc=_covering(file, inv, ACCEPTANCE_KINDS),
                         has_performance_doc=_covering(file, inv, PERFORMANCE_KINDS))
            for inv in file.open_invoices),
        balance=debtor.outstanding,
        open_dispute=open_dispute(file, today),
        reminders_count=len(file.steps_of("reminder")),
        mise_en_demeure=_notice_facts(file, holidays),
        prescription=most_urgent_prescription(file, today),
        collective=CollectiveProceedingsFacts(
            debtor.proceedings_kind, debtor.proceedings_judgment_date if debtor.proceedings_kind
            else None, debtor.proceedings_bodacc_date if debtor.proceedings_kind else None,
            claim_declared=bool(file.steps_of("claim_declaration"))),
        goods_transport=any(goods_transport(file, inv) for inv in file.open_invoices),
    )
