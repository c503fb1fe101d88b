"""Alerts: a debtor's dated deadlines, most urgent first, and the creditor-wide dashboard.

The dashboard reads maintained `AlertEntry` rows. A debtor's rows are recomputed when its
file changed (`Debtor.alerts_on` is reset by every audited change) or when a day has passed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import bindparam, delete, event, func, or_, update
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, col, select

from app.law.alerts import SEVERITY_RANK, Alert, debtor_alerts
from app.law.severity import LEVEL_LABELS, judge
from app.models import AlertCount, AlertEntry, Debtor, StageTotal
from app.services import debtor_status, law_facts
from app.services.context import Actor
from app.services.dashboard import maintain
from app.services.debtor_file import DebtorFile
from app.services.reminders import promises

STALE_MARKS = "alerts_marked_stale"
KEY_LABELS = {
    "prescription": "Prescription",
    "mise_en_demeure": "Mise en demeure",
    "injonction_service": "Signification de l'ordonnance",
    "injonction_opposition": "Délai d'opposition",
    "injonction_execution": "Exécution",
    "injonction_formule": "Formule exécutoire",
    "declaration_creance": "Déclaration de créance",
    "echeance_impayee": "Échéance impayée",
    "echeance_a_venir": "Échéance à venir",
    "promesse_non_tenue": "Promesse de paiement non tenue",
    "promesse_en_cours": "Promesse de paiement en cours",
}


@dataclass(frozen=True)
class Assessed:
    """A debtor's alerts at a day, and its file then: on the amiable track, its next action is
    what its reminder scenario sends next (services/debtor_status.py)."""

    alerts: tuple[Alert, ...]
    file: DebtorFile


def compute(session: Session, debtor: Debtor, today: date) -> tuple[Alert, ...]:
    return _alerts(law_facts.load(session, debtor, today), today)


def assess(session: Session, debtor: Debtor, today: date) -> Assessed:
    file = law_facts.load(session, debtor, today)
    return Assessed(_alerts(file, today), file)


def _alerts(file: DebtorFile, today: date) -> tuple[Alert, ...]:
    return debtor_alerts(law_facts.alert_facts(file, today), as_of=today)


def store(session: Session, debtor: Debtor, assessed: Assessed, today: date,
          counts: Counter[tuple[int, str]] | None = None) -> None:
    """Replace the debtor's maintained rows with its alerts computed at `today`, and the
    creditor's counts by severity with them; into `counts` when given (many files stored in
    one go: the caller adds them all at once, `count_by_severity`)."""
    alerts = assessed.alerts
    gone = session.exec(delete(AlertEntry).where(col(AlertEntry.debtor_id) == debtor.id)  # type: ignore[call-overload]
                        .returning(AlertEntry.severity)).scalars().all()
    changed = Counter({(debtor.creditor_id, severity): -n for severity, n in Counter(gone).items()})
    for alert in alerts:
        judged = judge(alert, today, collective=assessed.file.collective.in_progress)
        changed[(debtor.creditor_id, judged.level)] += 1
        session.add(AlertEntry(creditor_id=debtor.creditor_id, debtor_id=debtor.id,  # type: ignore[arg-type]
                               key=alert.key, date=alert.date, severity=judged.level,
                               title=alert.title, consequence=alert.consequence,
                               article=alert.article, action=judged.action))
    if counts is None:
        count_by_severity(session, changed)
    else:
        counts.update(changed)
    debtor_status.maintain(session, debtor, alerts, today, assessed.file)
    promises.maintain(session, debtor, today)  # what the reminder run reads (issue 17)
    debtor.alerts_on = today
    session.add(debtor)


def count_by_severity(session: Session, counts: Counter[tuple[int, str]]) -> None:
    """Add `counts` ((creditor id, severity): n) to the kept counts (AlertCount), in one order:
    two transactions storing alerts at once take the same rows' locks in the same order."""
    changes = maintain.Changes()
    for key in sorted(counts):
        if counts[key]:
            changes.deltas[(AlertCount, key)] = {"count": counts[key]}
    maintain.apply(session.connection(), changes)


def refresh(session: Session, debtor: Debtor, today: date) -> tuple[Alert, ...]:
    assessed = assess(session, debtor, today)
    store(session, debtor, assessed, today)
    session.commit()
    return assessed.alerts


def mark_stale(session: Session, debtor_id: int, creditor_id: int | None) -> None:
    """The file changed: its alerts must be recomputed before the dashboard shows them.
    Once per debtor and transaction (a bulk import touches the same debtor many times)."""
    marked = session.info.setdefault(STALE_MARKS, set())
    if debtor_id in marked:
        return
    marked.add(debtor_id)
    session.exec(update(Debtor).where(col(Debtor.id) == debtor_id).values(alerts_on=None)  # type: ignore[call-overload]
                 .execution_options(synchronize_session=False, creditor_id=creditor_id,
                                   debtor_id=debtor_id))
    held = session.identity_map.get(identity_key(Debtor, debtor_id))
    if held is not None:  # the page rendered after the change brings it up to date itself
        set_committed_value(held, "alerts_on", None)


@event.listens_for(OrmSession, "after_commit")
@event.listens_for(OrmSession, "after_rollback")
def _forget_marks(session: OrmSession) -> None:
    session.info.pop(STALE_MARKS, None)


def refresh_stale(session: Session, today: date, creditor_id: int | None = None,
                  limit: int | None = None) -> int:
    """Recompute the alerts of every debtor changed since, or computed before, `today`."""
    if not _any_stale(session, today, creditor_id):  # before every list and dashboard
        return 0
    scope = [] if creditor_id is None else [Debtor.creditor_id == creditor_id]
    query = select(Debtor).where(or_(col(Debtor.alerts_on).is_(None), Debtor.alerts_on < today),
                                 *scope)
    debtors = list(session.exec(query.limit(limit) if limit else query))
    counts: Counter[tuple[int, str]] = Counter()
    for debtor in debtors:
        store(session, debtor, assess(session, debtor, today), today, counts)
    count_by_severity(session, counts)
    session.commit()
    return len(debtors)


def _probe(scoped: bool) -> Any:
    scope = [Debtor.creditor_id == bindparam("creditor_id")] if scoped else []
    return select(or_(*(select(Debtor.id).where(stale, *scope).exists()
                        for stale in (col(Debtor.alerts_on).is_(None),
                                      col(Debtor.alerts_on) < bindparam("today")))))


# Asked before every list and dashboard: built once, for a creditor (True) or for all.
STALE_PROBE = {scoped: _probe(scoped) for scoped in (True, False)}


def _any_stale(session: Session, today: date, creditor_id: int | None) -> bool:
    """Two EXISTS probes of the (creditor_id, alerts_on) index in one statement, below the
    ORM (a plain value): SQLite scans the whole creditor for the OR of both conditions in
    one WHERE, which every read of the list and the dashboards would pay."""
    params = {"today": today, "creditor_id": creditor_id}
    return bool(session.connection().execute(STALE_PROBE[creditor_id is not None],
                                             params).scalar())


def days_left(entry: AlertEntry | AlertLine, today: date) -> int:
    return (entry.date - today).days


@dataclass(frozen=True)
class DebtorRef:
    """The few columns of a debtor a dashboard row shows."""

    id: int
    legal_name: str
    outstanding: Decimal


@dataclass(frozen=True)
class AlertLine:
    """The columns of a maintained alert (AlertEntry) that a dashboard row shows."""

    key: str
    date: date
    severity: str
    title: str
    consequence: str
    article: str
    action: str


# Read as plain columns, a page of them: building 50 ORM objects cost more than the query.
LINE = (AlertEntry.key, AlertEntry.date, AlertEntry.severity, AlertEntry.title,
        AlertEntry.consequence, AlertEntry.article, AlertEntry.action)


@dataclass(frozen=True)
class DashboardRow:
    entry: AlertLine
    debtor: DebtorRef
    days_left: int


@dataclass(frozen=True)
class Dashboard:
    rows: list[DashboardRow]
    outstanding: Decimal  # of the debtors with an open balance (the kept stage totals)
    debtor_count: int
    counts: dict[str, int]
    total: int = 0
    page: int = 1
    pages: int = 1


PAGE_SIZE = 50
# The dashboard's head, the same for every page of it: kept with the alerts (`store`), built
# once, the creditor bound (counting them read every alert of the creditor at each render).
COUNTS_BY_SEVERITY = select(AlertCount.severity, AlertCount.count) \
    .where(AlertCount.creditor_id == bindparam("creditor_id"))
# From the aggregates kept at every change (app/services/dashboard/maintain.py): a few rows,
# where summing the debtors read every one of them.
PORTFOLIO = select(func.coalesce(func.sum(StageTotal.amount), 0),
                   func.coalesce(func.sum(StageTotal.debtors), 0)) \
    .where(StageTotal.creditor_id == bindparam("creditor_id"))


@dataclass(frozen=True)
class Shape:
    """Which filters the dashboard's statements have (their values are bound at each run)."""

    severity: bool = False
    key: bool = False
    named: bool = False  # a part of the debtor's name to match
    paged: bool = True

    def where(self) -> list[Any]:
        where: list[Any] = [AlertEntry.creditor_id == bindparam("creditor_id")]
        if self.severity:
            where.append(AlertEntry.severity == bindparam("severity"))
        if self.key:
            where.append(AlertEntry.key == bindparam("key"))
        if self.named:
            where.append(func.lower(Debtor.legal_name).like(bindparam("name")))
        return where


@cache
def counted(shape: Shape) -> Any:
    """How many alerts match. Without a name to match, the rows alone: each has its debtor (a
    foreign key), and the join made SQLite visit 10,000 debtors to count them."""
    statement = select(func.count()).select_from(AlertEntry)
    if shape.named:
        statement = statement.join(Debtor, col(Debtor.id) == AlertEntry.debtor_id)
    return statement.where(*shape.where())


@cache
def listing(shape: Shape) -> Any:
    """The matching alerts by date with their debtors, built once for each shape: building
    it cost about as much as running it, at every render of the dashboard."""
    statement = (select(*LINE, Debtor.id, Debtor.legal_name, Debtor.outstanding)
                 .join(Debtor, col(Debtor.id) == AlertEntry.debtor_id).where(*shape.where())
                 .order_by(AlertEntry.date, AlertEntry.id))  # type: ignore[arg-type]
    if shape.paged:
        statement = statement.offset(bindparam("offset")).limit(bindparam("limit"))
    return statement


def dashboard(session: Session, actor: Actor, today: date, *, severity: str = "",
              key: str = "", query: str = "", page: int = 1,
              page_size: int | None = PAGE_SIZE) -> Dashboard:
    """The creditor's alerts sorted by date, filtered, a page at a time (None: all of them)."""
    refresh_stale(session, today, creditor_id=actor.creditor_id)
    shape = Shape(severity=severity in LEVEL_LABELS, key=key in KEY_LABELS,
                  named=bool(query.strip()), paged=bool(page_size))
    params: dict[str, Any] = {"creditor_id": actor.creditor_id, "severity": severity,
                              "key": key, "name": f"%{query.strip().lower()}%"}
    of_creditor = {"creditor_id": actor.creditor_id}
    read = session.connection().execute  # plain values, below the ORM
    counts = dict(read(COUNTS_BY_SEVERITY, of_creditor).all())
    if shape.key or shape.named:
        total = read(counted(shape), params).scalar_one()
    else:  # the head's counts already hold it: one scan of the alerts fewer
        total = counts.get(severity, 0) if shape.severity else sum(counts.values())
    pages = max(1, -(-total // page_size)) if page_size else 1
    page = min(max(page, 1), pages)
    if page_size:
        params.update(offset=(page - 1) * page_size, limit=page_size)
    result = [_dashboard_row(row, today) for row in read(listing(shape), params).all()]
    outstanding, debtor_count = read(PORTFOLIO, of_creditor).one()
    return Dashboard(result, Decimal(outstanding), debtor_count,
                     {s: counts.get(s, 0) for s in LEVEL_LABELS}, total, page, pages)


def _dashboard_row(row: Any, today: date) -> DashboardRow:
    """A row of the listing: the alert's columns (LINE), then its debtor's."""
    line = AlertLine(*row[:len(LINE)])
    return DashboardRow(line, DebtorRef(*row[len(LINE):]), days_left(line, today))


def most_urgent_first(alerts: tuple[Alert, ...]) -> list[Alert]:
    return sorted(alerts, key=lambda a: (SEVERITY_RANK[a.severity], a.date))
