"""Several pièces classified and linked to invoices at once, from the debtor page.

Each pièce chosen gets the new kind (when one is given) and keeps its links, plus the invoices
chosen; or ("Tout accepter") the suggestions read from its text. Everything is checked first:
a bad choice saves nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from app.errors import ValidationFailed
from app.models import Debtor, Evidence
from app.parsing import form_id
from app.services import evidence as exhibits
from app.services import evidence_suggestions as suggestions
from app.services.context import Actor
from app.vocabulary import EVIDENCE_KINDS


def bulk_update(session: Session, actor: Actor, debtor: Debtor, data: Mapping[str, Any]) -> int:
    """Apply `kind` and `invoices` to the pièces `selected`; how many were changed."""
    actor.require_write()
    chosen = _chosen(session, debtor, data.get("selected") or [])
    kind = str(data.get("kind") or "")
    new_links = [str(i) for i in data.get("invoices") or []]
    errors = {}
    if not chosen:
        errors["bulk"] = "Cochez au moins une pièce de la liste."
    elif kind and kind not in EVIDENCE_KINDS:
        errors["bulk"] = "Nature de pièce inconnue."
    elif not kind and not new_links:
        errors["bulk"] = "Choisissez une nature ou au moins une facture à lier."
    if errors:
        raise ValidationFailed(errors)
    links = exhibits.linked_invoices(session, [e.id for e in chosen])  # type: ignore[misc]
    for evidence in chosen:
        current = [str(i.id) for i in links.get(evidence.id, [])]  # type: ignore[call-overload]
        exhibits.update(session, actor, evidence, {
            "kind": kind or evidence.kind, "title": evidence.title or "",
            "document_date": evidence.document_date.isoformat() if evidence.document_date else "",
            "invoices": sorted(set(current) | set(new_links)),
        })
    return len(chosen)


def accept_suggestions(session: Session, actor: Actor, debtor: Debtor, selected: Any) -> int:
    """Apply their suggestions to the pièces selected; how many were changed."""
    actor.require_write()
    chosen = _chosen(session, debtor, selected or [])
    if not chosen:
        raise ValidationFailed({"bulk": "Cochez au moins une pièce de la liste."})
    found = suggestions.suggestions_of(session, chosen)
    if not found:
        raise ValidationFailed({"bulk": "Aucune des pièces cochées n'a de suggestion à appliquer."})
    for evidence in chosen:
        if evidence.id in found:
            exhibits.update(session, actor, evidence, suggestions.with_suggestions(
                suggestions.current_values(session, evidence), found[evidence.id]))  # type: ignore[index]
    return len(found)


def _chosen(session: Session, debtor: Debtor, raw: Any) -> list[Evidence]:
    """The active pièces of this debtor among the ids posted (others are ignored)."""
    ids = {form_id(v) for v in (raw if isinstance(raw, list) else [raw])} - {None}
    return [e for e in exhibits.active(session, debtor) if e.id in ids]
