"""Full-text search of the pièces, with the database's own index.

SQLite: an FTS5 table (search/sqlite.py); PostgreSQL: a French tsvector under a GIN index
(search/postgres.py). Both are kept by database triggers, whatever writes the rows, and
created with the schema: by the migration 0004_search, and after `create_all` (tests).
A term in a script written without spaces is matched as text (search/unspaced.py).
Results are those of the actor's creditor only, withdrawn pièces left out; the snippet is
escaped HTML where only the <mark> around the words found is markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlmodel import Session, SQLModel, col, select

from app.models import Debtor, Evidence
from app.services.context import Actor
from app.services.search import postgres, sqlite, unspaced
from app.services.search.terms import Term, checked, parse
from app.vocabulary import EVIDENCE_KINDS

__all__ = ["Hit", "checked", "install", "parse", "search", "uninstall"]
LIMIT = 50
INDEX_TABLES = (sqlite.TABLE, postgres.TABLE)  # not models: left out of schema comparisons


@dataclass(frozen=True)
class Hit:
    evidence_id: int
    debtor_id: int
    debtor_name: str
    title: str
    kind: str
    snippet: Markup

    @property
    def kind_label(self) -> str:
        return EVIDENCE_KINDS.get(self.kind, self.kind)


def _engine(connection: Connection):  # type: ignore[no-untyped-def]
    return sqlite if connection.dialect.name == "sqlite" else postgres


def install(connection: Connection) -> None:
    """Create the index and the triggers that keep it, and fill it."""
    _engine(connection).install(connection)


def uninstall(connection: Connection) -> None:
    _engine(connection).uninstall(connection)


@event.listens_for(SQLModel.metadata, "after_create")
def _after_create(_metadata, connection: Connection, **_kw) -> None:  # type: ignore[no-untyped-def]
    install(connection)


@event.listens_for(SQLModel.metadata, "before_drop")
def _before_drop(_metadata, connection: Connection, **_kw) -> None:  # type: ignore[no-untyped-def]
    uninstall(connection)


def highlighted(raw: str, open_mark: str, close_mark: str) -> Markup:
    """The snippet escaped, then its highlight marks made into <mark> elements."""
    safe = str(escape(raw.replace("<mark>", "").replace("</mark>", "")))
    return Markup(safe.replace(open_mark, "<mark>").replace(close_mark, "</mark>"))


def search(session: Session, actor: Actor, terms: list[Term], debtor_id: int | None = None,
           limit: int = LIMIT) -> list[Hit]:
    """The actor's creditor's active pièces matching every term, best first."""
    connection = session.connection()
    if unspaced.any_in(terms):
        statement, params = unspaced.query(connection.dialect.name, actor.creditor_id,
                                           debtor_id, terms, limit)
        rows = [(evidence_id, debtor, unspaced.snippet(title, body, terms))
                for evidence_id, debtor, title, body in session.execute(statement, params)]
        marks = unspaced.OPEN, unspaced.CLOSE
    else:
        engine = _engine(connection)
        statement, params = engine.query(actor.creditor_id, debtor_id, terms, limit)
        rows = list(session.execute(statement, params))
        marks = engine.OPEN, engine.CLOSE
    if not rows:
        return []
    ids = [row[0] for row in rows]
    found = {e.id: e for e in session.exec(select(Evidence).where(col(Evidence.id).in_(ids)))}
    names = dict(session.exec(select(Debtor.id, Debtor.legal_name).where(
        col(Debtor.id).in_({row[1] for row in rows}))).all())
    hits = []
    for evidence_id, debtor_id_, snippet in rows:
        evidence = found[evidence_id]
        hits.append(Hit(evidence_id, debtor_id_, names.get(debtor_id_, ""),
                        evidence.title or evidence.original_name, evidence.kind,
                        highlighted(snippet or "", *marks)))
    return hits
