"""What the index holds for one pièce, as SQL both engines run: its title (or file name),
the label of its kind, its document date written three ways, the numbers of its linked
invoices and its text. Withdrawn pièces are left out of the index.
"""

from __future__ import annotations

from app.vocabulary import EVIDENCE_KINDS

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")
FIELDS = ("title", "kind", "dates", "invoices", "body")
# The columns of `evidence` the index reads: an update of another (the bordereau's order when
# pièces are moved, the OCR status…) leaves the index alone.
EVIDENCE_COLUMNS = "title, original_name, kind, document_date, withdrawn_at, debtor_id, creditor_id"


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def kind_label(column: str) -> str:
    """The French label of the kind in `column`, as a CASE expression."""
    cases = " ".join(f"WHEN {_quoted(k)} THEN {_quoted(v)}" for k, v in EVIDENCE_KINDS.items())
    return f"(CASE {column} {cases} ELSE '' END)"


def month_name(month_number: str) -> str:
    """The French month name of `month_number` (an SQL integer expression)."""
    cases = " ".join(f"WHEN {n} THEN {_quoted(name)}" for n, name in enumerate(MONTHS, 1))
    return f"(CASE {month_number} {cases} ELSE '' END)"


def select_rows(dialect: str, ids: str) -> str:
    """SELECT evidence_id, creditor_id, debtor_id and FIELDS for the active pièces `ids`
    (an SQL condition on e.id: "= NEW.id", "IN (…)")."""
    if dialect == "sqlite":
        day, month, year = ("CAST(strftime('%d', e.document_date) AS INTEGER)",
                            "CAST(strftime('%m', e.document_date) AS INTEGER)",
                            "strftime('%Y', e.document_date)")
        iso, french = "e.document_date", "strftime('%d/%m/%Y', e.document_date)"
        invoices = "group_concat(i.number, ' ')"
    else:
        day, month, year = ("EXTRACT(DAY FROM e.document_date)::int",
                            "EXTRACT(MONTH FROM e.document_date)::int",
                            "EXTRACT(YEAR FROM e.document_date)::int")
        iso = "to_char(e.document_date, 'YYYY-MM-DD')"
        french = "to_char(e.document_date, 'DD/MM/YYYY')"
        invoices = "string_agg(i.number, ' ' ORDER BY i.number)"
    dates = (f"COALESCE({iso} || ' ' || {french} || ' ' || {day} || ' ' || {month_name(month)}"
             f" || ' ' || {year}, '')")
    return (
        "SELECT e.id, e.creditor_id, e.debtor_id, "
        "CASE WHEN e.title <> '' THEN e.title ELSE e.original_name END, "
        f"{kind_label('e.kind')}, {dates}, "
        f"COALESCE((SELECT {invoices} FROM evidenceinvoice ei JOIN invoice i "
        "ON i.id = ei.invoice_id WHERE ei.evidence_id = e.id), ''), "
        "COALESCE((SELECT t.text FROM evidencetext t WHERE t.evidence_id = e.id), '') "
        f"FROM evidence e WHERE e.withdrawn_at IS NULL AND e.id {ids}"
    )
