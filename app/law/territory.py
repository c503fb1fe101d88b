"""Where a party lives for French procedure: metropolitan France, which overseas territory, or
abroad (CPC 643, 644; C. com. R622-24; LAW.md §5, §7, §8).

A territory is "metropole", an overseas code ("971"-"978", "984", "986"-"988": the INSEE code
the postcode's first three digits give, Saint-Barthélemy and Saint-Martin apart) or "abroad".
Overseas residents may be recorded with country FR and their postcode, or with their own ISO
code (GP, NC…): both give the same territory.
"""

from __future__ import annotations

from app.law.calendar import (
    OVERSEAS_DEPARTMENTS,
    PACIFIC_COLLECTIVITIES,
    department_from_postcode,
)
from app.law.injonction import Location

METROPOLE = "metropole"
ABROAD = "abroad"
OVERSEAS = OVERSEAS_DEPARTMENTS | PACIFIC_COLLECTIVITIES
# ISO 3166-1 codes of the overseas departments and collectivities → their INSEE code
ISO_OVERSEAS = {
    "GP": "971",
    "MQ": "972",
    "GF": "973",
    "RE": "974",
    "PM": "975",
    "YT": "976",
    "BL": "977",
    "MF": "978",
    "TF": "984",
    "WF": "986",
    "PF": "987",
    "NC": "988",
}
_NAMES = {
    "971": "Guadeloupe",
    "972": "Martinique",
    "973": "Guyane",
    "974": "La Réunion",
    "975": "Saint-Pierre-et-Miquelon",
    "976": "Mayotte",
    "977": "Saint-Barthélemy",
    "978": "Saint-Martin",
    "984": "Terres australes et antarctiques françaises",
    "986": "Wallis-et-Futuna",
    "987": "Polynésie française",
    "988": "Nouvelle-Calédonie",
}


def territory(country: str | None, postcode: str | None) -> str:
    """'FR', '98800' → '988'; 'NC', '' → '988'; 'FR', '75001' → 'metropole'; 'BE' → 'abroad'."""
    code = (country or "FR").strip().upper() or "FR"
    if code in ISO_OVERSEAS:
        return ISO_OVERSEAS[code]
    if code != "FR":
        return ABROAD
    department = department_from_postcode(postcode)
    if department is not None and department[:2] in ("97", "98"):
        return department if department in OVERSEAS else ABROAD  # 980xx: Monaco
    return METROPOLE


def location(place: str) -> Location:
    """CPC 643's three cases."""
    if place in (METROPOLE, ABROAD):
        return place  # type: ignore[return-value]
    return "overseas"


def department(place: str) -> str | None:
    """The code whose holiday calendar applies overseas; None in metropolitan France."""
    return place if place in OVERSEAS else None


def name(place: str) -> str:
    if place == METROPOLE:
        return "France métropolitaine"
    return "l'étranger" if place == ABROAD else _NAMES.get(place, place)


def outside_court_territory(creditor: str, court: str) -> bool:
    """C. com. R622-24 al. 3 (LAW.md §7): the creditor does not live in the territory of the
    opening court: outside metropolitan France for a metropolitan court; outside that overseas
    department or collectivity for an overseas court (metropolitan creditors included)."""
    if court == METROPOLE:
        return creditor != METROPOLE
    return creditor != court
