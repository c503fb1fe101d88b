"""Pre-litigation checklist: is the file ready for an injonction de payer? (LAW.md §10)

The checks, always in the order of LAW.md §10, each with a status (ok / à compléter /
bloquant), the article or practice behind it and how to fix it. The file facts are plain
values (app/law/facts.py), re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from app.law.calendar import fr_date
from app.law.completeness import PartyFacts, court_missing, natural_person_missing
from app.law.facts import (
    EUROPEAN_ORDER_CODES,
    CollectiveProceedingsFacts,
    CourtFacts,
    CreditorFacts,
    DebtorFacts,
    FileFacts,
    InvoiceFacts,
    MiseEnDemeureFacts,
    ProofKind,
)
from app.law.money import format_eur
from app.law.procedures import competent_court

__all__ = [
    "CheckItem",
    "CollectiveProceedingsFacts",
    "CourtFacts",
    "CreditorFacts",
    "DebtorFacts",
    "FileFacts",
    "InvoiceFacts",
    "MiseEnDemeureFacts",
    "ProofKind",
    "Status",
    "is_valid_siren",
    "readiness_checklist",
]

Status = Literal["ok", "a_completer", "bloquant"]
Problems = list[tuple[Status, str]]
PRESCRIPTION_URGENT_DAYS = 90  # LAW.md §10.11: urgent within 90 days of prescription
# C. com. R622-24 al. 2-3 (LAW.md §7): the déclaration's 2 months grow by 2 for a creditor
# outside the opening court's territory
EXTRA_MONTHS = ("(4 mois pour un créancier qui ne demeure pas sur le territoire du tribunal de "
                "la procédure : la métropole, ou la collectivité d'outre-mer où il siège)")
LA_POSTE_SIREN = "356000000"  # La Poste's SIREN breaks the Luhn rule (digit sum % 5 == 0)


@dataclass(frozen=True)
class CheckItem:
    key: str
    label: str
    status: Status
    article: str
    fix: str
    detail: str = ""
    where: str = ""  # the field to fill in ("court", "creditor.profession"…), for a link


def is_valid_siren(siren: str) -> bool:
    """Nine digits passing the Luhn check (La Poste excepted)."""
    digits = siren.replace(" ", "")
    if len(digits) != 9 or not (digits.isascii() and digits.isdigit()):
        return False
    if digits == LA_POSTE_SIREN:
        return True
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


Finding = tuple[Problems, str]  # the problems found, and a detail shown when all is well

# key → (label, article, how to fix), in the order of LAW.md §10
CHECKS: dict[str, tuple[str, str, str]] = {
    "creditor_identity": (
        "Identité du créancier complète",
        "CPC 57, 1407",
        "Compléter la fiche du créancier.",
    ),
    "debtor_identity": (
        "Identité du débiteur complète",
        "CPC 57, 1406",
        "Vérifier le débiteur (extrait Kbis, annuaire des entreprises) et son siège social.",
    ),
    "claim_certain": (
        "Créance certaine : accord du débiteur prouvé",
        "CPC 1405 (pratique)",
        "Joindre pour chaque facture un devis signé, un bon de commande, un contrat ou un bon "
        "de livraison signé.",
    ),
    "performance_proven": (
        "Exécution prouvée",
        "Pratique",
        "Joindre un bon de livraison, un procès-verbal de réception ou un équivalent.",
    ),
    "invoice_present": (
        "Factures jointes, avec leur échéance",
        "C. com. L441-9",
        "Joindre chaque facture et renseigner sa date d'échéance.",
    ),
    "claim_liquid": (
        "Créance liquide : montants, paiements et décompte",
        "CPC 1405, 1407",
        "Enregistrer les paiements reçus et calculer le décompte.",
    ),
    "claim_exigible": (
        "Créance exigible : échéance passée",
        "CPC 1405",
        "Retirer de la requête les factures non encore échues.",
    ),
    "no_dispute": (
        "Aucune contestation en cours",
        "CPC 1405",
        "Traiter la contestation ; sinon référé-provision (CPC 835, 873) ou action au fond.",
    ),
    "reminders": (
        "Relances enregistrées",
        "Pratique",
        "Enregistrer les relances envoyées (date, moyen, copie).",
    ),
    "mise_en_demeure": (
        "Mise en demeure envoyée, prouvée, délai expiré",
        "C. civ. 1344 ; pratique",
        "Envoyer une mise en demeure par LRAR ou LRE à l'adresse du débiteur (son siège "
        "social, ou son domicile pour un particulier), joindre la preuve de "
        "dépôt et l'avis de réception, attendre l'expiration du délai.",
    ),
    "prescription": (
        "Créance non prescrite",
        "C. civ. 2224 ; C. conso. L218-2",
        "Agir avant la date limite : la signification de l'ordonnance ou une reconnaissance de "
        "dette interrompt la prescription, une relance non.",
    ),
    "collective_proceedings": (
        "Aucune procédure collective",
        "C. com. L622-21",
        f"Déclarer la créance au mandataire dans les 2 mois de la publication au BODACC "
        f"{EXTRA_MONTHS} (C. com. L622-24, R622-24).",
    ),
    "debtor_in_france": (
        "Débiteur établi en France",
        "CPC 1406",
        "Débiteur dans l'UE (hors Danemark) : injonction de payer européenne (Règl. 1896/2006) ; "
        "ailleurs : procédure du pays du débiteur.",
    ),
    "competent_court": (
        "Juridiction compétente identifiée et nommée (ville et adresse)",
        "CPC 1406, 54 1°",
        "Renseigner l'adresse du débiteur, puis nommer la juridiction avec son adresse.",
    ),
    "creditor_person": (
        "Créancier personne physique : profession, nationalité, date et lieu de naissance",
        "CPC 54 3° a)",
        "Compléter la fiche du créancier (profession, nationalité, date et lieu de naissance).",
    ),
    # LAW.md §10 item 16 (new)
    "goods_transport": (
        "Transport de marchandises : action dans l'année de la livraison",
        "C. com. L133-6",
        "Une créance née d'un contrat de transport de marchandises se prescrit par un an à "
        "compter de la livraison ; seule la signification de l'ordonnance l'interrompt, pas le "
        "dépôt de la requête. Vérifiez la date de livraison et une éventuelle reconnaissance.",
    ),
}
# Where each check is fixed, when one form field or section fixes it.
WHERE: dict[str, str] = {
    "creditor_identity": "creditor.legal_name",
    "debtor_identity": "debtor.street",
    "claim_certain": "evidence",
    "performance_proven": "evidence",
    "invoice_present": "evidence",
    "claim_liquid": "invoices",
    "claim_exigible": "invoices",
    "no_dispute": "steps",
    "reminders": "steps",
    "mise_en_demeure": "documents",
    "collective_proceedings": "debtor.proceedings_kind",
    "debtor_in_france": "debtor.country",
    "competent_court": "court",
    "creditor_person": "creditor.profession",
    "goods_transport": "invoices",
}
# In collective proceedings no reminder, mise en demeure or injonction may be suggested
# (C. com. L622-21): the checks that would suggest one say why they do not apply.
COLLECTIVE_MOOT = {"reminders", "mise_en_demeure", "competent_court"}
COLLECTIVE_PRESCRIPTION_FIX = (
    "Déclarer la créance au mandataire judiciaire ou au liquidateur : la déclaration "
    "interrompt la prescription jusqu'à la clôture de la procédure (C. com. L622-25-1)."
)


def _required(pairs: list[tuple[str, str]], status: Status) -> Problems:
    return [(status, f"{name} manquant") for value, name in pairs if not value.strip()]


def _siren_problems(siren: str, required: bool) -> Problems:
    if not siren.strip():
        return [("a_completer", "SIREN manquant")] if required else []
    return [] if is_valid_siren(siren) else [("a_completer", "SIREN invalide (clé de contrôle)")]


def _creditor(facts: FileFacts) -> Finding:
    # CPC 57, 1407: the requête names the creditor fully
    c = facts.creditor
    where = "domicile" if c.natural_person else "siège"
    problems = _required([(c.name, "dénomination"), (c.registered_office, where)], "bloquant")
    if c.natural_person:  # CPC 54 3° a): checked by item 15
        return problems + _siren_problems(c.siren, required=False), ""
    problems += _required(
        [
            (c.legal_form, "forme juridique"),
            (c.rcs_city, "ville du RCS"),
            (c.representative, "représentant légal"),
        ],
        "a_completer",
    )
    return problems + _siren_problems(c.siren, required=True), ""


def _debtor(facts: FileFacts) -> Finding:
    # CPC 57, 1406: name and domicile or registered office; a company's SIREN
    d = facts.debtor
    where = "siège social" if d.is_company else "domicile"
    problems = _required([(d.name, "nom"), (d.registered_office, where)], "bloquant")
    return problems + _siren_problems(d.siren, required=d.is_company), ""


def _missing(facts: FileFacts, attribute: str) -> list[str]:
    return [inv.number for inv in facts.invoices if not getattr(inv, attribute)]


def _certain(facts: FileFacts) -> Finding:
    # CPC 1405 (practice: the usual cause of rejection): a document the debtor accepted
    missing = _missing(facts, "has_acceptance_doc")
    if not facts.invoices:
        return [("bloquant", "aucune facture")], ""
    if not missing:
        return [], ""
    status: Status = "bloquant" if len(missing) == len(facts.invoices) else "a_completer"
    return [(status, "sans pièce acceptée par le débiteur : " + ", ".join(missing))], ""


def _performance(facts: FileFacts) -> Finding:
    # Practice: proof that the work was done or the goods delivered
    if not facts.invoices:
        return [("bloquant", "aucune facture")], ""
    missing = _missing(facts, "has_performance_doc")
    return ([("a_completer", "sans preuve : " + ", ".join(missing))] if missing else []), ""


def _invoices(facts: FileFacts) -> Finding:
    # C. com. L441-9: the invoice itself, with its due date
    problems: Problems = [] if facts.invoices else [("bloquant", "aucune facture")]
    if missing := _missing(facts, "has_invoice_doc"):
        problems.append(("bloquant", "facture non jointe : " + ", ".join(missing)))
    if undated := _missing(facts, "due_date"):
        problems.append(("bloquant", "échéance manquante : " + ", ".join(undated)))
    return problems, f"{len(facts.invoices)} facture(s)"


def _liquid(facts: FileFacts) -> Finding:
    # CPC 1405, 1407: a determined amount with the décompte of its components
    if facts.balance is None:
        return [("a_completer", "décompte non calculé")], ""
    if facts.balance <= 0:
        return [("bloquant", "aucun principal impayé")], ""
    return [], f"principal restant dû : {format_eur(facts.balance)}"


def _exigible(facts: FileFacts) -> Finding:
    # CPC 1405: only a claim already due
    pending = [i.number for i in facts.invoices if i.due_date and i.due_date >= facts.as_of]
    if facts.invoices and len(pending) == len(facts.invoices):
        return [("bloquant", "aucune facture échue")], ""
    return ([("a_completer", "non échues : " + ", ".join(pending))] if pending else []), ""


def _dispute(facts: FileFacts) -> Finding:
    # CPC 1405: a disputed claim is not for the injonction de payer
    return ([("bloquant", "contestation en cours")] if facts.open_dispute else []), ""


def _reminders(facts: FileFacts) -> Finding:
    # Practice: not required, but the judge expects to see reminders
    if facts.reminders_count <= 0:
        return [("a_completer", "aucune relance enregistrée")], ""
    return [], f"{facts.reminders_count} relance(s)"


def _proof_complete(proofs: frozenset[ProofKind]) -> bool:
    # LRAR: posting proof and AR (or pli avisé non réclamé); LRE (CPCE L100); commissaire
    if {"lre", "commissaire"} & proofs:
        return True
    return "posting" in proofs and bool({"receipt", "unclaimed"} & proofs)


def _mise_en_demeure(facts: FileFacts) -> Finding:
    # C. civ. 1344 and practice: sent to the registered office, proven, its deadline passed
    med = facts.mise_en_demeure
    if med.sent_on is None:
        return [("a_completer", "aucune mise en demeure envoyée")], ""
    problems: Problems = []
    if not med.to_registered_office:
        problems.append(("a_completer", "non adressée au siège social ou au domicile"))
    if not _proof_complete(med.proofs):
        problems.append(("a_completer", "preuve de dépôt ou avis de réception manquant"))
    if med.deadline is None or med.deadline >= facts.as_of:
        when = f"le {fr_date(med.deadline)}" if med.deadline else "à une date non renseignée"
        estimate = " (estimation)" if med.deadline_estimated else ""
        problems.append(("a_completer", f"délai laissé au débiteur expirant {when}{estimate}"))
    elif med.deadline_estimated:
        problems.append(
            ("a_completer", f"délai expiré le {fr_date(med.deadline)} selon une estimation : "
             "enregistrer la date de l'avis de réception")
        )
    return problems, f"envoyée le {fr_date(med.sent_on)}"


def _prescription(facts: FileFacts) -> Finding:
    # LAW.md §1, §10.11: prescribed blocks; within 90 days is urgent
    result = facts.prescription
    if result is None:
        return [("a_completer", "date de livraison ou de facture non renseignée")], ""
    when = fr_date(result.deadline)
    if result.prescribed:
        return [("bloquant", f"prescrite : dernier jour pour agir le {when}")], ""
    if result.days_left <= PRESCRIPTION_URGENT_DAYS:
        return [("a_completer", f"URGENT : prescription le {when} ({result.days_left} jours)")], ""
    return [], f"prescription le {when}"


def _collective(facts: FileFacts) -> Finding:
    # C. com. L622-21: no individual action once collective proceedings are opened
    if facts.collective.in_progress:
        return [("bloquant", f"procédure collective : {facts.collective.kind or 'ouverte'}")], ""
    return [], ""


def _country(facts: FileFacts) -> Finding:
    # CPC 1406: the French judge of the debtor's domicile; else Reg. 1896/2006 or abroad
    debtor = facts.debtor
    if not debtor.country_code:
        return [("a_completer", "pays du débiteur non renseigné")], ""
    if not debtor.in_france:
        eu = " (UE)" if debtor.country_code in EUROPEAN_ORDER_CODES else ""
        return [("bloquant", f"débiteur établi hors de France : {debtor.country_code}{eu}")], ""
    return [], ""


def _court(facts: FileFacts) -> Finding:
    # CPC 1406: court type and seat from the debtor's address; CPC 54 1°: named, with its
    # address, on pain of nullity (LAW.md §10.14, blocking for the requête)
    debtor, department = facts.debtor, facts.debtor.resolved_department
    if debtor.country_code and not debtor.in_france:
        return [("a_completer", "débiteur hors de France : pas de juge français (CPC 1406)")], ""
    if not (department or debtor.city.strip()):
        return [("bloquant", "adresse du débiteur incomplète (code postal, ville)")], ""
    court = competent_court(
        commercial=debtor.is_commercial_claim, city=debtor.city, department=department
    )
    missing = court_missing(facts.court)
    if missing:
        detail = f"{court.label} : " + ", ".join(item.label for item in missing)
        return [("bloquant", detail)], ""
    assert facts.court is not None
    return [], f"{court.label} : {_court_line(facts.court)}"


def _court_line(court: CourtFacts) -> str:
    town = " ".join(part for part in (court.postcode, court.city) if part)
    return ", ".join(part for part in (court.name, court.street, town) if part)


def _creditor_person(facts: FileFacts) -> Finding:
    # CPC 54 3° a): a natural person's profession, nationality, date and place of birth
    c = facts.creditor
    if not c.natural_person:
        return [], "non concerné : le créancier est une personne morale (CPC 54 3° b))"
    person = PartyFacts(c.name, True, profession=c.profession, nationality=c.nationality,
                        birth_date=c.birth_date, birth_place=c.birth_place)
    missing = natural_person_missing(person)
    if missing:
        return [("bloquant", ", ".join(item.label for item in missing) + " manquant(s)")], ""
    return [], f"{c.profession}, né(e) le {fr_date(c.birth_date)} à {c.birth_place}"


def _transport(facts: FileFacts) -> Finding:
    # C. com. L133-6 (LAW.md §10.16): 1 year from delivery, blocking once run
    if not facts.goods_transport:
        return [], "non concerné"
    result = facts.transport_prescription  # not an ordinary invoice's, which may be sooner
    problems: Problems = []
    if facts.undelivered:  # the year runs from delivery: the invoice date may be too late
        problems.append(("a_completer", "date de livraison non renseignée (le délai court de "
                         "la livraison, non de la facture) : " + ", ".join(facts.undelivered)))
    if result is None:
        return problems or [("a_completer", "date de livraison non renseignée")], ""
    if result.prescribed:
        problems.append(
            ("bloquant", f"transport de marchandises : action prescrite depuis le "
             f"{fr_date(result.acquired_from)} (un an à compter de la livraison)")
        )
    return problems, f"action possible jusqu'au {fr_date(result.deadline)} (un an)"


_FINDERS: dict[str, Callable[[FileFacts], Finding]] = {
    "creditor_identity": _creditor,
    "debtor_identity": _debtor,
    "claim_certain": _certain,
    "performance_proven": _performance,
    "invoice_present": _invoices,
    "claim_liquid": _liquid,
    "claim_exigible": _exigible,
    "no_dispute": _dispute,
    "reminders": _reminders,
    "mise_en_demeure": _mise_en_demeure,
    "prescription": _prescription,
    "collective_proceedings": _collective,
    "debtor_in_france": _country,
    "competent_court": _court,
    "creditor_person": _creditor_person,
    "goods_transport": _transport,
}


def _item(key: str, problems: Problems, ok_detail: str) -> CheckItem:
    """The worst status found; the problems joined as the detail."""
    label, article, fix = CHECKS[key]
    if not problems:
        return CheckItem(key, label, "ok", article, "", ok_detail)
    status: Status = "bloquant" if any(s == "bloquant" for s, _ in problems) else "a_completer"
    detail = " ; ".join(text for _, text in problems)
    return CheckItem(key, label, status, article, fix, detail, WHERE.get(key, ""))


def _in_collective(item: CheckItem) -> CheckItem:
    """C. com. L622-21: no reminder, mise en demeure or injonction to suggest."""
    if item.key in COLLECTIVE_MOOT:
        detail = "sans objet : procédure collective, poursuites individuelles interdites"
        return CheckItem(item.key, item.label, "ok", item.article, "", detail)
    if item.key == "prescription" and item.status != "ok":
        return replace(item, fix=COLLECTIVE_PRESCRIPTION_FIX, article=item.article + " ; C. com. L622-25-1")
    return item


COURT_ABROAD_FIX = ("Saisir le juge du pays du débiteur ; dans l'Union européenne, "
                    "l'injonction de payer européenne (règlement CE 1896/2006).")
COURT_NAMING_FIX = ("Nommer la juridiction indiquée, avec l'adresse de son greffe, dans la "
                    "section « Courriers et requête ».")


def _court_fix(item: CheckItem, facts: FileFacts) -> CheckItem:
    """What to do about the court, for what is missing: the debtor's address (the static
    advice), the court's own name and address, or a French court at all."""
    if item.key != "competent_court" or item.status == "ok":
        return item
    debtor = facts.debtor
    if debtor.country_code and not debtor.in_france:
        return replace(item, fix=COURT_ABROAD_FIX)
    if debtor.resolved_department or debtor.city.strip():
        return replace(item, fix=COURT_NAMING_FIX)
    return item


def readiness_checklist(facts: FileFacts) -> tuple[CheckItem, ...]:
    """The checks of LAW.md §10, in order."""
    items = tuple(_court_fix(_item(key, *find(facts)), facts) for key, find in _FINDERS.items())
    if facts.collective.in_progress:
        return tuple(_in_collective(item) for item in items)
    return items
