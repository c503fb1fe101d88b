"""One module per resource; `ROUTERS` is what `create_app()` includes, in order."""

from app.web.api import auth as api_auth
from app.web.api import calc as api_calc
from app.web.api import ledger as api_ledger
from app.web.routes import accounts_book, auth, creditor, debtors, health

ROUTERS = [
    health.router,
    auth.router,
    debtors.router,
    accounts_book.router,
    creditor.router,
    api_auth.router,
    api_ledger.router,
    api_calc.router,
]
