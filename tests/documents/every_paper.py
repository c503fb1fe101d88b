"""Every print template rendered from one debtor's file, through the services that print it.

`print_templates()` lists the templates a paper is made from (every `templates/documents/**`
page that is not a `_partial`). `every_paper()` prints the letters (relances 1–3, mise en
demeure), the requête, the official Cerfa with its annexes, the claim file's front pages and an
e-mail exhibit's page, and records which templates were used: a test compares the two, so a
template added later without being printed here fails that test until it is added.

The déclaration de créance is printed with the debtor in liquidation for that one paper.
`paper_file()` builds the file once (creditor, debtor, three invoices, a payment, a reminder, a
mise en demeure, two exhibits, a court); `write_text()` then puts chosen text in the rows.
"""

from __future__ import annotations

import email.policy
import io
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from pathlib import Path

from pypdf import PdfReader
from sqlmodel import Session, select

from app.config import Settings
from app.documents.claimfile.mail import read_email, render_email
from app.documents.render import document_env
from app.models import Court, Creditor, Debtor, Evidence, Invoice, Step
from app.services import cerfa_forms, claim_file_order, claim_front, courts, documents
from app.services import evidence as exhibits
from app.services.context import Actor
from app.storage import FileStore
from tests.documents.fillable import fillable_pdf
from tests.documents.scenario import LETTER_DATE, durand_btp
from tests.factories import make_step

PRINT_DIR = Path(__file__).resolve().parents[2] / "templates" / "documents"
LETTERS = ("relance_1", "relance_2", "relance_3", "mise_en_demeure")
# Text columns that are codes, not text a paper prints.
NOT_TEXT = {"kind", "status", "country", "sha256", "media_type", "calendar_token",
            "proceedings_kind", "channel", "withdrawn_reason"}


def print_templates() -> set[str]:
    """Every print template (a page, not a `_partial` it includes)."""
    return {"documents/" + path.relative_to(PRINT_DIR).as_posix()
            for path in PRINT_DIR.rglob("*.html") if not path.name.startswith("_")}


@contextmanager
def templates_used() -> Iterator[set[str]]:
    """The print templates loaded inside the block."""
    env = document_env()
    original = env.get_template
    used: set[str] = set()

    def recording(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(name, str) and name.endswith(".html") and not Path(name).name.startswith("_"):
            used.add(name)
        return original(name, *args, **kwargs)

    env.get_template = recording  # type: ignore[method-assign]
    try:
        yield used
    finally:
        del env.get_template


@dataclass(frozen=True)
class Paper:
    label: str
    pdf: bytes

    @property
    def text(self) -> str:
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(self.pdf)).pages)


def paper_file(session: Session, owner: Actor, store: FileStore) -> Debtor:
    """Durand BTP's file with every kind of row a paper prints."""
    debtor = durand_btp(session, owner)
    make_step(session, owner, debtor, date="2025-03-01", level="1", channel="email",
              reference="R-1", notes="relance par e-mail")
    make_step(session, owner, debtor, kind="mise_en_demeure", date="2025-06-10", level="",
              channel="lrar", reference="1A 000 000 0001 2", notes="envoyée", deadline_days="8")
    exhibits.add_bytes(session, owner, store, debtor, fillable_pdf([]), "devis.pdf", 10**7,
                       {"kind": "signed_quote", "title": "Devis signé",
                        "document_date": "2025-01-02"})
    exhibits.add_bytes(session, owner, store, debtor, mail_bytes("Objet", "Bonjour"),
                       "reponse.eml", 10**7, {"kind": "email", "title": "Réponse du client",
                                              "document_date": "2025-03-04"})
    for number in ("F-2025-001", "F-2025-007", "F-2025-020"):
        exhibits.add_bytes(session, owner, store, debtor, fillable_pdf([number]),
                           f"{number}.pdf", 10**7, {"kind": "invoice", "title": number,
                                                    "invoices": [number]})
    courts.add(session, owner, {"court_name": "Tribunal de commerce d'Angers",
                                "court_street": "Palais de justice, rue Waldeck-Rousseau",
                                "court_postal_code": "49000", "court_city": "Angers"})
    return debtor


def mail_bytes(subject: str, body: str, sender: str = "Marc Durand <marc@durand-btp.test>",
               ) -> bytes:
    message = EmailMessage(policy=email.policy.SMTPUTF8)
    message["From"] = " ".join(sender.split())  # a header is one line
    message["To"] = "claire@lefevre.test"
    message["Subject"] = " ".join(subject.split())
    message["Date"] = "Tue, 04 Mar 2025 10:00:00 +0100"
    message.set_content(body)
    return bytes(message)


def text_columns(model: type) -> list[str]:
    return [name for name, field in model.model_fields.items()  # type: ignore[attr-defined]
            if field.annotation is str and name not in NOT_TEXT]


def write_text(session: Session, debtor: Debtor, text: Callable[[str, str], str],
               ) -> dict[tuple[type, int, str], str]:
    """Put `text(table, column)` in every text column of the file's rows that a paper prints
    (creditor, debtor, invoices, exhibits, steps, court); written directly, as an import or
    an older version of the app could have stored it; invoice numbers stay unique). Returns
    what was written, by (model, id, column)."""
    rows: list[object] = [session.get(Creditor, debtor.creditor_id), debtor]
    for model in (Invoice, Evidence, Step):
        rows += list(session.exec(select(model).where(model.debtor_id == debtor.id)))  # type: ignore[attr-defined]
    rows += list(session.exec(select(Court).where(Court.creditor_id == debtor.creditor_id)))
    written: dict[tuple[type, int, str], str] = {}
    for index, row in enumerate(rows):
        table = type(row).__name__.lower()
        for column in text_columns(type(row)):
            unique = f" {index}" if (table, column) == ("invoice", "number") else ""
            room = type(row).__table__.c[column].type.length  # type: ignore[attr-defined]
            value = text(table, column)  # as long as the column holds (PostgreSQL refuses more)
            value = (value[: room - len(unique)] if room else value) + unique
            setattr(row, column, value)
            written[type(row), row.id, column] = value  # type: ignore[attr-defined]
        session.add(row)
    session.commit()
    return written


def every_paper(session: Session, owner: Actor, settings: Settings, debtor: Debtor,
                *, mail_subject: str = "Objet", mail_body: str = "Bonjour") -> list[Paper]:
    """Every paper of the file, each print template at least once."""
    store = FileStore(settings.files_dir)
    court = session.exec(select(Court).where(Court.creditor_id == owner.creditor_id)).first()
    assert court is not None
    day = LETTER_DATE.isoformat()
    papers = []
    for kind in (*LETTERS, "requete_injonction"):
        made = documents.generate(session, owner, store, debtor,
                                  {"kind": kind, "date": day, "court_id": str(court.id)})
        papers.append(Paper(kind, documents.content(store, made.document)))
    papers.append(Paper("cerfa", _cerfa(session, owner, settings, store, debtor, court.id)))
    numbering = claim_file_order.numbering(session, debtor)
    context = claim_front.front_context(session, debtor, LETTER_DATE, numbering, version=1)
    with tempfile.TemporaryDirectory() as work:
        for part in claim_front.render_front(context, Path(work), "Dossier", "Contentieux"):
            papers.append(Paper(part.title, part.path.read_bytes()))
        source, target = Path(work) / "mail.eml", Path(work) / "mail.pdf"
        source.write_bytes(mail_bytes(mail_subject, mail_body, sender=debtor.legal_name
                                      + " <marc@durand-btp.test>"))
        render_email(read_email(source), target)
        papers.append(Paper("e-mail", target.read_bytes()))
    papers.append(Paper("declaration_creance", _declaration(session, owner, store, debtor)))
    return papers


def _declaration(session: Session, owner: Actor, store: FileStore, debtor: Debtor) -> bytes:
    """The déclaration de créance, the one paper of a debtor in liquidation; the debtor is
    out of the proceedings again afterwards (the next call prints letters again)."""
    debtor.proceedings_kind = "liquidation"
    debtor.proceedings_judgment_date = date(2025, 8, 1)
    debtor.proceedings_bodacc_date = date(2025, 8, 10)
    debtor.proceedings_mandataire = debtor.proceedings_mandataire or "Me Anne Martin"
    debtor.proceedings_mandataire_address = (debtor.proceedings_mandataire_address
                                             or "5 rue Saint-Aubin, 49100 Angers")
    session.add(debtor)
    session.commit()
    try:
        made = documents.generate(session, owner, store, debtor,
                                  {"kind": "declaration_creance",
                                   "date": LETTER_DATE.isoformat()})
    finally:
        debtor.proceedings_kind, debtor.proceedings_judgment_date = "", None
        debtor.proceedings_bodacc_date = None
        session.add(debtor)
        session.commit()
    return documents.content(store, made.document)


def _cerfa(session: Session, owner: Actor, settings: Settings, store: FileStore,
           debtor: Debtor, court_id: int | None) -> bytes:
    from app.documents.cerfa import load_form

    key = documents.cerfa_form(debtor)["key"]
    form = load_form(key)
    texts = [n for k, n in form.mapping.items() if k not in form.checkboxes]
    boxes = [n for k, n in form.mapping.items() if k in form.checkboxes]
    uploads = settings.data_dir / "forms"
    cerfa_forms.install(owner, key, fillable_pdf(texts, boxes), uploads)
    made = cerfa_forms.generate_cerfa(session, owner, store, debtor,
                                      {"date": LETTER_DATE.isoformat(),
                                       "court_id": str(court_id)}, uploads)
    return documents.content(store, made.document)
