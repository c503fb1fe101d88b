"""A debtor's file read from the database as the plain facts the law engine takes.

One place maps steps, payments and exhibits to prescription events, alert facts and the
readiness facts, so the page, the dashboard, the letters and the claim file agree.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from decimal import Decimal
from functools import lru_cache

from app.law import territory
from app.law.alerts import AlertFacts, Instalment
from app.law.calendar import add_months, holiday_calendar
from app.law.decompte_types import Decompte
from app.law.facts import (
    CourtFacts,
    CreditorFacts,
    DebtorFacts,
    FileFacts,
    InvoiceFacts,
    MiseEnDemeureFacts,
    OrdonnanceFacts,
    ProofKind,
)
from app.law.injonction import claim_brought_on, covers
from app.law.notice import DEFAULT_DAYS, NoticeDeadline, notice_deadline
from app.law.prescription import Prescription, PrescriptionEvent, prescription
from app.law.promises import Paid, Promise
from app.models import Court, Invoice, Step
from app.services.debtor_file import DebtorFile as DebtorFile
from app.services.debtor_file import load as load
from app.services.decompte import debtor_kind

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


@lru_cache(maxsize=64)
def holidays_for(department: str | None, first_year: int, last_year: int) -> frozenset[date]:
    return holiday_calendar(department, range(first_year, last_year + 1))


def file_holidays(file: DebtorFile, today: date) -> frozenset[date]:
    return holidays_for(file.department, today.year - 6, today.year + 6)


def brings(file: DebtorFile, step: Step, invoice: Invoice) -> bool:
    """An interrupting step acts for this invoice: a service of an ordonnance only for the
    invoices its requête could claim (C. civ. 2241); the Step names no invoice."""
    if step.kind != "signification":
        return True
    brought = claim_brought_on(step.date, [s.date for s in file.steps_of("ordonnance")],
                               [s.date for s in file.steps_of("requete_filed")])
    return covers(issued=invoice.issue_date, delivered=invoice.delivery_date, brought=brought)


def prescription_events(file: DebtorFile, invoice: Invoice) -> list[PrescriptionEvent]:
    events = [PrescriptionEvent(INTERRUPTING_STEPS[s.kind], s.date)  # type: ignore[arg-type]
              for s in file.steps if s.kind in INTERRUPTING_STEPS and brings(file, s, invoice)]
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


def open_prescriptions(file: DebtorFile, today: date) -> list[Prescription]:
    """Each open invoice's prescription on `today`, computed once for the file (the alerts and
    the checklist both read them)."""
    key = ("open_prescriptions", today)
    found = file.computed.get(key)
    if found is None:
        found = file.computed[key] = [invoice_prescription(file, inv, today)
                                      for inv in file.open_invoices]
    return found  # type: ignore[no-any-return]


def most_urgent_prescription(file: DebtorFile, today: date) -> Prescription | None:
    return most_urgent(open_prescriptions(file, today))


def most_urgent(prescriptions: list[Prescription]) -> Prescription | None:
    return min(prescriptions, key=lambda p: p.deadline, default=None)


def location(file: DebtorFile) -> str:
    """CPC 643, 644: metropolitan France, overseas or abroad."""
    return territory.location(file.territory)


def court_territory(file: DebtorFile) -> str:
    """Where the court that issued the ordonnance sits: from its own address when the requête
    named one, else the debtor's own court (CPC 1406), so the debtor's territory."""
    court = file.issuing_court
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
    received from a month before the first one on (tool convention: an early payment counts).
    Only the debtor's own payments pay them: a credit note is the creditor's (C. civ. 2240)."""
    plan = sorted((s for s in file.steps_of("payment_plan") if s.amount), key=lambda s: s.date)
    if not plan:
        return ()
    since = add_months(plan[0].date, -1)
    received = sum((p.amount for p in debtor_payments(file) if p.date >= since), Decimal(0))
    result, owed = [], Decimal(0)
    for step in plan:
        owed += step.amount or 0
        result.append(Instalment(step.date, step.amount or Decimal(0), paid=received >= owed))
    return tuple(result)


def last(steps: list[Step]) -> Step | None:
    return steps[-1] if steps else None


def ordonnance_steps(file: DebtorFile) -> tuple[Step | None, Step | None, bool]:
    """The last ordonnance, its service (after it) and whether an opposition followed it."""
    ordonnance = last(file.steps_of("ordonnance"))
    if ordonnance is None:
        return None, None, False
    service = last([s for s in file.steps_of("signification") if s.date >= ordonnance.date])
    return ordonnance, service, any(s.date >= ordonnance.date
                                    for s in file.steps_of("opposition"))


def ordonnance_facts(file: DebtorFile) -> OrdonnanceFacts | None:
    ordonnance, service, opposed = ordonnance_steps(file)
    if ordonnance is None:
        return None
    return OrdonnanceFacts(ordonnance.date, service.date if service else None, opposed)


def alert_facts(file: DebtorFile, today: date) -> AlertFacts:
    debtor = file.debtor
    notice = last(file.steps_of("mise_en_demeure"))
    ordonnance, service, opposed = ordonnance_steps(file)
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
        # à personne only when recorded so (an old row's unticked box left None): CPC 1416 al. 2
        service_to_person=bool(service.to_person) if service else True,
        debtor_location=location(file),  # type: ignore[arg-type]
        court_location=territory.location(court),  # type: ignore[arg-type]
        same_territory=court == file.territory,
        opposition_filed=opposed,
        collective_opened=file.collective.opened_on,
        bodacc_published=file.collective.bodacc_published_on,
        creditor_territory=territory.territory(file.creditor.country, file.creditor.postal_code),
        court_territory=court,
        claim_declared=file.collective.claim_declared,
        instalments=instalments(file),
        promises=tuple(Promise(p.made_on, p.due_date, p.amount, kept=p.status == "kept")
                       for p in file.promises if p.status != "cancelled"),
        promise_payments=debtor_payments(file),
        still_owed=debtor.outstanding > 0,
    )


def debtor_payments(file: DebtorFile) -> tuple[Paid, ...]:
    """What the debtor itself paid (a credit note is the creditor's, C. civ. 2240)."""
    return tuple(Paid(p.date, p.amount) for p in file.payments if p.kind != "credit_note")


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


def owing(decompte: Decompte) -> frozenset[str]:
    """The invoices the décompte claims something of: principal, interest or indemnity."""
    return frozenset(row.number for row in decompte.invoices
                     if row.principal + row.interest + row.indemnity > 0)


def file_facts(file: DebtorFile, today: date, principal: Decimal | None = None,
               owing: Collection[str] = ()) -> FileFacts:
    """The file as the rules read it. `principal`: the décompte's, where one was computed (a
    payment pays the accrued interest first, C. civ. 1343-1), else the invoices' balances;
    `owing`: the numbers of the invoices the décompte claims something of, an invoice paid late
    for its penalties and indemnity too (its pièces go to the bordereau as the others')."""
    creditor, debtor = file.creditor, file.debtor
    holidays = file_holidays(file, today)
    prescriptions = open_prescriptions(file, today)
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
            for inv in file.invoices if inv.balance > 0 or inv.number in owing),
        balance=debtor.outstanding if principal is None else principal,
        open_dispute=open_dispute(file, today),
        reminders_count=len(file.steps_of("reminder")),
        mise_en_demeure=_notice_facts(file, holidays),
        prescription=most_urgent(prescriptions),
        collective=file.collective,
        court=court_facts(file.court),
        ordonnance=ordonnance_facts(file),
        goods_transport=any(goods_transport(file, inv) for inv in file.open_invoices),
        transport_prescription=most_urgent(
            [p for p in prescriptions if p.claim == "goods_transport"]),
        undelivered=tuple(inv.number for inv in file.open_invoices
                          if goods_transport(file, inv) and inv.delivery_date is None),
    )


def court_facts(court: Court | None) -> CourtFacts | None:
    """The law's view of a court row (app/law/facts.py), or None."""
    if court is None:
        return None
    return CourtFacts(court.kind, court.name, court.street, court.postal_code, court.city)
