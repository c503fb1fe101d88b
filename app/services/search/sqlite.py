"""The search index on SQLite: an FTS5 table kept by triggers, searched with MATCH.

The `unicode61` tokenizer with `remove_diacritics 2` makes "facturé" find "facture" (FTS5's
`porter` stemmer knows only English, so it is not used); a word of four letters or more is
also searched as a prefix (facture → factures). The table holds its own copy of the
fields, so snippet() can highlight them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from app.services.search.document import EVIDENCE_COLUMNS, select_rows
from app.services.search.terms import Term

TABLE = "evidence_fts"
OPEN, CLOSE = "\ue000", "\ue001"  # highlight marks, turned into <mark> once escaped
COLUMNS = "title, kind, dates, invoices, body"
WEIGHTS = "8.0, 4.0, 4.0, 8.0, 1.0"  # bm25: title and invoice numbers count most

# (trigger name, table, event, the pièces it touches)
TRIGGERS = (
    ("evidence_fts_ai", "evidence", "AFTER INSERT", "= NEW.id"),
    ("evidence_fts_au", "evidence", f"AFTER UPDATE OF {EVIDENCE_COLUMNS}", "= NEW.id"),
    ("evidence_fts_ad", "evidence", "AFTER DELETE", "= OLD.id"),
    ("evidencetext_fts_ai", "evidencetext", "AFTER INSERT", "= NEW.evidence_id"),
    ("evidencetext_fts_au", "evidencetext", "AFTER UPDATE OF text, evidence_id",
     "IN (NEW.evidence_id, OLD.evidence_id)"),
    ("evidencetext_fts_ad", "evidencetext", "AFTER DELETE", "= OLD.evidence_id"),
    ("evidenceinvoice_fts_ai", "evidenceinvoice", "AFTER INSERT", "= NEW.evidence_id"),
    ("evidenceinvoice_fts_ad", "evidenceinvoice", "AFTER DELETE", "= OLD.evidence_id"),
    ("invoice_fts_au", "invoice", "AFTER UPDATE OF number",
     "IN (SELECT evidence_id FROM evidenceinvoice WHERE invoice_id = NEW.id)"),
)


def _refresh(ids: str) -> str:
    return (f"DELETE FROM {TABLE} WHERE rowid {ids}; "
            f"INSERT INTO {TABLE} (rowid, creditor_id, debtor_id, {COLUMNS}) "
            f"{select_rows('sqlite', ids)};")


def install(connection: Connection) -> None:
    """Create the index and its triggers if missing, and fill it from the tables."""
    connection.execute(text(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
        f"creditor_id UNINDEXED, debtor_id UNINDEXED, {COLUMNS}, "
        "tokenize = 'unicode61 remove_diacritics 2')"))
    for name, table, event, ids in TRIGGERS:
        connection.execute(text(
            f"CREATE TRIGGER IF NOT EXISTS {name} {event} ON {table} "
            f"BEGIN {_refresh(ids)} END"))
    connection.execute(text(f"DELETE FROM {TABLE}"))
    connection.execute(text(
        f"INSERT INTO {TABLE} (rowid, creditor_id, debtor_id, {COLUMNS}) "
        f"{select_rows('sqlite', 'IS NOT NULL')}"))


def uninstall(connection: Connection) -> None:
    for name, *_ in TRIGGERS:
        connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    connection.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))


def match_expression(terms: Sequence[Term]) -> str:
    """The MATCH string: every term quoted (so no word is ever an operator), all required."""
    parts = []
    for term in terms:
        # words hold letters and digits only: nothing in the quotes is syntax
        parts.append(f'"{term.stem}"*' if term.prefix else '"' + " ".join(term.words) + '"')
    return " ".join(parts)


def query(creditor_id: int, debtor_id: int | None, terms: Sequence[Term], limit: int
          ) -> tuple[Any, dict[str, Any]]:
    """The statement and its parameters: rows (evidence_id, debtor_id, snippet)."""
    sql = (
        f"SELECT f.rowid, e.debtor_id, snippet({TABLE}, -1, :open, :close, '…', 24) "
        f"FROM {TABLE} f JOIN evidence e ON e.id = f.rowid "
        f"WHERE {TABLE} MATCH :match AND e.creditor_id = :creditor "
        "AND e.withdrawn_at IS NULL"
        + (" AND e.debtor_id = :debtor" if debtor_id is not None else "")
        + f" ORDER BY bm25({TABLE}, 0, 0, {WEIGHTS}), e.id LIMIT :limit")
    return text(sql), {"open": OPEN, "close": CLOSE, "match": match_expression(terms),
                       "creditor": creditor_id, "debtor": debtor_id, "limit": limit}
