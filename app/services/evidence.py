"""Exhibits (pièces) of a debtor: add, classify, link to invoices, reorder, withdraw.

A file is inspected (`app.evidence`) while it is still a staged temporary file; only when
it is accepted is it moved into the content-addressed store, and only then is its row
written: a refusal leaves nothing behind, and no row ever lacks its file. Exhibits are
never deleted: a withdrawn one leaves the claim file and stays in the audit trail.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.config import get_settings
from app.errors import DomainError, NotFound
from app.evidence import Inspection, Refusal, inspect_file, ocr
from app.evidence import mail as mail_facts
from app.evidence.refusals import too_large
from app.formatting import date_fr
from app.models import Debtor, Evidence, EvidenceInvoice, Invoice
from app.models.types import utcnow
from app.parsing import OLDEST_DAY, FormReader, strip_control_characters
from app.services import audit, exhibit_order
from app.services import evidence_facturx as facturx
from app.services.context import Actor
from app.services.evidence_fit import INDEX_KEY, check_fit, refresh_email_pages
from app.services.evidence_names import clean_filename
from app.storage import FileStore, StagedFile, TooLarge
from app.vocabulary import EVIDENCE_KINDS

FIELDS = ("kind", "title", "document_date")
STORED = ("sha256", "size", "media_type", "pages", "original_name", "note")


@dataclass
class Outcome:
    """What became of one uploaded file: stored as an exhibit, or refused with a reason."""

    filename: str
    evidence: Evidence | None = None
    message: str = ""

    @property
    def refused(self) -> bool:
        return self.evidence is None


# ---------------------------------------------------------------- reading


def get(session: Session, actor: Actor, evidence_id: int) -> Evidence:
    evidence = session.get(Evidence, evidence_id)
    if evidence is None or evidence.creditor_id != actor.creditor_id:
        raise NotFound("Pièce")
    return evidence


def bordereau_key(item: Evidence) -> tuple[object, ...]:
    """Produced pièces by their number, then the bordereau's "ordre d'usage" (LAW.md §5) and
    the user's order: see exhibit_order."""
    return exhibit_order.case_key(item)


OF_DEBTOR = select(Evidence).where(Evidence.debtor_id == bindparam("debtor_id"))  # built once


def of_debtor(session: Session, debtor: Debtor) -> list[Evidence]:
    """Every exhibit of the debtor, withdrawn ones included, in bordereau order."""
    return sorted(session.exec(OF_DEBTOR, params={"debtor_id": debtor.id}), key=bordereau_key)


def active(session: Session, debtor: Debtor) -> list[Evidence]:
    return not_withdrawn(of_debtor(session, debtor))


def not_withdrawn(exhibits: Sequence[Evidence]) -> list[Evidence]:
    """The exhibits still in the file, in their order."""
    return [e for e in exhibits if e.withdrawn_at is None]


def numbered(exhibits: Sequence[Evidence]) -> list[tuple[int, Evidence]]:
    """The active exhibits with their numbers (pièce n° 1, 2…), from every exhibit of the
    debtor in bordereau order (`of_debtor`): produced ones keep theirs (exhibit_order)."""
    produced = max((e.number for e in exhibits if e.number is not None), default=0)
    return exhibit_order.case_numbers(not_withdrawn(exhibits), produced)


def numbers(exhibits: Sequence[Evidence]) -> dict[int, int]:
    """Exhibit numbers of the active exhibits, by id (see `numbered`)."""
    return {e.id: n for n, e in numbered(exhibits)}  # type: ignore[misc]


def produce(session: Session, debtor: Debtor) -> list[tuple[int, Evidence]]:
    """The active exhibits numbered as a paper produces them now: each keeps that number for
    the rest of the case (LAW.md §5). The caller commits."""
    pairs = numbered(of_debtor(session, debtor))
    for number, item in pairs:
        if item.number is None:
            item.number = number
            session.add(item)
    return pairs


def release_numbers(session: Session, actor: Actor, debtor: Debtor) -> None:
    """Give up the numbers kept since the pièces were produced: the bordereau is numbered again
    in ordre d'usage from 1, gaps closed. Papers already sent keep their own numbering."""
    actor.require_write()
    produced = [e for e in of_debtor(session, debtor) if e.number is not None]
    for item in produced:
        item.number = None
        session.add(item)
    if produced:
        audit.record(session, actor, action="update", obj=debtor, debtor_id=debtor.id,
                     summary="Pièces renumérotées dans l'ordre d'usage (numéros produits "
                             "abandonnés)", changes={"numbers_released": len(produced)})
    session.commit()


def linked_invoices(session: Session, evidence_ids: Sequence[int]) -> dict[int, list[Invoice]]:
    if not evidence_ids:
        return {}
    query = select(EvidenceInvoice, Invoice).join(
        Invoice, col(Invoice.id) == col(EvidenceInvoice.invoice_id)).where(
        col(EvidenceInvoice.evidence_id).in_(evidence_ids)).order_by(col(Invoice.number))
    result: dict[int, list[Invoice]] = {}
    for link, invoice in session.exec(query):
        result.setdefault(link.evidence_id, []).append(invoice)
    return result


def piece_dates(session: Session, exhibits: Sequence[Evidence]) -> dict[int, date | None]:
    """Each exhibit's date on a bordereau (LAW.md §5: a title and a date per pièce): its own
    document date, else, for an invoice filed as a pièce and linked to exactly one invoice of
    the file, that invoice's issue date (the upload's inspection may have found no date)."""
    undated = [e.id for e in exhibits
               if e.id is not None and e.document_date is None and e.kind == "invoice"]
    links = linked_invoices(session, undated)
    dates: dict[int, date | None] = {}
    for e in exhibits:
        if e.id is None:
            continue
        linked = links.get(e.id, [])
        dates[e.id] = e.document_date or (linked[0].issue_date if len(linked) == 1 else None)
    return dates


# ---------------------------------------------------------------- adding


def add_file(session: Session, actor: Actor, debtor: Debtor, staged: StagedFile,
             filename: str, data: Mapping[str, Any] | None = None,
             parent: Evidence | None = None, attachment_index: int | None = None) -> Evidence:
    """Inspect, check, store and record one staged file; on any refusal nothing remains.
    `parent`: the e-mail the file is attachment number `attachment_index` (0-based) of."""
    name = clean_filename(filename)
    try:
        actor.require_write()
        staged.finish()
        # first, and cheap: the same file again pays neither inspection nor the layout trial
        _refuse_duplicate(session, debtor, staged.sha256, name)
        found = inspect_file(staged.path, name, get_settings().max_pdf_pages)
        check_fit(staged.path, name, found, get_settings().max_pdf_pages)
        values, invoice_list = _read_fields(session, debtor, data or {}, found)
        if parent is not None and attachment_index is not None:
            found.meta[INDEX_KEY] = attachment_index  # the e-mail's page says which it is
        evidence = Evidence(
            creditor_id=actor.creditor_id, debtor_id=debtor.id,  # type: ignore[arg-type]
            sha256=staged.sha256, size=staged.size, media_type=found.media_type,
            pages=found.pages, original_name=name, note=found.note[:1000], meta=found.meta,
            parent_id=parent.id if parent else None, uploaded_by=actor.user_id,
            position=_next_position(session, debtor), **values)
        session.add(evidence)
        session.flush()
        _set_links(session, evidence, invoice_list)
        audit.record(session, actor, action="create", obj=evidence, debtor_id=debtor.id,
                     summary=f"Pièce ajoutée : {evidence.title or name} "
                             f"({EVIDENCE_KINDS[evidence.kind]})",
                     changes={**audit.snapshot(evidence, STORED + FIELDS),
                              "invoices": [i.number for i in invoice_list],
                              **({"from_email": parent.id} if parent else {})})
        staged.commit()  # last, with the row written and locked: a crash between the two
        session.commit()  # leaves at most a file no row names, never a row without its file
    except IntegrityError as exc:
        session.rollback()
        raise Refusal(name, "ce fichier vient d'être déposé pour ce débiteur.",
                      "duplicate") from exc
    except BaseException:
        staged.discard()
        session.rollback()
        raise
    return evidence


def add_bytes(session: Session, actor: Actor, store: FileStore, debtor: Debtor,
              content: bytes, filename: str, limit: int,
              data: Mapping[str, Any] | None = None, parent: Evidence | None = None,
              attachment_index: int | None = None) -> Evidence:
    """Add a file already in memory (small: an e-mail attachment)."""
    try:
        staged = store.stage_bytes(content, limit)
    except TooLarge as exc:
        raise too_large(clean_filename(filename), limit) from exc
    return add_file(session, actor, debtor, staged, filename, data, parent, attachment_index)


def add_attachments(session: Session, actor: Actor, store: FileStore, evidence: Evidence,
                    indices: Sequence[int], limit: int) -> list[Outcome]:
    """Add attachments of a stored e-mail as exhibits of their own, each checked alone."""
    actor.require_write()
    if evidence.media_type != "message/rfc822":
        raise DomainError("Seul un e-mail (.eml) a des pièces jointes à ajouter.")
    debtor = session.get(Debtor, evidence.debtor_id)
    assert debtor is not None
    outcomes = []
    for index in indices:
        try:
            name, content = mail_facts.attachment(store.path_for(evidence.sha256), index)
        except IndexError:
            outcomes.append(Outcome(f"pièce jointe {index + 1}",
                                    message="Cette pièce jointe n'existe pas dans l'e-mail."))
            continue
        try:
            added = add_bytes(session, actor, store, debtor, content, name, limit,
                              parent=evidence, attachment_index=index)
        except Refusal as exc:
            outcomes.append(Outcome(exc.filename, message=exc.message))
            continue
        outcomes.append(Outcome(added.original_name, added))
    refresh_email_pages(session, evidence)
    session.commit()
    return outcomes


def _refuse_duplicate(session: Session, debtor: Debtor, sha: str, name: str) -> None:
    existing = session.exec(select(Evidence).where(Evidence.debtor_id == debtor.id,
                                                   Evidence.sha256 == sha)).first()
    if existing is None:
        return
    if existing.withdrawn_at is not None:
        raise Refusal(name, f"déjà déposé (« {existing.original_name} ») puis retiré le "
                      f"{date_fr(existing.withdrawn_at.date())}.", "duplicate")
    number = numbers(active(session, debtor)).get(existing.id)  # type: ignore[arg-type]
    raise Refusal(name, f"déjà présent : pièce n° {number} (« {existing.original_name} »).",
                  "duplicate")


def _next_position(session: Session, debtor: Debtor) -> int:
    positions = [e.position for e in of_debtor(session, debtor)]
    return max(positions, default=0) + 1


# ---------------------------------------------------------------- classifying


def _read_fields(session: Session, debtor: Debtor, data: Mapping[str, Any],
                 found: Inspection | None = None, current: Evidence | None = None
                 ) -> tuple[dict[str, Any], list[Invoice]]:
    r = FormReader(data)
    default_kind = current.kind if current else (found.kind if found else "other")
    values: dict[str, Any] = {
        "kind": r.choice("kind", EVIDENCE_KINDS, default=default_kind),
        "title": r.text("title", max_length=300),
        "document_date": r.date("document_date", required=False, first=OLDEST_DAY),
    }
    if current is None and found is not None:
        values["title"] = values["title"] or strip_control_characters(found.title)[:300]
        values["document_date"] = values["document_date"] or found.document_date
    invoice_list = _resolve_invoices(session, debtor, data.get("invoices"), r)
    r.check()
    return values, invoice_list


def _tokens(raw: Any) -> list[str]:
    if raw is None:
        return []
    items = raw if isinstance(raw, list | tuple) else [raw]
    tokens: list[str] = []
    for item in items:
        tokens += [t.strip() for t in re.split(r"[,;\n]", str(item)) if t.strip()]
    return tokens


def _resolve_invoices(session: Session, debtor: Debtor, raw: Any, r: FormReader
                      ) -> list[Invoice]:
    """Invoices named by number or id, all of this debtor."""
    own = list(session.exec(select(Invoice).where(Invoice.debtor_id == debtor.id)))
    by_number = {i.number: i for i in own}
    by_id = {str(i.id): i for i in own}
    chosen: dict[int, Invoice] = {}
    unknown = []
    for token in _tokens(raw):
        invoice = by_number.get(token) or by_id.get(token)
        if invoice is None:
            unknown.append(token)
        else:
            chosen[invoice.id] = invoice  # type: ignore[index]
    if unknown:
        r.error("invoices", "Facture inconnue pour ce débiteur : " + ", ".join(unknown) + ".")
    return list(chosen.values())


def _set_links(session: Session, evidence: Evidence, invoice_list: list[Invoice]) -> None:
    wanted = {i.id for i in invoice_list}
    current = list(session.exec(select(EvidenceInvoice)
                                .where(EvidenceInvoice.evidence_id == evidence.id)))
    for link in current:
        if link.invoice_id not in wanted:
            session.delete(link)
    present = {link.invoice_id for link in current}
    for invoice_id in wanted - present:
        session.add(EvidenceInvoice(evidence_id=evidence.id, invoice_id=invoice_id))  # type: ignore[arg-type]


def update(session: Session, actor: Actor, evidence: Evidence, data: Mapping[str, Any]
           ) -> Evidence:
    """Change kind, title, document date and linked invoices."""
    actor.require_write()
    _require_active(evidence)
    debtor = session.get(Debtor, evidence.debtor_id)
    assert debtor is not None
    values, invoice_list = _read_fields(session, debtor, data, current=evidence)
    before = {**audit.snapshot(evidence, FIELDS),
              "invoices": [i.number for i in linked_invoices(session, [evidence.id]).get(
                  evidence.id, [])]}  # type: ignore[list-item]
    for name, value in values.items():
        setattr(evidence, name, value)
    session.add(evidence)
    _set_links(session, evidence, invoice_list)
    after = {**audit.snapshot(evidence, FIELDS),
             "invoices": sorted(i.number for i in invoice_list)}
    changes = audit.diff(before, after)
    if changes:
        audit.record(session, actor, action="update", obj=evidence, debtor_id=debtor.id,
                     summary=f"Pièce modifiée : {evidence.title or evidence.original_name}",
                     changes=changes)
    session.commit()
    return evidence


def movable(items: list[Evidence], index: int, direction: str) -> bool:
    """Whether the exhibit at `index` can move up/down: only past one of its own group (same
    kind, and same date after the invoices); to place it elsewhere, change its kind or date."""
    return exhibit_order.movable(items, index, direction)  # type: ignore[arg-type]


def move(session: Session, actor: Actor, evidence: Evidence, direction: str) -> None:
    """Move an exhibit one place up or down within its group (its number changes)."""
    actor.require_write()
    _require_active(evidence)
    debtor = session.get(Debtor, evidence.debtor_id)
    assert debtor is not None
    pairs = numbered(of_debtor(session, debtor))
    ordered = [e for _, e in pairs]
    index = next(i for i, e in enumerate(ordered) if e.id == evidence.id)
    if direction not in ("up", "down") or not movable(ordered, index, direction):
        return
    target = index - 1 if direction == "up" else index + 1
    ordered[index], ordered[target] = ordered[target], ordered[index]
    renumber(session, debtor, ordered)
    before, after = pairs[index][0], pairs[target][0]
    audit.record(session, actor, action="update", obj=evidence, debtor_id=debtor.id,
                 summary=f"Pièce « {evidence.title or evidence.original_name} » déplacée : "
                         f"n° {before} → n° {after}",
                 changes={"number": [before, after]})
    session.commit()


def renumber(session: Session, debtor: Debtor, ordered: list[Evidence]) -> bool:
    """Positions 1…n in bordereau order (withdrawn exhibits after); True if any changed.
    The caller commits."""
    changed = False
    withdrawn = [e for e in of_debtor(session, debtor) if e.withdrawn_at is not None]
    for position, item in enumerate(ordered + withdrawn, start=1):
        if item.position != position:
            item.position = position
            session.add(item)
            changed = True
    return changed


def withdraw(session: Session, actor: Actor, evidence: Evidence, data: Mapping[str, Any]
             ) -> Evidence:
    """Take an exhibit out of the claim file, with a reason; the file and row are kept."""
    actor.require_write()
    _require_active(evidence)
    r = FormReader(data)
    reason = r.text("reason", required=True, max_length=1000, label="Le motif du retrait")
    r.check()
    evidence.withdrawn_at = utcnow()
    evidence.withdrawn_reason = reason
    session.add(evidence)
    parent = session.get(Evidence, evidence.parent_id) if evidence.parent_id else None
    if parent is not None:
        session.flush()
        refresh_email_pages(session, parent)  # the e-mail reproduces that attachment again
    audit.record(session, actor, action="withdraw", obj=evidence, debtor_id=evidence.debtor_id,
                 summary=f"Pièce retirée : {evidence.title or evidence.original_name} "
                         f"— {reason}",
                 changes={"withdrawn_reason": reason, "sha256": evidence.sha256,
                          "original_name": evidence.original_name})
    session.commit()
    return evidence


def _require_active(evidence: Evidence) -> None:
    if evidence.withdrawn_at is not None:
        raise DomainError("Cette pièce a été retirée du dossier : elle ne peut plus être "
                          "modifiée.")


# ---------------------------------------------------------------- the debtor page


@dataclass
class Row:
    evidence: Evidence
    number: int | None
    invoices: list[Invoice]
    facturx: facturx.FacturxOffer | None
    attachments: list[dict[str, Any]]
    added: set[int | str]  # the attachments already added as exhibits: their index (older
    # exhibits, added before the index was kept: their name)

    def is_added(self, attachment: dict[str, Any]) -> bool:
        """Two attachments may share a name: the index tells them apart."""
        return attachment.get("index") in self.added or attachment.get("filename") in self.added

    @property
    def addable(self) -> list[dict[str, Any]]:
        return [a for a in self.attachments if not self.is_added(a)]


def page_context(session: Session, actor: Actor, debtor: Debtor,
                 exhibits: list[Evidence] | None = None) -> dict[str, Any]:
    """The keys the evidence section of the debtor page uses (`exhibits`: `of_debtor`'s, when
    the page already read them)."""
    from app.services.evidence_suggestions import suggestions_of  # it builds on this module

    exhibits = of_debtor(session, debtor) if exhibits is None else exhibits
    numbered = numbers(exhibits)
    links = linked_invoices(session, [e.id for e in exhibits])  # type: ignore[misc]
    children: dict[int, set[int | str]] = {}
    for e in exhibits:
        if e.parent_id is not None:
            index = (e.meta or {}).get(INDEX_KEY)
            children.setdefault(e.parent_id, set()).add(
                index if isinstance(index, int) else e.original_name)
    rows = [Row(e, numbered.get(e.id), links.get(e.id, []),  # type: ignore[arg-type]
                facturx.offer(session, actor, e),
                (e.meta.get("email") or {}).get("attachments", []),
                children.get(e.id, set()))  # type: ignore[arg-type]
            for e in exhibits]
    return {
        "evidence_rows": [r for r in rows if r.evidence.withdrawn_at is None],
        "evidence_withdrawn": [r for r in rows if r.evidence.withdrawn_at is not None],
        "evidence_ocr_notice": "" if ocr.available_lately() else ocr.OFF_NOTICE,
        "evidence_outcomes": [],
        "evidence_edit": None,
        "evidence_errors": {},
        "evidence_values": {},
        "evidence_suggestions": suggestions_of(session, exhibits),  # by pièce id
    }
