"""What the law makes of a debtor's file, kept for as long as the facts it was computed from.

`file_view()` reads the file's rows at every request (the page lists them); what the law engine
makes of them (décompte, alerts, checklist, routes, competent court) is a pure function of
those rows, the rate tables in force and "today". It is kept under a key made of all of them:
the value of every column of every row read (creditor, debtor, invoices, payments, steps,
exhibits and their links, promises to pay, courts), the rate tables and the day. Any change to the debtor's
file, to the creditor's settings or to a rate makes another key: there is nothing to
invalidate, so nothing a change could forget. A change elsewhere in the creditor leaves this
debtor's law view kept, which is what pages rendered after a colleague's change reuse.
Bounded in entries, least recently used out first; each process keeps its own.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date

from app.kept import KeptValues, ValueKey
from app.law.rates import RateTables
from app.row_values import row_values
from app.services.debtor_file import DebtorFile

MAX_ENTRIES = 2048
# Kept by the alerts from the law view itself (app/revisions.py DERIVED): outputs, not inputs.
DEBTOR_OUTPUTS = frozenset({"alerts_on", "stage", "stage_rank", "next_action_key",
                            "next_action", "next_action_date",
                            "revision"})  # bookkeeping: moved by a letter, a note…
# The creditor's bookkeeping, which every change elsewhere moves: never read by the law.
CREDITOR_BOOKKEEPING = frozenset({"revision", "shared_revision", "portfolio_built",
                                  "calendar_token"})
def facts_key(file: DebtorFile, rates: RateTables, today: date) -> Hashable:
    """Everything the law view is computed from, compared by value."""
    rows = [row_values(file.creditor, CREDITOR_BOOKKEEPING), row_values(file.debtor, DEBTOR_OUTPUTS),
            *map(row_values, file.invoices), *map(row_values, file.payments),
            *map(row_values, file.steps), *map(row_values, file.exhibits),
            *map(row_values, file.promises),  # the promise alerts read them (issue 17)
            *(row_values(court) if court is not None else None
              for court in (file.issuing_court, file.court))]
    links = tuple(sorted((evidence, tuple(sorted(ids))) for evidence, ids in file.links.items()))
    return ValueKey((today, rates, file.rates, links, tuple(rows)))


class LawViews(KeptValues):
    """The law views of the files seen lately."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        super().__init__(max_entries)


KEPT = LawViews()
