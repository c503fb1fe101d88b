"""What an alert asks of the user: one vocabulary for the debtor page, the dashboard counters,
the API and the .ics feed.

An alert's raw severity (app/law/alerts.py) says how near its date is. The user needs to know
what to do, and that depends on whose deadline it is:
- a deadline the creditor must beat (prescription, service of the ordonnance, formule
  exécutoire, déclaration de créance): the action to take now and the last safe day to start
  it, counting the time the step itself takes;
- a delay the debtor had, whose expiry opens a right (mise en demeure, opposition period, a
  missed instalment): "délai expiré : vous pouvez agir", never "à surveiller";
- a delay still running for the debtor: wait.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from app.law.alerts import Alert
from app.law.calendar import fr_date

Level = Literal["missed", "act_now", "can_act", "prepare", "wait", "info"]

# Most pressing first; the labels are what every screen, the API and the .ics say.
LEVEL_LABELS: dict[str, str] = {
    "missed": "Délai dépassé",
    "act_now": "À faire maintenant",
    "can_act": "Délai expiré : vous pouvez agir",
    "prepare": "À préparer",
    "wait": "En attente",
    "info": "Pour information",
}
LEVEL_RANK: dict[str, int] = {level: rank for rank, level in enumerate(LEVEL_LABELS)}

# Days the creditor's step takes before the deadline, so the last safe day to start it.
# Practice margins, not texts (LAW.md gives none; à vérifier with the court and the
# commissaire de justice): a requête answered in about 45 days, then about 15 days to serve.
LEAD_DAYS: dict[str, int] = {
    "prescription": 60,  # only the *service* of the ordonnance interrupts (LAW.md §1, C. civ. 2241)
    "injonction_service": 15,  # CPC 1411: a commissaire de justice must serve it in time
    "injonction_formule": 8,  # old CPC 1423: the request must reach the greffe in time
    "declaration_creance": 8,  # C. com. R622-24: the LRAR must reach the mandataire in time
}
OPENS_A_RIGHT = frozenset({"mise_en_demeure", "injonction_execution", "echeance_impayee",
                           "promesse_non_tenue"})
DEBTOR_DELAY = frozenset({"echeance_a_venir", "injonction_opposition", "promesse_en_cours"})
BY_NEARNESS: dict[str, Level] = {"urgent": "act_now", "warning": "prepare", "info": "info"}
ACT_NOW_DAYS = 30  # the last safe day to start is this near: the step must begin now
REMIND_BEFORE_START = 7  # the calendar reminds a week before the last safe day to start

START_ACTIONS: dict[str, str] = {
    "prescription": "Déposer la requête en injonction de payer {when} : "
                    "l'ordonnance doit être obtenue et signifiée avant le {deadline} (seule la "
                    "signification interrompt la prescription).",
    "injonction_service": "Confier l'ordonnance à un commissaire de justice {when}"
                          " : elle doit être signifiée avant le {deadline}.",
    "injonction_formule": "Demander la formule exécutoire au greffe {when} "
                          "(avant le {deadline}).",
    "declaration_creance": "Envoyer la déclaration de créance au mandataire {when} :"
                           " elle doit lui parvenir avant le {deadline}.",
}


@dataclass(frozen=True)
class Judged:
    """An alert with what it asks of the user."""

    alert: Alert
    level: Level
    action: str
    start_by: date | None  # the last safe day to start the creditor's step
    remind_days: int  # the calendar reminder, in days before the alert's date

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self.level]


def judge(alert: Alert, as_of: date, *, collective: bool = False) -> Judged:
    """The level, the action and the last safe day to start for one alert at `as_of`.
    `collective`: the debtor is in collective proceedings: no injonction de payer, so no
    last day to file one; the alert's own action (declare the claim, L622-25-1) stands."""
    if alert.key == "prescription" and collective and alert.severity != "expired":
        return Judged(alert, BY_NEARNESS[alert.severity], alert.action, None, 0)
    if alert.key in LEAD_DAYS and alert.severity != "expired":
        return _must_beat(alert, as_of)
    if alert.severity == "expired":
        return Judged(alert, "missed", alert.action, None, 0)
    if alert.key in OPENS_A_RIGHT:
        level: Level = "can_act" if alert.date <= as_of else "wait"
        return Judged(alert, level, alert.action, None, 0)
    if alert.key in DEBTOR_DELAY:
        # An opposition filed is the creditor's turn: a lawyer within 15 days (CPC 1418).
        level = "act_now" if alert.severity == "urgent" else "wait"
        return Judged(alert, level, alert.action, None, 0)
    return Judged(alert, BY_NEARNESS[alert.severity], alert.action, None, 0)


def _must_beat(alert: Alert, as_of: date) -> Judged:
    lead = LEAD_DAYS[alert.key]
    start_by = alert.date - timedelta(days=lead)
    when = (f"sans attendre (dernier jour sûr pour commencer : {fr_date(start_by)})"
            if start_by <= as_of else f"au plus tard le {fr_date(start_by)}")
    action = START_ACTIONS[alert.key].format(when=when, deadline=fr_date(alert.date))
    near = (start_by - as_of).days <= ACT_NOW_DAYS or alert.severity == "urgent"
    level: Level = "act_now" if near else "prepare" if alert.severity == "warning" else "info"
    return Judged(alert, level, action, start_by, reminder_days(alert.key, level))


def reminder_days(key: str, level: str) -> int:
    """Days before an alert's date its calendar reminder rings: a week before the last safe
    day to start the creditor's step, else on the day itself."""
    if key in LEAD_DAYS and level != "missed":
        return LEAD_DAYS[key] + REMIND_BEFORE_START
    return 0


def judge_all(alerts: tuple[Alert, ...], as_of: date, *, collective: bool = False
              ) -> list[Judged]:
    """Every alert judged, most pressing first, then by date."""
    judged = [judge(alert, as_of, collective=collective) for alert in alerts]
    return sorted(judged, key=lambda j: (LEVEL_RANK[j.level], j.alert.date, j.alert.key))


def counts(levels: list[str]) -> dict[str, int]:
    """How many alerts at each level, every level present (the dashboard counters)."""
    return {level: levels.count(level) for level in LEVEL_LABELS}
