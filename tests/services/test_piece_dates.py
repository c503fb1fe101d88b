"""A pièce's date on every bordereau (the requête's and the claim file's): its own document
date, else, for an invoice filed as a pièce and linked to exactly one invoice, that invoice's
issue date; never an invoice's date for another kind of pièce or for a bundle of invoices."""

from __future__ import annotations

from datetime import date

from app.services import evidence as exhibits
from app.services.claim_file_build import engine_exhibits
from app.storage import FileStore
from tests.documents.fillable import fillable_pdf
from tests.factories import make_debtor, make_invoice


def test_only_an_invoice_linked_to_one_invoice_takes_its_issue_date(session, owner, settings):
    store = FileStore(settings.files_dir)
    debtor = make_debtor(session, owner)
    for number, issued in (("F-2025-0042", "2025-02-01"), ("F-2025-0077", "2025-04-10")):
        make_invoice(session, owner, debtor, number=number, issue_date=issued,
                     due_date="2025-06-30")
    added = {}
    for name, kind, invoices in (("one.pdf", "invoice", ["F-2025-0042"]),
                                 ("both.pdf", "invoice", ["F-2025-0042", "F-2025-0077"]),
                                 ("bl.pdf", "delivery_note", ["F-2025-0077"])):
        added[name] = exhibits.add_bytes(session, owner, store, debtor, fillable_pdf([name]),
                                         name, 10**7, {"kind": kind, "title": name,
                                                       "invoices": invoices})
    dates = exhibits.piece_dates(session, list(added.values()))
    assert dates[added["one.pdf"].id] == date(2025, 2, 1)
    assert dates[added["both.pdf"].id] is None
    assert dates[added["bl.pdf"].id] is None
    numbering = exhibits.numbered(exhibits.of_debtor(session, debtor))
    on_claim_file = {e.title: e.date for e in engine_exhibits(
        store, numbering, exhibits.piece_dates(session, [e for _, e in numbering]))}
    assert on_claim_file["one.pdf"] == date(2025, 2, 1)
