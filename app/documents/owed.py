"""What a paper says is owed, in words that agree with the invoices it lists (LAW.md §11).

An invoice paid after its due date is no longer "impayée": what it leaves due is its penalties
or interest and the 40 € indemnity. A paper listing one says "les sommes dues au titre de…".
"""

from __future__ import annotations

from app.law.interest import Decompte
from app.law.money import ZERO


def any_settled(decompte: Decompte) -> bool:
    """Some invoice listed has no principal left: only what its late payment made is due."""
    return any(inv.principal <= ZERO for inv in decompte.invoices)


def relance_subject(level: int, count: int, settled: bool = False) -> str:
    """The object line of relance n° `level` for `count` invoices (lower case)."""
    if level == 3:
        return "dernière relance avant mise en demeure"
    what = ("sommes restant dues" if settled
            else "factures impayées" if count > 1 else "facture impayée")
    return f"rappel de {what}" if level == 1 else f"deuxième relance — {what}"


def invoices_basis(numbers: list[str], settled: bool) -> str:
    """What the principal claimed rests on, for the Cerfa: "Factures impayées n° …"."""
    listed = ", ".join(numbers)
    if settled:
        return (f"Sommes dues au titre {'des factures' if len(numbers) > 1 else 'de la facture'}"
                f" n° {listed}")
    return f"{'Factures impayées' if len(numbers) > 1 else 'Facture impayée'} n° {listed}"
