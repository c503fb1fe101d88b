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

from app.law.alerts import AlertFacts, Instalment
from app.law.calendar import add_months, department_from_postcode, holiday_calendar, procedural_deadline
from app.law.facts import (
    CollectiveProceedingsFacts,
    CreditorFacts,
    DebtorFacts,
    FileFacts,
    InvoiceFacts,
    MiseEnDemeureFacts,
    ProofKind,
)
from app.law.prescription import Prescription, PrescriptionEvent, prescription
from app.models import (
    Court,
    Creditor,
    Debtor,
    Evidence,
    EvidenceInvoice,
    Invoice,
    Payment,
    Step,
)
from app.services.courts import court_facts, proposed
from app.services.decompte import debtor_kind

OVERSEAS_PREFIX = "97"
ACCEPTANCE_KINDS = {"signed_quote", "purchase_order", "contract", "acknowledgment"}
PERFORMANCE_KINDS = {"delivery_note"}
PROOF_BY_EVIDENCE: dict[str, ProofKind] = {"posting_proof": "posting", "ar_signed": "receipt",
                                           "ar_unclaimed": "unclaimed", "lre_proof": "lre"}
PROOF_BY_STEP: dict[str, ProofKind] = {"ar_signed": "receipt", "pli_non_reclame": "unclaimed"}
# Steps that interrupt or suspend prescription (C. civ. 2240, 2241, 2244, 2238; L622-25-1).
INTERRUPTING_STEPS = {"acknowledgment": "acknowledgment", "signification": "ip_service",
                      "enforcement": "enforcement", "claim_declaration": "claim_declaration"}


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
    court: Court | None = None  # the court named for this debtor's town (CPC 54 1°)

    @property
    def department(self) -> str | None:
        return department_from_postcode(self.debtor.postal_code) if self.debtor.country == "FR" \
            else None

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
        the oldest due invoice first (C. civ. 1342-10), as `app.services.balances` imputes.
        A credit note (avoir) settles but is no acknowledgment by the debtor (C. civ. 2240)."""
        room = {inv.id: inv.amount_ttc for inv in self.invoices}
        paid_by: dict[int, list[Payment]] = {inv.id: [] for inv in self.invoices}  # type: ignore[misc]
        for payment in self.payments:
            if payment.invoice_id in room:
                room[payment.invoice_id] -= payment.amount
                paid_by[payment.invoice_id].append(payment)
        for payment in (p for p in self.payments if p.invoice_id not in room):
            left = payment.amount
            for inv in self.invoices:
                take = min(max(room[inv.id], Decimal(0)), left)
                if take > 0:
                    room[inv.id] -= take
                    left -= take
                    paid_by[inv.id].append(payment)  # type: ignore[index]
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
    return DebtorFile(
        creditor, debtor,
        list(session.exec(select(Invoice).where(Invoice.debtor_id == debtor.id)
                          .order_by(Invoice.due_date, Invoice.id))),  # type: ignore[arg-type]
        list(session.exec(select(Payment).where(Payment.debtor_id == debtor.id)
                          .order_by(Payment.date, Payment.id))),  # type: ignore[arg-type]
        list(session.exec(select(Step).where(Step.debtor_id == debtor.id)
                          .order_by(Step.date, Step.id))),  # type: ignore[arg-type]
        exhibits, links, proposed(session, creditor.id, debtor))  # type: ignore[arg-type]


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
    for s in file.steps_of("mediation"):  # C. civ. 2238: suspension while it lasts
        events.append(PrescriptionEvent("suspension_start", s.date))
        if s.end_date:
            events.append(PrescriptionEvent("suspension_end", s.end_date))
    return sorted(events, key=lambda e: e.date)


def invoice_prescription(file: DebtorFile, invoice: Invoice, today: date) -> Prescription:
    # LAW.md §1 tool rule: start at delivery/completion if recorded, else the issue date.
    return prescription(debtor_kind=debtor_kind(file.debtor),
                        start=invoice.delivery_date or invoice.issue_date, as_of=today,
                        events=prescription_events(file, invoice), due_date=invoice.due_date)


def most_urgent_prescription(file: DebtorFile, today: date) -> Prescription | None:
    results = [invoice_prescription(file, inv, today) for inv in file.open_invoices]
    return min(results, key=lambda p: p.deadline, default=None)


def location(file: DebtorFile) -> str:
    """CPC 643: + 1 month overseas, + 2 months abroad."""
    if file.debtor.country != "FR":
        return "abroad"
    return "overseas" if file.debtor.postal_code.startswith(OVERSEAS_PREFIX) else "metropole"


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
    return AlertFacts(
        prescription=most_urgent_prescription(file, today),
        mise_en_demeure_sent=notice.date if notice else None,
        mise_en_demeure_days=(notice.deadline_days or 8) if notice else 8,
        holidays=file_holidays(file, today),
        ordonnance_date=ordonnance.date if ordonnance else None,
        service_date=service.date if service else None,
        service_to_person=bool(service.to_person) if service and service.to_person is not None
        else True,
        debtor_location=location(file),  # type: ignore[arg-type]
        opposition_filed=bool(ordonnance and any(s.date >= ordonnance.date
                                                 for s in file.steps_of("opposition"))),
        collective_opened=debtor.proceedings_judgment_date if debtor.proceedings_kind else None,
        bodacc_published=debtor.proceedings_bodacc_date if debtor.proceedings_kind else None,
        creditor_outside_mainland=file.creditor.postal_code.startswith(OVERSEAS_PREFIX)
        or file.creditor.country != "FR",
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
    deadline = procedural_deadline(notice.date, days=notice.deadline_days or 8, holidays=holidays)
    return MiseEnDemeureFacts(sent_on=notice.date, to_registered_office=bool(file.debtor.street),
                              proofs=frozenset(proofs), deadline=deadline.deadline)


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
                               creditor.representative,
                               natural_person=creditor.natural_person,
                               profession=creditor.profession,
                               nationality=creditor.nationality,
                               birth_date=creditor.birth_date,
                               birth_place=creditor.birth_place),
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
        court=court_facts(file.court),
    )
