"""Pre-litigation checklist: is the file ready for an injonction de payer? (LAW.md §10)

Fourteen checks, always in the order of LAW.md §10, each with a status (ok / à compléter /
bloquant), the article or practice behind it and how to fix it. The file facts are plain
values (app/law/facts.py), re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.law.calendar import fr_date
from app.law.facts import (
    EUROPEAN_ORDER_CODES,
    CollectiveProceedingsFacts,
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
    "CheckItem", "CollectiveProceedingsFacts", "CreditorFacts", "DebtorFacts", "FileFacts",
    "InvoiceFacts", "MiseEnDemeureFacts", "ProofKind", "Status", "is_valid_siren",
    "readiness_checklist",
]

Status = Literal["ok", "a_completer", "bloquant"]
PRESCRIPTION_URGENT_DAYS = 90  # LAW.md §10.11: urgent within 90 days of prescription
LA_POSTE_SIREN = "356000000"  # La Poste's SIREN breaks the Luhn rule (digit sum % 5 == 0)


@dataclass(frozen=True)
class CheckItem:
    key: str
    label: str
    status: Status
    article: str
    fix: str
    detail: str = ""


def is_valid_siren(siren: str) -> bool:
    """Nine digits passing the Luhn check (La Poste excepted)."""
    digits = siren.replace(" ", "")
    if len(digits) != 9 or not digits.isdigit():
        return False
    if digits == LA_POSTE_SIREN:
        return True
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _item(key: str, label: str, article: str, problems: list[tuple[Status, str]], fix: str,
          ok_detail: str = "") -> CheckItem:
    """Worst status of the problems found; their texts joined as the detail."""
    if not problems:
        return CheckItem(key, label, "ok", article, "", ok_detail)
    status: Status = "bloquant" if any(s == "bloquant" for s, _ in problems) else "a_completer"
    return CheckItem(key, label, status, article, fix, " ; ".join(text for _, text in problems))


def _check_creditor(creditor: CreditorFacts) -> CheckItem:
    # CPC 57, 1407: the requête names the creditor fully
    problems: list[tuple[Status, str]] = []
    for value, name, status in [
        (creditor.name, "dénomination", "bloquant"), (creditor.registered_office, "siège", "bloquant"),
        (creditor.legal_form, "forme juridique", "a_completer"), (creditor.siren, "SIREN", "a_completer"),
        (creditor.rcs_city, "ville du RCS", "a_completer"),
        (creditor.representative, "représentant légal", "a_completer"),
    ]:
        if not value.strip():
            problems.append((status, f"{name} manquant"))  # type: ignore[arg-type]
    if creditor.siren.strip() and not is_valid_siren(creditor.siren):
        problems.append(("a_completer", "SIREN invalide (clé de contrôle)"))
    return _item("creditor_identity", "Identité du créancier complète", "CPC 57, 1407",
                 problems, "Compléter la fiche du créancier.")


def _check_debtor(debtor: DebtorFacts) -> CheckItem:
    # CPC 57, 1406: name and domicile or registered office; a company's SIREN (practice)
    problems: list[tuple[Status, str]] = []
    if not debtor.name.strip():
        problems.append(("bloquant", "nom manquant"))
    if not debtor.registered_office.strip():
        where = "siège social" if debtor.is_company else "domicile"
        problems.append(("bloquant", f"{where} manquant"))
    if debtor.is_company and not debtor.siren.strip():
        problems.append(("a_completer", "SIREN manquant"))
    elif debtor.siren.strip() and not is_valid_siren(debtor.siren):
        problems.append(("a_completer", "SIREN invalide (clé de contrôle)"))
    return _item("debtor_identity", "Identité du débiteur complète", "CPC 57, 1406", problems,
                 "Vérifier le débiteur (extrait Kbis, annuaire des entreprises) et son siège social.")


def _missing(invoices: tuple[InvoiceFacts, ...], attribute: str) -> list[str]:
    return [inv.number for inv in invoices if not getattr(inv, attribute)]


def _check_certain(facts: FileFacts) -> CheckItem:
    # CPC 1405 (practice: the usual cause of rejection) — a document the debtor accepted
    missing = _missing(facts.invoices, "has_acceptance_doc")
    problems: list[tuple[Status, str]] = []
    if not facts.invoices:
        problems.append(("bloquant", "aucune facture"))
    elif missing:
        status: Status = "bloquant" if len(missing) == len(facts.invoices) else "a_completer"
        problems.append((status, "sans pièce acceptée : " + ", ".join(missing)))
    return _item("claim_certain", "Créance certaine : accord du débiteur prouvé", "CPC 1405 (pratique)",
                 problems, "Joindre pour chaque facture un devis signé, un bon de commande, un "
                 "contrat ou un bon de livraison signé.")


def _check_performance(facts: FileFacts) -> CheckItem:
    # Practice: the judge wants proof that the work was done or the goods delivered
    missing = _missing(facts.invoices, "has_performance_doc")
    problems: list[tuple[Status, str]] = [("a_completer", "sans preuve : " + ", ".join(missing))] \
        if missing else []
    if not facts.invoices:
        problems = [("bloquant", "aucune facture")]
    return _item("performance_proven", "Exécution prouvée", "Pratique", problems,
                 "Joindre un bon de livraison, un procès-verbal de réception ou un équivalent.")


def _check_invoices(facts: FileFacts) -> CheckItem:
    # C. com. L441-9: the invoice itself, with its due date
    problems: list[tuple[Status, str]] = [] if facts.invoices else [("bloquant", "aucune facture")]
    if missing := _missing(facts.invoices, "has_invoice_doc"):
        problems.append(("bloquant", "facture non jointe : " + ", ".join(missing)))
    if undated := _missing(facts.invoices, "due_date"):
        problems.append(("bloquant", "échéance manquante : " + ", ".join(undated)))
    return _item("invoice_present", "Factures jointes, avec leur échéance", "C. com. L441-9",
                 problems, "Joindre chaque facture et renseigner sa date d'échéance.")


def _check_liquid(facts: FileFacts) -> CheckItem:
    # CPC 1405, 1407: a determined amount with the décompte of its components
    problems: list[tuple[Status, str]] = []
    if facts.balance is None:
        problems.append(("a_completer", "décompte non calculé"))
    elif facts.balance <= 0:
        problems.append(("bloquant", "aucun principal impayé"))
    detail = f"principal restant dû : {format_eur(facts.balance)}" if facts.balance else ""
    return _item("claim_liquid", "Créance liquide : montants, paiements et décompte",
                 "CPC 1405, 1407", problems,
                 "Enregistrer les paiements reçus et calculer le décompte.", detail)


def _check_exigible(facts: FileFacts) -> CheckItem:
    # CPC 1405: only a claim already due
    pending = [inv.number for inv in facts.invoices
               if inv.due_date is not None and inv.due_date >= facts.as_of]
    problems: list[tuple[Status, str]] = []
    if facts.invoices and len(pending) == len(facts.invoices):
        problems.append(("bloquant", "aucune facture échue"))
    elif pending:
        problems.append(("a_completer", "non échues : " + ", ".join(pending)))
    return _item("claim_exigible", "Créance exigible : échéance passée", "CPC 1405", problems,
                 "Retirer de la requête les factures non encore échues.")


def _check_dispute(facts: FileFacts) -> CheckItem:
    # CPC 1405: a disputed claim is not for the injonction de payer
    problems: list[tuple[Status, str]] = (
        [("bloquant", "contestation en cours")] if facts.open_dispute else [])
    return _item("no_dispute", "Aucune contestation en cours", "CPC 1405", problems,
                 "Traiter la contestation ; sinon référé-provision (CPC 835, 873) ou action au fond.")


def _check_reminders(facts: FileFacts) -> CheckItem:
    # Practice: not required, but the judge expects to see reminders
    problems: list[tuple[Status, str]] = (
        [] if facts.reminders_count > 0 else [("a_completer", "aucune relance enregistrée")])
    return _item("reminders", "Relances enregistrées", "Pratique", problems,
                 "Enregistrer les relances envoyées (date, moyen, copie).",
                 f"{facts.reminders_count} relance(s)")


def _proof_complete(proofs: frozenset[ProofKind]) -> bool:
    # LRAR: posting proof and AR (or pli avisé non réclamé); LRE (CPCE L100); commissaire
    return bool({"lre", "commissaire"} & proofs) or (
        "posting" in proofs and bool({"receipt", "unclaimed"} & proofs))


def _check_mise_en_demeure(facts: FileFacts) -> CheckItem:
    # C. civ. 1344 and practice: sent to the registered office, proven, deadline passed
    med, problems = facts.mise_en_demeure, []
    if med.sent_on is None:
        problems.append(("a_completer", "aucune mise en demeure envoyée"))
    else:
        if not med.to_registered_office:
            problems.append(("a_completer", "non adressée au siège social ou au domicile"))
        if not _proof_complete(med.proofs):
            problems.append(("a_completer", "preuve de dépôt ou avis de réception manquant"))
        if med.deadline is None or med.deadline >= facts.as_of:
            when = f"le {fr_date(med.deadline)}" if med.deadline else "à une date non renseignée"
            problems.append(("a_completer", f"délai laissé au débiteur expirant {when}"))
    return _item("mise_en_demeure", "Mise en demeure envoyée, prouvée, délai expiré",
                 "C. civ. 1344 ; pratique", problems,  # type: ignore[arg-type]
                 "Envoyer une mise en demeure par LRAR ou LRE au siège social, joindre la preuve "
                 "de dépôt et l'avis de réception, attendre l'expiration du délai.")


def _check_prescription(facts: FileFacts) -> CheckItem:
    # LAW.md §1: prescribed = blocking; within 90 days = urgent
    result, problems = facts.prescription, []
    if result is None:
        problems.append(("a_completer", "date de livraison ou de facture non renseignée"))
    elif result.prescribed:
        problems.append(("bloquant", f"prescrite : dernier jour pour agir le {fr_date(result.deadline)}"))
    elif result.days_left <= PRESCRIPTION_URGENT_DAYS:
        problems.append(("a_completer", f"URGENT : prescription le {fr_date(result.deadline)} "
                                        f"({result.days_left} jours)"))
    detail = f"prescription le {fr_date(result.deadline)}" if result else ""
    return _item("prescription", "Créance non prescrite", "C. civ. 2224 ; C. conso. L218-2",
                 problems, "Agir avant la date limite : seule la signification de l'ordonnance "  # type: ignore[arg-type]
                 "ou une reconnaissance de dette interrompt la prescription, pas une relance.", detail)


def _check_collective(facts: FileFacts) -> CheckItem:
    # C. com. L622-21: no individual action once collective proceedings are opened
    problems: list[tuple[Status, str]] = []
    if facts.collective.in_progress:
        problems.append(("bloquant", f"procédure collective : {facts.collective.kind or 'ouverte'}"))
    return _item("collective_proceedings", "Aucune procédure collective", "C. com. L622-21",
                 problems, "Déclarer la créance au mandataire dans les 2 mois de la publication "
                 "au BODACC (C. com. L622-24, R622-24).")


def _check_country(facts: FileFacts) -> CheckItem:
    # CPC 1406: the French judge of the debtor's domicile; else European order (Reg. 1896/2006)
    debtor, problems = facts.debtor, []
    if not debtor.country_code:
        problems.append(("a_completer", "pays du débiteur non renseigné"))
    elif not debtor.in_france:
        problems.append(("bloquant", f"débiteur établi hors de France ({debtor.country_code})"))
    fix = ("Injonction de payer européenne (Règl. 1896/2006)"
           if debtor.country_code in EUROPEAN_ORDER_CODES else "Procédure du pays du débiteur")
    return _item("debtor_in_france", "Débiteur établi en France", "CPC 1406", problems, fix + ".")  # type: ignore[arg-type]


def _check_court(facts: FileFacts) -> CheckItem:
    # CPC 1406: court type and seat from the debtor's address
    debtor = facts.debtor
    department, problems = debtor.resolved_department, []
    if not (debtor.in_france and (department or debtor.city.strip())):
        problems.append(("a_completer", "adresse du débiteur incomplète (code postal, ville)"))
        return _item("competent_court", "Juridiction compétente identifiée", "CPC 1406",
                     problems, "Renseigner le code postal et la ville du siège du débiteur.")  # type: ignore[arg-type]
    court = competent_court(commercial=debtor.is_commercial_claim, city=debtor.city,
                            department=department)
    return _item("competent_court", "Juridiction compétente identifiée", court.article, [], "",
                 court.label)


_CHECKS = (
    lambda f: _check_creditor(f.creditor), lambda f: _check_debtor(f.debtor), _check_certain,
    _check_performance, _check_invoices, _check_liquid, _check_exigible, _check_dispute,
    _check_reminders, _check_mise_en_demeure, _check_prescription, _check_collective,
    _check_country, _check_court,
)


def readiness_checklist(facts: FileFacts) -> tuple[CheckItem, ...]:
    """The 14 checks of LAW.md §10, in order."""
    return tuple(check(facts) for check in _CHECKS)
