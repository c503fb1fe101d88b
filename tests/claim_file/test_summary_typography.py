"""The claim file's summary follows French typography as the letters do: a no-break space
before ";" between the things sold (app/documents/french.py turns a typed space into the
narrow no-break space; it never adds one that was not typed)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from app.services.claim_front import front_context, render_front
from app.services.context import Actor
from tests.conftest import TODAY
from tests.documents.conftest import pages_text
from tests.factories import make_debtor, make_invoice


def test_the_facts_put_a_space_before_the_semicolon(session: Session, owner: Actor,
                                                     tmp_path: Path) -> None:
    # Seen: "Pose de menuiseries (facturé le 10/01/2025); Pose de volets (facturé le …)"
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor)  # "Pose de menuiseries", issued 10/01/2025
    make_invoice(session, owner, debtor, number="F-2025-007", issue_date="2025-03-03",
                 due_date="2025-04-02", description="Pose de volets")
    parts = render_front(front_context(session, debtor, TODAY, [], 1), tmp_path, "Dossier",
                         "Menuiserie Lefèvre")
    summary = next(p for p in parts if p.path.name == "summary.pdf")
    raw = " ".join(pages_text(summary.path.read_bytes()))
    assert "Pose de menuiseries (facturé le 10/01/2025) ; Pose de volets" in raw, raw
    assert "); " not in raw
