"""Reminder letters (relances 1-3) and the mise en demeure, rendered from a `LetterInput`.

Every amount comes from the décompte: the letter shows the invoices that are overdue at its
date with what remains owed on each, and totals that are sums of those rows. Nothing here
says or implies that a letter interrupts prescription (Cass. com. 18 May 2022, n° 20-23.204).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from app.documents import envelope
from app.documents.model import LetterInput, Party
from app.documents.owed import any_settled, relance_subject
from app.documents.render import PdfMeta, RenderedPdf, render_pdf
from app.law.interest import Decompte, InvoiceDecompte
from app.law.money import ZERO

UNVERIFIED = "(à vérifier)"  # what app.law.penalty_rates appends to an unverified rate's rule
RELANCE_DELAYS = {2: 15, 3: 8}  # days given to pay in the letter (practice, not a legal period)
DISPATCH = {
    "lrar": "Lettre recommandée avec accusé de réception",
    "lre": "Lettre recommandée électronique",
}
TITLES = {
    "relance_1": "Relance n° 1",
    "relance_2": "Relance n° 2",
    "relance_3": "Relance n° 3",
    "mise_en_demeure": "Mise en demeure",
}


def _owed(invoice: InvoiceDecompte) -> Decimal:
    return invoice.principal + invoice.interest + invoice.indemnity


def claimed_part(decompte: Decompte, as_of: date) -> Decompte:
    """The invoices a letter claims: due before `as_of` with something still owed."""
    rows = tuple(inv for inv in decompte.invoices if inv.due_date < as_of and _owed(inv) > ZERO)
    principal = sum((inv.principal for inv in rows), ZERO)
    interest = sum((inv.interest for inv in rows), ZERO)
    indemnities = sum((inv.indemnity for inv in rows), ZERO)
    return replace(
        decompte,
        invoices=rows,
        principal=principal,
        interest=interest,
        indemnities=indemnities,
        total=principal + interest + indemnities,
    )


def footer_line(creditor: Party) -> str:
    """The creditor's identity at the foot of every page."""
    return " — ".join(part for part in (creditor.identity, creditor.address) if part)


def amounts_context(decompte: Decompte) -> dict[str, Any]:
    """What the invoice table and the annex need to label and show the figures."""
    professional = decompte.debtor_kind == "professional"
    periods = [p for inv in decompte.invoices for p in inv.periods]
    rates = {p.rate for p in periods}
    single_rate = rates.pop() if len(rates) == 1 else None
    return {
        "d": decompte,
        # an invoice paid late is not "impayée": "les sommes dues au titre de…" (app/documents/owed.py)
        "any_settled": any_settled(decompte),
        "show_interest": professional or decompte.interest > ZERO,
        "show_indemnity": professional,
        "interest_label": "Pénalités de retard" if professional else "Intérêts au taux légal",
        "indemnity_count": sum(1 for inv in decompte.invoices if inv.indemnity > ZERO),
        "single_rate": single_rate,
        "single_rate_unverified": any(UNVERIFIED in p.rule for p in periods),
        # LAW.md §11: the letter itself says which rate is not verified
        "rate_warnings": [w for w in decompte.warnings if "à vérifier" in w],
        "other_warnings": [w for w in decompte.warnings if "à vérifier" not in w],
    }


def letter_context(letter: LetterInput, reminders: int = 0) -> dict[str, Any]:
    level = letter.level
    is_notice = letter.kind == "mise_en_demeure"
    delay = RELANCE_DELAYS.get(level)
    return {
        **amounts_context(letter.decompte),
        "letter": letter,
        "creditor": letter.creditor,
        "debtor": letter.debtor,
        "draft": letter.draft and is_notice,
        "dispatch": DISPATCH.get(letter.channel, "") if is_notice else "",
        "siege": is_notice,
        "subject": relance_subject(level, len(letter.decompte.invoices),
                                   any_settled(letter.decompte)) if level else "",
        "pay_by": date.fromordinal(letter.date.toordinal() + delay) if delay else None,
        "reminders": reminders,
        "footer": footer_line(letter.creditor),
        "window": window_of(letter.debtor),
    }


def window_of(debtor: Party) -> envelope.Window:
    """The debtor in the envelope's window: its name and form, its contact (a company's),
    its address."""
    name = f"{debtor.name} {debtor.legal_form}".strip()
    contact = debtor.representative if debtor.is_company else ""
    return envelope.recipient(name, contact, debtor.street, debtor.town_lines)


def letter_meta(letter: LetterInput) -> PdfMeta:
    title = f"{TITLES[letter.kind]} — {letter.debtor.name} — {letter.date.isoformat()}"
    return PdfMeta(title=title, author=letter.creditor.name, created=letter.date)


def render_letter(letter: LetterInput, reminders: int = 0) -> RenderedPdf:
    """The PDF of a relance or mise en demeure; `reminders` = relances already sent."""
    if letter.kind not in TITLES:
        raise ValueError(f"type de lettre inconnu : {letter.kind}")
    if not letter.decompte.invoices:
        raise ValueError("aucune facture échue à réclamer")
    template = "documents/mise_en_demeure.html" if letter.level == 0 else "documents/relance.html"
    return render_pdf(template, letter_context(letter, reminders), letter_meta(letter))
