"""A consumer put on notice twice: each invoice's legal interest runs from the first mise en
demeure sent once it was due (C. civ. 1231-6, 1344-1; LAW.md §2.3, tool rule 2)."""

from datetime import date
from decimal import Decimal as D

from app.law.interest import InvoiceInput, compute_decompte
from app.law.rates import load_default_rates

RATES = load_default_rates()
A = InvoiceInput("A", D("1000"), date(2025, 1, 2), date(2025, 2, 1))
B = InvoiceInput("B", D("1000"), date(2025, 4, 1), date(2025, 5, 1))


def decompte(first: date | None, *later: date):  # type: ignore[no-untyped-def]
    return compute_decompte(as_of=date(2025, 9, 30), debtor_kind="consumer", invoices=[A, B],
                            rates=RATES, formal_notice_date=first, later_notices=later)


def test_an_invoice_due_after_the_first_notice_runs_from_the_second():
    result = decompte(date(2025, 3, 1), date(2025, 6, 2))
    a, b = result.invoices
    # A, from 02/03/2025: 02/03–30/06 = 121 days at 3.71 %: 1000 × 121 × 3.71 / 36500
    # = 12.2988 → 12.30; 01/07–30/09 = 92 days at 2.76 %: 6.9567 → 6.96; 19.26
    assert [(p.start, p.days, p.amount) for p in a.periods] == [
        (date(2025, 3, 2), 121, D("12.30")), (date(2025, 7, 1), 92, D("6.96"))]
    # B, due 01/05, after the first letter: from 03/06/2025 (the second, sent 02/06):
    # 03/06–30/06 = 28 days at 3.71 %: 2.8460 → 2.85; 01/07–30/09: 6.96; 9.81
    assert [(p.start, p.days, p.amount) for p in b.periods] == [
        (date(2025, 6, 3), 28, D("2.85")), (date(2025, 7, 1), 92, D("6.96"))]
    assert result.interest == D("29.07")
    assert not any("nouvelle mise en demeure" in w for w in result.warnings)


def test_one_notice_before_the_due_date_still_asks_for_another():
    result = decompte(date(2025, 3, 1))
    assert result.invoices[1].interest == D("0")
    assert any("Facture B : la mise en demeure du 01/03/2025 précède l'échéance du 01/05/2025"
               in w for w in result.warnings)


def test_the_order_the_notices_are_given_in_does_not_matter():
    assert decompte(date(2025, 6, 2), date(2025, 3, 1)) == decompte(date(2025, 3, 1),
                                                                    date(2025, 6, 2))
