"""Search in scripts written without spaces between words (Chinese, Japanese, Thai, Lao,
Khmer, Burmese) and in Korean, whose words carry their particles ("청구서를").

The indexes' tokenizers (FTS5's unicode61, PostgreSQL's parser) take a whole run of such text
for one word, so "請求書" never found "請求書のお知らせ". A query with such a term is matched
as text instead (LIKE, every term required, as with the index), on the index table's own copy
of the fields in both engines; its snippet is cut here around the first match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text

from app.services.search.terms import Term

UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf"
                      "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]")
OPEN, CLOSE = "\ue000", "\ue001"
FIELDS = ("title", "invoices", "body")
AROUND = 60  # characters shown on each side of the first match
# dialect → (index table, its pièce id column)
TABLES = {"sqlite": ("evidence_fts", "s.rowid"), "postgresql": ("evidencesearch", "s.evidence_id")}


def any_in(terms: Sequence[Term]) -> bool:
    return any(UNSPACED.search(word) for term in terms for word in term.words)


def _pattern(term: Term) -> str:
    """Its words in order, anything between (a chunk's words: letters and digits only, so no
    LIKE wildcard of the user's)."""
    return "%" + "%".join(term.words) + "%"


def query(dialect: str, creditor_id: int, debtor_id: int | None, terms: Sequence[Term],
          limit: int) -> tuple[Any, dict[str, Any]]:
    """The statement and its parameters: rows (evidence_id, debtor_id, title, body)."""
    table, pid = TABLES[dialect]
    params: dict[str, Any] = {"creditor": creditor_id, "debtor": debtor_id, "limit": limit}
    required = []
    for n, term in enumerate(terms):
        params[f"p{n}"] = _pattern(term)
        required.append("(" + " OR ".join(f"lower(s.{f}) LIKE :p{n}" for f in FIELDS) + ")")
    sql = (f"SELECT {pid}, e.debtor_id, s.title, s.body FROM {table} s "
           f"JOIN evidence e ON e.id = {pid} "
           "WHERE e.creditor_id = :creditor AND e.withdrawn_at IS NULL AND "
           + " AND ".join(required)
           + (" AND e.debtor_id = :debtor" if debtor_id is not None else "")
           + " ORDER BY e.id DESC LIMIT :limit")
    return text(sql), params


def snippet(title: str, body: str, terms: Sequence[Term]) -> str:
    """The text around the first match, each term's match between the marks."""
    shown = f"{title} · {body}" if body else title
    found = [re.compile(".*?".join(map(re.escape, t.words)), re.I) for t in terms]
    first = min((m.start() for f in found if (m := f.search(shown))), default=0)
    start, end = max(first - AROUND, 0), first + AROUND
    part = shown[start:end]
    for pattern in found:
        part = pattern.sub(lambda m: OPEN + m.group(0) + CLOSE, part)
    return ("…" if start else "") + part + ("…" if end < len(shown) else "")
