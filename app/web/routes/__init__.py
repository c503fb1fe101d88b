"""One module per resource; `ROUTERS` is what `create_app()` includes, in order."""

from app.web.api import alerts as api_alerts
from app.web.api import auth as api_auth
from app.web.api import calc as api_calc
from app.web.api import documents as api_documents
from app.web.api import evidence as api_evidence
from app.web.api import imports as api_imports
from app.web.api import ledger as api_ledger
from app.web.routes import (
    accounts_book,
    alerts,
    auth,
    creditor,
    debtors,
    documents,
    evidence,
    health,
    imports,
    rates,
)

ROUTERS = [
    health.router,
    auth.router,
    debtors.router,
    accounts_book.router,
    creditor.router,
    api_auth.router,
    api_ledger.router,
    api_calc.router,
    alerts.router,
    rates.router,
    api_alerts.router,
    evidence.router,
    api_evidence.router,
    documents.router,
    api_documents.router,
    imports.router,
    api_imports.router,
]
