"""A full file of creditor A (Menuiserie Lefèvre): one of every object a route can address.

`object_ids()` then reads, generically, the id of A's first row in every table that has a
`creditor_id` column, keyed by table name and by the names routes use for it in their paths
(`{document_id}` → generateddocument), so a route added later finds its object here.
"""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfWriter
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from app.config import Settings
from app.models import ClaimFileJob, Debtor, DocumentJob, ReminderMessage
from app.services import alerts, courts, documents, imports
from app.services import evidence as exhibits
from app.services.context import Actor
from app.services.reminders import calls, holds, scenario_admin
from app.storage import FileStore
from tests.conftest import TODAY
from tests.documents.scenario import complete_creditor
from tests.factories import make_debtor, make_invoice, make_payment, make_step

# Path parameter stem → table name, where the two differ.
ALIASES = {"document": "generateddocument", "doc": "generateddocument",
           "job": "claimfilejob", "claim_file": "claimfilejob", "claimfile": "claimfilejob",
           "batch": "importbatch", "import": "importbatch", "alert": "alertentry",
           "exhibit": "evidence", "piece": "evidence", "mapping": "importmapping",
           "hold": "reminderhold", "scenario": "reminderscenario",
           "reminder": "remindermessage", "document_job": "documentjob",
           "promise": "paymentpromise"}
LEDGER_CSV = ("Client;Facture;Date;Échéance;Montant TTC\n"
              "Durand BTP;F-2026-100;10/01/2026;09/02/2026;1200,00\n").encode()


def make_pdf(label: str) -> bytes:
    """A small valid one-page PDF whose bytes (and hash) differ with `label`."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": label})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def build(session: Session, owner: Actor, settings: Settings, **debtor_fields: Any) -> Debtor:
    """Debtor with invoice, payment, step, exhibit, court, generated letter, claim-file job,
    import batch, a call's promise to pay and maintained alerts, all through the services (the
    job directly)."""
    store = FileStore(settings.files_dir)
    complete_creditor(session, owner)  # a letter needs the creditor's identity (LAW.md §11)
    # an address to send its relance to (GET /documents/{id}/email refuses one without)
    debtor = make_debtor(session, owner, **{"email": "compta@durand-btp.test", **debtor_fields})
    invoice = make_invoice(session, owner, debtor)
    make_payment(session, owner, debtor, invoice_id=str(invoice.id))
    make_step(session, owner, debtor)
    holds.add_hold(session, owner, debtor, {"reason": "Litige en cours"}, TODAY)
    calls.log_call(session, owner, debtor, {  # a call with a promise to pay (issue 17)
        "outcome": "promise", "promise_due_date": TODAY.isoformat(), "promise_amount": "100"},
        TODAY)
    scenario_admin.create(session, owner, {"name": "Grand compte"})  # and the default
    exhibits.add_bytes(session, owner, store, debtor, make_pdf("contrat"), "contrat.pdf",
                       settings.max_upload_bytes, {"kind": "contract", "title": "Contrat cadre"})
    courts.add(session, owner, {"court_name": "Tribunal de commerce d'Angers",
                                "court_city": "Angers"})
    letter = documents.generate(session, owner, store, debtor,
                                {"kind": "relance_1", "date": TODAY.isoformat()}).document
    session.add(ClaimFileJob(  # a built version, as app.services.claim_file records it
        creditor_id=owner.creditor_id, debtor_id=debtor.id, status="done", progress=100,  # type: ignore[arg-type]
        options={"max_volume_mb": 20, "downsample_dpi": None, "file_date": TODAY.isoformat(),
                 "numbering": [], "version": 1, "volume_document_ids": [letter.id]},
        pdf_document_id=letter.id, zip_document_id=letter.id, created_by=owner.user_id))
    session.add(DocumentJob(  # a letter rendered in the background (issue 16)
        creditor_id=owner.creditor_id, debtor_id=debtor.id, kind="relance_1",  # type: ignore[arg-type]
        status="failed", error="Rendu interrompu", options={"kind": "relance_1"},
        created_by=owner.user_id))
    session.add(ReminderMessage(  # a reminder in doubt, for a person to decide (issue 17)
        creditor_id=owner.creditor_id, debtor_id=debtor.id, template="relance_1",  # type: ignore[arg-type]
        channel="email", invoice_ids=[invoice.id], idempotency_key=f"{debtor.id}:relance_1:"
        f"{invoice.id}", planned_for=TODAY, status="doubt", attempts=1))
    session.commit()
    imports.upload(session, owner, settings, io.BytesIO(LEDGER_CSV), "grand-livre.csv", "csv")
    session.refresh(debtor)
    alerts.refresh(session, debtor, TODAY)
    return debtor


def object_ids(engine: Engine, creditor_id: int) -> dict[str, int]:
    """Id of the creditor's first row in every creditor-scoped table, under every alias."""
    ids: dict[str, int] = {}
    with Session(engine) as session:
        for table in SQLModel.metadata.sorted_tables:
            if "creditor_id" not in table.c or "id" not in table.c:
                continue
            if table.name == "membership":
                continue
            row = session.exec(select(table.c.id).where(table.c.creditor_id == creditor_id)  # type: ignore[call-overload]
                               .order_by(table.c.id)).first()
            if row is not None:
                ids[table.name] = int(row[0] if isinstance(row, tuple) else row)
    for alias, table_name in ALIASES.items():
        if table_name in ids:
            ids[alias] = ids[table_name]
    ids["creditor"] = creditor_id
    return ids
