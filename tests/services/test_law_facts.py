"""Rows of a debtor's file read as law facts: exhibits per invoice, proofs, plan instalments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Session

from app.models import Evidence, EvidenceInvoice
from app.services import alerts, law_facts
from app.services.context import Actor
from app.services.file_view import file_view
from tests.conftest import TODAY
from tests.factories import make_debtor, make_invoice, make_payment, make_step


def _exhibit(session: Session, actor: Actor, debtor_id: int, kind: str, sha: str,
             invoice_id: int | None = None) -> Evidence:
    evidence = Evidence(creditor_id=actor.creditor_id, debtor_id=debtor_id, sha256=sha * 64,
                        size=10, media_type="application/pdf", original_name=f"{kind}.pdf",
                        kind=kind, title=kind)
    session.add(evidence)
    session.flush()
    if invoice_id is not None:
        session.add(EvidenceInvoice(evidence_id=evidence.id, invoice_id=invoice_id))  # type: ignore[arg-type]
    session.commit()
    return evidence


def _status(session: Session, debtor, key: str) -> str:  # type: ignore[no-untyped-def]
    view = file_view(session, debtor, TODAY)
    return next(item.status for item in view.checklist if item.key == key)


def test_signed_quote_linked_to_the_invoice_makes_the_claim_certain(
        session: Session, owner: Actor) -> None:
    debtor = make_debtor(session, owner)
    invoice = make_invoice(session, owner, debtor, issue_date="2026-06-01", due_date="2026-07-01")
    other = make_invoice(session, owner, debtor, number="F-2", issue_date="2026-06-02",
                         due_date="2026-07-02")
    assert _status(session, debtor, "claim_certain") == "bloquant"
    _exhibit(session, owner, debtor.id, "signed_quote", "a", invoice.id)  # type: ignore[arg-type]
    assert _status(session, debtor, "claim_certain") == "a_completer"  # F-2 still unproven
    _exhibit(session, owner, debtor.id, "contract", "b")  # linked to none: covers all
    assert _status(session, debtor, "claim_certain") == "ok"
    assert other.number == "F-2"


def test_withdrawn_exhibits_do_not_count(session: Session, owner: Actor) -> None:
    from app.models.types import utcnow

    debtor = make_debtor(session, owner)
    invoice = make_invoice(session, owner, debtor, issue_date="2026-06-01", due_date="2026-07-01")
    exhibit = _exhibit(session, owner, debtor.id, "invoice", "c", invoice.id)  # type: ignore[arg-type]
    assert _status(session, debtor, "invoice_present") == "ok"
    exhibit.withdrawn_at = utcnow()
    session.add(exhibit)
    session.commit()
    assert _status(session, debtor, "invoice_present") != "ok"


def test_the_exhibits_the_page_read_give_the_file_the_law_reads_alone(
        session: Session, owner: Actor) -> None:
    """The debtor page reads every exhibit once (withdrawn ones too, for its list) and hands
    them to the law's facts: the same exhibits and links as read by the facts alone."""
    from app.models.types import utcnow
    from app.services import evidence

    debtor = make_debtor(session, owner)
    invoice = make_invoice(session, owner, debtor, issue_date="2026-06-01", due_date="2026-07-01")
    kept = _exhibit(session, owner, debtor.id, "invoice", "e", invoice.id)  # type: ignore[arg-type]
    gone = _exhibit(session, owner, debtor.id, "signed_quote", "f", invoice.id)  # type: ignore[arg-type]
    contract = _exhibit(session, owner, debtor.id, "contract", "0")  # type: ignore[arg-type]
    gone.withdrawn_at = utcnow()
    session.add(gone)
    session.commit()
    every = evidence.of_debtor(session, debtor)
    assert gone in every
    alone, handed = law_facts.load(session, debtor), law_facts.load(session, debtor, exhibits=every)
    assert sorted(e.id for e in handed.exhibits) == sorted(e.id for e in alone.exhibits)
    assert gone.id not in {e.id for e in handed.exhibits}
    assert handed.links == alone.links == {kept.id: {invoice.id}, contract.id: set()}
    page = file_view(session, debtor, TODAY, every)
    assert page.checklist == file_view(session, debtor, TODAY).checklist


def test_mise_en_demeure_proofs_come_from_exhibits_and_steps(session: Session,
                                                            owner: Actor) -> None:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor, issue_date="2026-06-01", due_date="2026-07-01")
    make_step(session, owner, debtor, kind="mise_en_demeure", date="2026-10-01", level="",
              channel="lrar")
    make_step(session, owner, debtor, kind="pli_non_reclame", date="2026-10-20", level="",
              channel="lrar")
    _exhibit(session, owner, debtor.id, "posting_proof", "d")  # type: ignore[arg-type]
    facts = law_facts.file_facts(law_facts.load(session, debtor), TODAY)
    assert facts.mise_en_demeure.proofs == frozenset({"posting", "unclaimed"})
    # LAW.md §4: 8 days from the first presentation of the unclaimed letter, 20/10 → 28/10
    assert facts.mise_en_demeure.deadline == date(2026, 10, 28)
    assert not facts.mise_en_demeure.deadline_estimated
    assert _status(session, debtor, "mise_en_demeure") == "ok"


def test_missed_instalment_of_a_payment_plan_is_an_alert(session: Session,
                                                         owner: Actor) -> None:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor, issue_date="2026-06-01", due_date="2026-07-01")
    for day in ("2026-10-15", "2026-11-15", "2026-12-15"):
        make_step(session, owner, debtor, kind="payment_plan", date=day, level="",
                  channel="", amount="400.00")
    make_payment(session, owner, debtor, date="2026-10-14", amount="400.00")
    found = alerts.compute(session, debtor, TODAY)
    missed = [a for a in found if a.key == "echeance_impayee"]
    upcoming = [a for a in found if a.key == "echeance_a_venir"]
    assert [a.date for a in missed] == [date(2026, 11, 15)]
    assert [a.date for a in upcoming] == [date(2026, 12, 15)]
    assert law_facts.instalments(law_facts.load(session, debtor))[0].amount == Decimal("400.00")


def test_open_dispute_blocks_until_closed(session: Session, owner: Actor) -> None:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor, issue_date="2026-06-01", due_date="2026-07-01")
    make_step(session, owner, debtor, kind="dispute", date="2026-09-01", level="", channel="")
    assert _status(session, debtor, "no_dispute") == "bloquant"
    make_step(session, owner, debtor, kind="dispute_closed", date="2026-10-01", level="",
              channel="")
    assert _status(session, debtor, "no_dispute") == "ok"


def test_a_change_marks_the_dashboard_rows_stale(session: Session, owner: Actor) -> None:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor, issue_date="2026-06-01", due_date="2026-07-01")
    assert alerts.refresh_stale(session, TODAY) == 1
    assert alerts.refresh_stale(session, TODAY) == 0
    make_step(session, owner, debtor, kind="reminder", date="2026-11-01")
    assert alerts.refresh_stale(session, TODAY) == 1
    assert alerts.refresh_stale(session, date(2026, 11, 23)) == 1  # a day passed


def test_credit_note_does_not_interrupt_prescription(session: Session, owner: Actor) -> None:
    debtor = make_debtor(session, owner, kind="consumer", legal_name="Mme Avoir", siren="")
    invoice = make_invoice(session, owner, debtor, issue_date="2025-01-20",
                           delivery_date="2025-01-20", due_date="2025-02-19")
    make_payment(session, owner, debtor, date="2025-03-10", amount="100.00",
                 invoice_id=str(invoice.id), kind="credit_note")
    file = law_facts.load(session, debtor, TODAY)
    assert law_facts.invoice_prescription(file, invoice, TODAY).deadline == date(2027, 1, 20)
    make_payment(session, owner, debtor, date="2025-04-10", amount="100.00")
    file = law_facts.load(session, debtor, TODAY)
    assert law_facts.invoice_prescription(file, invoice, TODAY).deadline == date(2027, 4, 10)


def test_maintained_balances_impute_an_unassigned_payment_as_1342_10_orders(
        session: Session, owner: Actor) -> None:
    # A (due 01/02/2025, default 13.15 %) is older; B (due 01/03/2025) bears 20 % (above the
    # 3 × 3.71 = 11.13 % floor): 300 € naming no invoice on 01/04/2025 goes to B (C. civ.
    # 1342-10 al. 2), as in the décompte, and pays B's penalties first (1343-1): 500 × 31 days
    # (02/03 → 01/04) × 20 % / 365 = 8,49 €, so B keeps 500 − (300 − 8,49) = 208,49 €.
    debtor = make_debtor(session, owner)
    a = make_invoice(session, owner, debtor, number="A", issue_date="2025-01-02",
                     due_date="2025-02-01", amount_ht="1000.00", amount_tva="0.00",
                     amount_ttc="1000.00")
    b = make_invoice(session, owner, debtor, number="B", issue_date="2025-01-30",
                     due_date="2025-03-01", amount_ht="500.00", amount_tva="0.00",
                     amount_ttc="500.00", contractual_rate="20")
    make_payment(session, owner, debtor, date="2025-04-01", amount="300.00")
    session.refresh(a)
    session.refresh(b)
    assert (a.balance, b.balance) == (Decimal("1000.00"), Decimal("208.49"))
    # the partial payment acknowledges B's debt only (C. civ. 2240)
    file = law_facts.load(session, debtor, TODAY)
    assert file.imputed_payments == {a.id: [], b.id: [date(2025, 4, 1)]}


def test_an_invoice_paid_late_is_claimed_and_counted_with_the_others(
        session: Session, owner: Actor) -> None:
    """Seen on a claim file: "Factures jointes… OK – 2 facture(s)" while its bordereau held 3
    invoices: the one paid after its due date is claimed for its penalties and indemnity (its
    pièces go with it), but the checklist counted only the invoices with a balance."""
    debtor = make_debtor(session, owner)
    paid = make_invoice(session, owner, debtor, number="F-1", issue_date="2026-06-01",
                        due_date="2026-07-01")
    unpaid = make_invoice(session, owner, debtor, number="F-2", issue_date="2026-07-01",
                          due_date="2026-08-01")
    make_payment(session, owner, debtor, date="2026-08-15", amount=str(paid.amount_ttc),
                 invoice_id=str(paid.id))
    _exhibit(session, owner, debtor.id, "invoice", "b", unpaid.id)  # type: ignore[arg-type]

    def invoices_item():  # type: ignore[no-untyped-def]
        view = file_view(session, debtor, TODAY)
        assert law_facts.owing(view.decompte) == {"F-1", "F-2"}  # F-1: 40 € and penalties
        return next(item for item in view.checklist if item.key == "invoice_present")

    missing = invoices_item()
    assert missing.status == "bloquant" and "facture non jointe : F-1" in missing.detail
    _exhibit(session, owner, debtor.id, "invoice", "a", paid.id)  # type: ignore[arg-type]
    assert (invoices_item().status, invoices_item().detail) == ("ok", "2 facture(s)")


def test_service_of_an_ordonnance_interrupts_only_the_invoices_it_can_cover(
        session: Session, owner: Actor) -> None:
    # C. civ. 2241: interruption for the claim brought only. Requête filed 20/02/2026,
    # ordonnance 10/03/2026, served 01/06/2026. F1 (10/01/2025) may be in it: 5 years from the
    # service, 01/06/2031. F2, issued 01/03/2026 after the requête, and F3, delivered
    # 15/03/2026 after the ordonnance, cannot be: their own 5 years run on.
    debtor = make_debtor(session, owner)
    f1 = make_invoice(session, owner, debtor, number="F1", issue_date="2025-01-10",
                      delivery_date="2025-01-10", due_date="2025-02-09")
    f2 = make_invoice(session, owner, debtor, number="F2", issue_date="2026-03-01",
                      delivery_date="2026-02-15", due_date="2026-03-31")
    f3 = make_invoice(session, owner, debtor, number="F3", issue_date="2026-03-20",
                      delivery_date="2026-03-15", due_date="2026-04-19")
    for kind, day in (("requete_filed", "2026-02-20"), ("ordonnance", "2026-03-10")):
        make_step(session, owner, debtor, kind=kind, date=day, level="", channel="")
    make_step(session, owner, debtor, kind="signification", date="2026-06-01", level="",
              channel="commissaire", to_person="1")
    file = law_facts.load(session, debtor, TODAY)
    deadlines = {inv.number: law_facts.invoice_prescription(file, inv, TODAY).deadline
                 for inv in (f1, f2, f3)}
    assert deadlines == {"F1": date(2031, 6, 1), "F2": date(2031, 2, 15),
                         "F3": date(2031, 3, 15)}


def test_without_a_recorded_requete_the_ordonnance_date_bounds_the_claim(
        session: Session, owner: Actor) -> None:
    # No requête recorded: an invoice issued by the ordonnance (10/03/2026) may be in it
    debtor = make_debtor(session, owner)
    f2 = make_invoice(session, owner, debtor, number="F2", issue_date="2026-03-01",
                      delivery_date="2026-02-15", due_date="2026-03-31")
    f3 = make_invoice(session, owner, debtor, number="F3", issue_date="2026-03-11",
                      due_date="2026-04-10")
    make_step(session, owner, debtor, kind="ordonnance", date="2026-03-10", level="", channel="")
    make_step(session, owner, debtor, kind="signification", date="2026-06-01", level="",
              channel="commissaire", to_person="1")
    file = law_facts.load(session, debtor, TODAY)
    assert law_facts.invoice_prescription(file, f2, TODAY).deadline == date(2031, 6, 1)
    assert law_facts.invoice_prescription(file, f3, TODAY).deadline == date(2031, 3, 11)


def test_an_avoir_pays_no_instalment_of_a_payment_plan(session: Session, owner: Actor) -> None:
    # Review 39: an avoir (credit note) of 400 € corrects the price; it is no payment (the
    # promises and the décompte say so: law_facts.paid, promises._paid, interest._apply).
    # The plan's instalments counted it as received: the 15/11 instalment, never paid, showed
    # no "échéance impayée" alert, while a promise of the same 400 € stayed broken.
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor, issue_date="2026-06-01", due_date="2026-07-01")
    for day in ("2026-10-15", "2026-11-15", "2026-12-15"):
        make_step(session, owner, debtor, kind="payment_plan", date=day, level="",
                  channel="", amount="400.00")
    make_payment(session, owner, debtor, date="2026-10-14", amount="400.00")
    make_payment(session, owner, debtor, date="2026-11-10", amount="400.00",
                 reference="AV-1", kind="credit_note")
    found = alerts.compute(session, debtor, TODAY)
    assert [a.date for a in found if a.key == "echeance_impayee"] == [date(2026, 11, 15)]


def test_an_opening_recorded_as_a_step_is_one_truth(session: Session, owner: Actor) -> None:
    # Review 39: "Ouverture d'une procédure collective" recorded as a démarche on 01/06/2026
    # (the debtor's form left as it was). The list's stage says "Procédure collective" and
    # the automatic reminders stop (law/stages.py, reminders/plan.py read the step), while
    # the checklist says "no collective proceedings: ok" and the décompte (page, letters)
    # runs penalties to 22/11/2026 (264,68 €) instead of stopping the eve of the opening
    # (C. com. L622-28, LAW.md §2.5 rule 8; §10 item 12).
    from app.services.decompte import debtor_decompte

    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor)
    make_step(session, owner, debtor, kind="collective_proceedings", date="2026-06-01",
              level="", channel="")
    alerts.refresh_stale(session, TODAY, creditor_id=owner.creditor_id)
    session.refresh(debtor)
    assert debtor.stage == "procedure_collective"
    assert _status(session, debtor, "collective_proceedings") != "ok"
    assert debtor_decompte(session, debtor, TODAY).interest_until == date(2026, 5, 31)
