"""Each pièce of the bordereau carries its date (LAW.md §5, "ordre d'usage": a short title and
the date of each pièce). An invoice filed as a pièce and linked to its invoice has a date the
file already knows: the invoice's issue date.

Seen (papers review): the bordereau of a requête against Mme Payet listed "2 Facture
F-2025-0042 —" and "3 Facture F-2025-0077 —" (no date) although both invoices, with their
issue dates, are in the file and printed on the page before; the devis, the mise en demeure
and the avis de réception beside them were dated.
"""

from __future__ import annotations

from datetime import date

from app.services import evidence as exhibits
from app.services.document_inputs import pieces
from app.storage import FileStore
from tests.documents.fillable import fillable_pdf
from tests.factories import make_debtor, make_invoice


def test_an_invoice_piece_is_dated_by_its_invoice(session, owner, settings):
    store = FileStore(settings.files_dir)
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor, number="F-2025-0042", issue_date="2025-02-01",
                 due_date="2025-03-03")
    exhibits.add_bytes(session, owner, store, debtor, fillable_pdf([]), "devis.pdf", 10**7,
                       {"kind": "signed_quote", "title": "Devis signé",
                        "document_date": "2024-12-02", "invoices": ["F-2025-0042"]})
    exhibits.add_bytes(session, owner, store, debtor, fillable_pdf(["F-2025-0042"]),
                       "F-2025-0042.pdf", 10**7,
                       {"kind": "invoice", "title": "Facture F-2025-0042",
                        "invoices": ["F-2025-0042"]})
    listed = {p.title: p.date for p in pieces(session, debtor)}
    assert listed["Devis signé"] == date(2024, 12, 2)
    assert listed["Facture F-2025-0042"] == date(2025, 2, 1)
