"""The search index on PostgreSQL: a table kept by triggers, with a French `tsvector`
(generated column) under a GIN index, searched with @@ and highlighted with ts_headline.

The French configuration stems ("facturé" and "facture" are both `factur`). Each field is
indexed twice, as written and without its accents, and each word searched both ways, so
"echeance" finds "échéance". Hyphens, slashes, dots and underscores separate words, as on
SQLite: "BL-2026-77" is the phrase bl 2026 77. So do < and >, never read as tags.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from app.services.search.document import EVIDENCE_COLUMNS, FIELDS, select_rows
from app.services.search.terms import Term, fold

TABLE = "evidencesearch"
OPEN, CLOSE = "\ue000", "\ue001"
ACCENTED = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝŸ"
PLAIN = "aaaaaaceeeeiiiinooooouuuuyyAAAAAACEEEEIIIINOOOOOUUUUYY"
MAX_BODY = 400_000  # characters of text indexed (a tsvector holds at most 1 MB)
HEADLINE = (f"StartSel={OPEN}, StopSel={CLOSE}, MaxWords=24, MinWords=10, "
            "MaxFragments=2, FragmentDelimiter=\" … \"")


def normalized(sql: str) -> str:
    # < and > too: PostgreSQL's parser reads "<script>…" as markup and drops what follows
    return f"regexp_replace({sql}, '[-/._<>]+', ' ', 'g')"


def _vector(sql: str, weight: str) -> str:
    plain = f"translate({sql}, '{ACCENTED}', '{PLAIN}')"
    return (f"setweight(to_tsvector('french'::regconfig, {normalized(sql)}), '{weight}') || "
            f"setweight(to_tsvector('french'::regconfig, {normalized(plain)}), '{weight}')")


DOCUMENT = " || ".join((
    _vector("title || ' ' || invoices", "A"), _vector("kind", "B"), _vector("dates", "B"),
    _vector(f"left(body, {MAX_BODY})", "D")))
TRIGGER_IDS = {
    "evidence": "CASE WHEN TG_OP = 'DELETE' THEN ARRAY[OLD.id] ELSE ARRAY[NEW.id] END",
    "evidencetext": "CASE WHEN TG_OP = 'DELETE' THEN ARRAY[OLD.evidence_id] "
                    "ELSE ARRAY[NEW.evidence_id] END",
    "evidenceinvoice": "CASE WHEN TG_OP = 'DELETE' THEN ARRAY[OLD.evidence_id] "
                       "ELSE ARRAY[NEW.evidence_id] END",
    "invoice": "ARRAY(SELECT evidence_id FROM evidenceinvoice WHERE invoice_id = NEW.id)",
}
TRIGGER_EVENTS = {"evidence": f"INSERT OR UPDATE OF {EVIDENCE_COLUMNS} OR DELETE",
                  "evidencetext": "INSERT OR UPDATE OF text, evidence_id OR DELETE",
                  "evidenceinvoice": "INSERT OR DELETE", "invoice": "UPDATE OF number"}


def install(connection: Connection) -> None:
    """Create the index table, its refresh function and triggers if missing; fill it."""
    columns = ", ".join(f"{name} text NOT NULL" for name in FIELDS)
    statements = [
        f"CREATE TABLE IF NOT EXISTS {TABLE} (evidence_id integer PRIMARY KEY "
        "REFERENCES evidence(id) ON DELETE CASCADE, creditor_id integer NOT NULL, "
        f"debtor_id integer NOT NULL, {columns}, "
        f"document tsvector GENERATED ALWAYS AS ({DOCUMENT}) STORED)",
        f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_document ON {TABLE} USING gin (document)",
        f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_creditor ON {TABLE} (creditor_id)",
        f"CREATE OR REPLACE FUNCTION {TABLE}_refresh(ids integer[]) RETURNS void "
        "LANGUAGE plpgsql AS $$ BEGIN "
        f"DELETE FROM {TABLE} WHERE evidence_id = ANY(ids); "
        f"INSERT INTO {TABLE} (evidence_id, creditor_id, debtor_id, {', '.join(FIELDS)}) "
        f"{select_rows('postgresql', '= ANY(ids)')}; END $$",
    ]
    for table, ids in TRIGGER_IDS.items():
        statements += [
            f"CREATE OR REPLACE FUNCTION {TABLE}_on_{table}() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN PERFORM {TABLE}_refresh({ids}); RETURN NULL; END $$",
            f"CREATE OR REPLACE TRIGGER {TABLE}_{table} AFTER {TRIGGER_EVENTS[table]} "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION {TABLE}_on_{table}()",
        ]
    statements.append(f"SELECT {TABLE}_refresh(ARRAY(SELECT id FROM evidence))")
    for statement in statements:
        connection.execute(text(statement))


def uninstall(connection: Connection) -> None:
    for table in TRIGGER_IDS:
        connection.execute(text(f"DROP TRIGGER IF EXISTS {TABLE}_{table} ON {table}"))
        connection.execute(text(f"DROP FUNCTION IF EXISTS {TABLE}_on_{table}()"))
    connection.execute(text(f"DROP FUNCTION IF EXISTS {TABLE}_refresh(integer[])"))
    connection.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))


def _tsquery(terms: Sequence[Term], params: dict[str, Any]) -> str:
    """Every term required; each one as typed or without accents; words are letters and
    digits only, so to_tsquery's prefix syntax is safe to build around them."""
    parts = []
    for n, term in enumerate(terms):
        phrase = term.stem if term.prefix else " ".join(term.words)
        params[f"t{n}"], params[f"f{n}"] = phrase, fold(phrase)
        if term.prefix:
            build = "to_tsquery('french'::regconfig, :{} || ':*')"
        else:
            build = "phraseto_tsquery('french'::regconfig, :{})"
        parts.append(f"({build.format(f't{n}')} || {build.format(f'f{n}')})")
    return " && ".join(parts)


def query(creditor_id: int, debtor_id: int | None, terms: Sequence[Term], limit: int
          ) -> tuple[Any, dict[str, Any]]:
    """The statement and its parameters: rows (evidence_id, debtor_id, snippet)."""
    params: dict[str, Any] = {"creditor": creditor_id, "debtor": debtor_id, "limit": limit}
    shown = normalized("concat_ws(' · ', s.title, NULLIF(s.invoices, ''), NULLIF(s.dates, ''), "
                       "NULLIF(left(s.body, 50000), ''))")
    sql = (
        f"SELECT s.evidence_id, e.debtor_id, ts_headline('french'::regconfig, {shown}, q.q, "
        f":options) FROM {TABLE} s JOIN evidence e ON e.id = s.evidence_id "
        f"CROSS JOIN (SELECT {_tsquery(terms, params)} AS q) q "
        "WHERE s.document @@ q.q AND e.creditor_id = :creditor AND s.creditor_id = :creditor "
        "AND e.withdrawn_at IS NULL"
        + (" AND e.debtor_id = :debtor" if debtor_id is not None else "")
        + " ORDER BY ts_rank(s.document, q.q) DESC, e.id LIMIT :limit")
    params["options"] = HEADLINE
    return text(sql), params
