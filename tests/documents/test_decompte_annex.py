"""The décompte annex says which rule placed each payment that named no invoice (LAW.md §2.5
rule 5), also when no interest period follows it (a consumer's payment before the notice)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from app.documents.letters import amounts_context
from app.documents.render import document_env
from app.law.interest import InvoiceInput, PaymentInput, compute_decompte
from app.law.rates import load_default_rates


def annex(decompte) -> str:  # type: ignore[no-untyped-def]
    party = SimpleNamespace(identity="X")
    html = document_env().get_template("documents/_decompte_annex.html").render(
        **amounts_context(decompte), creditor=party, debtor=party)
    return " ".join(html.split())


def test_a_consumers_payment_before_the_notice_says_its_rule() -> None:
    # Seen: "Paiements reçus : 300,00 € le 20/04/2026." and nothing on why that invoice.
    decompte = compute_decompte(
        as_of=date(2026, 11, 30), debtor_kind="consumer", rates=load_default_rates(),
        invoices=[InvoiceInput("FP-1", Decimal("900.00"), date(2024, 10, 1), date(2024, 10, 31)),
                  InvoiceInput("FP-2", Decimal("1200.00"), date(2025, 3, 1), date(2025, 3, 31))],
        payments=[PaymentInput(date(2026, 4, 20), Decimal("300.00"))],
        formal_notice_date=date(2026, 9, 1))
    placed = decompte.invoices[0].payments[0]
    assert placed.rule and placed.to_interest == 0
    text = annex(decompte)
    assert placed.rule.startswith("imputation : ")
    assert f"300,00 € le 20/04/2026 — {placed.rule}." in text.replace(
        "\u202f", " ").replace("\xa0", " ")
