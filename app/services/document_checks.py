"""Whether a letter or requête may be generated: refusals and loud warnings (LAW.md §4, §10, §11).

Collective proceedings refuse everything (C. com. L622-21: declare the claim instead). Otherwise
a paper is complete or refused with *everything* that is missing at once, each item with a link
to the form field that fixes it: the debtor's postal address and the creditor's identity for a
letter sent by post; the named court, the parties' mentions (CPC 54, 57) and the bordereau for
a requête. A prescribed invoice refuses the mise en demeure and the requête (C. civ. 2219); an
open dispute refuses the requête (CPC 1405) and is loudly warned on letters. The requête is
also refused on every blocking item of the readiness checklist and warned on the others.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlmodel import Session

from app.errors import DocumentRefused
from app.law.calendar import fr_date
from app.law.completeness import Missing, PartyFacts, letter_missing, requete_missing
from app.law.interest import Decompte
from app.law.readiness import EXTRA_MONTHS, readiness_checklist
from app.models import Court, Creditor, Debtor
from app.services import evidence, law_facts
from app.services.courts import COURT_KINDS, court_type
from app.services.decompte import debtor_collective
from app.services.law_facts import court_facts
from app.vocabulary import PROCEEDINGS_KINDS

ACTIONS = {"mise_en_demeure", "requete_injonction"}
REFUSED = {
    "relance": "Envoi par courrier refusé",
    "relance_1": "Relance refusée",
    "relance_2": "Relance refusée",
    "relance_3": "Relance refusée",
    "mise_en_demeure": "Mise en demeure refusée",
    "requete_injonction": "Requête refusée",
    "declaration_creance": "Déclaration de créance refusée",
}
# Readiness items the field-by-field list of LAW.md §11 already covers for the requête.
COVERED = {"creditor_identity", "debtor_identity", "competent_court", "creditor_person",
           "collective_proceedings"}
PLACES = {
    "creditor": ("/creditor#f-{field}", "Profil du créancier"),
    "debtor": ("/debtors/{debtor}/edit#f-{field}", "Fiche du débiteur"),
    "court": ("/debtors/{debtor}#documents", "Juridiction : la choisir ou l'ajouter à la liste"),
    "evidence": ("/debtors/{debtor}#evidence", "Pièces du dossier"),
    "invoices": ("/debtors/{debtor}#account", "Factures et paiements"),
    "steps": ("/debtors/{debtor}#steps", "Démarches"),
    "documents": ("/debtors/{debtor}#documents", "Courriers et requête"),
}


@dataclass(frozen=True)
class Problem:
    label: str
    where: str = ""  # "creditor.profession", "debtor.street", "court", "evidence"…
    article: str = ""


def fix_place(where: str, debtor_id: int) -> tuple[str, str]:
    """The link and the name of the form that fixes `where`."""
    form, _, field = where.partition(".")
    if form not in PLACES:
        return "", ""
    url, place = PLACES[form]
    return url.format(debtor=debtor_id, field=field), place


def refusal(kind: str, debtor: Debtor, problems: list[Problem]) -> DocumentRefused:
    """One refusal listing every problem, each with where to fix it."""
    missing = []
    for problem in problems:
        url, place = fix_place(problem.where, debtor.id)  # type: ignore[arg-type]
        missing.append({"label": problem.label, "article": problem.article, "url": url,
                        "place": place})
    title = REFUSED.get(kind, "Document refusé")
    listed = " ; ".join(
        p.label + (f" ({p.article})" if p.article else "") for p in problems
    )
    count = len(problems)
    heading = f"{title} : {count} point{'s' if count > 1 else ''} à compléter ou à régler"
    return DocumentRefused(f"{heading} — {listed}.", tuple(missing), heading)


def creditor_paper(creditor: Creditor) -> PartyFacts:
    return PartyFacts(
        creditor.legal_name, creditor.natural_person, creditor.legal_form, creditor.siren,
        creditor.street, creditor.postal_code, creditor.city, creditor.representative,
        creditor.profession, creditor.nationality, creditor.birth_date, creditor.birth_place,
    )


def debtor_paper(debtor: Debtor) -> PartyFacts:
    return PartyFacts(debtor.legal_name, debtor.kind != "company", debtor.legal_form,
                      debtor.siren, debtor.street, debtor.postal_code, debtor.city,
                      debtor.representative)


def problems_of(items: tuple[Missing, ...] | list[Missing]) -> list[Problem]:
    return [Problem(m.label[0].upper() + m.label[1:], m.where, m.article) for m in items]


def refuse_if_collective(session: Session, debtor: Debtor) -> None:
    """C. com. L622-21: no relance, mise en demeure or requête once proceedings are opened
    (from the debtor's form, or a step of its file: decompte.collective_of)."""
    collective = debtor_collective(session, debtor)
    if not collective.in_progress:
        return
    since = collective.opened_on
    name = PROCEEDINGS_KINDS[collective.kind] if collective.kind else "procédure collective"
    raise DocumentRefused(
        f"Refusé : le débiteur est en {name.lower()}"
        f"{' depuis le ' + fr_date(since) if since else ''}. Aucune relance, mise en demeure ni "
        "requête : les poursuites individuelles sont interdites (C. com. L622-21). Déclarez la "
        "créance au mandataire judiciaire dans les 2 mois de la publication au BODACC "
        f"{EXTRA_MONTHS} (C. com. L622-24, R622-24) : générez la déclaration de créance."
    )


def _prescribed(file: law_facts.DebtorFile, kind: str, claimed: Decompte) -> tuple[list[Problem], list[str]]:
    claimed_numbers = {row.number for row in claimed.invoices}
    found = {inv.number: law_facts.invoice_prescription(file, inv, claimed.as_of)
             for inv in file.invoices if inv.number in claimed_numbers}
    late = {n: p for n, p in found.items() if p.prescribed}
    if not late:
        return [], []
    detail = ", ".join(
        f"{n} (dernier jour pour agir : {fr_date(p.deadline)})" for n, p in sorted(late.items())
    )
    # the article of each late invoice's own delay: L110-4, L218-2 (consumer), L133-6 (carriage)
    bases = " ; ".join(sorted({p.article for p in late.values()}))
    message = (
        f"Créance prescrite : {detail}. Le débiteur peut opposer la prescription et faire "
        f"déclarer l'action irrecevable (C. civ. 2219, 2247 ; {bases}), sauf "
        "interruption non enregistrée ; une "
        "relance ou une mise en demeure n'interrompt pas la prescription"
    )
    if kind in ACTIONS:
        return [Problem(message, "steps")], []
    return [], ["ATTENTION — " + message + "."]


def _dispute(file: law_facts.DebtorFile, kind: str, claimed: Decompte) -> tuple[list[Problem], list[str]]:
    if not law_facts.open_dispute(file, claimed.as_of):
        return [], []
    dispute = file.steps_of("dispute")[-1]
    message = (
        f"Contestation en cours depuis le {fr_date(dispute.date)} : la créance n'est pas certaine (CPC 1405)"
    )
    if kind == "requete_injonction":
        return [Problem(
            f"{message} ; pas d'injonction de payer : référé-provision "
            "si l'obligation n'est pas sérieusement contestable (CPC 835, 873) "
            "ou action au fond", "steps")], []
    return [], [f"ATTENTION — {message}. Répondez d'abord à la contestation ; cette lettre ne la règle pas."]


def lre_consent_needed(debtor: Debtor, kind: str, channel: str) -> bool:
    """A mise en demeure by LRE to a consumer: worth an LRAR only with the consumer's prior
    agreement to receive LRE (CPCE L100; LAW.md §4)."""
    return kind == "mise_en_demeure" and channel == "lre" and debtor.kind == "consumer"


LRE_CONSENT = (
    "ATTENTION — lettre recommandée électronique à un particulier : elle ne vaut lettre "
    "recommandée avec accusé de réception que si le débiteur, consommateur, a accepté au "
    "préalable de recevoir des lettres recommandées électroniques (CPCE L100). Sans cet "
    "accord, conservé au dossier, envoyez la mise en demeure par lettre recommandée avec AR."
)


def _letter(file: law_facts.DebtorFile, kind: str, channel: str = "lrar"
            ) -> tuple[list[Problem], list[str]]:
    """LAW.md §11: a letter by post needs the debtor's postal address and the creditor's
    identity. A relance may still go by e-mail: then it is warned, not refused. A mise en
    demeure by LRE to a consumer is warned: it needs the consumer's agreement (§4)."""
    missing = letter_missing(kind, creditor_paper(file.creditor), debtor_paper(file.debtor))
    consent = [LRE_CONSENT] if lre_consent_needed(file.debtor, kind, channel) else []
    postal = [m for m in missing if m.where.startswith("debtor.")]
    if kind != "mise_en_demeure" and postal and file.debtor.email.strip():
        others = [m for m in missing if m not in postal]
        warning = ("ATTENTION — adresse postale du débiteur incomplète : cette relance ne peut "
                   "partir que par e-mail ; complétez la fiche du débiteur pour l'envoyer par "
                   "courrier.")
        return problems_of(others), [warning]
    return problems_of(missing), consent


def _requete(file: law_facts.DebtorFile, claimed: Decompte, court: Court | None,
             pieces: int) -> tuple[list[Problem], list[str]]:
    debtor = file.debtor
    chosen = court_facts(court)
    problems = problems_of(requete_missing(creditor_paper(file.creditor), debtor_paper(debtor),
                                         chosen, pieces))
    facts = replace(law_facts.file_facts(file, claimed.as_of, claimed.principal,
                                         law_facts.owing(claimed)),
                    court=chosen)
    items = readiness_checklist(facts)
    problems += [Problem(f"{i.label} : {i.detail}", i.where, i.article) for i in items
                 if i.status == "bloquant" and i.key not in COVERED]
    warnings = [f"À compléter — {i.label} : {i.detail}. {i.fix}" for i in items
                if i.status == "a_completer"]
    expected = court_type(debtor)
    if court is not None and court.kind != expected.kind:
        # The type is of public order (CPC 1406): a requête to another court is rejected, and
        # its heading would name one court's président above another court's address.
        problems.append(Problem(
            f"Juridiction du type compétent : {court.name} est un {_kind(court.kind)}, la "
            f"requête relève du {_kind(expected.kind)}", "court", "CPC 1406"))
    return problems, warnings


def _kind(kind: str) -> str:
    return COURT_KINDS.get(kind, kind).lower()


def assess(
    session: Session, debtor: Debtor, kind: str, claimed: Decompte, court: Court | None = None,
    channel: str = "lrar",
) -> tuple[str, ...]:
    """Raise DocumentRefused listing everything missing, or return the warnings to show;
    `channel` is how a mise en demeure goes (lrar | lre)."""
    refuse_if_collective(session, debtor)
    problems: list[Problem] = []
    if not claimed.invoices:
        problems.append(Problem(f"Aucune facture échue et impayée au {fr_date(claimed.as_of)}",
                                "invoices"))
    file = law_facts.load(session, debtor, claimed.as_of)
    warnings: list[str] = []
    checks = [_prescribed(file, kind, claimed), _dispute(file, kind, claimed)]
    if kind == "requete_injonction":
        checks.append(_requete(file, claimed, court, len(evidence.active(session, debtor))))
    else:
        checks.append(_letter(file, kind, channel))
    for found, warned in checks:
        problems += found
        warnings += warned
    if problems:
        raise refusal(kind, debtor, problems)
    return tuple(warnings + list(claimed.warnings))


def postal_refusal(session: Session, debtor: Debtor, kind: str) -> DocumentRefused | None:
    """Recording a letter as sent by post: refused without the debtor's postal address."""
    creditor = session.get(Creditor, debtor.creditor_id)
    assert creditor is not None
    missing = [m for m in letter_missing(kind, creditor_paper(creditor), debtor_paper(debtor))
               if m.where.startswith("debtor.")]
    return refusal("relance", debtor, problems_of(missing)) if missing else None
