"""Exhibits (pièces) of a debtor: add, classify, link to invoices, reorder, withdraw.

A file is inspected (`app.evidence`) while it is still a staged temporary file; only when
it is accepted is it moved into the content-addressed store, and only then is its row
written: a refusal leaves nothing behind, and no row ever lacks its file. Exhibits are
never deleted: a withdrawn one leaves the claim file and stays in the audit trail.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.errors import DomainError, NotFound
from app.evidence import Inspection, Refusal, inspect_file
from app.evidence import mail as mail_facts
from app.evidence.refusals import too_large
from app.formatting import date_fr
from app.models import Debtor, Evidence, EvidenceInvoice, Invoice
from app.models.types import utcnow
from app.parsing import FormReader
from app.services import audit
from app.services.context import Actor
from app.storage import FileStore, StagedFile, TooLarge
from app.vocabulary import EVIDENCE_KINDS

FIELDS = ("kind", "title", "document_date")
STORED = ("sha256", "size", "media_type", "pages", "original_name", "note")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


@dataclass
class Outcome:
    """What became of one uploaded file: stored as an exhibit, or refused with a reason."""

    filename: str
    evidence: Evidence | None = None
    message: str = ""

    @property
    def refused(self) -> bool:
        return self.evidence is None


@dataclass
class FacturxOffer:
    """What the embedded Factur-X invoice would create or complete, and whether it may."""

    data: dict[str, Any]
    action: str  # create | complete | up_to_date | refused
    problem: str = ""
    invoice: Invoice | None = None
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)

    def amount(self, key: str) -> Decimal | None:
        value = self.data.get(key)
        return Decimal(value) if value is not None else None

    def day(self, key: str) -> date | None:
        value = self.data.get(key)
        return date.fromisoformat(value) if value else None


# ---------------------------------------------------------------- names


def clean_filename(name: str) -> str:
    """The name as the user knows it, without any folder part or control character."""
    base = re.split(r"[/\\]", name or "")[-1]
    base = "".join(c for c in base if unicodedata.category(c) != "Cc").strip().lstrip(".")
    return base[:255] or "fichier"


def download_name(evidence: Evidence) -> str:
    """A file name safe in a Content-Disposition header and on any disk, right extension."""
    name = _UNSAFE.sub("_", evidence.original_name).strip(" ._") or "piece"
    extension = {"application/pdf": (".pdf",), "image/jpeg": (".jpg", ".jpeg"),
                 "image/png": (".png",), "message/rfc822": (".eml",)}.get(evidence.media_type)
    if extension and not name.lower().endswith(extension):
        name += extension[0]
    return name[:200]


# ---------------------------------------------------------------- reading


def get(session: Session, actor: Actor, evidence_id: int) -> Evidence:
    evidence = session.get(Evidence, evidence_id)
    if evidence is None or evidence.creditor_id != actor.creditor_id:
        raise NotFound("Pièce")
    return evidence


def of_debtor(session: Session, debtor: Debtor) -> list[Evidence]:
    """Every exhibit of the debtor, withdrawn ones included, in bordereau order."""
    query = select(Evidence).where(Evidence.debtor_id == debtor.id) \
        .order_by(col(Evidence.position), col(Evidence.id))
    return list(session.exec(query))


def active(session: Session, debtor: Debtor) -> list[Evidence]:
    return [e for e in of_debtor(session, debtor) if e.withdrawn_at is None]


def numbers(exhibits: Sequence[Evidence]) -> dict[int, int]:
    """Exhibit numbers (pièce n° 1, 2…) of the active exhibits, in order."""
    active_ones = [e for e in exhibits if e.withdrawn_at is None]
    return {e.id: n for n, e in enumerate(active_ones, start=1)}  # type: ignore[misc]


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


# ---------------------------------------------------------------- adding


def add_file(session: Session, actor: Actor, debtor: Debtor, staged: StagedFile,
             filename: str, data: Mapping[str, Any] | None = None,
             parent: Evidence | None = None) -> Evidence:
    """Inspect, check, store and record one staged file; on any refusal nothing remains."""
    name = clean_filename(filename)
    try:
        actor.require_write()
        staged.finish()
        found = inspect_file(staged.path, name)
        _refuse_duplicate(session, debtor, staged.sha256, name)
        values, invoice_list = _read_fields(session, debtor, data or {}, found)
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
              data: Mapping[str, Any] | None = None, parent: Evidence | None = None
              ) -> Evidence:
    """Add a file already in memory (small: an e-mail attachment)."""
    try:
        staged = store.stage_bytes(content, limit)
    except TooLarge as exc:
        raise too_large(clean_filename(filename), limit) from exc
    return add_file(session, actor, debtor, staged, filename, data, parent)


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
            added = add_bytes(session, actor, store, debtor, content, name, limit, parent=evidence)
        except Refusal as exc:
            outcomes.append(Outcome(exc.filename, message=exc.message))
            continue
        outcomes.append(Outcome(added.original_name, added))
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
        "document_date": r.date("document_date", required=False),
    }
    if current is None and found is not None:
        values["title"] = values["title"] or found.title
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


def move(session: Session, actor: Actor, evidence: Evidence, direction: str) -> None:
    """Move an exhibit one place up or down in the bordereau (its number changes)."""
    actor.require_write()
    _require_active(evidence)
    debtor = session.get(Debtor, evidence.debtor_id)
    assert debtor is not None
    ordered = active(session, debtor)
    index = next(i for i, e in enumerate(ordered) if e.id == evidence.id)
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    _renumber(session, debtor, ordered)
    audit.record(session, actor, action="update", obj=evidence, debtor_id=debtor.id,
                 summary=f"Pièce « {evidence.title or evidence.original_name} » déplacée : "
                         f"n° {index + 1} → n° {target + 1}",
                 changes={"number": [index + 1, target + 1]})
    session.commit()


def _renumber(session: Session, debtor: Debtor, ordered: list[Evidence]) -> None:
    withdrawn = [e for e in of_debtor(session, debtor) if e.withdrawn_at is not None]
    for position, item in enumerate(ordered + withdrawn, start=1):
        if item.position != position:
            item.position = position
            session.add(item)


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


# ---------------------------------------------------------------- Factur-X

INVOICE_FIELDS = {"issue_date": "issue_date", "due_date": "due_date", "amount_ht": "total_ht",
                  "amount_tva": "total_tva", "amount_ttc": "total_ttc"}


def facturx_offer(session: Session, actor: Actor, evidence: Evidence) -> FacturxOffer | None:
    """What the exhibit's Factur-X data would do to the invoices, or None without one."""
    data = evidence.meta.get("facturx")
    if not data or evidence.withdrawn_at is not None:
        return None
    debtor = session.get(Debtor, evidence.debtor_id)
    assert debtor is not None
    problem = buyer_problem(debtor, data.get("buyer") or {})
    if not problem and not data.get("number"):
        problem = "la facture Factur-X n'indique pas de numéro."
    existing = session.exec(select(Invoice).where(Invoice.creditor_id == actor.creditor_id,
                                                  Invoice.number == data.get("number"))).first()
    if not problem and existing is not None and existing.debtor_id != debtor.id:
        problem = f"la facture n° {existing.number} existe déjà chez un autre débiteur."
    if problem:
        return FacturxOffer(data, "refused", problem, existing)
    if existing is None:
        return FacturxOffer(data, "create")
    changes = {}
    for name, key in INVOICE_FIELDS.items():
        new = data.get(key)
        old = getattr(existing, name)
        if new is not None and str(old) != str(new):
            changes[name] = (str(old), str(new))
    return FacturxOffer(data, "complete" if changes else "up_to_date", invoice=existing,
                        changes=changes)


def buyer_problem(debtor: Debtor, buyer: Mapping[str, str]) -> str:
    """Empty when the invoice's buyer is this debtor; else why not, in French."""
    siren, name = buyer.get("siren", ""), buyer.get("name", "")
    if siren and debtor.siren:
        if siren == debtor.siren:
            return ""
        return (f"l'acheteur de la facture ({name or 'sans nom'}, SIREN {siren}) n'est pas "
                f"{debtor.legal_name} (SIREN {debtor.siren}).")
    if name and _same_name(name, debtor.legal_name):
        return ""
    if not name and not siren:
        return "la facture Factur-X ne nomme pas son acheteur."
    return f"l'acheteur de la facture ({name or siren}) n'est pas {debtor.legal_name}."


LEGAL_FORMS = {"sa", "sas", "sasu", "sarl", "eurl", "sci", "snc", "scop", "ei", "eirl", "selarl"}


def _same_name(a: str, b: str) -> bool:
    """Same company name, ignoring case, accents, punctuation and the legal form."""
    def norm(text: str) -> str:
        plain = unicodedata.normalize("NFKD", text)
        plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
        plain = re.sub(r"(?<=\b[a-z])\.", "", plain)  # B.T.P. -> BTP
        words = [w for w in re.split(r"[^a-z0-9]+", plain) if w and w not in LEGAL_FORMS]
        return "".join(words)
    return bool(norm(a)) and norm(a) == norm(b)


def apply_facturx(session: Session, actor: Actor, evidence: Evidence) -> Invoice:
    """Create or complete the invoice from the Factur-X data and link the exhibit to it."""
    from app.services import invoices

    actor.require_write()
    offer = facturx_offer(session, actor, evidence)
    if offer is None:
        raise DomainError("Cette pièce ne contient pas de facture Factur-X.")
    if offer.action == "refused":
        raise DomainError("Facture non reprise : " + offer.problem)
    debtor = session.get(Debtor, evidence.debtor_id)
    assert debtor is not None
    data = offer.data
    if offer.invoice is None:
        if not data.get("due_date"):
            raise DomainError("La facture Factur-X n'indique pas d'échéance : créez la facture "
                              "à la main avec sa date d'échéance.")
        invoice = invoices.create(session, actor, debtor, {
            "number": data["number"], "issue_date": data.get("issue_date") or "",
            "due_date": data["due_date"], "amount_ht": data.get("total_ht") or "",
            "amount_tva": data.get("total_tva") or "", "amount_ttc": data.get("total_ttc") or "",
            "description": f"Reprise de la facture Factur-X « {evidence.original_name} »"})
    else:
        invoice = offer.invoice
        if offer.changes:
            current = {k: ("" if v is None else str(v))
                       for k, v in invoice.model_dump().items() if k in invoices.EDITABLE}
            current.update({name: new for name, (_old, new) in offer.changes.items()})
            invoice = invoices.update(session, actor, invoice, current)
    links = linked_invoices(session, [evidence.id])  # type: ignore[list-item]
    if invoice.id not in {i.id for i in links.get(evidence.id, [])}:  # type: ignore[arg-type]
        session.add(EvidenceInvoice(evidence_id=evidence.id, invoice_id=invoice.id))  # type: ignore[arg-type]
        audit.record(session, actor, action="update", obj=evidence, debtor_id=debtor.id,
                     summary=f"Pièce « {evidence.title or evidence.original_name} » liée à la "
                             f"facture {invoice.number} (Factur-X)",
                     changes={"invoices": [[], [invoice.number]]})
        session.commit()
    return invoice


# ---------------------------------------------------------------- the debtor page


@dataclass
class Row:
    evidence: Evidence
    number: int | None
    invoices: list[Invoice]
    facturx: FacturxOffer | None
    attachments: list[dict[str, Any]]
    added: set[str]  # names of the attachments already added as exhibits


def page_context(session: Session, actor: Actor, debtor: Debtor) -> dict[str, Any]:
    """The keys the evidence section of the debtor page uses."""
    exhibits = of_debtor(session, debtor)
    numbered = numbers(exhibits)
    links = linked_invoices(session, [e.id for e in exhibits])  # type: ignore[misc]
    children: dict[int, set[str]] = {}
    for e in exhibits:
        if e.parent_id is not None:
            children.setdefault(e.parent_id, set()).add(e.original_name)
    rows = [Row(e, numbered.get(e.id), links.get(e.id, []),  # type: ignore[arg-type]
                facturx_offer(session, actor, e),
                (e.meta.get("email") or {}).get("attachments", []),
                children.get(e.id, set()))  # type: ignore[arg-type]
            for e in exhibits]
    return {
        "evidence_rows": [r for r in rows if r.evidence.withdrawn_at is None],
        "evidence_withdrawn": [r for r in rows if r.evidence.withdrawn_at is not None],
        "evidence_outcomes": [],
        "evidence_edit": None,
        "evidence_errors": {},
        "evidence_values": {},
    }
