"""An e-mail's attachments are known by their index in the e-mail, the one "add attachment N
as a pièce" uses, not by their file name: two different `facture.pdf` (tests/samples/
hostile-mail/dup-names.eml) stay two. Pages recorded by older versions, by file name, and the
pièces they added still read."""

from __future__ import annotations

import subprocess
from pathlib import Path

from sqlmodel import Session

from app.models import Debtor, Evidence, GeneratedDocument
from app.services import evidence
from app.services.context import Actor
from app.services.evidence_fit import INDEX_KEY, PAGES_KEY, refresh_email_pages
from app.storage import FileStore
from tests.claim_file.conftest import pdf_of
from tests.claim_file.test_emails_fit import _two_attachments

HOSTILE = Path(__file__).resolve().parents[1] / "samples" / "hostile-mail"


def add(session: Session, owner: Actor, store: FileStore, debtor: Debtor, name: str,
        content: bytes) -> Evidence:
    return evidence.add_bytes(session, owner, store, debtor, content, name, 10_000_000,
                              {"kind": "email", "title": name})


def placed(session: Session, job) -> dict[int, dict]:  # type: ignore[no-untyped-def,type-arg]
    document = session.get(GeneratedDocument, job.pdf_document_id)
    assert document is not None
    return {e["evidence_id"]: e for e in document.params["exhibits"]}


def page_texts(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


def test_two_attachments_of_the_same_name_are_told_apart(session, owner, store, debtor,
                                                         build):  # type: ignore[no-untyped-def]
    item = add(session, owner, store, debtor, "dup-names.eml",
               (HOSTILE / "dup-names.eml").read_bytes())
    assert item.pages == 1 + 1 + 3
    assert item.meta[PAGES_KEY] == {"body": 1, "attachments": [{"index": 0, "pages": 1},
                                                               {"index": 1, "pages": 3}]}

    (outcome,) = evidence.add_attachments(session, owner, store, item, [0], 10_000_000)
    session.refresh(item)
    assert outcome.evidence is not None and outcome.evidence.meta[INDEX_KEY] == 0
    assert item.pages == 1 + 3  # the 3-page facture.pdf is still reproduced after the e-mail

    job = build()
    assert job.status == "done", job.error
    exhibits = placed(session, job)
    assert exhibits[item.id]["pages"] == item.pages  # the e-mail, then the 3-page PDF
    number = exhibits[outcome.evidence.id]["number"]
    email_page = page_texts(pdf_of(store, session, job))[exhibits[item.id]["first_page"] - 1]
    assert email_page.count(f"— produite en pièce n° {number}") == 1
    assert email_page.count("— reproduite à la suite") == 1

    evidence.withdraw(session, owner, outcome.evidence, {"reason": "doublon"})
    session.refresh(item)
    assert item.pages == 1 + 1 + 3


def test_pages_recorded_by_file_name_and_pieces_added_then_still_read(
        session, owner, store, debtor, build):  # type: ignore[no-untyped-def]
    item = add(session, owner, store, debtor, "factures.eml", _two_attachments())
    item.meta = {**item.meta, PAGES_KEY: {"body": 1, "attachments": {"facture-1.pdf": 2,
                                                                      "facture-2.pdf": 3}}}
    session.add(item)
    session.commit()

    (old,) = evidence.add_attachments(session, owner, store, item, [1], 10_000_000)
    old.evidence.meta = {k: v for k, v in old.evidence.meta.items() if k != INDEX_KEY}
    session.add(old.evidence)  # an exhibit added before indices were kept: known by name
    refresh_email_pages(session, item)
    session.commit()
    assert item.pages == 1 + 2

    (new,) = evidence.add_attachments(session, owner, store, item, [0], 10_000_000)
    session.refresh(item)
    assert item.pages == 1  # known by its index, named in the e-mail's facts

    job = build()
    assert job.status == "done", job.error
    exhibits = placed(session, job)
    assert exhibits[item.id]["pages"] == 1
    email_page = page_texts(pdf_of(store, session, job))[exhibits[item.id]["first_page"] - 1]
    for added in (old, new):
        assert f"— produite en pièce n° {exhibits[added.evidence.id]['number']}" in email_page
