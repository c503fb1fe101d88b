"""Papers print exactly what was entered (LAW.md §11): `&`, `<`, `>`, quotes and apostrophes.

"Boulangerie Rousseau & Fils" printed as "Rousseau & ; Fils": the French typesetting put a
narrow space before the ";" of "&amp;". The name below goes in every text field of the file,
then every print template is printed and read back with pdftotext; the Cerfa's fields and the
reminder's .eml are read back too.
"""

from __future__ import annotations

import email
import email.policy
import subprocess
from pathlib import Path

from sqlmodel import Session

from app.config import Settings
from app.documents.cerfa import load_form, read_values
from app.models import Debtor, GeneratedDocument
from app.services import document_sending, documents
from app.services.context import Actor
from app.storage import FileStore
from tests.documents.conftest import normalise
from tests.documents.every_paper import every_paper, paper_file, write_text
from tests.documents.names import TYPED
from tests.documents.scenario import LETTER_DATE

NAME = TYPED
MANGLED = ("&amp", "& ;", "&#", "&lt", "&gt", "&quot", "&\u202f;", "\\26", "\\3c")


def pdftotext(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         check=True).stdout.decode("utf-8")
    return normalise(out)


def named_file(session: Session, owner: Actor, settings: Settings) -> Debtor:
    settings.ensure_dirs()
    debtor = paper_file(session, owner, FileStore(settings.files_dir))
    write_text(session, debtor, lambda _table, column: (
        "rousseau@example.test" if "email" in column else NAME))
    return debtor


def test_every_paper_prints_the_name_as_typed(session: Session, owner: Actor,
                                              settings: Settings, tmp_path: Path) -> None:
    debtor = named_file(session, owner, settings)
    papers = every_paper(session, owner, settings, debtor, mail_subject=NAME, mail_body=NAME)
    assert len(papers) >= 11
    for paper in papers:
        text = pdftotext(paper.pdf, tmp_path)
        assert NAME in text, f"{paper.label}: the name does not print as typed"
        for broken in MANGLED:
            assert broken not in text, f"{paper.label}: {broken!r} printed"


def test_the_cerfa_fields_hold_the_name_as_typed(session: Session, owner: Actor,
                                                 settings: Settings) -> None:
    debtor = named_file(session, owner, settings)
    papers = {p.label: p.pdf for p in every_paper(session, owner, settings, debtor)}
    form = load_form(documents.cerfa_form(debtor)["key"])
    values = read_values(form, papers["cerfa"])
    assert values["creditor.name"] == NAME and values["debtor.name"] == NAME
    assert NAME in values["creditor.address"] and NAME in values["signature.name"]


def test_the_reminder_email_carries_the_name_as_typed(session: Session, owner: Actor,
                                                      settings: Settings) -> None:
    debtor = named_file(session, owner, settings)
    store = FileStore(settings.files_dir)
    made = documents.generate(session, owner, store, debtor,
                              {"kind": "relance_1", "date": LETTER_DATE.isoformat()})
    document = session.get(GeneratedDocument, made.document.id)
    assert document is not None
    message = email.message_from_bytes(document_sending.as_email(session, store, document),
                                       policy=email.policy.default)
    assert message["From"].addresses[0].display_name == NAME
    assert message["To"].addresses[0].display_name == NAME
    assert message["Subject"].endswith(f"— {NAME}")
    body = message.get_body(("plain",)).get_content().replace("\r\n", "\n")  # type: ignore[union-attr]
    assert body.rstrip().endswith(f"{NAME}\n{NAME}")
