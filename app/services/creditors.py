"""The creditor's profile: the demandeur's identity on every letter and requête."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlmodel import Session

from app.errors import NotFound
from app.models import Creditor
from app.parsing import FormReader
from app.services import audit
from app.services.context import Actor

FIELDS = ("legal_name", "legal_form", "siren", "siret", "rcs_city", "street", "postal_code",
          "city", "country", "representative", "representative_title", "contact_email",
          "contact_phone", "iban", "bic", "default_penalty_rate", "payment_term_days",
          "natural_person", "profession", "nationality", "birth_date", "birth_place")
KINDS = {"company": "Société ou autre personne morale",
         "person": "Personne physique (entrepreneur individuel, profession libérale)"}
EARLIEST_BIRTH = date(1900, 1, 1)
# Law settings (issue 13): C. civ. 1344 clause; carrier or commissionnaire de transport (L133-6)
LAW_FIELDS = ("notice_by_due_date", "goods_carrier")


def _person(r: FormReader, today: date | None) -> dict[str, Any]:
    """CPC 54 3° a): the mentions a natural person's requête states."""
    born = r.date("birth_date", required=False, label="La date de naissance",
                  first=date.min)  # judged just below
    if born and (born < EARLIEST_BIRTH or (today and born >= today)):
        r.error("birth_date", "Date de naissance invraisemblable : entre 1900 et aujourd'hui.")
    return {
        "natural_person": r.choice("creditor_kind", KINDS, default="company") == "person",
        "profession": r.text("profession", max_length=120),
        "nationality": r.text("nationality", max_length=80),
        "birth_date": born,
        "birth_place": r.text("birth_place", max_length=160),
    }


def read_creditor(data: Mapping[str, Any], today: date | None = None) -> dict[str, Any]:
    r = FormReader(data)
    values: dict[str, Any] = {
        "legal_name": r.text("legal_name", required=True, label="La raison sociale"),
        "legal_form": r.text("legal_form", max_length=80),
        "siren": r.siren("siren"),
        "siret": r.siret("siret"),
        "rcs_city": r.text("rcs_city", max_length=120),
        "street": r.text("street", max_length=300),
        "postal_code": r.text("postal_code", max_length=10),
        "city": r.text("city", max_length=120),
        "country": (r.text("country", max_length=2) or "FR").upper(),
        "representative": r.text("representative"),
        "representative_title": r.text("representative_title", max_length=120),
        "contact_email": r.email("contact_email"),
        "contact_phone": r.text("contact_phone", max_length=40),
        "iban": r.iban("iban"),
        "bic": r.text("bic", max_length=11).upper(),
        "default_penalty_rate": r.rate("default_penalty_rate"),
        "payment_term_days": r.integer("payment_term_days", minimum=0, maximum=60) or 30,
        **_person(r, today),
    }
    values |= {name: r.flag(name) for name in LAW_FIELDS}
    if values["siren"] and values["siret"] and not values["siret"].startswith(values["siren"]):
        r.error("siret", "Le SIRET doit commencer par le SIREN.")
    r.check()
    return values


def get(session: Session, actor: Actor) -> Creditor:
    creditor = session.get(Creditor, actor.creditor_id)
    if creditor is None:
        raise NotFound("Créancier")
    return creditor


def form_values(creditor: Creditor) -> dict[str, Any]:
    """The profile form's values: the stored row, its kind as the form's choice."""
    values = {k: ("" if v is None else v) for k, v in creditor.model_dump().items()}
    values["creditor_kind"] = "person" if creditor.natural_person else "company"
    return values


def update(session: Session, actor: Actor, data: Mapping[str, Any],
           today: date | None = None) -> Creditor:
    actor.require_write()
    creditor = get(session, actor)
    audit.apply_changes(session, actor, creditor, read_creditor(data, today), FIELDS + LAW_FIELDS,
                        summary="Profil du créancier modifié : {fields}")
    session.commit()
    return creditor
