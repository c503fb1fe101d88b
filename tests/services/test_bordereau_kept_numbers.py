"""The bordereau's numbering is kept stable for the whole case (LAW.md §5, practice): a pièce
produced once — in a claim file, a requête or a déclaration — keeps its number; what is
uploaded later is numbered after it, and a withdrawn pièce's number is never given again.

Dated worked example: an unpaid invoice, a signed quote, a mise en demeure and its AR; a claim
file exported for the lawyer; then the delivery note turns up. In ordre d'usage it belongs
between the quote and the invoice (n° 2), but the lawyer already cites the invoice as n° 2:
the delivery note becomes n° 5.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from app.config import Settings
from app.models import Debtor, Evidence
from app.services import claim_file, documents, evidence, exhibit_order
from app.services.context import Actor
from app.services.document_inputs import pieces
from app.storage import FileStore
from tests.documents.conftest import pages_text
from tests.documents.fillable import fillable_pdf
from tests.factories import make_debtor, make_invoice

TODAY = date(2026, 11, 30)
FIRST = [("signed_quote", "Devis signé", date(2025, 12, 2)),
         ("invoice", "Facture F-1", date(2026, 1, 10)),
         ("mise_en_demeure_copy", "Mise en demeure", date(2026, 9, 15)),
         ("ar_signed", "AR signé", date(2026, 9, 18))]


@pytest.fixture
def store(settings: Settings) -> FileStore:
    settings.ensure_dirs()
    return FileStore(settings.files_dir)


@pytest.fixture
def debtor(session: Session, owner: Actor, store: FileStore) -> Debtor:
    debtor = make_debtor(session, owner)
    for kind, title, day in FIRST:
        upload(session, owner, store, debtor, kind, title, day)
    return debtor


def upload(session: Session, owner: Actor, store: FileStore, debtor: Debtor, kind: str,
           title: str, day: date) -> Evidence:
    return evidence.add_bytes(session, owner, store, debtor, fillable_pdf([title]),
                              f"{title}.pdf", 10**7,
                              {"kind": kind, "title": title, "document_date": day.isoformat()})


def numbered(session: Session, debtor: Debtor) -> list[tuple[int, str]]:
    return [(n, e.title) for n, e in evidence.numbered(evidence.of_debtor(session, debtor))]


def export(session: Session, owner: Actor, debtor: Debtor) -> list[list[int]]:
    """The claim file asked for now: its frozen number → pièce map."""
    job = claim_file.start(session, owner, debtor, {}, TODAY)
    job.status = "done"  # as if built: the next one may start
    session.add(job)
    session.commit()
    return job.options["numbering"]


def requete_text(session: Session, owner: Actor, debtor: Debtor) -> str:
    """The requête en injonction de payer rendered now for the invoice F-1: its text."""
    make_invoice(session, owner, debtor, number="F-1", issue_date="2026-01-10",
                 due_date="2026-02-09")
    request = documents.DocumentRequest("requete_injonction", TODAY)
    rendered = documents.render_document(session, owner, debtor, request,
                                         documents.claimed_for(session, debtor, request),
                                         draft=True)
    return " ".join(" ".join(pages_text(rendered.data)).split())


def test_a_piece_found_after_the_claim_file_is_numbered_after_the_produced_ones(
        session, owner, store, debtor):  # type: ignore[no-untyped-def]
    assert numbered(session, debtor) == [(1, "Devis signé"), (2, "Facture F-1"),
                                         (3, "Mise en demeure"), (4, "AR signé")]
    first = export(session, owner, debtor)

    upload(session, owner, store, debtor, "delivery_note", "Bon de livraison", date(2025, 12, 20))

    assert numbered(session, debtor) == [(1, "Devis signé"), (2, "Facture F-1"),
                                         (3, "Mise en demeure"), (4, "AR signé"),
                                         (5, "Bon de livraison")]
    assert [(p.number, p.title) for p in pieces(session, debtor)] == numbered(session, debtor)
    second = export(session, owner, debtor)
    assert second[:4] == first  # the lawyer's references still hold
    assert second[4][0] == 5


def test_a_withdrawn_piece_keeps_its_number_out_of_use(session, owner, store, debtor):  # type: ignore[no-untyped-def]
    export(session, owner, debtor)
    invoice = next(e for e in evidence.of_debtor(session, debtor) if e.title == "Facture F-1")
    evidence.withdraw(session, owner, invoice, {"reason": "Remplacée par la facture rectifiée"})
    upload(session, owner, store, debtor, "invoice", "Facture F-1 rectifiée", date(2026, 1, 12))

    assert numbered(session, debtor) == [(1, "Devis signé"), (3, "Mise en demeure"),
                                         (4, "AR signé"), (5, "Facture F-1 rectifiée")]
    text = requete_text(session, owner, debtor)
    assert "N° 2 : pièce retirée du dossier ; son numéro n'est pas réattribué." in text


def test_a_produced_piece_no_longer_moves_and_new_ones_move_among_themselves(
        session, owner, store, debtor):  # type: ignore[no-untyped-def]
    export(session, owner, debtor)
    later = [upload(session, owner, store, debtor, "email", f"E-mail {n}", date(2026, 10, 1))
             for n in (1, 2)]
    items = [e for _, e in evidence.numbered(evidence.of_debtor(session, debtor))]
    assert not any(exhibit_order.movable(items, i, d) for i in range(4) for d in ("up", "down"))
    assert not exhibit_order.movable(items, 4, "up")  # the AR (n° 4) is produced

    evidence.move(session, owner, later[1], "up")
    assert numbered(session, debtor)[4:] == [(5, "E-mail 2"), (6, "E-mail 1")]
    evidence.move(session, owner, items[1], "up")  # the invoice: refused, nothing moves
    assert numbered(session, debtor)[:2] == [(1, "Devis signé"), (2, "Facture F-1")]


def test_a_requete_produces_its_pieces_too(session, owner, store, debtor):  # type: ignore[no-untyped-def]
    text = requete_text(session, owner, debtor)
    session.commit()
    assert "4 AR signé" in text  # its bordereau

    upload(session, owner, store, debtor, "delivery_note", "Bon de livraison", date(2025, 12, 20))
    assert numbered(session, debtor)[1:] == [(2, "Facture F-1"), (3, "Mise en demeure"),
                                             (4, "AR signé"), (5, "Bon de livraison")]


def test_renumbering_gives_the_kept_numbers_up_for_the_ordre_d_usage(
        session, owner, store, debtor):  # type: ignore[no-untyped-def]
    export(session, owner, debtor)
    invoice = next(e for e in evidence.of_debtor(session, debtor) if e.title == "Facture F-1")
    evidence.withdraw(session, owner, invoice, {"reason": "Doublon"})
    upload(session, owner, store, debtor, "delivery_note", "Bon de livraison", date(2025, 12, 20))

    evidence.release_numbers(session, owner, debtor)

    assert numbered(session, debtor) == [(1, "Devis signé"), (2, "Bon de livraison"),
                                         (3, "Mise en demeure"), (4, "AR signé")]
    assert all(e.number is None for e in evidence.of_debtor(session, debtor))
