"""Whether a letter or requête may be generated: refusals and loud warnings (LAW.md §4, §10).

Collective proceedings refuse everything (C. com. L622-21: declare the claim instead). A
prescribed invoice refuses the mise en demeure and the requête (the action is time-barred,
C. civ. 2219); an open dispute refuses the requête (CPC 1405) and is loudly warned on letters.
The requête is refused on any blocking item of the readiness checklist and warned on the others.
"""

from __future__ import annotations

from sqlmodel import Session

from app.errors import DocumentRefused
from app.law.calendar import fr_date
from app.law.interest import Decompte
from app.law.readiness import readiness_checklist
from app.models import Court, Debtor
from app.services import law_facts
from app.services.courts import court_type
from app.vocabulary import PROCEEDINGS_KINDS

ACTIONS = {"mise_en_demeure", "requete_injonction"}


def _collective(debtor: Debtor) -> None:
    if not debtor.proceedings_kind:
        return
    since = debtor.proceedings_judgment_date
    raise DocumentRefused(
        f"Refusé : le débiteur est en {PROCEEDINGS_KINDS[debtor.proceedings_kind].lower()}"
        f"{' depuis le ' + fr_date(since) if since else ''}. Aucune relance, mise en demeure ni "
        "requête : les poursuites individuelles sont interdites (C. com. L622-21). Déclarez la "
        "créance au mandataire judiciaire dans les 2 mois de la publication au BODACC "
        "(C. com. L622-24, R622-24)."
    )


def _prescribed(file: law_facts.DebtorFile, kind: str, claimed: Decompte) -> list[str]:
    claimed_numbers = {row.number for row in claimed.invoices}
    found = {inv.number: law_facts.invoice_prescription(file, inv, claimed.as_of)
             for inv in file.invoices if inv.number in claimed_numbers}
    late = {n: p for n, p in found.items() if p.prescribed}
    if not late:
        return []
    detail = ", ".join(
        f"{n} (dernier jour pour agir : {fr_date(p.deadline)})" for n, p in sorted(late.items())
    )
    message = (
        f"Créance prescrite : {detail}. Le débiteur peut opposer la prescription et faire "
        "déclarer l'action irrecevable (C. civ. 2219, 2224, 2247 ; C. com. L110-4), sauf "
        "interruption non enregistrée ; une "
        "relance ou une mise en demeure n'interrompt pas la prescription."
    )
    if kind in ACTIONS:
        raise DocumentRefused("Refusé. " + message)
    return ["ATTENTION — " + message]


def _dispute(file: law_facts.DebtorFile, kind: str, claimed: Decompte) -> list[str]:
    if not law_facts.open_dispute(file, claimed.as_of):
        return []
    dispute = file.steps_of("dispute")[-1]
    message = (
        f"Contestation en cours depuis le {fr_date(dispute.date)} : la créance n'est pas certaine (CPC 1405)"
    )
    if kind == "requete_injonction":
        raise DocumentRefused(
            f"Refusé. {message} ; pas d'injonction de payer : référé-provision "
            "si l'obligation n'est pas sérieusement contestable (CPC 835, 873) "
            "ou action au fond."
        )
    return [f"ATTENTION — {message}. Répondez d'abord à la contestation ; cette lettre ne la règle pas."]


def _readiness(file: law_facts.DebtorFile, claimed: Decompte, court: Court | None) -> list[str]:
    debtor = file.debtor
    items = readiness_checklist(law_facts.file_facts(file, claimed.as_of))
    blocking = [f"{i.label} : {i.detail} ({i.article})" for i in items if i.status == "bloquant"]
    if blocking:
        raise DocumentRefused("Requête refusée, points bloquants : " + " ; ".join(blocking) + ".")
    warnings = [f"À compléter — {i.label} : {i.detail}. {i.fix}" for i in items if i.status == "a_completer"]
    expected = court_type(debtor)
    if court is None:
        warnings.append(
            f"Juridiction à confirmer : {expected.label} (CPC 1406). Choisissez ou "
            "saisissez son nom et son adresse."
        )
    elif court.kind != expected.kind:
        warnings.append(
            f"La juridiction choisie ({court.name}) ne correspond pas au type "
            f"déterminé : {expected.label} (CPC 1406, règle d'ordre public)."
        )
    return warnings


def assess(
    session: Session, debtor: Debtor, kind: str, claimed: Decompte, court: Court | None = None
) -> tuple[str, ...]:
    """Raise DocumentRefused with the reason, or return the warnings to show loudly."""
    _collective(debtor)
    if not claimed.invoices:
        raise DocumentRefused(f"Refusé : aucune facture échue et impayée au {fr_date(claimed.as_of)}.")
    file = law_facts.load(session, debtor, claimed.as_of)
    warnings = _prescribed(file, kind, claimed)
    warnings += _dispute(file, kind, claimed)
    if kind == "requete_injonction":
        warnings += _readiness(file, claimed, court)
    return tuple(warnings + list(claimed.warnings))
