"""The order of the bordereau: the "ordre d'usage" of LAW.md §5 (practice, not a legal order).

No text orders the pièces (CPC 1407 asks for a bordereau only). Practice numbers them in the
logic of the file, which is near-chronological: what was agreed (signed quote, order, contract,
terms of sale), then what was done (delivery, acceptance), then the invoices, then what
happened since — reminders, e-mails, the mise en demeure, its proof of posting and AR,
acknowledgments — in the order it happened, so a reminder sent before the mise en demeure
comes before it. Exhibits of the same kind (and, after the invoices, the same date) keep the
user's order (`Evidence.position`); anything else ("Autre") comes last.

The numbering is then kept stable for the whole case (LAW.md §5, practice): a pièce produced
once — in a claim file, a requête or a déclaration de créance — keeps its number
(`Evidence.number`) whatever is added, moved or withdrawn later. Pièces not yet produced follow
the produced ones, in ordre d'usage, and take the next free numbers; a withdrawn pièce's number
is never given to another document.

One rule for the evidence section, the requête's bordereau and the claim file: every caller
sorts with `case_key` and numbers with `case_numbers` (through `app.services.evidence`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol, TypeVar

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
    number: int | None


def group_key(item: Exhibit) -> tuple[int, date, int]:
    """Where the exhibit's kind (and, for events, its date) places it; ties keep the user's
    order. An undated event goes after the dated ones."""
    phase = PHASES.get(item.kind, OTHER)
    day = (item.document_date or date.max) if phase == EVENTS else date.min
    return phase, day, RANK.get(item.kind, len(RANK))


def order_key(item: Exhibit) -> tuple[int, date, int, int, int]:
    return (*group_key(item), item.position, item.id or 0)


def case_key(item: Exhibit) -> tuple[int, int, tuple[int, date, int, int, int] | tuple[()]]:
    """Produced pièces by the number they keep; the others after them, in ordre d'usage."""
    if item.number is not None:
        return 0, item.number, ()
    return 1, 0, order_key(item)


E = TypeVar("E", bound=Exhibit)


def case_numbers(active: Sequence[E], produced_up_to: int) -> list[tuple[int, E]]:
    """The numbers of the active pièces, in `case_key` order: a produced pièce keeps its own;
    the others take the numbers after `produced_up_to`, the highest ever produced in the case
    (withdrawn pièces included, so that one number never means two documents)."""
    numbered, following = [], produced_up_to
    for item in active:
        if item.number is None:
            following += 1
        numbered.append((following if item.number is None else item.number, item))
    return numbered


def movable(items: Sequence[Exhibit], index: int, direction: str) -> bool:
    """Whether the user may swap the exhibit with its neighbour: only inside its group, and
    only pièces not yet produced (a produced pièce keeps its number)."""
    target = index - 1 if direction == "up" else index + 1
    return (0 <= target < len(items) and group_key(items[target]) == group_key(items[index])
            and items[index].number is None and items[target].number is None)
