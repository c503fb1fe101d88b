"""The debtor page's décompte says which rule placed a payment that named no invoice (LAW.md
§2.5 rule 5), also when no interest period after it says so, as the PDF annex does."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from html import unescape
from types import SimpleNamespace

from app.documents.letters import claimed_part
from app.law.interest import InvoiceInput, PaymentInput, compute_decompte
from app.law.rates import load_default_rates
from app.web.templating import templates


def section(decompte) -> str:  # type: ignore[no-untyped-def]
    html = templates.env.get_template("debtors/_decompte.html").render(
        view=SimpleNamespace(decompte=decompte), decompte_as_of=decompte.as_of,
        claimed=claimed_part(decompte, decompte.as_of),
        debtor=SimpleNamespace(id=1))
    return " ".join(unescape(html).replace("\u202f", " ").replace("\xa0", " ").split())


def test_a_payment_that_paid_off_the_higher_rate_invoice_says_why_there():
    # B (20 %) is paid first, in full: 8.49 € of interest then its 500 €; A gets the 91.51 €
    # left. B has no period after the payment: its reason was said nowhere on the page.
    decompte = compute_decompte(
        as_of=date(2025, 4, 30), debtor_kind="professional", rates=load_default_rates(),
        invoices=[InvoiceInput("A", D("1000"), date(2025, 1, 2), date(2025, 2, 1)),
                  InvoiceInput("B", D("500"), date(2025, 1, 30), date(2025, 3, 1), D("20"))],
        payments=[PaymentInput(date(2025, 4, 1), D("600"))])
    a, b = decompte.invoices
    placed = b.payments[0]
    assert (placed.to_interest, placed.to_principal, b.periods[-1].end) == (
        D("8.49"), D("500.00"), date(2025, 4, 1))
    assert b.untold_rule(placed) == placed.rule != ""
    assert a.untold_rule(a.payments[0]) == ""  # said by the period after it
    text = section(decompte)
    assert f"principal 500,00 € — C. civ. 1343-1)<div class=\"rule small\">{placed.rule}</div>" in text
    assert text.count(a.payments[0].rule) == 1
