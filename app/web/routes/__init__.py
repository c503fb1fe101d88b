"""One module per resource. `create_app()` includes the pages (HTML, and the health checks
first, left out of the OpenAPI schema) and the JSON API (documented at /api/docs), in this
order."""

from app.web.api import alerts as api_alerts
from app.web.api import auth as api_auth
from app.web.api import calc as api_calc
from app.web.api import claim_files as api_claim_files
from app.web.api import creditor as api_creditor
from app.web.api import dashboard as api_dashboard
from app.web.api import documents as api_documents
from app.web.api import evidence as api_evidence
from app.web.api import evidence_search as api_evidence_search
from app.web.api import imports as api_imports
from app.web.api import ledger as api_ledger
from app.web.api import reminders as api_reminders
from app.web.routes import (
    account,
    accounts_book,
    alerts,
    api_docs,
    auth,
    claim_files,
    creditor,
    dashboard,
    debtor_reminders,
    debtors,
    documents,
    evidence,
    evidence_thumbs,
    health,
    imports,
    members,
    rates,
    reminder_settings,
    reminders,
    search,
)

PAGE_ROUTERS = [
    health.router,
    api_docs.router,
    auth.router,
    debtors.router,
    accounts_book.router,
    debtor_reminders.router,
    creditor.router,
    members.router,
    account.router,
    alerts.router,
    dashboard.router,
    rates.router,
    reminder_settings.router,
    evidence.router,
    evidence_thumbs.router,
    search.router,
    documents.router,
    imports.router,
    claim_files.router,
    reminders.router,
]

API_ROUTERS = [
    api_auth.router,
    api_ledger.router,
    api_calc.router,
    api_alerts.router,
    api_dashboard.router,
    api_evidence_search.router,  # before /evidence/{id}
    api_evidence.router,
    api_documents.router,
    api_imports.router,
    api_claim_files.router,
    api_creditor.router,
    api_reminders.router,
]
