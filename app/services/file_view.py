"""What the law says about one debtor's file today: alerts, checklist, routes, court, décompte.

Shown on the debtor page and reused by the claim file; the alerts computed here also refresh
the maintained rows of the dashboard.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from app.law.alerts import Alert, debtor_alerts
from app.law.interest import Decompte
from app.law.procedures import Court, Route, competent_court, recommend_routes
from app.law.rates import RateTables
from app.law.readiness import CheckItem, readiness_checklist
from app.models import Debtor, Evidence
from app.services import alerts as alert_service
from app.services import law_facts, law_view_keep
from app.services.creditor_lists import CreditorLists
from app.services.decompte import decompte_from
from app.services.rates import current_rates

STATUS_LABELS = {"ok": "OK", "a_completer": "À compléter", "bloquant": "Bloquant"}


@dataclass(frozen=True)
class FileView:
    alerts: tuple[Alert, ...]
    checklist: tuple[CheckItem, ...]
    routes: tuple[Route, ...]
    court: Court
    decompte: Decompte
    file: law_facts.DebtorFile  # every row of the file, loaded once for the whole page
    facts: Hashable = None  # what the law view is computed from (law_view_keep.facts_key)

    @property
    def blocking(self) -> list[CheckItem]:
        return [item for item in self.checklist if item.status == "bloquant"]

    @property
    def ready(self) -> bool:
        return all(item.status == "ok" for item in self.checklist if item.key != "reminders")


@dataclass(frozen=True)
class LawView:
    """What the law makes of a file today: the same for every page that shows it."""

    alerts: tuple[Alert, ...]
    checklist: tuple[CheckItem, ...]
    routes: tuple[Route, ...]
    court: Court
    decompte: Decompte


def file_view(session: Session, debtor: Debtor, today: date,
              exhibits: list[Evidence] | None = None,
              lists: CreditorLists | None = None, no_promises: bool = False) -> FileView:
    """The file's rows, read now, and what the law makes of them: kept while those rows, the
    rates and the day are the same (app/services/law_view_keep.py). `exhibits`: every exhibit
    of the debtor, when the caller already read them; `lists`: the rate tables and the courts
    named by town, when kept (app/services/creditor_lists.py); `no_promises`: the file is
    known to have none."""
    whole = law_facts.load(session, debtor, exhibits=exhibits, lists=lists,
                           no_promises=no_promises)
    # read with the file when a payment names no invoice
    rates = whole.rates or (lists.rates if lists else current_rates(session))
    facts = law_view_keep.facts_key(whole, rates, today)
    law = law_view_keep.KEPT.get(facts, lambda: law_view(whole, rates, today))
    if debtor.alerts_on != today:  # with the next action the list shows (its scenario's)
        alert_service.store(session, debtor, alert_service.Assessed(law.alerts,
                                                                    whole.until(today)), today)
        session.commit()
    return FileView(alerts=law.alerts, checklist=law.checklist, routes=law.routes,
                    court=law.court, decompte=law.decompte, file=whole, facts=facts)


def law_view(whole: law_facts.DebtorFile, rates: RateTables, today: date) -> LawView:
    debtor = whole.debtor
    file = whole.until(today)
    decompte = decompte_from(whole.creditor, debtor, whole.invoices, whole.payments, whole.steps,
                             rates=rates, as_of=today)
    facts = law_facts.file_facts(file, today, decompte.principal,
                                     law_facts.owing(decompte))
    return LawView(
        alerts=debtor_alerts(law_facts.alert_facts(file, today), as_of=today),
        checklist=readiness_checklist(facts),
        routes=recommend_routes(facts, decompte.total),
        court=competent_court(commercial=facts.debtor.is_commercial_claim, city=debtor.city,
                              department=facts.debtor.resolved_department),
        decompte=decompte,
    )
