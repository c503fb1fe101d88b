"""What a paper can never go out without (LAW.md §11): the list of what is missing.

A letter or a requête is either complete or refused with *every* missing item at once, each
naming the field to fill in (`where`: "creditor.profession", "debtor.street", "court",
"evidence"), which the services turn into a link to the form. Pure: plain values in, plain
values out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.law.facts import CourtFacts


@dataclass(frozen=True)
class PartyFacts:
    """A creditor or debtor as a paper names it, field by field."""

    name: str = ""
    natural_person: bool = False  # EI, liberal profession, consumer
    legal_form: str = ""
    siren: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    representative: str = ""
    profession: str = ""
    nationality: str = ""
    birth_date: date | None = None
    birth_place: str = ""


@dataclass(frozen=True)
class Missing:
    where: str  # the field to fill in: "<form>.<field>", "court", "evidence"
    label: str  # French: what is missing
    article: str


def _blank(value: str) -> bool:
    return not value.strip()


def _address(who: str, party: PartyFacts, place: str, article: str) -> list[Missing]:
    parts = (("street", "adresse (numéro et rue)"), ("postcode", "code postal"), ("city", "ville"))
    field_names = {"street": "street", "postcode": "postal_code", "city": "city"}
    return [
        Missing(f"{who}.{field_names[attr]}", f"{label} du {place}", article)
        for attr, label in parts
        if _blank(getattr(party, attr))
    ]


def natural_person_missing(creditor: PartyFacts) -> list[Missing]:
    """CPC 54 3° a): a natural person's profession, nationality, date and place of birth."""
    article = "CPC 54 3° a)"
    found = [
        Missing("creditor.profession", "profession du créancier", article)
        if _blank(creditor.profession) else None,
        Missing("creditor.nationality", "nationalité du créancier", article)
        if _blank(creditor.nationality) else None,
        Missing("creditor.birth_date", "date de naissance du créancier", article)
        if creditor.birth_date is None else None,
        Missing("creditor.birth_place", "lieu de naissance du créancier", article)
        if _blank(creditor.birth_place) else None,
    ]
    return [item for item in found if item is not None]


def _creditor_identity(creditor: PartyFacts, article: str) -> list[Missing]:
    """The creditor's name and address: the sender of every paper."""
    found = [Missing("creditor.legal_name", "nom ou dénomination du créancier", article)] \
        if _blank(creditor.name) else []
    place = "domicile du créancier" if creditor.natural_person else "siège social du créancier"
    return found + _address("creditor", creditor, place, article)


def _debtor_address(debtor: PartyFacts, article: str) -> list[Missing]:
    place = "domicile du débiteur" if debtor.natural_person else "siège social du débiteur"
    found = [Missing("debtor.legal_name", "nom ou dénomination du débiteur", article)] \
        if _blank(debtor.name) else []
    return found + _address("debtor", debtor, place, article)


def letter_missing(kind: str, creditor: PartyFacts, debtor: PartyFacts) -> tuple[Missing, ...]:
    """A letter sent by post: the debtor's postal address (a company's registered office,
    LAW.md §4) and the creditor's identity; a mise en demeure also names a company
    creditor's form and SIREN (LAW.md §4)."""
    article = "LAW.md §11 ; C. civ. 1344" if kind == "mise_en_demeure" else "LAW.md §11"
    missing = _debtor_address(debtor, article) + _creditor_identity(creditor, article)
    if kind == "mise_en_demeure" and not creditor.natural_person:
        if _blank(creditor.legal_form):
            missing.append(Missing("creditor.legal_form", "forme juridique du créancier", article))
        if _blank(creditor.siren):
            missing.append(Missing("creditor.siren", "SIREN du créancier", article))
    return tuple(missing)


def court_missing(court: CourtFacts | None) -> list[Missing]:
    """CPC 54 1°: the court is named, with its address, on pain of nullity."""
    article = "CPC 54 1°"
    if court is None or _blank(court.name):
        return [Missing("court", "juridiction nommée (nom et adresse)", article)]
    parts = (("street", "adresse"), ("postcode", "code postal"), ("city", "ville"))
    return [
        Missing("court", f"{label} de la juridiction ({court.name})", article)
        for attr, label in parts
        if _blank(getattr(court, attr))
    ]


def _creditor_requete(creditor: PartyFacts) -> list[Missing]:
    if creditor.natural_person:
        # CPC 54 3° a): names, profession, domicile, nationality, date and place of birth
        return _creditor_identity(creditor, "CPC 54 3° a)") + natural_person_missing(creditor)
    # CPC 54 3° b): form, name, registered office, body that legally represents it
    article = "CPC 54 3° b)"
    found = _creditor_identity(creditor, article)
    if _blank(creditor.legal_form):
        found.append(Missing("creditor.legal_form", "forme juridique du créancier", article))
    if _blank(creditor.representative):
        found.append(
            Missing("creditor.representative", "représentant légal du créancier", article)
        )
    return found


def requete_missing(
    creditor: PartyFacts, debtor: PartyFacts, court: CourtFacts | None, pieces: int
) -> tuple[Missing, ...]:
    """A requête or Cerfa (CPC 1407 with 54 and 57): the named court, both parties, the
    bordereau. (The amount with its décompte is checked by the caller: no invoice, no paper.)"""
    missing = court_missing(court) + _creditor_requete(creditor)
    missing += _debtor_address(debtor, "CPC 54 3°, 57")
    if pieces <= 0:
        missing.append(Missing("evidence", "pièces à joindre au bordereau", "CPC 1407"))
    return tuple(missing)


def declaration_missing(
    creditor: PartyFacts, mandataire: str, mandataire_address: str, opened_on: date | None
) -> tuple[Missing, ...]:
    """A déclaration de créance (C. com. L622-24, L622-25, R622-23): sent to the mandataire
    judiciaire or liquidateur at his address, it states the sums due on the opening day."""
    article = "C. com. L622-24, L622-25"
    missing = _creditor_identity(creditor, article)
    if _blank(mandataire):
        missing.append(Missing("debtor.proceedings_mandataire",
                               "nom du mandataire judiciaire ou du liquidateur", article))
    if _blank(mandataire_address):
        missing.append(Missing("debtor.proceedings_mandataire_address",
                               "adresse du mandataire judiciaire ou du liquidateur", article))
    if opened_on is None:
        missing.append(Missing("debtor.proceedings_judgment_date",
                               "date du jugement d'ouverture", "C. com. L622-25"))
    return tuple(missing)
