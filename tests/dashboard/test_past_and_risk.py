"""Figures at a past date, money at risk per invoice, promises in the forecast, and the
figures kept per creditor revision (issue 18's gaps; each computed by hand)."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from app.models import Creditor, PaymentPromise
from app.services.context import Actor
from app.services.dashboard import past
from app.services.dashboard.figures import portfolio
from app.services.dashboard.kept import KeptBoards
from tests.dashboard.portfolio import AS_OF, build
from tests.factories import make_debtor, make_invoice, make_payment

PAST = date(2026, 10, 10)


def with_lambert(session: Session, owner: Actor) -> None:
    """The small portfolio, and Lambert SAS: L-1 due 10 Sep 2026 (issued 11 Aug), 500 €,
    paid in full on 1 Nov 2026: open on 10 Oct, settled today."""
    build(session, owner)
    lambert = make_debtor(session, owner, legal_name="Lambert SAS", siren="")
    make_invoice(session, owner, lambert, number="L-1", issue_date="2026-08-11",
                 due_date="2026-09-10", amount_ht="416.67", amount_tva="83.33",
                 amount_ttc="500.00")
    make_payment(session, owner, lambert, date="2026-11-01", amount="500.00")


def test_the_portfolio_as_it_stood_on_a_past_date(session: Session, owner: Actor) -> None:
    # On 10 Oct 2026 (today 22 Nov): Moreau's E-0 and E+10 are not issued yet (23 Oct,
    # 2 Nov); Martin's 1 000 € (15 Oct) and Lambert's 500 € (1 Nov) are not paid yet; the
    # avoir of 1 Sep is. Days past due on 10 Oct:
    #   A-30 due 23 Oct: −13, A-31 due 22 Oct: −12        → non échu 3 000 (Durand)
    #   B-60 due 23 Sep: 17 (3 000), B-61 22 Sep: 18 (4 000), L-1 10 Sep: 30 (500)
    #                                                    → 1–30: 7 500, 3 inv. (Martin, Lambert)
    #   C-90 due 24 Aug: 47, C-91 23 Aug: 48 (6 000 − 600) → 31–60: 10 400 (Bernard)
    #   D-180 due 26 May: 137, D-181 25 May: 138          → 91–180: 15 000 (Petit SA)
    with_lambert(session, owner)
    board = portfolio(session, owner.creditor_id, PAST, AS_OF)
    assert board.past and board.notes
    assert (board.outstanding, board.overdue) == (Decimal("35900.00"), Decimal("32900.00"))
    assert (board.debtors, board.invoices) == (5, 9)
    assert [(b.code, b.amount, b.invoices, b.debtors) for b in board.aging] == [
        ("not_due", Decimal("3000.00"), 2, 1), ("1-30", Decimal("7500.00"), 3, 2),
        ("31-60", Decimal("10400.00"), 2, 1), ("61-90", 0, 0, 0),
        ("91-180", Decimal("15000.00"), 2, 1), ("180+", 0, 0, 0)]
    # Stages from the steps dated by 10 Oct: Durand's reminders (25 Oct, 5 Nov) and
    # Martin's mise en demeure (20 Oct) come later; Petit SA's liquidation was opened on
    # 28 Sep. Amiable: Durand 3 000 + Martin 7 000 + Bernard 10 400 + Lambert 500.
    assert {s.code: (s.amount, s.debtors) for s in board.stages if s.debtors} == {
        "amiable": (Decimal("20900.00"), 4),
        "procedure_collective": (Decimal("15000.00"), 1)}
    # Oldest overdue invoice per debtor: 138 + 48 + 30 + 18 = 234 days / 4 = 58.5
    assert board.average_days_late == Decimal("58.5")
    assert [(p.name, p.days_late, p.outstanding, p.stage) for p in board.top_late_payers] == [
        ("Petit SA", 138, Decimal("15000.00"), "Procédure collective"),
        ("Bernard Frères", 48, Decimal("10400.00"), "Amiable — aucune relance"),
        ("Lambert SAS", 30, Decimal("500.00"), "Amiable — aucune relance"),
        ("Martin SARL", 18, Decimal("7000.00"), "Amiable — aucune relance")]
    # Due 10 Oct 2025 – 9 Oct 2026, unpaid on the due date: B 7 000 + C 10 400 + D 15 000
    # + L 500 = 32 900; nothing was collected late by 10 Oct (15 Oct and 1 Nov come after).
    assert (board.fell_overdue, board.recovered, board.recovery_rate) == (
        Decimal("32900.00"), 0, Decimal("0.0"))
    # Week 2 (17–23 Oct) holds A-31 (22 Oct) 2 000 and A-30 (23 Oct) 1 000.
    assert [(w.start, w.invoices) for w in board.forecast[:2]] == [
        (date(2026, 10, 10), 0), (date(2026, 10, 17), Decimal("3000.00"))]
    # DSO on 10 Oct: outstanding 36 500 invoiced − 600 avoir = 35 900; Oct's sales (issued
    # 1–10 Oct) 0, 10 d; Sep 3 000 → 32 900, 40 d; Aug 7 500 (B-60, B-61, L-1)
    # → 25 400, 71 d; Jul 11 000 → 14 400, 102 d; Jun 0 → 132; May 0 → 163; Apr 15 000
    # covers 14 400 / 15 000 of its 30 d = 28.8 → 191.8 days.
    assert board.dso_days == Decimal("191.8")


def test_a_past_date_and_today_agree_when_the_date_is_today(session: Session,
                                                            owner: Actor) -> None:
    """The rows rebuilt at today's date give what the maintained aggregates give."""
    with_lambert(session, owner)
    today = portfolio(session, owner.creditor_id, AS_OF, AS_OF)
    creditor = session.get(Creditor, owner.creditor_id)
    assert creditor is not None
    rebuilt = past.portfolio(session, creditor, AS_OF)
    assert dataclasses.replace(rebuilt, past=False, notes=()) == today


def at_risk_portfolio(session: Session, owner: Actor) -> None:
    """Vieille Dette SARL (a company: 5 years, C. com. L110-4), today 22 Nov 2026:
    V-1 issued 20 Dec 2021 → 20 Dec 2026: within 90 days, 1 200 € at risk.
    V-2 issued 1 Dec 2021, 200 € paid on it on 1 Mar 2024 (interrupts, C. civ. 2240)
        → 1 Mar 2029: not at risk (without the payment: 1 Dec 2026).
    V-3 issued 10 Jan 2026 → 2031. V-4 issued 1 Jun 2021 → prescribed on 2 Jun 2026: lost,
        not at risk any more.
    V-5 issued 15 Nov 2021, 100 € paid on it on 1 Nov 2026 → 1 Nov 2031 today; on 1 Oct
        2026 that payment was still to come: 15 Nov 2026, 1 200 € at risk then.
    M. Dupont (a consumer: 2 years, C. conso. L218-2): D-1 issued 15 Dec 2024 → 15 Dec 2026.
    """
    old = make_debtor(session, owner, legal_name="Vieille Dette SARL", siren="")
    for number, issued in (("V-1", "2021-12-20"), ("V-2", "2021-12-01"),
                           ("V-3", "2026-01-10"), ("V-4", "2021-06-01"),
                           ("V-5", "2021-11-15")):
        invoice = make_invoice(session, owner, old, number=number, issue_date=issued,
                               due_date=issued)
        if number in ("V-2", "V-5"):
            make_payment(session, owner, old, invoice_id=str(invoice.id),
                         amount="200.00" if number == "V-2" else "100.00",
                         date="2024-03-01" if number == "V-2" else "2026-11-01",
                         reference=f"VIR {number}")
    dupont = make_debtor(session, owner, kind="consumer", legal_name="Jean Dupont", siren="",
                         legal_form="")
    make_invoice(session, owner, dupont, number="D-1", issue_date="2024-12-15",
                 due_date="2025-01-14")


def test_money_at_risk_is_the_invoices_prescribing_within_90_days(session: Session,
                                                                   owner: Actor) -> None:
    at_risk_portfolio(session, owner)
    board = portfolio(session, owner.creditor_id, AS_OF, AS_OF)
    assert [(r.name, r.date, r.amount, r.invoices) for r in board.prescription.rows] == [
        ("Jean Dupont", date(2026, 12, 15), Decimal("1200.00"), ("D-1",)),
        ("Vieille Dette SARL", date(2026, 12, 20), Decimal("1200.00"), ("V-1",))]
    assert (board.prescription.debtors, board.prescription.amount) == (2, Decimal("2400.00"))
    # On 1 Oct 2026: V-1 (20 Dec) and V-5 (15 Nov, its payment still to come), both in full,
    # and D-1 (15 Dec); V-4 prescribed in June.
    then = portfolio(session, owner.creditor_id, date(2026, 10, 1), AS_OF)
    assert [(r.name, r.date, r.amount, r.invoices) for r in then.prescription.rows] == [
        ("Vieille Dette SARL", date(2026, 11, 15), Decimal("2400.00"), ("V-5", "V-1")),
        ("Jean Dupont", date(2026, 12, 15), Decimal("1200.00"), ("D-1",))]


def test_declarations_at_a_past_date(session: Session, owner: Actor) -> None:
    # Petit SA: liquidation judged 28 Sep 2026, published at the BODACC on 8 Oct → last day
    # 8 Dec 2026 (R622-24). On 10 Nov it falls within 30 days (15 000 € owed then); on
    # 20 Sep the proceedings were not opened yet.
    build(session, owner)
    november = portfolio(session, owner.creditor_id, date(2026, 11, 10), AS_OF)
    assert [(r.name, r.date, r.amount) for r in november.declarations.rows] == [
        ("Petit SA", date(2026, 12, 8), Decimal("15000.00"))]
    september = portfolio(session, owner.creditor_id, date(2026, 9, 20), AS_OF)
    assert september.declarations.rows == [] and september.declarations.amount == 0


def promise(session: Session, owner: Actor, debtor_id: int, due: str, amount: str,
            status: str = "open", made_on: str = "2026-11-20") -> None:
    session.add(PaymentPromise(creditor_id=owner.creditor_id, debtor_id=debtor_id,
                               made_on=date.fromisoformat(made_on),
                               due_date=date.fromisoformat(due), amount=Decimal(amount),
                               status=status))
    session.commit()


def test_the_forecast_counts_open_promises(session: Session, owner: Actor) -> None:
    ids = build(session, owner)
    promise(session, owner, ids["C"], "2026-12-01", "300.00")  # week 2 (29 Nov – 5 Dec)
    promise(session, owner, ids["B"], "2026-12-08", "250.00")  # week 3 (6 – 12 Dec)
    promise(session, owner, ids["A"], "2026-12-02", "999.00", status="kept")  # paid already
    promise(session, owner, ids["A"], "2027-02-01", "50.00")  # beyond the 8 weeks
    board = portfolio(session, owner.creditor_id, AS_OF, AS_OF)
    # Week 2: E+10 1 100 + 300 promised; week 3: Martin's instalment 500 + 250 promised.
    assert [(w.invoices, w.plans, w.promises, w.total) for w in board.forecast[1:3]] == [
        (Decimal("1100.00"), 0, Decimal("300.00"), Decimal("1400.00")),
        (0, Decimal("500.00"), Decimal("250.00"), Decimal("750.00"))]
    assert sum(w.promises for w in board.forecast) == Decimal("550.00")
    # On 25 Nov (a later as_of still counts open promises only)… and on 18 Nov, before
    # any of them was made (20 Nov), none counts.
    assert sum(w.promises for w in portfolio(session, owner.creditor_id, date(2026, 11, 18),
                                             AS_OF).forecast) == 0


def test_a_cancelled_promise_leaves_the_forecast_from_its_cancellation(session: Session,
                                                                        owner: Actor) -> None:
    # 300 € promised on 18 Nov for 1 Dec, cancelled by a person on 21 Nov: not counted now,
    # nor at 21 Nov; at 20 Nov it was still in force, and counts there.
    ids = build(session, owner)
    promise(session, owner, ids["C"], "2026-12-01", "300.00", made_on="2026-11-18")
    row = session.exec(select(PaymentPromise)).one()
    row.status, row.cancelled_on, row.cancel_reason = "cancelled", date(2026, 11, 21), "retirée"
    session.add(row)
    session.commit()

    def promised(as_of: date) -> Decimal:
        return sum((w.promises for w in portfolio(session, owner.creditor_id, as_of,
                                                  AS_OF).forecast), Decimal(0))
    assert (promised(AS_OF), promised(date(2026, 11, 21)), promised(date(2026, 11, 20))) == \
        (0, 0, Decimal("300.00"))


def test_figures_are_kept_until_the_creditor_changes(session: Session, owner: Actor) -> None:
    build(session, owner)
    kept = KeptBoards()
    first = portfolio(session, owner.creditor_id, AS_OF, AS_OF, kept)
    assert portfolio(session, owner.creditor_id, AS_OF, AS_OF, kept) is first
    other_day = portfolio(session, owner.creditor_id, PAST, AS_OF, kept)
    assert other_day is not first and len(kept) == 2
    late = make_debtor(session, owner, legal_name="Nouveau Client", siren="")
    make_invoice(session, owner, late, number="N-1", issue_date="2026-09-01",
                 due_date="2026-10-01")
    again = portfolio(session, owner.creditor_id, AS_OF, AS_OF, kept)
    assert again is not first and again.outstanding == first.outstanding + Decimal("1200.00")


def test_a_date_before_any_invoice_shows_an_empty_portfolio(session: Session,
                                                            owner: Actor) -> None:
    build(session, owner)
    board = portfolio(session, owner.creditor_id, date(2020, 1, 1), AS_OF)
    assert (board.outstanding, board.debtors, board.invoices, board.dso_days) == (0, 0, 0, 0)
    assert board.average_days_late is None and board.recovery_rate is None
    assert board.top_late_payers == [] and all(s.debtors == 0 for s in board.stages)
    assert board.prescription.rows == [] and board.declarations.rows == []


def test_an_instalment_already_paid_is_not_expected_again(session: Session,
                                                          owner: Actor) -> None:
    # Martin's plan: 500 € due on 10 Dec 2026. Payments from a month before it (10 Nov) pay
    # the instalments in order (law_facts.instalments): 500 € received on 20 Nov pays it.
    ids = build(session, owner)
    before = portfolio(session, owner.creditor_id, AS_OF, AS_OF)
    assert before.forecast[2].plans == Decimal("500.00")
    from app.models import Debtor

    martin = session.get(Debtor, ids["B"])
    assert martin is not None
    make_payment(session, owner, martin, date="2026-11-20", amount="500.00",
                 reference="VIR ECH 1")
    after = portfolio(session, owner.creditor_id, AS_OF, AS_OF)
    assert after.forecast[2].plans == 0
    # On 15 Nov, that payment was still to come: the instalment was expected.
    assert portfolio(session, owner.creditor_id, date(2026, 11, 15),
                     AS_OF).forecast[3].plans == Decimal("500.00")
