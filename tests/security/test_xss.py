"""No user-supplied string is rendered unescaped: markup stored in every text field, every page read.

Each text column of the creditor, debtor, invoice, payment, step, exhibit, court, claim-file
job and import is filled with markup (the longest payload the field's validation accepts;
fields that refuse all of them keep a plain value). Then every HTML page of the app, found in
`app.routes`, is fetched with those objects' ids and with markup in its query string, and every
page form is posted with markup in every field: the raw markup must never come back.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from app.config import Settings
from app.errors import ValidationFailed
from app.models import ClaimFileJob, Creditor, Debtor, DocumentJob, Evidence, Invoice, Payment, Step
from app.services import alerts, courts, creditors, debtors, documents, imports, invoices, payments, steps
from app.services import evidence as exhibits
from app.services.context import Actor
from app.storage import FileStore
from tests.conftest import TODAY, Browser
from tests.security import rich_file
from tests.security.routes import endpoints

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
PAYLOADS = (SCRIPT + IMG, IMG, SCRIPT)
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
NOT_TEXT = {"sha256", "media_type", "calendar_token", "status", "kind", "country", "key",
            "severity", "password_hash", "token_hash", "csrf_token"}


def text_fields(model: type[SQLModel]) -> list[str]:
    return [name for name, field in model.model_fields.items()
            if field.annotation is str and name not in NOT_TEXT]


def with_markup(save: Callable[[dict[str, Any]], Any], session: Session,
                model: type[SQLModel], base: dict[str, Any]) -> Any:
    """Save with markup in every text field, falling back per field on what validation refuses."""
    tries = {name: list(PAYLOADS) for name in text_fields(model)}
    data = {**base, **{name: options[0] for name, options in tries.items()}}
    for _ in range(len(PAYLOADS) + 1):
        try:
            return save(data)
        except ValidationFailed as exc:
            session.rollback()
            refused = [name for name in exc.errors if name in data]
            assert refused, f"{model.__name__}: refused {exc.errors} for no field of the form"
            for name in refused:
                options = tries.get(name, [])
                if options:
                    options.pop(0)
                data[name] = options[0] if options else base.get(name, "")
    raise AssertionError(f"{model.__name__}: still refused after every fallback")


def store_markup_everywhere(session: Session, owner: Actor, settings: Settings) -> Debtor:
    store = FileStore(settings.files_dir)
    with_markup(lambda d: creditors.update(session, owner, d), session, Creditor,
                {"legal_name": "Menuiserie Lefèvre", "payment_term_days": "30",
                "postal_code": "49100"})  # a letter needs a postcode (LAW.md §11)
    debtor = with_markup(lambda d: debtors.create(session, owner, d), session, Debtor,
                         {"kind": "company", "legal_name": "Durand BTP", "country": "FR",
                          "is_merchant": "1", "postal_code": "49000"})
    invoice = with_markup(lambda d: invoices.create(session, owner, debtor, d), session, Invoice,
                          {"number": "F-1", "issue_date": "2025-01-10", "due_date": "2025-02-09",
                           "amount_ht": "1000.00", "amount_tva": "200.00",
                           "amount_ttc": "1200.00"})
    with_markup(lambda d: payments.create(session, owner, debtor, d), session, Payment,
                {"date": "2025-06-01", "amount": "200.00", "invoice_id": str(invoice.id)})
    with_markup(lambda d: steps.create(session, owner, debtor, d), session, Step,
                {"kind": "reminder", "date": "2025-03-01", "level": "1", "channel": "email"})
    with_markup(lambda d: exhibits.add_bytes(session, owner, store, debtor,
                                             rich_file.make_pdf("xss"), IMG + ".pdf",
                                             settings.max_upload_bytes, d),
                session, Evidence, {"kind": "contract"})
    courts.add(session, owner, {"court_name": SCRIPT + IMG, "court_city": SCRIPT})
    documents.generate(session, owner, store, debtor,
                       {"kind": "relance_1", "date": TODAY.isoformat()})
    session.add(ClaimFileJob(creditor_id=owner.creditor_id, debtor_id=debtor.id,  # type: ignore[arg-type]
                             status="failed", error=SCRIPT + IMG, options={"file_date": SCRIPT}))
    session.add(DocumentJob(creditor_id=owner.creditor_id, debtor_id=debtor.id,  # type: ignore[arg-type]
                            kind=SCRIPT, status="failed", error=SCRIPT + IMG,
                            options={"kind": SCRIPT}))
    session.commit()
    ledger = ("Client;Facture;Date;Échéance;Montant TTC\n"
              f"{SCRIPT};{IMG};10/01/2026;09/02/2026;1200,00\n").encode()
    imports.upload(session, owner, settings, io.BytesIO(ledger), IMG + ".csv", "csv",
                   source=SCRIPT)
    session.refresh(debtor)
    alerts.refresh(session, debtor, TODAY)
    return debtor


def raw_markup_in(text: str) -> list[str]:
    return [p for p in (SCRIPT, IMG, "<img src=x") if p in text]


def test_markup_is_stored_in_the_text_fields(session: Session, owner: Actor,
                                             settings: Settings) -> None:
    debtor = store_markup_everywhere(session, owner, settings)
    assert debtor.legal_name == SCRIPT + IMG
    assert sum(PAYLOADS[0] in str(v) for v in debtor.model_dump().values()) >= 8
    creditor = session.get(Creditor, owner.creditor_id)
    assert creditor is not None and creditor.legal_name == SCRIPT + IMG


def test_no_page_renders_stored_or_reflected_markup_unescaped(
        app: FastAPI, engine: Engine, session: Session, owner: Actor, settings: Settings,
        owner_client: Browser) -> None:
    store_markup_everywhere(session, owner, settings)
    ids = rich_file.object_ids(engine, owner.creditor_id)
    query = {"q": SCRIPT + IMG, "next": "/" + SCRIPT + IMG, "ok": SCRIPT, "sort": IMG,
             "severity": IMG, "error": SCRIPT}
    failures, shown = [], []
    pages = [e for e in endpoints(app) if e.method == "GET" and not e.is_api
             and not e.path.startswith("/static") and not e.is_calendar_feed]
    for endpoint in pages:
        url = endpoint.url(ids)
        for headers in ({}, {"HX-Request": "true"}):
            response = owner_client.get(url, params=query, headers=headers, follow_redirects=False)
            if not response.headers.get("content-type", "").startswith("text/html"):
                continue
            if raw_markup_in(response.text):
                failures.append(f"{endpoint} {headers}: {raw_markup_in(response.text)}")
            if ESCAPED in response.text:
                shown.append(endpoint.path)
    assert not failures, "\n".join(failures)
    for path in ("/debtors", "/debtors/{debtor_id}", "/debtors/{debtor_id}/edit", "/creditor",
                 "/invoices/{invoice_id}/edit", "/steps/{step_id}/edit"):
        assert path in shown, f"{path} does not show the stored text at all"


def test_forms_sent_back_with_errors_escape_what_was_typed(
        app: FastAPI, engine: Engine, session: Session, owner: Actor, settings: Settings,
        owner_client: Browser) -> None:
    rich_file.build(session, owner, settings)
    ids = rich_file.object_ids(engine, owner.creditor_id)
    names = {n for model in (Creditor, Debtor, Invoice, Payment, Step, Evidence)
             for n in text_fields(model)} | {"number", "date", "amount", "siren", "email"}
    form = {name: SCRIPT + IMG for name in names}
    failures, echoed = [], 0
    for endpoint in endpoints(app):
        if not endpoint.changes_state or endpoint.is_api or endpoint.is_session_route:
            continue
        for headers in ({}, {"HX-Request": "true"}):
            response = owner_client.submit(endpoint.url(ids), form, headers=headers,
                                           follow_redirects=False)
            if raw_markup_in(response.text):
                failures.append(f"{endpoint} {headers}: {response.status_code} "
                                f"{raw_markup_in(response.text)}")
            echoed += ESCAPED in response.text
    assert not failures, "\n".join(failures)
    assert echoed >= 10, "the forms did not show the typed text back at all"
    assert owner_client.get("/creditor").status_code == 200  # still signed in throughout
