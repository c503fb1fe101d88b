"""Every dashboard figure of the small portfolio (tests/dashboard/portfolio.py), by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import Session

from app.services.context import Actor
from app.services.dashboard.figures import Portfolio, portfolio
from tests.dashboard.portfolio import AS_OF, build


@pytest.fixture
def board(session: Session, owner: Actor) -> Portfolio:
    build(session, owner)
    return portfolio(session, owner.creditor_id, AS_OF, AS_OF)


def test_totals(board: Portfolio) -> None:
    # 1000+2000 + 2021.97+4000 + 5000+5400 + 7000+8000 + 900+1100 = 36 421,97 (B-60 paid
    # its 21,97 € of penalties first, C. civ. 1343-1); overdue: − 2 000
    assert board.outstanding == Decimal("36421.97")
    assert board.overdue == Decimal("34421.97")
    assert (board.debtors, board.invoices) == (5, 10)


def test_aging_buckets_on_their_edges(board: Portfolio) -> None:
    # (amount, invoices, debtors whose oldest open invoice is in the bucket)
    assert [(b.code, b.amount, b.invoices, b.debtors) for b in board.aging] == [
        ("not_due", Decimal("2000.00"), 2, 1),   # E-0 (due on as_of) + E+10; Moreau
        ("1-30", Decimal("1000.00"), 1, 0),      # A-30; Durand's oldest is A-31
        ("31-60", Decimal("4021.97"), 2, 1),     # A-31 2 000 + B-60 2 021,97; Durand
        ("61-90", Decimal("9000.00"), 2, 1),     # B-61 4 000 + C-90 5 000; Martin
        ("91-180", Decimal("12400.00"), 2, 1),   # C-91 6 000 − 600 + D-180 7 000; Bernard
        ("180+", Decimal("8000.00"), 1, 1),      # D-181; Petit SA
    ]


def test_stages_funnel(board: Portfolio) -> None:
    stages = {s.code: (s.amount, s.debtors) for s in board.stages if s.debtors}
    assert stages == {
        "amiable": (Decimal("12400.00"), 2),  # Bernard 10 400 + Moreau 2 000
        "relance_2": (Decimal("3000.00"), 1),
        "mise_en_demeure": (Decimal("6021.97"), 1),
        "procedure_collective": (Decimal("15000.00"), 1),  # liquidation outranks all
    }


def test_recovery_rate(board: Portfolio) -> None:
    # Fell overdue (due 22 Nov 2025 – 21 Nov 2026, unpaid on the due date, credit notes
    # off): 3 000 + 7 000 + (5 000 + 5 400) + 15 000 = 35 400. Paid after the due date:
    # Martin's 1 000. 1 000 / 35 400 = 2.82 % → 2.8.
    assert (board.fell_overdue, board.recovered) == (Decimal("35400.00"), Decimal("1000.00"))
    assert board.recovery_rate == Decimal("2.8")


def test_average_days_late_and_top_late_payers(board: Portfolio) -> None:
    # Oldest overdue invoice per debtor: 31, 61, 91, 181 days → 364 / 4 = 91.0
    assert board.average_days_late == Decimal("91.0")
    assert [(p.name, p.days_late, p.outstanding) for p in board.top_late_payers] == [
        ("Petit SA", 181, Decimal("15000.00")), ("Bernard Frères", 91, Decimal("10400.00")),
        ("Martin SARL", 61, Decimal("6021.97")), ("Durand BTP", 31, Decimal("3000.00"))]


def test_dso_countback(board: Portfolio) -> None:
    # Invoiced by issue month: Apr 15 000, Jul 11 000, Aug 7 000, Sep 3 000, Oct 900,
    # Nov 1 100; settled: Sep 600 (avoir), Oct 1 000.
    # Nov (22 days to as_of): outstanding 38 000 − 1 600 = 36 400.
    #   Nov 1 100 → 35 300, 22 d; Oct 900 → 34 400, 53 d; Sep 3 000 → 31 400, 83 d;
    #   Aug 7 000 → 24 400, 114 d; Jul 11 000 → 13 400, 145 d; Jun 0 → 175; May 0 → 206;
    #   Apr 15 000 covers 13 400 / 15 000 of its 30 days = 26.8 → 232.8 days.
    # Sep: 36 000 − 600 = 35 400: Sep 3 000 (30 d) → 32 400; Aug (31) → 25 400; Jul (31)
    #   → 14 400; Jun 30, May 31; Apr 30 × 14 400 / 15 000 = 28.8 → 181.8 days.
    # Apr: 15 000 = April's sales exactly → 30.0; May: 31 + 30 = 61.0; before April: 0.
    assert board.dso_days == Decimal("232.8")
    by_month = {m.strftime("%Y-%m"): d for m, d in board.dso_by_month}
    assert list(by_month)[0] == "2025-12" and list(by_month)[-1] == "2026-11"
    assert by_month == {"2025-12": 0, "2026-01": 0, "2026-02": 0, "2026-03": 0,
                        "2026-04": Decimal("30.0"), "2026-05": Decimal("61.0"),
                        "2026-06": Decimal("91.0"), "2026-07": Decimal("122.0"),
                        "2026-08": Decimal("153.0"), "2026-09": Decimal("181.8"),
                        "2026-10": Decimal("210.8"), "2026-11": Decimal("232.8")}


def test_cash_in_forecast(board: Portfolio) -> None:
    # Week 1 (22–28 Nov): E-0 900; week 2 (29 Nov–5 Dec): E+10 1 100; week 3 (6–12 Dec):
    # Martin's instalment 500; weeks 4–8: nothing.
    totals = [(w.start, w.invoices, w.plans) for w in board.forecast]
    assert totals[:3] == [(date(2026, 11, 22), Decimal("900.00"), 0),
                          (date(2026, 11, 29), Decimal("1100.00"), 0),
                          (date(2026, 12, 6), 0, Decimal("500.00"))]
    assert all(w.total == 0 for w in board.forecast[3:]) and len(board.forecast) == 8


def test_money_at_risk(board: Portfolio) -> None:
    # Petit SA: BODACC 8 Oct 2026 + 2 months = 8 Dec 2026 (R622-24), within 30 days.
    # No invoice of this portfolio prescribes before 2031.
    assert [(r.name, r.date, r.amount) for r in board.declarations.rows] == [
        ("Petit SA", date(2026, 12, 8), Decimal("15000.00"))]
    assert board.prescription.rows == [] and board.prescription.amount == 0


def test_prescription_within_90_days_is_money_at_risk(session: Session, owner: Actor) -> None:
    # Commercial claim (C. com. L110-4): 5 years from the delivery, 20 Dec 2021 → the last
    # day is 20 Dec 2026, 28 days after as_of; the other debtor's falls in 2031.
    from tests.factories import make_debtor, make_invoice

    old = make_debtor(session, owner, legal_name="Vieille Dette SARL", siren="")
    make_invoice(session, owner, old, number="V-1", issue_date="2021-12-20",
                 due_date="2022-01-19")
    recent = make_debtor(session, owner, legal_name="Récent SAS", siren="")
    make_invoice(session, owner, recent, number="R-1", issue_date="2026-10-01",
                 due_date="2026-10-31")
    board = portfolio(session, owner.creditor_id, AS_OF, AS_OF)
    assert [(r.name, r.date, r.amount) for r in board.prescription.rows] == [
        ("Vieille Dette SARL", date(2026, 12, 20), Decimal("1200.00"))]
    assert (board.prescription.debtors, board.prescription.amount) == (1, Decimal("1200.00"))
