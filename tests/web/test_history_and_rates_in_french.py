"""Every word of the history and of the rates page is French (issue 12).

The history showed column names ("city", "warnings"), decimal points and UTC times; the rates
page showed English source notes and "2026-S2". Times are shown in Europe/Paris local time.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape

from sqlmodel import Session, select

from app.config import Settings
from app.models import AuditEvent, Court, Creditor, Debtor, Evidence, Invoice, Payment, Step
from app.services import documents
from app.services.audit_labels import FIELD_LABELS, HIDDEN
from app.services.context import Actor
from app.storage import FileStore
from tests.conftest import Browser
from tests.documents.scenario import durand_btp
from tests.factories import make_step

DECIMAL_POINT = re.compile(r"\d\.\d")


def history_of(page: str) -> str:
    start = page.index('id="history"')
    return unescape(page[start:page.index("</section>", start)])


def test_the_history_names_fields_values_and_times_in_french(
        owner_client: Browser, owner: Actor, session: Session, settings: Settings) -> None:
    settings.ensure_dirs()
    debtor = durand_btp(session, owner)
    make_step(session, owner, debtor, kind="mise_en_demeure", date="2025-09-01", level="",
              channel="lrar", reference="1A", deadline_days="8")
    documents.generate(session, owner, FileStore(settings.files_dir), debtor,
                       {"kind": "relance_1", "date": "2025-09-30"})
    form = {"kind": "company", "legal_name": "Durand BTP", "legal_form": "SAS",
            "siren": debtor.siren, "street": debtor.street, "postal_code": "49300",
            "city": "Cholet", "country": "FR", "representative": debtor.representative,
            "is_merchant": "1"}
    assert owner_client.submit(f"/debtors/{debtor.id}", form,
                               follow_redirects=False).status_code == 303
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "update")).one()
    event.at = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)  # winter: Paris is UTC+1
    session.add(event)
    session.commit()

    history = history_of(owner_client.get(f"/debtors/{debtor.id}").text)
    assert "Fiche modifiée : code postal, ville" in history
    assert "15/01/2026 10:30" in history and "UTC" not in history
    assert "Ville : ANGERS → Cholet" in history or "Ville : Angers → Cholet" in history
    assert "Total : 4 558,43" in history.replace("\u202f", " ")
    found = DECIMAL_POINT.search(history)
    assert not found, history[found.start() - 80:found.end() + 20] if found else ""
    for english in ("warnings", "city", "postal_code", "sha256", "invoices", "deadline_days",
                    "legal_name", "reminder", "relance_1", "professional"):
        assert english not in history, english
    names = {name for e in session.exec(select(AuditEvent)) for name in e.changes}
    assert names <= set(FIELD_LABELS) | HIDDEN, names - set(FIELD_LABELS) - HIDDEN


def test_the_rates_page_is_french(owner_client: Browser) -> None:
    page = unescape(owner_client.get("/settings/rates").text)
    tables = page[page.index("<h2>Intérêt légal</h2>"):page.index('id="rate-form"')]
    assert "2e semestre 2026" in tables and "1er semestre 2015" in tables
    assert "2026-S2" not in tables
    for english in ("secondary", "not seen", "no ECB decision", "hike", "MRO 0.00", " table"):
        assert english not in tables, english
    assert "une seule source secondaire" in tables
    assert not DECIMAL_POINT.search(tables), DECIMAL_POINT.search(tables)


TECHNICAL = {"id", "creditor_id", "debtor_id", "created_at", "updated_at", "calendar_token",
             "revision", "shared_revision", "outstanding", "oldest_due_date", "invoice_count",
             "alerts_on", "paid", "balance", "meta", "parent_id", "uploaded_by", "withdrawn_at",
             # the dashboard's computed columns (never typed, never audited)
             "next_action", "next_action_date", "next_action_key", "stage", "stage_rank",
             "fell_overdue", "paid_late"}


def test_every_audited_column_has_a_french_label() -> None:
    for model in (Creditor, Debtor, Invoice, Payment, Step, Evidence, Court):
        missing = set(model.model_fields) - set(FIELD_LABELS) - HIDDEN - TECHNICAL
        assert not missing, f"{model.__name__}: {missing}"
