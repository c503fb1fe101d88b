"""Which route to take (LAW.md §7) and which court hears the injonction de payer (§5).

Every route is returned, the recommended one first, each with the reason it fits or not, so the
user sees the alternatives. The court follows the debtor's seat or domicile (CPC 1406, ordre
public): commercial court, tribunal des activités économiques in the twelve pilot cities, the
TJ's commercial chamber in Alsace-Moselle, the tribunal judiciaire for civil claims.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from app.law.calendar import ALSACE_MOSELLE, OVERSEAS_DEPARTMENTS, fr_date, normalise_department
from app.law.facts import EUROPEAN_ORDER_CODES, FileFacts, OrdonnanceFacts
from app.law.money import format_eur

PETITES_CREANCES_MAX = Decimal("5000.00")  # CPCE R125-1: 5,000 € interest included

# Tribunaux des activités économiques since 1 Jan 2025 (pilot until end 2028): seat → department
TAE_SEATS = {
    "auxerre": "89",
    "avignon": "84",
    "le havre": "76",
    "le mans": "72",
    "limoges": "87",
    "lyon": "69",
    "marseille": "13",
    "nancy": "54",
    "nanterre": "92",
    "paris": "75",
    "saint brieuc": "22",
    "versailles": "78",
}
TERRITORIAL_RULE = (
    "Juge du lieu où demeure le débiteur ; pour une société, du lieu où elle est établie, "
    "normalement son siège social (CPC 1406, 42, 43). Règle d'ordre public : aucune clause "
    "du contrat ne peut y déroger."
)


@dataclass(frozen=True)
class Route:
    key: str
    title: str
    recommended: bool
    reason: str
    article: str


CourtKind = Literal["tribunal_commerce", "tribunal_judiciaire", "tae", "chambre_commerciale_tj"]

# The judge a requête is addressed to (CPC 1406), by court type; overseas, commercial matters go
# to the tribunal mixte de commerce (`president`).
PRESIDENTS: dict[str, str] = {
    "tribunal_judiciaire": "Président du tribunal judiciaire",
    "chambre_commerciale_tj": "Président de la chambre commerciale du tribunal judiciaire",
    "tae": "Président du tribunal des activités économiques",
    "tribunal_commerce": "Président du tribunal de commerce",
}
MIXED_COMMERCE = "Président du tribunal mixte de commerce"


@dataclass(frozen=True)
class Court:
    kind: CourtKind
    label: str  # the judge and the place: "Président du tribunal de commerce dont relève Angers"
    territorial_rule: str
    article: str
    president: str  # the judge alone, for a requête's heading: "Président du tribunal de commerce"


def president(kind: str, department: str | None) -> str:
    """The président a requête of this court type is addressed to, for a debtor's department."""
    if kind == "tribunal_commerce" and department in OVERSEAS_DEPARTMENTS:
        return MIXED_COMMERCE
    return PRESIDENTS[kind]


CEDEX = re.compile(r"\s+cedex(\s+\d+)?\s*$", re.IGNORECASE)


def normalise_city(city: str | None) -> str:
    """'Saint-Brieuc Cedex 2' → 'saint brieuc'; 'Lyon 3e' → 'lyon'."""
    text = unicodedata.normalize("NFKD", city or "").encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[-'’]", " ", text)
    text = re.sub(r"\b(cedex|arrondissement|\d+(er|e|eme)?)\b", " ", text)
    return " ".join(text.split())


def _title(city: str) -> str:
    return "-".join(part.capitalize() for part in city.split(" ")) if city else ""


def competent_court(*, commercial: bool, city: str | None, department: str | None) -> Court:
    """Court for the requête (CPC 1406); `city`/`department` are the debtor's seat or domicile."""
    dept, town = normalise_department(department), normalise_city(city)
    town_name = CEDEX.sub("", city or "").strip()  # a postal mention, not a town
    where = f" dont relève {town_name}" if town_name else " du domicile du débiteur"
    if not commercial:
        return _court("tribunal_judiciaire", dept, where, TERRITORIAL_RULE)
    if dept in ALSACE_MOSELLE:
        return _court(
            "chambre_commerciale_tj", dept, where,
            TERRITORIAL_RULE + " En Alsace-Moselle, la chambre commerciale du tribunal "
            "judiciaire statue en matière commerciale.",
        )
    if town in TAE_SEATS or dept == "75":
        seat = _title(town) if town in TAE_SEATS else "Paris"
        return _court(
            "tae", dept, f" de {seat}",
            TERRITORIAL_RULE + " Le TAE exerce les pouvoirs du tribunal de commerce "
            "(expérimentation 2025-2028).",
        )
    # overseas, commercial matters go to the tribunal mixte de commerce (`president`)
    return _court("tribunal_commerce", dept, where, TERRITORIAL_RULE + _tae_hint(dept))


def _court(kind: CourtKind, dept: str | None, where: str, rule: str) -> Court:
    judge = president(kind, dept)
    return Court(kind, f"{judge}{where}", rule, "CPC 1406", judge)


def _tae_hint(dept: str | None) -> str:
    seats = [_title(seat) for seat, code in TAE_SEATS.items() if code == dept]
    if not seats:
        return ""
    return (
        f" Vérifiez le ressort : la commune peut relever du tribunal des activités économiques "
        f"de {seats[0]}."
    )


def _route(key: str, recommended: bool, reason: str) -> Route:
    title, article = ROUTES[key]
    return Route(key, title, recommended, reason, article)


ROUTES = {
    "declaration_creance": ("Déclaration de créance", "C. com. L622-21, L622-24, R622-24"),
    "injonction_de_payer": ("Injonction de payer", "CPC 1405"),
    "petites_creances": (
        "Procédure simplifiée de recouvrement des petites créances",
        "CPCE L125-1, R125-1",
    ),
    "commandement_de_payer": (
        "Commandement de payer par commissaire de justice (créance commerciale non contestée)",
        "CPCE L126-1 s.",
    ),
    "refere_provision": ("Référé-provision", "CPC 835, 873"),
    "action_au_fond": ("Assignation au fond", "CPC 54"),
    "injonction_europeenne": (
        "Injonction de payer européenne (formulaire A)",
        "Règl. (CE) 1896/2006",
    ),
    "procedure_etrangere": ("Procédure dans le pays du débiteur", "—"),
}

Situation = Literal["collective", "abroad_eu", "abroad", "dispute", "ordinary"]
Assessment = tuple[bool, str]


def _situation(facts: FileFacts) -> Situation:
    # LAW.md §7, in order: collective proceedings first (L622-21), then where the debtor is
    if facts.collective.in_progress:
        return "collective"
    if not facts.debtor.in_france:
        code = facts.debtor.country_code
        return "abroad_eu" if code in EUROPEAN_ORDER_CODES else "abroad"
    return "dispute" if facts.open_dispute else "ordinary"


_BLOCKED: dict[str, str] = {
    "collective": "Interdite après le jugement d'ouverture : arrêt des poursuites individuelles "
    "(C. com. L622-21).",
    "abroad_eu": "Débiteur établi hors de France.",
    "abroad": "Débiteur établi hors de France.",
    "dispute": "Une contestation est enregistrée.",
}


def _declaration(situation: Situation, facts: FileFacts, total: Decimal) -> Assessment:
    if situation != "collective":
        return False, "Seulement si le débiteur fait l'objet d'une procédure collective."
    kind = facts.collective.kind or "procédure collective"
    return True, (
        f"Débiteur en {kind} : déclarer la créance au mandataire judiciaire ou au liquidateur "
        "dans les 2 mois de la publication au BODACC (4 mois pour un créancier qui ne demeure "
        "pas sur le territoire du tribunal d'ouverture, R622-24) ; ni injonction, "
        "ni mise en demeure, ni paiement possibles."
    )


def _injonction(situation: Situation, facts: FileFacts, total: Decimal) -> Assessment:
    rendered = facts.ordonnance
    if rendered is not None and situation in ("ordinary", "dispute"):
        return _after_ordonnance(rendered)
    if situation == "dispute":
        return False, (
            "Contestation enregistrée : l'injonction suppose une créance certaine ; "
            "la requête serait rejetée ou l'ordonnance frappée d'opposition."
        )
    if situation != "ordinary":
        return False, _BLOCKED[situation]
    debtor = facts.debtor
    court = competent_court(
        commercial=debtor.is_commercial_claim,
        city=debtor.city,
        department=debtor.resolved_department,
    )
    return True, (
        f"Créance d'un montant déterminé, non contestée, débiteur en France : requête au "
        f"{court.label[0].lower()}{court.label[1:]} (CPC 1405, 1406), sans tentative amiable "
        "préalable obligatoire (Cass. avis 25 sept. 2025, n° 25-70.013)."
    )


def _after_ordonnance(rendered: OrdonnanceFacts) -> Assessment:
    # LAW.md §5 "after the ordonnance": serve it (CPC 1411), then, with no opposition,
    # enforce it (1422); after an opposition the claim is tried (1418, 761, 853)
    if rendered.opposition:
        return False, (f"Ordonnance du {fr_date(rendered.rendered_on)} frappée d'opposition : "
                       "l'affaire est jugée au fond (voir cette voie).")
    if rendered.served_on is None:
        return True, (f"Ordonnance rendue le {fr_date(rendered.rendered_on)} : la faire signifier "
                      "par commissaire de justice (CPC 1411) dans le délai donné par les "
                      "alertes, sans quoi elle est non avenue ; puis la faire exécuter (CPC 1422).")
    return True, (f"Ordonnance rendue le {fr_date(rendered.rendered_on)}, signifiée le "
                  f"{fr_date(rendered.served_on)} : sans opposition, la faire exécuter par "
                  "commissaire de justice (CPC 1422), à la date donnée par les alertes.")


def _petites_creances(situation: Situation, facts: FileFacts, total: Decimal) -> Assessment:
    if situation not in ("ordinary", "dispute"):
        return False, _BLOCKED[situation]
    if not facts.contractual:
        return False, "Réservée aux créances d'origine contractuelle (CPCE L125-1)."
    if total > PETITES_CREANCES_MAX:
        return False, (
            f"Réservée aux créances de 5 000 € au plus, intérêts compris ({format_eur(total)} ici)."
        )
    return False, (
        "Possible (5 000 € au plus) : par commissaire de justice, le débiteur a 1 mois pour "
        "accepter ; son silence vaut refus et les frais restent à la charge du créancier."
    )


def _commandement(situation: Situation, facts: FileFacts, total: Decimal) -> Assessment:
    if situation != "ordinary":
        return False, _BLOCKED[situation]
    if not (facts.creditor.commercial and facts.debtor.is_commercial_claim):
        return False, "Réservé aux créances facturées entre commerçants."
    return False, (
        "Possible entre commerçants pour une facture non contestée : commandement de payer, "
        "1 mois pour payer ou contester, puis certificat de non-contestation rendu exécutoire "
        "par le greffe (loi 2026-307) ; tarif non publié, à vérifier."
    )


def _refere(situation: Situation, facts: FileFacts, total: Decimal) -> Assessment:
    if facts.ordonnance is not None and situation in ("ordinary", "dispute"):
        return False, "Une ordonnance d'injonction de payer a déjà été rendue : voir cette voie."
    if situation == "dispute":
        return True, (
            "Contestation enregistrée : référé-provision si l'obligation n'est pas sérieusement "
            "contestable (CPC 835 au tribunal judiciaire, 873 au tribunal de commerce) ; sinon, "
            "assignation au fond."
        )
    if situation != "ordinary":
        return False, _BLOCKED[situation]
    return False, "Plus lourd que l'injonction de payer : audience contradictoire."


def _fond(situation: Situation, facts: FileFacts, total: Decimal) -> Assessment:
    rendered = facts.ordonnance
    if rendered is not None and rendered.opposition and situation in ("ordinary", "dispute"):
        return True, (
            f"Opposition formée contre l'ordonnance du {fr_date(rendered.rendered_on)} : le "
            "tribunal juge la demande au fond ; au tribunal judiciaire, constituer avocat dans "
            "les 15 jours de l'avis du greffe (CPC 1418) ; avocat obligatoire au-delà de "
            "10 000 € (CPC 761, 853).")
    if situation == "dispute":
        return False, (
            "Si la contestation est sérieuse : assignation devant le tribunal ; "
            "avocat obligatoire au-delà de 10 000 € (CPC 761, 853)."
        )
    if situation != "ordinary":
        return False, _BLOCKED[situation]
    return False, "Utile si la requête est rejetée (CPC 1409, sans recours) ou après opposition."


def _europeenne(situation: Situation, facts: FileFacts, total: Decimal) -> Assessment:
    if situation == "abroad_eu":
        return True, (
            "Débiteur établi dans un autre État membre de l'UE (hors Danemark) : "
            "formulaire A ; 30 jours pour former opposition (Règl. 1896/2006)."
        )
    return False, "Seulement pour un débiteur établi dans un autre État de l'UE (hors Danemark)."


def _etrangere(situation: Situation, facts: FileFacts, total: Decimal) -> Assessment:
    if situation == "abroad":
        return True, (
            "Débiteur établi hors de l'Union européenne ou au Danemark : procédure "
            "du pays du débiteur ; consulter un avocat sur place."
        )
    return False, "Seulement pour un débiteur établi hors de l'Union européenne ou au Danemark."


_ASSESS = {
    "declaration_creance": _declaration,
    "injonction_de_payer": _injonction,
    "petites_creances": _petites_creances,
    "commandement_de_payer": _commandement,
    "refere_provision": _refere,
    "action_au_fond": _fond,
    "injonction_europeenne": _europeenne,
    "procedure_etrangere": _etrangere,
}


def recommend_routes(facts: FileFacts, total_claim: Decimal) -> tuple[Route, ...]:
    """Every route of LAW.md §7, the recommended one first, each with its reason."""
    situation = _situation(facts)
    routes = [
        _route(key, *assess(situation, facts, total_claim)) for key, assess in _ASSESS.items()
    ]
    prescription = facts.prescription
    if prescription is not None and prescription.prescribed:
        note = f"Créance prescrite (dernier jour pour agir : {fr_date(prescription.deadline)}) : "
        routes = [Route(r.key, r.title, False, note + r.reason, r.article) for r in routes]
    return tuple(sorted(routes, key=lambda route: not route.recommended))
