"""Official Cerfa forms: read their AcroForm fields, check our mapping, fill them with pypdf.

One folder per form in `forms/` (spec.json: the data the form asks for; mapping.json: our data
keys → the form's field names, pinned to one version). The official PDF is supplied by the
user; its field names are not published and change between versions (LAW.md §6), so the
mapping is checked against the PDF before filling, naming what does not match. The uploaded
blank is disarmed first (claimfile/disarm.py): no script, launch or form submission it carries
reaches the filled form.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pikepdf
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from app.documents.claimfile.disarm import disarm_document
from app.documents.letters import UNVERIFIED
from app.documents.model import RequeteInput
from app.documents.owed import any_settled, invoices_basis
from app.formatting import date_fr, rate_fr
from app.formatting import eur as _eur
from app.law.interest import Decompte

FORMS_DIR = Path(__file__).resolve().parents[2] / "forms"
FORM_KEYS = ("cerfa_12948", "cerfa_12946")


class CerfaError(ValueError):
    """The supplied PDF cannot be used with our mapping; the message says why, in French."""


@dataclass(frozen=True)
class FormSpec:
    key: str
    number: str
    title: str
    court_kinds: tuple[str, ...]
    labels: dict[str, str]  # data key → French label
    required: frozenset[str]
    checkboxes: frozenset[str]
    mapping: dict[str, str]  # data key → AcroForm field name


def load_form(key: str, forms_dir: Path = FORMS_DIR) -> FormSpec:
    if key not in FORM_KEYS:
        raise CerfaError(f"formulaire inconnu : {key}")
    folder = forms_dir / key
    spec = json.loads((folder / "spec.json").read_text(encoding="utf-8"))
    mapping = json.loads((folder / "mapping.json").read_text(encoding="utf-8"))
    data = spec["data"]
    return FormSpec(
        key=key,
        number=spec["number"],
        title=spec["title"],
        court_kinds=tuple(spec["court_kinds"]),
        labels={item["key"]: item["label"] for item in data},
        required=frozenset(item["key"] for item in data if item["required"]),
        checkboxes=frozenset(item["key"] for item in data if item["type"] == "checkbox"),
        mapping=dict(mapping["fields"]),
    )


def form_fields(pdf: bytes) -> dict[str, str]:
    """AcroForm field name → type ("/Tx" text, "/Btn" box…) of a PDF; empty if it has none."""
    try:
        fields = PdfReader(io.BytesIO(pdf)).get_fields() or {}
    except Exception as exc:  # pypdf raises many types on a damaged file
        raise CerfaError(f"PDF illisible : {exc}") from exc
    return {name: str(field.get("/FT", "")) for name, field in fields.items()}


def check_mapping(form: FormSpec, fields: Mapping[str, str]) -> None:
    """Raise CerfaError naming the mapped fields absent from the PDF and its unmapped fields."""
    if not fields:
        raise CerfaError(
            f"Ce PDF n'a aucun champ de formulaire : ce n'est pas le Cerfa {form.number} remplissable."
        )
    unmapped = sorted(form.required - form.mapping.keys())
    unknown = sorted(name for name in form.mapping.values() if name not in fields)
    if not unknown and not unmapped:
        return
    extra = sorted(set(fields) - set(form.mapping.values()))
    parts = []
    if unknown:
        parts.append("champs de la correspondance absents du PDF : " + ", ".join(unknown))
    if unmapped:
        parts.append("données requises sans champ : " + ", ".join(unmapped))
    if extra:
        parts.append("champs du PDF non remplis : " + ", ".join(extra))
    raise CerfaError(
        f"Le PDF fourni ne correspond pas à la version {form.number} attendue par "
        f"forms/{form.key}/mapping.json — " + " ; ".join(parts) + "."
    )


def eur(amount: object) -> str:
    """Amounts with plain spaces: a form's own font may lack the narrow no-break space."""
    return _eur(amount).replace("\u202f", " ").replace("\u00a0", " ")  # type: ignore[arg-type]


def cerfa_values(req: RequeteInput) -> dict[str, str | bool]:
    """Our data keys filled from a requête (the same figures as the free-form requête)."""
    c, b, d = req.creditor, req.debtor, req.decompte
    professional = d.debtor_kind == "professional"
    count = len(req.pieces)
    return {
        "court.name": req.court.name or req.court.label,
        "court.address": ", ".join(req.court.address_lines[1:]),
        "creditor.name": c.name,
        "creditor.legal_form": c.legal_form if c.is_company else c.person_mentions,
        "creditor.siren": " ".join(
            p for p in (c.siren_display, f"RCS {c.rcs_city}" if c.rcs_city else "") if p
        ),
        "creditor.address": c.address,
        "creditor.representative": ", ".join(p for p in (c.representative, c.representative_title) if p),
        "creditor.contact": " — ".join(p for p in (c.phone, c.email) if p),
        "debtor.name": b.name,
        "debtor.legal_form": b.legal_form,
        "debtor.siren": b.siren_display,
        "debtor.address": b.address,
        "claim.principal": eur(d.principal),
        "claim.principal_basis": f"{invoices_basis([inv.number for inv in d.invoices], any_settled(d))}"
                                 " (contrat, C. civ. 1103)",
        "claim.principal_documents": f"Voir bordereau ({count} pièce{'s' if count > 1 else ''})",
        "claim.interest": eur(d.interest),
        "claim.interest_basis": (
            f"Pénalités de retard{_rates(d)}, C. com. L441-10 II, du lendemain de chaque "
            f"échéance au {date_fr(d.as_of)} (décompte joint)"
            if professional
            else f"Intérêts au taux légal{_rates(d)}, C. civ. 1231-6, "
            f"{_legal_interest_since(req)}, au {date_fr(d.as_of)} (décompte joint)"
        ),
        "claim.indemnities": eur(d.indemnities),
        "claim.indemnities_basis": "Indemnité forfaitaire de 40 € par facture, C. com. D441-5"
        if professional
        else "",
        "claim.total": eur(d.total),
        "request.refer_if_opposed": req.refer_if_opposed,
        "signature.place": c.city,
        "signature.date": date_fr(req.date),
        "signature.name": req.signatory or c.signer,
    }


def _rates(d: Decompte) -> str:
    """The rates of the décompte's periods, each "(à vérifier)" when unverified (LAW.md §6, §11):
    " de 12,15 %", " de 13,15 % et 12,15 % (à vérifier)"; "" with no period."""
    said = list(dict.fromkeys(
        rate_fr(p.rate).replace("\u00a0", " ") + (" " + UNVERIFIED if UNVERIFIED in p.rule else "")
        for inv in d.invoices for p in inv.periods))
    if not said:
        return ""
    return " de " + (said[0] if len(said) == 1 else ", ".join(said[:-1]) + " et " + said[-1])


def _legal_interest_since(req: RequeteInput) -> str:
    """From when a consumer's legal interest runs: the day after the mise en demeure (C. civ.
    1231-6, 1344-1), or after each due date under a 1344 clause of the terms of sale."""
    starts = [p.start for inv in req.decompte.invoices for p in inv.periods]
    if req.notice_date is not None and starts and min(starts) > req.notice_date:
        return (f"depuis la mise en demeure du {date_fr(req.notice_date)} (à compter du "
                f"{date_fr(req.notice_date + timedelta(days=1))})")
    if starts:
        return f"à compter du {date_fr(min(starts))}"
    return "depuis la mise en demeure"


def _checked_state(field: Mapping[str, object]) -> NameObject:
    states = [s for s in field.get("/_States_", []) if s != "/Off"]  # type: ignore[attr-defined]
    return NameObject(states[0] if states else "/Yes")


def fill(form: FormSpec, pdf: bytes, values: Mapping[str, str | bool]) -> bytes:
    """Fill the official PDF after checking the mapping; the form stays editable, its actions
    (scripts, launches, submissions) are removed."""
    check_mapping(form, form_fields(pdf))
    reader = PdfReader(io.BytesIO(disarmed(pdf)))
    writer = PdfWriter(clone_from=reader)
    fields = reader.get_fields() or {}
    entries: dict[str, object] = {}
    for key, name in form.mapping.items():
        value = values.get(key, "")
        if key in form.checkboxes:
            entries[name] = _checked_state(fields[name]) if value else NameObject("/Off")
        else:
            entries[name] = str(value)
    for page in writer.pages:
        writer.update_page_form_field_values(page, entries, auto_regenerate=False)  # type: ignore[arg-type]
    writer.set_need_appearances_writer(True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def disarmed(pdf: bytes) -> bytes:
    """The PDF without its actions but safe links (a blank form comes from outside)."""
    try:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            disarm_document(document)
            out = io.BytesIO()
            document.save(out, deterministic_id=True)
    except pikepdf.PdfError as exc:
        raise CerfaError(f"PDF illisible : {exc}") from exc
    return out.getvalue()


def read_values(form: FormSpec, pdf: bytes) -> dict[str, str]:
    """Our data keys as read back from a filled form (round-trip check)."""
    fields = PdfReader(io.BytesIO(pdf)).get_fields() or {}
    return {key: str(fields[name].get("/V", "")) for key, name in form.mapping.items() if name in fields}


def append_pdf(first: bytes, second: bytes) -> bytes:
    """The filled form followed by its annexes (bordereau, décompte)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(first)))
    writer.append(PdfReader(io.BytesIO(second)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
