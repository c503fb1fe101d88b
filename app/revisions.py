"""Creditor.revision: bumped in the transaction of every change to what a creditor's pages show.

A page kept at revision N (app/web/page_cache.py) stays right while the creditor's revision
is N. Every ORM flush passes here, so no service has to remember to bump it. ORM UPDATE and
DELETE statements skip the flush: they must name the creditor they change with the execution
option `creditor_id`, or they are refused (a programming error the tests catch).
"""

from __future__ import annotations

from itertools import chain

from sqlalchemy import Select, event, inspect, select, update
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import col

from app.models import AuditEvent, Creditor, Evidence, EvidenceInvoice, Membership, StepEvidence, User

# Sign-in bookkeeping, not page content (the signed-in user's header is keyed apart).
NOT_SHOWN = frozenset({"usersession", "apitoken", "loginattempt"})
# The maintained alerts are derived from a file's rows and "today", both already in a kept
# page's key; pages that show them bring them up to date before reading them (services/alerts).
# A debtor's stage and next action are kept with its alerts (services/debtor_status.py).
DERIVED = {"alertentry": None,  # None: the whole row
           "debtor": frozenset({"alerts_on", "stage", "stage_rank", "next_action_key",
                                "next_action", "next_action_date"})}
CREDITOR = Creditor.__table__  # type: ignore[attr-defined]
HINT = "creditor_id"
BUMPED, EVERYONE = "revisions_bumped", "*"


class Touched:
    """The creditors a flush changes, as the objects in it tell."""

    def __init__(self) -> None:
        self.creditors: set[int] = set()
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
            self.creditors.add(obj.creditor_id)  # type: ignore[attr-defined]
        elif not isinstance(obj, AuditEvent):  # an audit event without creditor: sign-ins
            self.everyone = True  # rate corrections, and anything not foreseen here


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
    """Once per creditor and transaction: the revision a reader sees after the commit differs
    from the one before it, whatever else the transaction goes on to change."""
    done = session.info.setdefault(BUMPED, set())
    touched.creditors -= done
    if EVERYONE in done or not (touched.everyone or touched.creditors or touched.evidence
                                or touched.users):
        return
    statement = update(CREDITOR).values(revision=CREDITOR.c.revision + 1)
    if touched.everyone:
        done.add(EVERYONE)
    else:
        done.update(touched.creditors)
        statement = statement.where(CREDITOR.c.id.in_(touched.creditors)
                                    | CREDITOR.c.id.in_(_of_evidence(touched.evidence))
                                    | CREDITOR.c.id.in_(_of_users(touched.users)))
    session.connection().execute(statement)


def _of_evidence(ids: set[int]) -> Select[tuple[int]]:
    return select(Evidence.creditor_id).where(col(Evidence.id).in_(ids))


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
    touched.creditors.add(creditor_id)
    bump(state.session, touched)


@event.listens_for(OrmSession, "after_commit")
@event.listens_for(OrmSession, "after_rollback")
def _forget(session: OrmSession) -> None:
    session.info.pop(BUMPED, None)
