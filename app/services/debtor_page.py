"""Everything the debtor page shows, gathered in one place for the route and the fragments."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from app.documents.letters import claimed_part
from app.formatting import eur
from app.law.decompte_types import Decompte
from app.law.severity import judge_all
from app.law.stages import BEFORE_DUE, NEXT_LETTER
from app.models import Debtor, Invoice
from app.services import audit, claim_file, creditor_lists, document_jobs, documents, evidence
from app.services.audit_labels import change_lines
from app.services.context import Actor
from app.services.creditor_lists import CreditorLists
from app.services.document_checks import fix_place
from app.services.file_view import file_view
from app.services.payments import EXCESS_CHOICES
from app.services.reminders.debtor_section import section_context as reminders_context

LETTER_ACTIONS = frozenset({*NEXT_LETTER, *BEFORE_DUE})  # next-action keys of a relance


def debtor_page(session: Session, actor: Actor, debtor: Debtor, today: date,
                lists: CreditorLists | None = None,
                none_of: frozenset[str] = frozenset()) -> dict[str, Any]:
    """`lists`: the creditor's courts, scenarios and rate tables, when kept
    (app/services/creditor_lists.py); else read. `none_of`: the rows the file is known to have
    none of, not read (debtors.SELDOM)."""
    lists = lists or creditor_lists.read(session, actor)
    exhibits = evidence.of_debtor(session, debtor)  # withdrawn ones too: the evidence list
    view = file_view(session, debtor, today, exhibits, lists,  # read once for both
                     no_promises="promises" in none_of)
    invoice_list = view.file.invoices
    listed = documents.of_debtor(session, debtor)
    return {
        "debtor": debtor,
        "today": today,
        "invoices": invoice_list,
        "invoice_numbers": {inv.id: inv.number for inv in invoice_list},
        "invoice_options": invoice_options(invoice_list, view.decompte),
        "payments": view.file.payments,
        "steps": view.file.steps,
        **history_context(session, actor, debtor),
        "can_write": actor.can_write,
        "view": view,
        # each invoice's décompte row: what is left in principal, what went to the interest
        "principal_rows": {row.number: row for row in view.decompte.invoices},
        # what the letters claim today: the invoices already due (app/documents/letters.py)
        "claimed": claimed_part(view.decompte, today),
        # what each alert asks of the user, most pressing first
        "judged": judge_all(view.alerts, today, collective=view.file.collective.in_progress),
        # its collective proceedings: the form's, else a step's (decompte.collective_of)
        "collective": view.file.collective,
        # where each checklist item is fixed: {key: (url, form name)} (LAW.md §10, §11)
        "fix_places": {item.key: fix_place(item.where, debtor.id)  # type: ignore[arg-type]
                       for item in view.checklist if item.where},
        "decompte_as_of": today,
        # the next relance the debtors list shows (its scenario's, or by hand): the same here
        "letter_keys": LETTER_ACTIONS,
        "forms": {},
        "errors": {},
        "confirm": {},
        "excess_choices": EXCESS_CHOICES,  # changes announced before they are saved (an overpayment)
        **evidence.page_context(session, actor, debtor, exhibits),
        **documents.page_context(session, actor, debtor, today, listed=listed,
                                 proposed_court=view.file.court, court_choices=lists.courts,
                                 collective=view.file.collective),
        # after documents: its "documents" are the letters without the claim files
        **claim_file.page_context(session, actor, debtor, listed, exhibits,
                                  jobs=[] if "claim_file_jobs" in none_of else None),
        # scenario, holds, promises, calls
        **reminders_context(session, actor, debtor, today, view.file, lists.scenarios,
                            [] if "holds" in none_of else None),
        # rendering, or failed
        "document_job": None if "document_jobs" in none_of
        else document_jobs.pending(session, debtor),
        "kept_sections": {},  # for a page rendered to be kept: app/web/kept_sections.py
    }


def history_context(session: Session, actor: Actor, debtor: Debtor) -> dict[str, Any]:
    """The history section: the events, and what each changed, in French."""
    history = audit.debtor_history(session, actor, debtor.id)  # type: ignore[arg-type]
    return {"history": history,
            "history_lines": {e.id: change_lines(e.action, e.changes) for e in history}}


def invoice_options(invoice_list: list[Invoice], decompte: Decompte) -> dict[str, str]:
    """Choices for "which invoice does this payment settle?", each with what is left of its
    principal as the page's table and the décompte say (C. civ. 1343-1)."""
    left = {row.number: row.principal for row in decompte.invoices}
    options = {"": "Non affecté (imputation légale, C. civ. 1342-10)"}
    options.update({str(inv.id): f"{inv.number} — reste {eur(left.get(inv.number, inv.balance))}"
                    for inv in invoice_list})
    return options
