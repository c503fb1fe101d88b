"""The requête en injonction de payer (CPC 1407 with 54 and 57), its bordereau and décompte.

A free-form requête is valid (LAW.md §6): it names the parties fully, the court, the sums with
their décompte, the basis of the claim, the request (with the optional CPC 1408 referral), the
bordereau of the exhibits produced, the date and the signature.
"""

from __future__ import annotations

from typing import Any

from app.documents.letters import amounts_context, footer_line
from app.documents.model import RequeteInput
from app.documents.render import PdfMeta, RenderedPdf, render_pdf


def requete_context(req: RequeteInput, reminders: int = 0) -> dict[str, Any]:
    # The judge the app determined (app/law/procedures.py), as the claim file names it: overseas,
    # the président du tribunal mixte de commerce (CPC 1406; a rejected requête: 1409).
    addressee = f"Madame, Monsieur le {req.court.judge}"
    return {
        **amounts_context(req.decompte),
        "req": req,
        "creditor": req.creditor,
        "debtor": req.debtor,
        "addressee": addressee,
        "reminders": reminders,
        "draft": False,
        "footer": footer_line(req.creditor),
    }


def requete_meta(req: RequeteInput) -> PdfMeta:
    title = f"Requête en injonction de payer — {req.debtor.name} — {req.date.isoformat()}"
    return PdfMeta(title=title, author=req.creditor.name, created=req.date)


def render_requete(req: RequeteInput, reminders: int = 0) -> RenderedPdf:
    """The requête, then the bordereau des pièces, then the décompte, in one PDF."""
    if not req.decompte.invoices:
        raise ValueError("aucune facture échue à réclamer")
    return render_pdf("documents/requete.html", requete_context(req, reminders), requete_meta(req))


def render_bordereau_and_decompte(req: RequeteInput) -> RenderedPdf:
    """The pages attached to an official Cerfa: bordereau des pièces and décompte."""
    context = requete_context(req)
    return render_pdf("documents/annexes.html", context, requete_meta(req))
