"""The order of the exhibits in the claim file: the "ordre d'usage", then the user's order.

The rule itself lives in `app.services.exhibit_order` (one rule for the evidence section, the
requête's bordereau and the claim file, LAW.md §5): what was agreed, what was done, the
invoices, then reminders, e-mails, the mise en demeure, its proofs and the acknowledgments in
the order they happened, "Autre" last. Within a group the user's order decides
(`Evidence.position`, the order of the evidence section, set with its ↑/↓ or with the
bordereau preview of the claim-file section). A user's move therefore never takes an exhibit
out of its group: to place a document elsewhere, change its kind (nature) or its date.

After a move, and when a claim file is exported, the positions of the active exhibits are
rewritten 1…n in this order, so the numbers shown in the evidence section, used by the
requête's bordereau and printed in the claim file are the same. Each exported version keeps
its own number → exhibit map (see `app.services.claim_file`), which later moves never touch,
and every pièce it produced keeps its number for the rest of the case (`Evidence.number`,
`app.services.exhibit_order`): it no longer moves, and new pièces are numbered after it.
"""

from __future__ import annotations

from sqlmodel import Session

from app.models import Debtor, Evidence
from app.services import evidence as exhibits

movable = exhibits.movable
move = exhibits.move


def ordered(session: Session, debtor: Debtor) -> list[Evidence]:
    """The active exhibits in claim-file order (pièce n° 1 first)."""
    return exhibits.active(session, debtor)


def numbering(session: Session, debtor: Debtor) -> list[tuple[int, Evidence]]:
    """The active exhibits with their numbers (produced ones keep theirs: LAW.md §5)."""
    return exhibits.numbered(exhibits.of_debtor(session, debtor))


def normalise(session: Session, debtor: Debtor, items: list[Evidence] | None = None) -> bool:
    """Positions 1…n in claim-file order (withdrawn exhibits after); the caller commits."""
    return exhibits.renumber(session, debtor, ordered(session, debtor) if items is None else items)
