"""The bordereau's "ordre d'usage" (LAW.md §5): one rule for the evidence section, the
requête's bordereau and the claim file.

The demo put a reminder e-mail sent on 03/09 after the AR of the mise en demeure sent later:
the demands and the correspondence are numbered in the order they happened.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from app.config import Settings
from app.models import Debtor
from app.services import claim_file_order, evidence
from app.services.context import Actor
from app.services.document_inputs import pieces
from app.storage import FileStore
from tests.documents.fillable import fillable_pdf
from tests.factories import make_debtor

# Uploaded in a muddled order: (kind, title, date)
UPLOADS = [
    ("ar_signed", "AR signé", date(2025, 9, 20)),
    ("invoice", "Facture F-1", date(2025, 1, 10)),
    ("mise_en_demeure_copy", "Mise en demeure", date(2025, 9, 15)),
    ("email", "Relance par e-mail et réponse", date(2025, 9, 3)),
    ("posting_proof", "Preuve de dépôt", date(2025, 9, 15)),
    ("reminder_copy", "Relance n° 1", date(2025, 3, 1)),
    ("acknowledgment", "Reconnaissance de dette", date(2025, 10, 2)),
    ("signed_quote", "Devis signé", date(2024, 12, 2)),
    ("delivery_note", "PV de réception", date(2025, 1, 5)),
    ("other", "Note", None),
]
EXPECTED = ["Devis signé", "PV de réception", "Facture F-1", "Relance n° 1",
            "Relance par e-mail et réponse", "Mise en demeure", "Preuve de dépôt", "AR signé",
            "Reconnaissance de dette", "Note"]


def upload_all(session: Session, owner: Actor, settings: Settings) -> Debtor:
    settings.ensure_dirs()
    store = FileStore(settings.files_dir)
    debtor = make_debtor(session, owner)
    for kind, title, day in UPLOADS:
        evidence.add_bytes(session, owner, store, debtor, fillable_pdf([title]), f"{title}.pdf",
                           10**7, {"kind": kind, "title": title,
                                   "document_date": day.isoformat() if day else ""})
    return debtor


def test_a_reminder_sent_before_the_notice_is_numbered_before_it(session, owner, settings):
    debtor = upload_all(session, owner, settings)
    titles = [e.title for e in claim_file_order.ordered(session, debtor)]
    assert titles == EXPECTED
    assert [p.title for p in pieces(session, debtor)] == EXPECTED  # the requête's bordereau
    assert [e.title for _n, e in claim_file_order.numbering(session, debtor)] == EXPECTED


def test_a_move_stays_within_exhibits_of_the_same_kind_and_date(session, owner, settings):
    debtor = upload_all(session, owner, settings)
    items = claim_file_order.ordered(session, debtor)
    notice = EXPECTED.index("Mise en demeure")
    assert not claim_file_order.movable(items, notice, "up")  # the reminder e-mail is older
    assert not claim_file_order.movable(items, notice, "down")  # the proof of posting: same day,
    # but the notice comes first (logic of the file)
