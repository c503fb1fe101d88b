"""Revisions: bumped in the transaction of every change to what a creditor's pages show.

A page kept at revision N (app/web/page_cache.py) stays right while the revision is N. Every
ORM flush passes here, so no service has to remember to bump it. Three counters:
- `Creditor.revision`: any change to the creditor's pages (its lists and dashboards show
  every debtor);
- `Debtor.revision`: a change to that debtor's file (a row that names the debtor);
- `Creditor.shared_revision`: any change that is not one existing debtor's (the creditor's
  settings, courts, scenarios, members, the rates, a debtor created or deleted, bulk writes).
A debtor's page is kept at the last two: a change to another debtor's file leaves it kept.
Whatever cannot be told to be one debtor's moves the shared revision: a wrong guess costs a
render, never a stale page. ORM UPDATE and DELETE statements skip the flush: they must name
the creditor they change with the execution option `creditor_id` (and `debtor_id` when they
change one debtor's rows only), or they are refused (a programming error the tests catch).
"""

from __future__ import annotations

from itertools import chain

from sqlalchemy import Select, event, inspect, select, update
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import col

from app.models import AuditEvent, Creditor, Debtor, Evidence, EvidenceInvoice, Membership, StepEvidence, User

# Sign-in bookkeeping, not page content (the signed-in user's header is keyed apart).
NOT_SHOWN = frozenset({"usersession", "apitoken", "loginattempt"})
# The maintained alerts are derived from a file's rows and "today", both already in a kept
# page's key; pages that show them bring them up to date before reading them (services/alerts).
# A debtor's stage and next action are kept with its alerts (services/debtor_status.py).
DERIVED = {"alertentry": None,  # None: the whole row
           "debtor": frozenset({"alerts_on", "stage", "stage_rank", "next_action_key",
                                "next_action", "next_action_date"})}
CREDITOR = Creditor.__table__  # type: ignore[attr-defined]
DEBTOR = Debtor.__table__  # type: ignore[attr-defined]
HINT, DEBTOR_HINT = "creditor_id", "debtor_id"
BUMPED, EVERYONE = "revisions_bumped", "*"


class Touched:
    """What a flush changes, as the objects in it tell: `creditors` as a whole (revision and
    shared revision), `debtors` (creditor id, debtor id) one file each (the creditor's
    revision and the debtor's), exhibits' and users' rows (found in the database)."""

    def __init__(self) -> None:
        self.creditors: set[int] = set()
        self.debtors: set[tuple[int, int]] = set()
        self.evidence: set[int] = set()
        self.users: set[int] = set()
        self.everyone = False

    def add(self, obj: object) -> None:
        if getattr(obj, "__tablename__", "") in NOT_SHOWN or derived_only(obj):
            return
        if isinstance(obj, Creditor):
            if obj.id is not None:
                self.creditors.add(obj.id)
        elif isinstance(obj, EvidenceInvoice | StepEvidence):
            self.evidence.add(obj.evidence_id)
        elif isinstance(obj, User):
            if obj.id is not None:
                self.users.add(obj.id)
        elif getattr(obj, HINT, None) is not None:
            self._add_owned(obj)
        elif not isinstance(obj, AuditEvent):  # an audit event without creditor: sign-ins
            self.everyone = True  # rate corrections, and anything not foreseen here

    def _add_owned(self, obj: object) -> None:
        creditor_id: int = obj.creditor_id  # type: ignore[attr-defined]
        if isinstance(obj, Debtor):
            state = inspect(obj)
            debtor_id = None if state.pending or state.deleted or state.was_deleted else obj.id
        else:
            debtor_id = getattr(obj, DEBTOR_HINT, None)
        if debtor_id is None:  # the creditor's own rows; a debtor created or deleted (lists)
            self.creditors.add(creditor_id)
        else:
            self.debtors.add((creditor_id, debtor_id))


def derived_only(obj: object) -> bool:
    table = getattr(obj, "__tablename__", "")
    if table not in DERIVED:
        return False
    columns = DERIVED[table]
    if columns is None:
        return True
    state = inspect(obj)
    if state.pending or state.deleted or state.was_deleted:
        return False
    changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
    return changed <= columns


def bump(session: OrmSession, touched: Touched) -> None:
    """Once per counter and transaction: the revisions a reader sees after the commit differ
    from those before it, whatever else the transaction goes on to change."""
    done = session.info.setdefault(BUMPED, set())
    if EVERYONE in done:
        return
    if touched.everyone:
        done.add(EVERYONE)
        session.connection().execute(update(CREDITOR).values(
            revision=CREDITOR.c.revision + 1, shared_revision=CREDITOR.c.shared_revision + 1))
        return
    whole = {c for c in touched.creditors if ("c", c) not in done}
    files = {(c, d) for c, d in touched.debtors if ("d", d) not in done}
    if whole or touched.users:
        done.update(("c", c) for c in whole)
        session.connection().execute(update(CREDITOR).values(
            revision=CREDITOR.c.revision + 1, shared_revision=CREDITOR.c.shared_revision + 1)
            .where(CREDITOR.c.id.in_(whole) | CREDITOR.c.id.in_(_of_users(touched.users))))
    if files or touched.evidence:
        done.update(("d", d) for _, d in files)
        # the creditors' revision (their lists), once, unless bumped whole in this transaction
        moved = {c for c, _ in files if ("c", c) not in done and ("r", c) not in done}
        done.update(("r", c) for c in moved)
        session.connection().execute(update(CREDITOR).values(revision=CREDITOR.c.revision + 1)
                                     .where(CREDITOR.c.id.in_(moved)
                                            | CREDITOR.c.id.in_(_of_evidence(touched.evidence))))
        session.connection().execute(update(DEBTOR).values(revision=DEBTOR.c.revision + 1)
                                     .where(DEBTOR.c.id.in_({d for _, d in files})
                                            | DEBTOR.c.id.in_(_debtors_of(touched.evidence))))


def _of_evidence(ids: set[int]) -> Select[tuple[int]]:
    return select(Evidence.creditor_id).where(col(Evidence.id).in_(ids))


def _debtors_of(ids: set[int]) -> Select[tuple[int]]:
    return select(Evidence.debtor_id).where(col(Evidence.id).in_(ids))


def _of_users(ids: set[int]) -> Select[tuple[int]]:
    return select(Membership.creditor_id).where(col(Membership.user_id).in_(ids))


@event.listens_for(OrmSession, "before_flush")
def _on_flush(session: OrmSession, _context: object, _instances: object) -> None:
    touched = Touched()
    for obj in chain(session.new, session.dirty, session.deleted):
        touched.add(obj)
    bump(session, touched)


@event.listens_for(OrmSession, "do_orm_execute")
def _on_statement(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    table = state.statement.table  # type: ignore[attr-defined]
    if table.name in NOT_SHOWN or table is CREDITOR or DERIVED.get(table.name, ()) is None:
        return
    creditor_id = state.execution_options.get(HINT)
    if creditor_id is None:
        raise RuntimeError(f"UPDATE/DELETE on {table.name}: name the creditor it changes "
                           f"with .execution_options({HINT}=…) (app/revisions.py)")
    touched = Touched()
    debtor_id = state.execution_options.get(DEBTOR_HINT)
    if debtor_id is None:
        touched.creditors.add(creditor_id)
    else:
        touched.debtors.add((creditor_id, debtor_id))
    bump(state.session, touched)


@event.listens_for(OrmSession, "after_commit")
@event.listens_for(OrmSession, "after_rollback")
def _forget(session: OrmSession) -> None:
    session.info.pop(BUMPED, None)
