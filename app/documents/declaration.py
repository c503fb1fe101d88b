"""The déclaration de créance to the mandataire judiciaire or liquidateur, from a
`DeclarationInput` (C. com. L622-24, L622-25, R622-23).

It states the sums due on the day of the opening judgment (principal, penalties stopped the day
before it by L622-28, 40 € indemnities for invoices due before it) apart from the sums to fall
due with their dates, the nature of any privilege or security, how interest was computed, the
court already seized if any, and the bordereau of the supporting pièces, then the décompte.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from app.documents import envelope
from app.documents.letters import DISPATCH, amounts_context, footer_line
from app.documents.model import DeclarationInput
from app.documents.render import PdfMeta, RenderedPdf, render_pdf
from app.law.interest import Decompte, InvoiceDecompte
from app.law.money import ZERO


def _owed(invoice: InvoiceDecompte) -> Any:
    return invoice.principal + invoice.interest + invoice.indemnity


def _part(decompte: Decompte, rows: tuple[InvoiceDecompte, ...]) -> Decompte:
    principal = sum((inv.principal for inv in rows), ZERO)
    interest = sum((inv.interest for inv in rows), ZERO)
    indemnities = sum((inv.indemnity for inv in rows), ZERO)
    return replace(decompte, invoices=rows, principal=principal, interest=interest,
                   indemnities=indemnities, total=principal + interest + indemnities)


def split_at_opening(decl: DeclarationInput) -> tuple[Decompte, Decompte]:
    """(sums due on the opening day, sums to fall due after it), L622-25."""
    owed = tuple(inv for inv in decl.decompte.invoices if _owed(inv) > ZERO)
    due = tuple(inv for inv in owed if inv.due_date <= decl.opened_on)
    later = tuple(inv for inv in owed if inv.due_date > decl.opened_on)
    return _part(decl.decompte, due), _part(decl.decompte, later)


def declaration_context(decl: DeclarationInput) -> dict[str, Any]:
    due, later = split_at_opening(decl)
    return {
        **amounts_context(decl.decompte),
        "decl": decl,
        "creditor": decl.creditor,
        "debtor": decl.debtor,
        "due": due,
        "later": later,
        "declared": due.total + later.total,
        "interest_until": decl.opened_on - timedelta(days=1),
        "dispatch": DISPATCH.get(decl.channel, ""),
        "draft": decl.draft,
        "footer": footer_line(decl.creditor),
        "window": envelope.recipient(decl.mandataire, "", decl.mandataire_address, ()),
    }


def declaration_meta(decl: DeclarationInput) -> PdfMeta:
    title = f"Déclaration de créance — {decl.debtor.name} — {decl.date.isoformat()}"
    return PdfMeta(title=title, author=decl.creditor.name, created=decl.date)


def render_declaration(decl: DeclarationInput) -> RenderedPdf:
    """The declaration, its bordereau des pièces and the décompte at the opening day."""
    if not any(_owed(inv) > ZERO for inv in decl.decompte.invoices):
        raise ValueError("aucune somme due à déclarer")
    return render_pdf("documents/declaration_creance.html", declaration_context(decl),
                      declaration_meta(decl))
