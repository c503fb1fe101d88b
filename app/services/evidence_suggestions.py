"""What the text of a pièce suggests (its kind, date and invoices), offered and applied only
when a person clicks: in the edit form, pre-filled and marked; with one click on the pièce;
or for several pièces at once ("Tout accepter"). The API's PATCH goes through the same
validator as the page's form (services/evidence.update).

The suggestions themselves are read from the text elsewhere (the OCR helper's modules).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, select

from app.errors import ValidationFailed
from app.models import Evidence, Invoice
from app.services import evidence as exhibits
from app.services.context import Actor
from app.vocabulary import EVIDENCE_KINDS

PATCHABLE = ("kind", "title", "document_date", "invoices")


@dataclass(frozen=True)
class Suggestion:
    """The suggestions of one pièce that would change something, invoices known by number."""

    kind: str = ""
    document_date: date | None = None
    invoices: tuple[Invoice, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.kind or self.document_date or self.invoices)

    @property
    def fields(self) -> frozenset[str]:
        names = {"kind": self.kind, "document_date": self.document_date,
                 "invoices": self.invoices}
        return frozenset(name for name, value in names.items() if value)


def _own_invoices(session: Session, debtor_id: int) -> dict[str, Invoice]:
    return {i.number: i for i in session.exec(select(Invoice).where(
        Invoice.debtor_id == debtor_id))}


def suggestion(evidence: Evidence, linked: Sequence[Invoice], own: Mapping[str, Invoice]
               ) -> Suggestion:
    """What the suggestions would change; invoice numbers not in the ledger are left out."""
    kind = evidence.suggested_kind
    linked_ids = {i.id for i in linked}
    return Suggestion(
        kind=kind if kind in EVIDENCE_KINDS and kind != evidence.kind else "",
        document_date=evidence.suggested_date
        if evidence.suggested_date and evidence.suggested_date != evidence.document_date else None,
        invoices=tuple(own[n] for n in dict.fromkeys(evidence.suggested_invoices or [])
                       if n in own and own[n].id not in linked_ids))


def suggestions_of(session: Session, pieces: Sequence[Evidence]) -> dict[int, Suggestion]:
    """The pièces' suggestions that would change something, by pièce id."""
    if not pieces:
        return {}
    links = exhibits.linked_invoices(session, [e.id for e in pieces])  # type: ignore[misc]
    own: dict[int, dict[str, Invoice]] = {}
    result = {}
    for evidence in pieces:
        if evidence.withdrawn_at is not None:
            continue
        if evidence.debtor_id not in own:
            own[evidence.debtor_id] = _own_invoices(session, evidence.debtor_id)
        found = suggestion(evidence, links.get(evidence.id, []), own[evidence.debtor_id])  # type: ignore[arg-type]
        if found:
            result[evidence.id] = found
    return result  # type: ignore[return-value]


def current_values(session: Session, evidence: Evidence) -> dict[str, Any]:
    """The pièce's fields as its edit form posts them (invoices by id)."""
    links = exhibits.linked_invoices(session, [evidence.id]).get(evidence.id, [])  # type: ignore[list-item,arg-type]
    return {"kind": evidence.kind, "title": evidence.title,
            "document_date": evidence.document_date.isoformat() if evidence.document_date else "",
            "invoices": [str(i.id) for i in links]}


def with_suggestions(values: dict[str, Any], found: Suggestion) -> dict[str, Any]:
    """The form's values with the suggestions filled in (links kept, suggested ones added)."""
    filled = dict(values)
    if found.kind:
        filled["kind"] = found.kind
    if found.document_date:
        filled["document_date"] = found.document_date.isoformat()
    filled["invoices"] = list(values.get("invoices") or []) + [str(i.id) for i in found.invoices]
    return filled


def edit_values(session: Session, evidence: Evidence) -> tuple[dict[str, Any], frozenset[str]]:
    """What the edit form shows first: the pièce's values with its suggestions pre-filled,
    and which fields were suggested (marked on the form; saved only when the user saves)."""
    found = suggestions_of(session, [evidence]).get(evidence.id, Suggestion())  # type: ignore[arg-type]
    return with_suggestions(current_values(session, evidence), found), found.fields


def accept(session: Session, actor: Actor, evidence: Evidence) -> Evidence:
    """Apply the pièce's suggestions (the user clicked to accept them)."""
    actor.require_write()
    found = suggestions_of(session, [evidence]).get(evidence.id)  # type: ignore[arg-type]
    if not found:
        raise ValidationFailed({"suggestions": "Aucune suggestion à appliquer pour cette pièce."})
    return exhibits.update(session, actor, evidence,
                           with_suggestions(current_values(session, evidence), found))


def patch(session: Session, actor: Actor, evidence: Evidence, given: Mapping[str, Any]
          ) -> Evidence:
    """The API's PATCH: the fields given replace the pièce's, checked like the page's form."""
    unknown = sorted(set(given) - set(PATCHABLE))
    if unknown:
        raise ValidationFailed({name: "Champ inconnu : seuls kind, title, document_date et "
                                      "invoices se modifient." for name in unknown})
    values = current_values(session, evidence)
    for name in PATCHABLE:
        if name in given:
            values[name] = "" if given[name] is None else given[name]
    if not isinstance(values["invoices"], list | str):
        raise ValidationFailed({"invoices": "Donnez une liste de numéros de facture."})
    return exhibits.update(session, actor, evidence, values)

