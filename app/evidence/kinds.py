"""Suggesting an exhibit's kind and title from its name and content; the user confirms."""

from __future__ import annotations

import re
import unicodedata

# First match wins: the most specific wording first (a mise en demeure mentions "facture").
RULES: tuple[tuple[str, str], ...] = (
    ("ar_unclaimed", r"non reclame|pli avise|avise non|\bnpai\b"),
    ("ar_signed", r"avis de reception|accuse de reception|\bar\b(?! ?[0-9])|\baccuse\b"),
    ("lre_proof", r"\blre\b|recommandee electronique|ar24|recommande electronique"),
    ("posting_proof", r"preuve de depot|bordereau de depot|depot (du |d'un )?recommande|"
                      r"recepisse|\brecommande\b"),
    ("mise_en_demeure_copy", r"mise en demeure|\bmed\b"),
    ("reminder_copy", r"\brelance|rappel"),
    ("acknowledgment", r"reconnaissance de dette|reconnait devoir"),
    ("signed_quote", r"\bdevis\b|\bquote\b|\bquotation\b"),
    ("purchase_order", r"bon de commande|\bbdc\b|purchase order|\bcommande\b|\border\b"),
    ("delivery_note", r"bon de livraison|\bbl\b|proces[- ]verbal|\bpv\b|reception des travaux|"
                      r"delivery"),
    ("terms_of_sale", r"\bcgv\b|conditions generales"),
    ("contract", r"\bcontrat\b|\bconvention\b|\bcontract\b"),
    ("invoice", r"\bfacture\b|\binvoice\b|\bfact\b|^f[-_ ]?\d"),
)


def fold(text: str) -> str:
    """Lower case, accents removed, separators as spaces: 'Relancé_n°2' → 'relance n 2'."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[_.\-/\\]+", " ", plain).replace("°", "")


# In a document's text, only unambiguous phrases, and the earliest one wins (the heading):
# a letter mentions "recommandé" and "facture" without being a posting proof or an invoice.
CONTENT_RULES: tuple[tuple[str, str], ...] = (
    ("ar_unclaimed", r"pli avise et non reclame|avise non reclame"),
    ("ar_signed", r"avis de reception"),
    ("lre_proof", r"lettre recommandee electronique"),
    ("posting_proof", r"preuve de depot"),
    ("mise_en_demeure_copy", r"mise en demeure"),
    ("reminder_copy", r"\brelance\b"),
    ("acknowledgment", r"reconnaissance de dette"),
    ("signed_quote", r"\bdevis\b"),
    ("purchase_order", r"bon de commande"),
    ("delivery_note", r"bon de livraison|proces verbal de reception"),
    ("terms_of_sale", r"conditions generales de vente"),
    ("contract", r"\bcontrat\b"),
    ("invoice", r"\bfacture\b|\binvoice\b"),
)


def kind_from_name(name: str) -> str | None:
    folded = fold(name)
    for kind, pattern in RULES:
        if re.search(pattern, folded):
            return kind
    return None


def kind_from_content(text: str) -> str | None:
    folded = " ".join(fold(text).split())
    best: tuple[int, int, str] | None = None
    for rank, (kind, pattern) in enumerate(CONTENT_RULES):
        match = re.search(pattern, folded)
        if match and (best is None or (match.start(), rank) < best[:2]):
            best = (match.start(), rank, kind)
    return best[2] if best else None


def suggest_kind(filename: str, media_type: str, text: str = "", facturx: bool = False) -> str:
    if facturx:
        return "invoice"
    if media_type == "message/rfc822":
        return "email"
    stem = filename.rsplit(".", 1)[0]
    return kind_from_name(stem) or kind_from_content(text[:1500]) or "other"


def suggest_title(filename: str) -> str:
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    title = re.sub(r"[_]+", " ", stem).strip()
    return title[:300] or filename[:300]
