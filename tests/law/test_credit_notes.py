"""A credit note (avoir) cuts the invoice's price: it is not a payment, so C. civ. 1343-1 (a
partial payment goes first to the interest) does not apply to it. The tool reads it as a
correction of the invoice: interest runs on the reduced price from the first day, and an invoice
credited in full owes neither interest nor the 40 € indemnity."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from app.law.interest import InvoiceInput, PaymentInput, compute_decompte
from app.law.rates import load_default_rates

RATES = load_default_rates()
WORKED = InvoiceInput("F-2025-001", D("1200.00"), date(2025, 1, 10), date(2025, 2, 9))


def decompte(*invoices, as_of, kind="professional", payments=(), **options):
    return compute_decompte(as_of=as_of, debtor_kind=kind, invoices=invoices, payments=payments,
                            rates=RATES, **options)


def test_a_credit_note_goes_to_the_principal_from_the_first_day():
    # LAW.md worked invoice (1 200 €, due 09/02/2025), an avoir of 500 € on 11/03/2025:
    # price 700 € from the start. 10/02–30/06: 700 × 141 × 13.15 / 36500 = 35.559 → 35.56;
    # 01/07–30/09: 700 × 92 × 12.15 / 36500 = 21.437 → 21.44; total 700 + 57.00 + 40 = 797.00
    result = decompte(WORKED, as_of=date(2025, 9, 30),
                      payments=[PaymentInput(date(2025, 3, 11), D("500.00"), "F-2025-001",
                                             credit=True)])
    invoice = result.invoices[0]
    assert [(p.start, p.end, p.days, p.base, p.amount) for p in invoice.periods] == [
        (date(2025, 2, 10), date(2025, 6, 30), 141, D("700.00"), D("35.56")),
        (date(2025, 7, 1), date(2025, 9, 30), 92, D("700.00"), D("21.44")),
    ]
    [applied] = invoice.payments
    assert (applied.credit, applied.to_interest, applied.to_principal) == \
        (True, D("0"), D("500.00"))
    assert (invoice.principal, invoice.interest, invoice.indemnity) == \
        (D("700.00"), D("57.00"), D("40.00"))
    assert (result.paid_to_interest, result.total) == (D("0"), D("797.00"))


def test_an_invoice_credited_in_full_owes_nothing():
    # A consumer's 800 € invoice, noticed 01/03/2026, cancelled by an 800 € avoir on
    # 01/12/2026: no principal, no interest (none went to interest under 1343-1), no indemnity
    invoice = InvoiceInput("F-2024-090", D("800.00"), date(2024, 9, 1), date(2024, 10, 1))
    for kind in ("consumer", "professional"):
        result = decompte(invoice, as_of=date(2026, 12, 2), kind=kind,
                          formal_notice_date=date(2026, 3, 1),
                          payments=[PaymentInput(date(2026, 12, 1), D("800.00"), "F-2024-090",
                                                 credit=True)])
        assert (result.principal, result.interest, result.indemnities, result.total) == \
            (D("0.00"), D("0"), D("0"), D("0.00")), kind
        assert result.invoices[0].periods == ()


def test_a_later_credit_note_moves_the_earlier_payment_s_share_of_interest():
    # 500 € paid 11/03/2025, then an avoir of 200 € on 01/06/2025: the price is 1 000 € from
    # the start. 10/02–11/03 (30 days): 1000 × 30 × 13.15 / 36500 = 10.808 → 10.81 to interest,
    # 489.19 to principal → base 510.81 from 12/03. The same as a 1 000 € invoice paid 500 €.
    credited = decompte(WORKED, as_of=date(2025, 9, 30), payments=[
        PaymentInput(date(2025, 3, 11), D("500.00")),
        PaymentInput(date(2025, 6, 1), D("200.00"), "F-2025-001", credit=True)])
    cheaper = InvoiceInput("F-2025-001", D("1000.00"), date(2025, 1, 10), date(2025, 2, 9))
    paid = decompte(cheaper, as_of=date(2025, 9, 30),
                    payments=[PaymentInput(date(2025, 3, 11), D("500.00"))])
    ours, theirs = credited.invoices[0], paid.invoices[0]
    assert [(p.days, p.base, p.amount) for p in ours.periods] == \
        [(p.days, p.base, p.amount) for p in theirs.periods]
    assert ours.periods[0].amount == D("10.81") and ours.periods[1].base == D("510.81")
    assert (ours.principal, ours.interest, credited.total) == \
        (theirs.principal, theirs.interest, paid.total)
    assert [(a.credit, a.to_interest, a.to_principal) for a in ours.payments] == \
        [(False, D("10.81"), D("489.19")), (True, D("0"), D("200.00"))]  # by date


def test_a_credit_note_paid_by_its_due_date_leaves_no_indemnity():
    # 700 € paid on the due date and an avoir for the other 500 € a month later: nothing was
    # paid late (C. com. D441-5), nothing accrues
    result = decompte(WORKED, as_of=date(2025, 9, 30), payments=[
        PaymentInput(date(2025, 2, 9), D("700.00")),
        PaymentInput(date(2025, 3, 10), D("500.00"), "F-2025-001", credit=True)])
    assert (result.principal, result.interest, result.indemnities) == \
        (D("0.00"), D("0"), D("0"))


def test_a_credit_note_larger_than_the_price_is_reported():
    result = decompte(WORKED, as_of=date(2025, 9, 30), payments=[
        PaymentInput(date(2025, 3, 11), D("1500.00"), "F-2025-001", credit=True)])
    assert result.principal == D("0.00")
    assert any(w.startswith("Avoir du 11/03/2025 : ") and "300,00" in w
               for w in result.warnings), result.warnings
