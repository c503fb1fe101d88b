"""The stage a debtor's file has reached in the recovery, from its steps and its status.

One definition, shared by the debtors list (a maintained column) and the dashboard's funnel:
amiable (no reminder yet, relance 1 to 3) → mise en demeure → requête → ordonnance →
signification → exécution. A collective proceeding stops individual actions (C. com.
L622-21): it outranks every procedural stage. An open dispute comes next: the claim is
contested, the procedure waits for its outcome.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from app.law import facts
from app.law.alerts import SEVERITY_RANK, Alert
from app.law.calendar import fr_date
from app.law.reminder_scenario import DRAFT_ONLY, TEMPLATES
from app.law.reminders import NextLetter
from app.law.severity import LEAD_DAYS

# In funnel order; the rank of a stage is its position here (the list sorts on it).
STAGES: dict[str, str] = {
    "amiable": "Amiable — aucune relance",
    "relance_1": "Amiable — relance 1",
    "relance_2": "Amiable — relance 2",
    "relance_3": "Amiable — relance 3",
    "mise_en_demeure": "Mise en demeure",
    "requete": "Requête déposée",
    "ordonnance": "Ordonnance",
    "signification": "Signification",
    "execution": "Exécution",
    "procedure_collective": "Procédure collective",
    "litige": "Contestation en cours",
}
STAGE_RANK = {code: rank for rank, code in enumerate(STAGES)}

# The procedural steps, by the stage they open (petites créances: a request to the court too).
PROCEDURAL = {"mise_en_demeure": "mise_en_demeure", "requete_filed": "requete",
              "petites_creances": "requete", "ordonnance": "ordonnance",
              "signification": "signification", "formule_executoire": "execution",
              "enforcement": "execution"}
COLLECTIVE_STEPS = facts.COLLECTIVE_STEPS


@dataclass(frozen=True)
class StepFact:
    kind: str
    date: date
    level: int | None = None
    end_date: date | None = None


def stage(steps: Iterable[StepFact], *, proceedings_kind: str = "") -> str:
    """The stage code of a file (a key of STAGES)."""
    ordered = sorted(steps, key=lambda s: s.date)
    if facts.collective_proceedings(proceedings_kind, None, None, ordered).in_progress:
        return "procedure_collective"  # C. com. L622-21
    if dispute_open(ordered):
        return "litige"
    reached = [PROCEDURAL[s.kind] for s in _not_rejected(ordered) if s.kind in PROCEDURAL]
    if reached:
        return max(reached, key=STAGE_RANK.__getitem__)
    levels = [min(max(s.level or 1, 1), 3) for s in ordered if s.kind == "reminder"]
    return f"relance_{max(levels)}" if levels else "amiable"


def dispute_open(ordered: list[StepFact]) -> bool:
    """The latest dispute has neither an end date nor a later 'contestation levée'."""
    disputes = [s for s in ordered if s.kind == "dispute"]
    if not disputes or disputes[-1].end_date is not None:
        return False
    return not any(s.kind == "dispute_closed" and s.date >= disputes[-1].date for s in ordered)


def _not_rejected(ordered: list[StepFact]) -> list[StepFact]:
    """A rejected requête (CPC 1409: no appeal, a new action is needed) no longer counts."""
    kept: list[StepFact] = []
    for s in ordered:
        if s.kind == "rejection":
            kept = [k for k in kept if k.kind not in ("requete_filed", "petites_creances")]
        else:
            kept.append(s)
    return kept


# What to do next, in a few words, for each kind of alert (app/law/alerts.py keys).
ALERT_ACTIONS = {
    "prescription": "Agir avant la prescription",
    "mise_en_demeure": "Attendre la fin du délai de la mise en demeure",
    "injonction_service": "Faire signifier l'ordonnance",
    "injonction_opposition": "Attendre la fin du délai d'opposition",
    "injonction_formule": "Demander la formule exécutoire",
    "injonction_execution": "Engager l'exécution",
    "declaration_creance": "Déclarer la créance au mandataire",
    "echeance_impayee": "Relancer l'échéance impayée du plan",
    "echeance_a_venir": "Surveiller l'échéance du plan",
    "promesse_non_tenue": "Promesse non tenue : rappeler le débiteur",
    "promesse_en_cours": "Attendre le paiement promis",
}
EXPIRED_ACTIONS = {
    "prescription": "Créance prescrite : vérifier les interruptions",
    "mise_en_demeure": "Déposer la requête en injonction de payer",
}
# The amiable track: the next letter to send when nothing more pressing is due.
NEXT_LETTER = {"amiable": "Envoyer la relance n° 1", "relance_1": "Envoyer la relance n° 2",
               "relance_2": "Envoyer la relance n° 3", "relance_3": "Envoyer la mise en demeure"}
# The scenario's next message, keyed as the letter by hand it stands for (the list's filter).
LETTER_KEYS = {"relance_1": "amiable", "relance_2": "relance_1", "relance_3": "relance_2",
               "mise_en_demeure": "relance_3", "prevenance": "prevenance"}
BEFORE_DUE = {"prevenance": "Envoyer la prévenance avant échéance"}
PRESSING = ("expired", "urgent")


@dataclass(frozen=True)
class NextAction:
    key: str  # an alert key, or the stage whose next letter is due
    label: str
    date: date


def next_action(stage_code: str, alerts: Iterable[Alert], *, overdue: bool, as_of: date,
                letter: NextLetter | None = None) -> NextAction | None:
    """A pressing deadline first; else, on the amiable track, the message the debtor's
    reminder scenario sends next (`letter`, on its day), or, when the scenario sends none and
    an invoice is overdue, the next relance by hand (today); else the nearest deadline to
    watch; else nothing."""
    ranked = sorted(alerts, key=lambda a: (SEVERITY_RANK[a.severity], a.date))
    if ranked and ranked[0].severity in PRESSING:
        return _of_alert(ranked[0])
    promised = [a for a in ranked if a.key == "promesse_en_cours"]
    if promised:  # an open promise to pay pauses the amicable track until its date
        return _of_alert(promised[0])
    if stage_code in NEXT_LETTER and letter is not None:
        return NextAction(LETTER_KEYS[letter.step.template], scenario_label(letter), letter.date)
    if overdue and stage_code in NEXT_LETTER:
        return NextAction(stage_code, NEXT_LETTER[stage_code], as_of)
    return _of_alert(ranked[0]) if ranked else None


def scenario_label(letter: NextLetter) -> str:
    """The scenario's next message (issue 17), and what a person does about it: an e-mail goes
    with the day's run; the run prepares a letter, to print and post, and a mise en demeure,
    to check and send (LAW.md §4)."""
    name = TEMPLATES[letter.step.template][0]
    if letter.step.template in DRAFT_ONLY:
        return "Mise en demeure (scénario) : la vérifier et l'envoyer"
    if letter.step.channel == "letter":
        return f"{name} par courrier (scénario) : l'imprimer et la poster"
    return f"{name} par e-mail (scénario)"


def _of_alert(alert: Alert) -> NextAction:
    label = (EXPIRED_ACTIONS.get(alert.key) if alert.days_left < 0 else None) \
        or ALERT_ACTIONS.get(alert.key, alert.title)
    lead = LEAD_DAYS.get(alert.key) if alert.days_left >= 0 else None
    if lead is None:
        return NextAction(alert.key, label, alert.date)
    # A step that must be completed by the deadline (a service, a letter received) is dated
    # by the last safe day to start it, as the debtor page says (app/law/severity.py).
    return NextAction(alert.key, f"{label} (échéance le {fr_date(alert.date)})",
                      alert.date - timedelta(days=lead))
