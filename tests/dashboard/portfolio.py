"""A small portfolio whose every dashboard figure is computed by hand (as_of 22 Nov 2026).

Each invoice is issued 30 days before it falls due. Days past due = 22 Nov 2026 − due date.

| debtor                  | invoice | due        | days | TTC    | paid / credited         | balance |
|-------------------------|---------|------------|------|--------|-------------------------|---------|
| Durand BTP (relance 2)  | A-30    | 2026-10-23 |   30 |  1 000 |                         |   1 000 |
|                         | A-31    | 2026-10-22 |   31 |  2 000 |                         |   2 000 |
| Martin SARL (MED)       | B-60    | 2026-09-23 |   60 |  3 000 | 1 000 paid 15 Oct (late)| 2 021,97|
|                         | B-61    | 2026-09-22 |   61 |  4 000 |                         |   4 000 |
| Bernard Frères (none)   | C-90    | 2026-08-24 |   90 |  5 000 |                         |   5 000 |
|                         | C-91    | 2026-08-23 |   91 |  6 000 | avoir 600 on 1 Sep      |   5 400 |
| Petit SA (liquidation)  | D-180   | 2026-05-26 |  180 |  7 000 |                         |   7 000 |
|                         | D-181   | 2026-05-25 |  181 |  8 000 |                         |   8 000 |
| Moreau SAS (none)       | E-0     | 2026-11-22 |    0 |    900 | due on as_of: not overdue |   900 |
|                         | E+10    | 2026-12-02 |  −10 |  1 100 |                         |   1 100 |

Martin SARL also has a payment plan instalment of 500 € on 10 Dec 2026.

B-60's payment came 22 days late: it paid the penalties first (C. civ. 1343-1), 3 000 × 22 ×
12,15 % / 365 = 21,97 €, then 978,03 € of the price, which keeps 2 021,97 €. Hence the
outstanding 36 421,97 € (34 421,97 € overdue), the 31–60 bucket 4 021,97 €, the mise en
demeure stage 6 021,97 €.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from app.services.context import Actor
from tests.factories import make_debtor, make_invoice, make_payment, make_step

AS_OF = date(2026, 11, 22)


def invoice(session: Session, actor: Actor, debtor, number: str, days: int, ttc: int):  # type: ignore[no-untyped-def]
    due = AS_OF - timedelta(days=days)
    ht = f"{ttc / 1.2:.2f}"
    return make_invoice(session, actor, debtor, number=number, due_date=due.isoformat(),
                        issue_date=(due - timedelta(days=30)).isoformat(), amount_ht=ht,
                        amount_tva=f"{ttc - float(ht):.2f}", amount_ttc=f"{ttc:.2f}")


def build(session: Session, actor: Actor) -> dict[str, int]:
    """The portfolio above; returns the debtors' ids by letter."""
    a = make_debtor(session, actor, legal_name="Durand BTP")
    invoice(session, actor, a, "A-30", 30, 1000)
    invoice(session, actor, a, "A-31", 31, 2000)
    make_step(session, actor, a, kind="reminder", level="1", date="2026-10-25")
    make_step(session, actor, a, kind="reminder", level="2", date="2026-11-05")
    b = make_debtor(session, actor, legal_name="Martin SARL", siren="")
    b60 = invoice(session, actor, b, "B-60", 60, 3000)
    invoice(session, actor, b, "B-61", 61, 4000)
    make_payment(session, actor, b, date="2026-10-15", amount="1000.00", invoice_id=str(b60.id))
    make_step(session, actor, b, kind="mise_en_demeure", date="2026-10-20", channel="lrar")
    make_step(session, actor, b, kind="payment_plan", date="2026-12-10", amount="500.00",
              level="")
    c = make_debtor(session, actor, legal_name="Bernard Frères", siren="")
    invoice(session, actor, c, "C-90", 90, 5000)
    c91 = invoice(session, actor, c, "C-91", 91, 6000)
    make_payment(session, actor, c, date="2026-09-01", amount="600.00", kind="credit_note",
                 invoice_id=str(c91.id), reference="AV-1")
    d = make_debtor(session, actor, legal_name="Petit SA", siren="",
                    proceedings_kind="liquidation", proceedings_judgment_date="2026-09-28",
                    proceedings_bodacc_date="2026-10-08")
    invoice(session, actor, d, "D-180", 180, 7000)
    invoice(session, actor, d, "D-181", 181, 8000)
    e = make_debtor(session, actor, legal_name="Moreau SAS", siren="")
    invoice(session, actor, e, "E-0", 0, 900)
    invoice(session, actor, e, "E+10", -10, 1100)
    return {"A": a.id, "B": b.id, "C": c.id, "D": d.id, "E": e.id}  # type: ignore[dict-item]
