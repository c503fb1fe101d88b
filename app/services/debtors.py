"""Debtors: list, read, create, edit. Every query is scoped to the actor's creditor."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, exists, func, or_
from sqlmodel import Session, col, select

from app.errors import NotFound
from app.kept import KeptValues
from app.law.stages import ALERT_ACTIONS, BEFORE_DUE, NEXT_LETTER, STAGE_RANK
from app.models import (
    ClaimFileJob,
    Creditor,
    Debtor,
    DocumentJob,
    PaymentPromise,
    ReminderHold,
    StageTotal,
)
from app.models.types import utcnow
from app.parsing import FormReader
from app.services import alerts, audit, balances
from app.services.context import Actor
from app.services.dashboard.measures import BUCKETS, due_range
from app.vocabulary import DEBTOR_KINDS, PROCEEDINGS_KINDS

EDITABLE = (
    "kind", "legal_name", "legal_form", "siren", "is_merchant", "street", "postal_code", "city",
    "country", "representative", "contact_name", "contact_street", "contact_postal_code",
    "contact_city", "email", "phone", "proceedings_kind", "proceedings_judgment_date",
    "proceedings_bodacc_date", "proceedings_mandataire", "proceedings_mandataire_address", "notes",
)
SORTS = {
    "amount": (col(Debtor.outstanding).desc(), col(Debtor.id)),
    "oldest": (col(Debtor.oldest_due_date).is_(None), col(Debtor.oldest_due_date), col(Debtor.id)),
    "name": (func.lower(Debtor.legal_name), col(Debtor.id)),
    "stage": (col(Debtor.stage_rank).desc(), col(Debtor.outstanding).desc(), col(Debtor.id).desc()),
    "next": (col(Debtor.next_action_date).is_(None), col(Debtor.next_action_date), col(Debtor.id)),
}
# The sorts on a date a debtor may not have: read by _dated_first, in SORTS' order.
DATED_LAST = {"oldest": Debtor.oldest_due_date, "next": Debtor.next_action_date}
SORT_LABELS = {"amount": "Encours décroissant", "oldest": "Jours de retard (plus ancien d'abord)",
               "name": "Nom", "stage": "Étape (la plus avancée d'abord)",
               "next": "Prochaine action (la plus proche d'abord)"}
PAGE_SIZE = 50
# The columns the list page shows (templates/debtors/list.html).
LIST_COLUMNS = (Debtor.id, Debtor.legal_name, Debtor.proceedings_kind, Debtor.kind, Debtor.city,
                Debtor.siren, Debtor.stage, Debtor.oldest_due_date, Debtor.next_action,
                Debtor.next_action_date, Debtor.invoice_count, Debtor.outstanding)
NEXT_ACTION_KEYS = {**NEXT_LETTER, **BEFORE_DUE, **ALERT_ACTIONS}  # next_action_key → what it asks


def read_debtor(data: Mapping[str, Any]) -> dict[str, Any]:
    """Validated debtor fields from a form or JSON body; raises ValidationFailed."""
    r = FormReader(data)
    values: dict[str, Any] = {
        "kind": r.choice("kind", DEBTOR_KINDS, default="company"),
        "legal_name": r.text("legal_name", required=True, label="Le nom"),
        "legal_form": r.text("legal_form", max_length=80),
        "siren": r.siren("siren"),
        "street": r.text("street", max_length=300),
        "postal_code": r.text("postal_code", max_length=10),
        "city": r.text("city", max_length=120),
        "country": (r.text("country", max_length=2) or "FR").upper(),
        "representative": r.text("representative"),
        "contact_name": r.text("contact_name"),
        "contact_street": r.text("contact_street", max_length=300),
        "contact_postal_code": r.text("contact_postal_code", max_length=10),
        "contact_city": r.text("contact_city", max_length=120),
        "email": r.email("email"),
        "phone": r.text("phone", max_length=40),
        "proceedings_kind": r.choice("proceedings_kind", PROCEEDINGS_KINDS),
        "proceedings_judgment_date": r.date("proceedings_judgment_date", required=False),
        "proceedings_bodacc_date": r.date("proceedings_bodacc_date", required=False),
        "proceedings_mandataire": r.text("proceedings_mandataire", max_length=300),
        "proceedings_mandataire_address": r.text("proceedings_mandataire_address",
                                                 max_length=300),
        "notes": r.text("notes", max_length=5000),
    }
    values["is_merchant"] = values["kind"] == "company" and (
        r.flag("is_merchant") or "is_merchant" not in data
    )
    if values["proceedings_kind"] and not values["proceedings_judgment_date"]:
        r.error("proceedings_judgment_date", "Date du jugement d'ouverture obligatoire.")
    postcode = values["postal_code"]
    if postcode and values["country"] == "FR" and not (postcode.isascii() and postcode.isdigit()):
        r.error("postal_code", "Code postal invalide (5 chiffres).")
    r.check()
    return values


# The debtor of a request on its file, the actor's creditor's only: built once (building the
# lookup session.get makes cost as much as running it). Without a flush, as session.get.
OWN = select(Debtor).where(Debtor.id == bindparam("debtor_id"),
                           Debtor.creditor_id == bindparam("creditor_id")) \
    .execution_options(autoflush=False)


def get(session: Session, actor: Actor, debtor_id: int) -> Debtor:
    debtor = session.exec(OWN, params={"debtor_id": debtor_id,
                                       "creditor_id": actor.creditor_id}).first()
    if debtor is None:
        raise NotFound("Débiteur")
    return debtor


# Rows a file seldom has, which its page lists: asked for with the debtor, read only if any.
SELDOM = {"promises": PaymentPromise, "holds": ReminderHold, "claim_file_jobs": ClaimFileJob,
          "document_jobs": DocumentJob}
# For the debtor's page, which reads its creditor too (the law's facts): both in one statement,
# the creditor then found in the session by session.get without another, while the caller
# holds it (the session's identity map keeps its objects weakly).
OWN_WITH_CREDITOR = select(Debtor, Creditor, *(
    exists().where(col(model.debtor_id) == Debtor.id) for model in SELDOM.values())) \
    .join(Creditor, col(Creditor.id) == Debtor.creditor_id) \
    .where(Debtor.id == bindparam("debtor_id"), Debtor.creditor_id == bindparam("creditor_id")) \
    .execution_options(autoflush=False)


def get_with_creditor(session: Session, actor: Actor,
                      debtor_id: int) -> tuple[Debtor, Creditor, frozenset[str]]:
    """`get`, and its creditor, loaded in the session with it; and which of the SELDOM rows
    the file has none of."""
    row = session.exec(OWN_WITH_CREDITOR, params={"debtor_id": debtor_id,
                                                  "creditor_id": actor.creditor_id}).first()
    if row is None:
        raise NotFound("Débiteur")
    return row[0], row[1], frozenset(name for name, has in zip(SELDOM, row[2:], strict=True)
                                     if not has)


@dataclass(frozen=True)
class DebtorPage:
    debtors: list[Debtor]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class Filters:
    """The list's filters on maintained columns: stage, aging bucket of the oldest open
    invoice at `as_of`, next action."""

    stage: str = ""
    bucket: str = ""
    action: str = ""
    as_of: date | None = None

    def clauses(self) -> list[Any]:
        where: list[Any] = []
        if self.stage in STAGE_RANK:
            where.append(Debtor.stage_rank == STAGE_RANK[self.stage])
        if self.bucket in BUCKETS and self.as_of is not None:
            first, last = due_range(self.bucket, self.as_of)
            where.append(col(Debtor.oldest_due_date).is_not(None))
            if first is not None:
                where.append(col(Debtor.oldest_due_date) >= first)
            if last is not None:
                where.append(col(Debtor.oldest_due_date) <= last)
        if self.action in NEXT_ACTION_KEYS:
            where.append(Debtor.next_action_key == self.action)
        return where

    def only_stage(self) -> str | None:
        """The stage, when it is the only filter."""
        return self.stage if self.stage in STAGE_RANK and len(self.clauses()) == 1 else None


def search(session: Session, actor: Actor, *, query: str = "", sort: str = "amount",
           page: int = 1, filters: Filters | None = None, today: date | None = None,
           columns: tuple[Any, ...] = (), counts: tuple[KeptValues, int] | None = None
           ) -> DebtorPage:
    """A page of the creditor's debtors. With `today`, stages and next actions are first
    brought up to date (the files changed since, or a new day). With `columns`, rows of
    those columns only (read by name), not whole Debtor objects: what a list shows. With
    `counts` (a server's, and the creditor's shared revision, app/revisions.py), the number of
    all the creditor's debtors is kept there at that revision: creating or deleting a debtor
    moves it, a change to a file does not, and counting them read every one."""
    if today is not None:
        alerts.refresh_stale(session, today, creditor_id=actor.creditor_id)
    sort = sort if sort in SORTS else "amount"
    built = _statements(actor.creditor_id, query.strip().lower(), filters or Filters(), sort,
                        columns)
    total = _total(session, actor, built, None if query.strip() else (filters or Filters()),
                   counts)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    start = (page - 1) * PAGE_SIZE
    read = _rows_reader(session, bool(columns))
    if sort in DATED_LAST:
        return DebtorPage(_dated_first(session, read, built, DATED_LAST[sort], start),
                          total, page, pages)
    return DebtorPage(read(built.page, {"start": start}), total, page, pages)


@dataclass(frozen=True)
class Statements:
    """A list's statements for one search, its rows from the bound `start`."""

    where: tuple[Any, ...]
    chosen: Any  # the columns, or whole Debtor objects
    count: Any
    page: Any  # SORTS' order; for DATED_LAST's, the dated rows only (see _dated_first)


@lru_cache(maxsize=512)
def _statements(creditor_id: int, query: str, filters: Filters, sort: str,
                columns: tuple[Any, ...]) -> Statements:
    """Built once for a creditor's search, filters and sort, and reused at each of its
    renders: building them cost as much as reading the rows."""
    where = [Debtor.creditor_id == creditor_id, *filters.clauses()]
    if query:
        like = f"%{query}%"
        where.append(or_(func.lower(Debtor.legal_name).like(like), col(Debtor.siren).like(like),
                         func.lower(Debtor.city).like(like)))
    chosen = select(*columns) if columns else select(Debtor)
    if sort in DATED_LAST:
        day = DATED_LAST[sort]
        ordered = chosen.where(*where, col(day).is_not(None)).order_by(day, col(Debtor.id))
    else:
        ordered = chosen.where(*where).order_by(*SORTS[sort])
    return Statements(tuple(where), chosen, select(func.count()).select_from(Debtor).where(*where),
                      ordered.offset(bindparam("start")).limit(PAGE_SIZE))


def _total(session: Session, actor: Actor, built: Statements, filters: Filters | None,
           counts: tuple[KeptValues, int] | None) -> int:
    """How many debtors the list holds. All of them: kept in `counts` (see `search`). Those at
    one stage: kept with the stage totals. Else counted."""
    if len(built.where) == 1 and counts is not None:  # all the debtors: only a new one moves it
        kept, shared_revision = counts
        return kept.get((actor.creditor_id, shared_revision),  # type: ignore[no-any-return]
                        lambda: _count(session, built.count))
    stage = filters.only_stage() if filters is not None else None
    if stage is not None:
        total = session.connection().execute(
            AT_STAGE, {"creditor_id": actor.creditor_id, "stage": stage}).scalar()
        if total is not None:
            return total  # type: ignore[no-any-return]
    return _count(session, built.count)


# The debtors at one stage, kept at every change (app/services/dashboard/maintain.py): no row
# while the creditor's aggregates are not built yet (app/services/dashboard/build.py).
AT_STAGE = select(func.coalesce(
    select(StageTotal.all_debtors).where(StageTotal.creditor_id == bindparam("creditor_id"),
                                         StageTotal.stage == bindparam("stage"))
    .scalar_subquery(), 0)).where(Creditor.id == bindparam("creditor_id"),
                                  col(Creditor.portfolio_built))


def _count(session: Session, counted: Any) -> int:
    return session.connection().execute(counted).scalar_one()  # type: ignore[no-any-return]


def _rows_reader(session: Session, columns: bool) -> Callable[[Any], list[Any]]:
    """Rows of named columns are plain values, read below the ORM (a list page's 50 rows took
    half again as long through it); whole Debtor objects through it."""
    if columns:
        return lambda statement, params=None: list(
            session.connection().execute(statement, params).all())
    return lambda statement, params=None: list(session.exec(statement, params=params).all())


def _dated_first(session: Session, read: Callable[..., list[Any]], built: Statements, day: Any,
                 start: int) -> list[Any]:
    """SORTS' order for a date that may be missing (dated rows by date, then the undated by
    id), read as two index walks: ordering on `day IS NULL` made the database sort every
    row of the creditor for each page."""
    where, chosen = built.where, built.chosen
    dated = [*where, col(day).is_not(None)]
    rows = read(built.page, {"start": start})
    if len(rows) == PAGE_SIZE:
        return rows
    # The dated rows before the undated ones.
    before = start + len(rows) if rows or not start else \
        _count(session, select(func.count()).select_from(Debtor).where(*dated))
    undated = [*where, col(day).is_(None)]
    return rows + read(chosen.where(*undated).order_by(col(Debtor.id))
                       .offset(max(0, start - before)).limit(PAGE_SIZE - len(rows)))


def create(session: Session, actor: Actor, data: Mapping[str, Any]) -> Debtor:
    actor.require_write()
    debtor = Debtor(creditor_id=actor.creditor_id, **read_debtor(data))
    session.add(debtor)
    session.flush()
    audit.record(session, actor, action="create", obj=debtor, debtor_id=debtor.id,
                 summary=f"Débiteur créé : {debtor.legal_name}",
                 changes=audit.snapshot(debtor, EDITABLE))
    session.commit()
    return debtor


def update(session: Session, actor: Actor, debtor: Debtor, data: Mapping[str, Any]) -> Debtor:
    actor.require_write()
    before = balances.debtor_terms(debtor)
    audit.apply_changes(session, actor, debtor, {**read_debtor(data), "updated_at": utcnow()},
                        EDITABLE, summary="Fiche modifiée : {fields}", debtor_id=debtor.id)
    if balances.debtor_terms(debtor) != before:  # consumer or not, collective proceedings
        balances.refresh(session, debtor)
    session.commit()
    return debtor
