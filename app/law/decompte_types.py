"""The décompte's plain inputs and results (LAW.md §2.5): invoices and payments in, periods,
payment applications and totals out, and the checks the inputs must pass.

Money is Decimal, dates are date; every result is frozen. `app.law.interest` computes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from app.law.calendar import fr_date
from app.law.money import round_cent


@dataclass(frozen=True)
class InvoiceInput:
    number: str
    amount: Decimal  # TTC (rule 3)
    issue_date: date
    due_date: date
    contractual_rate: Decimal | None = None  # annual %, from the terms of sale


@dataclass(frozen=True)
class PaymentInput:
    date: date
    amount: Decimal
    invoice: str | None = None  # the invoice the debtor named, if any (C. civ. 1342-10)
    ref: object = None  # the caller's own reference, carried to each PaymentApplication
    # an avoir: it cuts the price, it is not a payment (no 1343-1): principal only, from the
    # invoice's first day (app/law/interest.py)
    credit: bool = False
    # trop_percu | avoir: what exceeds the named invoice stays aside, as the creditor chose
    # (a refund owed, or a credit kept for the debtor): 1342-10 imputes nothing of it
    excess: str = ""

    @property
    def label(self) -> str:
        return "Avoir" if self.credit else "Paiement"


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    days: int
    rate: Decimal  # annual percentage
    base: Decimal
    amount: Decimal
    rule: str


@dataclass(frozen=True)
class PaymentApplication:
    date: date
    amount: Decimal
    to_interest: Decimal
    to_principal: Decimal
    rule: str = ""  # which rule of C. civ. 1342-10 placed it on this invoice
    ref: object = None  # PaymentInput.ref
    credit: bool = False  # PaymentInput.credit


@dataclass(frozen=True)
class InvoiceDecompte:
    number: str
    amount: Decimal
    issue_date: date
    due_date: date
    paid: Decimal
    principal: Decimal
    interest: Decimal
    indemnity: Decimal
    periods: tuple[Period, ...]
    payments: tuple[PaymentApplication, ...]

    @property
    def paid_to_interest(self) -> Decimal:
        """What of the payments went to the interest accrued before them (C. civ. 1343-1)."""
        return sum((p.to_interest for p in self.payments), Decimal(0))

    def untold_rule(self, payment: PaymentApplication) -> str:
        """Which 1342-10 rule placed a payment naming no invoice (LAW.md §2.5 rule 5), when no
        period after it says so (a consumer's payment before the notice, the last payment)."""
        told = any(payment.rule and payment.rule in period.rule for period in self.periods)
        return "" if told else payment.rule


@dataclass(frozen=True)
class Decompte:
    as_of: date
    debtor_kind: str
    principal: Decimal
    interest: Decimal
    indemnities: Decimal
    total: Decimal
    invoices: tuple[InvoiceDecompte, ...]
    warnings: tuple[str, ...]
    # A consumer's legal interest runs from each due date, the terms of sale making it the
    # notice (C. civ. 1344), not from a mise en demeure (LAW.md §2.3)
    notice_by_due_date: bool = False
    # The last day interest runs: as_of, or the eve of a collective proceedings' opening
    interest_until: date | None = None

    @property
    def paid_to_interest(self) -> Decimal:
        return sum((inv.paid_to_interest for inv in self.invoices), Decimal(0))


def check_inputs(invoices: Sequence[InvoiceInput], payments: Sequence[PaymentInput]) -> None:
    numbers = [inv.number for inv in invoices]
    if len(set(numbers)) != len(numbers):
        raise ValueError("numéro de facture en double")
    amounts = [inv.amount for inv in invoices] + [p.amount for p in payments]
    if any(amount <= 0 for amount in amounts):
        raise ValueError("les montants des factures et des paiements doivent être positifs")
    if any(amount != round_cent(amount) for amount in amounts):
        raise ValueError("les montants s'expriment en euros et centimes")


def context_warnings(
    debtor_kind: str,
    notice_by_due_date: bool,
    as_of: date,
    notice: date | None,
    opened: date | None,
    has_invoices: bool,
) -> list[str]:
    """The décompte's warnings about its whole context (C. civ. 1344, 1344-1; L622-28)."""
    warnings = []
    if debtor_kind == "consumer" and notice_by_due_date and has_invoices:
        warnings.append(
            "Mise en demeure par la seule échéance (clause des conditions générales, C. civ. "
            "1344) : les intérêts au taux légal courent dès le lendemain de l'échéance, sans "
            "lettre."
        )
    elif debtor_kind == "consumer" and notice is None and has_invoices:
        warnings.append(
            "Débiteur consommateur : les intérêts au taux légal ne courent qu'à compter d'une "
            "mise en demeure (C. civ. 1231-6, 1344-1) ; envoyez-en une pour les faire courir."
        )
    if opened is not None and opened <= as_of:
        warnings.append(
            f"Procédure collective ouverte le {fr_date(opened)} : les intérêts sont arrêtés au "
            f"{fr_date(opened - timedelta(days=1))} (C. com. L622-28) ; la créance doit être "
            "déclarée, non poursuivie (C. com. L622-21, L622-24)."
        )
    return warnings
