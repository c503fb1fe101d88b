"""The order of the bordereau: the "ordre d'usage" of LAW.md §5 (practice, not a legal order).

No text orders the pièces (CPC 1407 asks for a bordereau only). Practice numbers them in the
logic of the file, which is near-chronological: what was agreed (signed quote, order, contract,
terms of sale), then what was done (delivery, acceptance), then the invoices, then what
happened since — reminders, e-mails, the mise en demeure, its proof of posting and AR,
acknowledgments — in the order it happened, so a reminder sent before the mise en demeure
comes before it. Exhibits of the same kind (and, after the invoices, the same date) keep the
user's order (`Evidence.position`); anything else ("Autre") comes last.

One rule for the evidence section, the requête's bordereau and the claim file: every caller
sorts with `order_key` (through `app.services.evidence.of_debtor`).
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from app.vocabulary import EVIDENCE_ORDER

AGREEMENT, PERFORMANCE, INVOICES, EVENTS, OTHER = range(5)
PHASES = {
    "signed_quote": AGREEMENT, "purchase_order": AGREEMENT, "contract": AGREEMENT,
    "terms_of_sale": AGREEMENT, "delivery_note": PERFORMANCE, "invoice": INVOICES,
    "reminder_copy": EVENTS, "email": EVENTS, "mise_en_demeure_copy": EVENTS,
    "posting_proof": EVENTS, "ar_signed": EVENTS, "ar_unclaimed": EVENTS, "lre_proof": EVENTS,
    "acknowledgment": EVENTS,
}
RANK = {kind: rank for rank, kind in enumerate(EVIDENCE_ORDER)}


class Exhibit(Protocol):
    kind: str
    document_date: date | None
    position: int
    id: int | None


def group_key(item: Exhibit) -> tuple[int, date, int]:
    """Where the exhibit's kind (and, for events, its date) places it; ties keep the user's
    order. An undated event goes after the dated ones."""
    phase = PHASES.get(item.kind, OTHER)
    day = (item.document_date or date.max) if phase == EVENTS else date.min
    return phase, day, RANK.get(item.kind, len(RANK))


def order_key(item: Exhibit) -> tuple[int, date, int, int, int]:
    return (*group_key(item), item.position, item.id or 0)


def movable(items: list[Exhibit], index: int, direction: str) -> bool:
    """Whether the user may swap the exhibit with its neighbour: only inside its group."""
    target = index - 1 if direction == "up" else index + 1
    return 0 <= target < len(items) and group_key(items[target]) == group_key(items[index])
