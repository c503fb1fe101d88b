"""Open items of one customer, whatever the file they came from.

A `Customer` holds its invoices and the credits against them (payments and credit notes).
Credits carry the invoice they are lettered to, or none (unapplied). Amounts are `Decimal`
euros; `cumulative` credits (CSV "montant réglé") state the total paid so far on an invoice.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

PAYMENT = "payment"
CREDIT_NOTE = "credit_note"
_LEGAL_FORMS = re.compile(
    r"\b(sas|sasu|sarl|eurl|sa|sci|snc|scop|selarl|ets|etablissements|societe|ste)\b")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def name_key(name: str) -> str:
    """'Durand BTP S.A.S.' and 'DURAND BTP' → 'durand btp': how names are matched."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    plain = _NOT_WORD.sub(" ", plain.replace(".", ""))
    return " ".join(_LEGAL_FORMS.sub(" ", plain).split()) or " ".join(plain.split())


@dataclass(slots=True)
class Credit:
    kind: str  # PAYMENT | CREDIT_NOTE
    reference: str
    date: date
    amount: Decimal  # positive
    line: int
    invoice_number: str = ""  # lettered to this invoice; "" = unapplied
    cumulative: bool = False


@dataclass(slots=True)
class InvoiceItem:
    number: str
    issue_date: date
    amount_ttc: Decimal
    line: int
    amount_tva: Decimal | None = None
    due_date: date | None = None
    description: str = ""
    settled: bool = False  # fully lettered in the ledger: nothing left to collect


@dataclass(slots=True)
class Customer:
    account: str  # CompAuxNum / client code, or "" when the file has none
    name: str
    siren: str = ""
    details: dict[str, str] = field(default_factory=dict)  # street, city, email…
    invoices: list[InvoiceItem] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    # Invoice numbers already read for this customer (a spreadsheet's duplicate check).
    numbers: set[str] = field(default_factory=set, repr=False, compare=False)

    @property
    def key(self) -> str:
        return self.siren or self.account or name_key(self.name)

    @property
    def has_open_items(self) -> bool:
        return any(not inv.settled for inv in self.invoices) or any(
            not c.invoice_number for c in self.credits)
