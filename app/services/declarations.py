"""The déclaration de créance of a debtor in collective proceedings: its figures, its
refusals and warnings, and its input for the renderer (C. com. L622-24 to L622-28, R622-23).

The sums are the décompte at the eve of the opening judgment: interest stops there (L622-28)
and no 40 € indemnity is owed for an invoice due from the judgment on (L441-10 II). The
deadline is the one the alerts compute (R622-24), whatever rule they follow.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from app.documents.declaration import split_at_opening
from app.documents.model import DeclarationInput
from app.law.calendar import fr_date
from app.law.completeness import declaration_missing
from app.law.interest import Decompte
from app.law.money import ZERO
from app.models import Creditor, Debtor, Step
from app.services import alerts, law_facts
from app.services.decompte import debtor_collective, debtor_decompte
from app.services.document_checks import Problem, creditor_paper, problems_of, refusal
from app.services.document_inputs import creditor_party, debtor_party, pieces, produced_pieces
from app.vocabulary import PROCEEDINGS_KINDS, STEP_KINDS

DECLARATION = "declaration_creance"
# Steps that show a court seized of the claim before the opening (R622-23 3°).
SEIZED_STEPS = ("requete_filed", "ordonnance", "signification", "opposition", "petites_creances")


def declared_decompte(session: Session, debtor: Debtor) -> Decompte:
    """Every sum still owed on the day of the opening judgment (C. com. R622-23 1°), its
    interest stopped the eve (L622-28): an invoice due that eve keeps its 40 € (L441-10 II).
    The opening as everywhere else: the debtor's form, else its step (decompte.collective_of)."""
    opened = debtor_collective(session, debtor).opened_on
    assert opened is not None
    return debtor_decompte(session, debtor, opened)


def seized(steps: list[Step]) -> str:
    """'requête en injonction de payer déposée le 02/09/2026 ; …' or '' (R622-23 3°)."""
    found = [s for s in steps if s.kind in SEIZED_STEPS]
    return " ; ".join(
        f"{STEP_KINDS[s.kind].lower()} le {fr_date(s.date)}"
        + (f" (réf. {s.reference})" if s.reference else "")
        for s in found
    )


def deadline(session: Session, debtor: Debtor, day: date) -> date | None:
    """The last day to declare, as the debtor's alerts compute it (C. com. R622-24)."""
    found = [a for a in alerts.compute(session, debtor, day) if a.key == DECLARATION]
    return found[0].date if found else None


def _deadline_warnings(session: Session, debtor: Debtor, day: date) -> list[str]:
    due = deadline(session, debtor, day)
    if due is None:
        return []
    if due < day:
        return [f"URGENT — délai de déclaration expiré le {fr_date(due)} : demandez au "
                "juge-commissaire un relevé de forclusion dans les 6 mois de la publication du "
                "jugement d'ouverture (C. com. L622-26)."]
    return [f"URGENT — à adresser au mandataire au plus tard le {fr_date(due)} "
            "(C. com. L622-24, R622-24), en recommandé avec avis de réception."]


def assess(session: Session, debtor: Debtor, day: date) -> tuple[Decompte, tuple[str, ...]]:
    """The figures to declare and the warnings, or DocumentRefused listing everything missing."""
    collective = debtor_collective(session, debtor)
    if not collective.in_progress:
        raise refusal(DECLARATION, debtor, [Problem(
            "Aucune procédure collective n'est enregistrée pour ce débiteur (type, date du "
            "jugement d'ouverture, mandataire)", "debtor.proceedings_kind", "C. com. L622-24")])
    creditor = session.get(Creditor, debtor.creditor_id)
    assert creditor is not None
    problems = problems_of(declaration_missing(
        creditor_paper(creditor), debtor.proceedings_mandataire,
        debtor.proceedings_mandataire_address, collective.opened_on))
    if not collective.kind:  # only a step tells of them: the déclaration names the procedure
        problems.insert(0, Problem("Nature de la procédure collective (sauvegarde, redressement "
                                   "ou liquidation judiciaire)", "debtor.proceedings_kind",
                                   "C. com. L622-24"))
    decompte = declared_decompte(session, debtor) if collective.opened_on else None
    if decompte is not None and decompte.total <= ZERO:
        problems.append(Problem("Aucune somme due à déclarer", "invoices"))
    if not pieces(session, debtor):
        problems.append(Problem("Pièces justificatives à joindre sous bordereau", "evidence",
                                "C. com. R622-23"))
    if problems:
        raise refusal(DECLARATION, debtor, problems)
    assert decompte is not None
    warnings = _deadline_warnings(session, debtor, day)
    file = law_facts.load(session, debtor)
    if declared := file.steps_of("claim_declaration"):
        warnings.append(f"Une déclaration de créance est déjà enregistrée le "
                        f"{fr_date(declared[-1].date)} : celle-ci la complète ou la remplace.")
    return decompte, tuple(warnings)


def declaration_input(session: Session, debtor: Debtor, day: date, decompte: Decompte,
                      security: str, channel: str = "lrar", reference: str = "",
                      draft: bool = False) -> DeclarationInput:
    creditor = session.get(Creditor, debtor.creditor_id)
    opened = debtor_collective(session, debtor).opened_on
    assert creditor is not None and opened is not None
    file = law_facts.load(session, debtor, opened)
    return DeclarationInput(
        date=day,
        creditor=creditor_party(creditor),
        debtor=debtor_party(debtor),
        mandataire=debtor.proceedings_mandataire,
        mandataire_address=debtor.proceedings_mandataire_address,
        proceedings=PROCEEDINGS_KINDS[debtor.proceedings_kind].lower(),
        opened_on=opened,
        decompte=decompte,
        pieces=produced_pieces(session, debtor),  # kept from now on (LAW.md §5)
        bodacc_on=debtor.proceedings_bodacc_date,
        security=security,
        seized=seized(file.steps),
        channel=channel,
        sent_reference=reference,
        draft=draft,
    )


def declared_total(decl: DeclarationInput) -> str:
    due, later = split_at_opening(decl)
    return str(due.total + later.total)
