"""Deadlines of one debtor's file as dated, ranked alerts (prescription, mise en demeure,
injonction de payer, déclaration de créance, payment plan), most urgent first.

Each alert says what happens if the date passes, the article, and what to do. Dates come from
the other rule modules; `as_of` is always a parameter.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from app.law import territory
from app.law.calendar import fr_date, next_working_day, procedural_deadline
from app.law.injonction import CourtLocation, InjonctionSchedule, Location, injonction_schedule
from app.law.money import format_eur
from app.law.notice import DEFAULT_DAYS, notice_deadline
from app.law.prescription import Prescription
from app.law.promises import Paid, Promise, latest, promise_status

Severity = Literal["expired", "urgent", "warning", "info"]
SEVERITY_RANK: dict[str, int] = {"expired": 0, "urgent": 1, "warning": 2, "info": 3}
PRESCRIPTION_WARNING_DAYS = 180  # LAW.md §1: "alert well before"
PRESCRIPTION_URGENT_DAYS = 90  # LAW.md §10.11
DECLARATION_MONTHS = 2  # C. com. R622-24: 2 months from the BODACC publication
DECLARATION_EXTRA_MONTHS = 2  # R622-24 al. 3: + 2 months outside the opening court's territory


@dataclass(frozen=True)
class Alert:
    key: str
    date: date
    days_left: int
    severity: Severity
    title: str
    consequence: str
    article: str
    action: str


@dataclass(frozen=True)
class Instalment:
    due_date: date
    amount: Decimal
    paid: bool = False


@dataclass(frozen=True)
class AlertFacts:
    prescription: Prescription | None = None
    mise_en_demeure_sent: date | None = None
    mise_en_demeure_days: int = DEFAULT_DAYS  # the delay given in the letter (8 or 15 days)
    mise_en_demeure_received: date | None = None  # AR or first presentation (LAW.md §4)
    mise_en_demeure_served: bool = False  # a sommation by commissaire de justice
    holidays: Container[date] = frozenset()  # the debtor's calendar
    ordonnance_date: date | None = None
    service_date: date | None = None
    service_to_person: bool = True
    debtor_location: Location = "metropole"
    court_location: CourtLocation = "metropole"  # where the court that issued it sits (643/644)
    same_territory: bool = True  # an overseas debtor lives where the overseas court sits
    opposition_filed: bool = False
    collective_opened: date | None = None
    bodacc_published: date | None = None
    # R622-24 al. 3: where the creditor lives, relative to the opening court (territory.py)
    creditor_territory: str = territory.METROPOLE
    court_territory: str = territory.METROPOLE
    claim_declared: bool = False
    instalments: tuple[Instalment, ...] = ()
    # Promises to pay (app/law/promises.py), the debtor's payments, and whether it still owes
    promises: tuple[Promise, ...] = ()
    promise_payments: tuple[Paid, ...] = ()
    still_owed: bool = True


def _alert(
    key: str,
    day: date,
    as_of: date,
    severity: Severity,
    title: str,
    consequence: str,
    article: str,
    action: str,
) -> Alert:
    return Alert(key, day, (day - as_of).days, severity, title, consequence, article, action)


def _by_days(days: int, urgent: int, warning: int) -> Severity:
    if days < 0:
        return "expired"
    return "urgent" if days <= urgent else "warning" if days <= warning else "info"


def _own_deadline(
    target: date, last: date, as_of: date, urgent: int, warning: int
) -> tuple[date, Severity]:
    """A creditor's own deadline: aimed at unextended (the target), lost only after `last`,
    the day CPC 642 extends it to (LAW.md §8); in between, `last` is the day left."""
    if as_of > last:
        return last, "expired"
    if as_of > target:
        return last, "urgent"
    return target, _by_days((target - as_of).days, urgent, warning)


def _when(target: date, last: date, as_of: date) -> str:
    """'avant le <target>', or the extended day once the target is a past non-working day."""
    if target < as_of <= last:
        return f"au plus tard le {fr_date(last)} (délai prorogé, CPC 642)"
    return f"avant le {fr_date(last if as_of > last else target)}"


# In collective proceedings no individual action is possible (C. com. L622-21): the claim is
# declared, which interrupts prescription until the proceedings close (L622-25-1).
COLLECTIVE_PRESCRIPTION_ACTION = (
    "Déclarer la créance au mandataire judiciaire ou au liquidateur : la déclaration "
    "interrompt la prescription jusqu'à la clôture de la procédure (C. com. L622-25-1) ; les "
    "poursuites individuelles sont interdites (C. com. L622-21)."
)


def _prescription(result: Prescription, as_of: date, collective: bool = False) -> Alert:
    # C. civ. 2224, C. conso. L218-2: the last day to act; alerts at 180 / 90 / 30 days
    days = (result.deadline - as_of).days
    article = result.article
    if collective:
        article += " ; C. com. L622-25-1"
    if days < 0:
        return _alert(
            "prescription",
            result.deadline,
            as_of,
            "expired",
            "Créance prescrite",
            f"Dernier jour pour agir : {fr_date(result.deadline)} ; le débiteur peut "
            "désormais opposer la prescription et faire déclarer l'action irrecevable (le "
            "juge ne la relève pas d'office, C. civ. 2247).",
            article,
            "Vérifier qu'aucune reconnaissance de dette ou paiement partiel n'a été omis"
            + (" avant le jugement d'ouverture." if collective
               else " ; à défaut, seul un paiement volontaire reste possible."),
        )
    return _alert(
        "prescription",
        result.deadline,
        as_of,
        _by_days(days, PRESCRIPTION_URGENT_DAYS, PRESCRIPTION_WARNING_DAYS),
        f"Prescription le {fr_date(result.deadline)} ({days} jours)",
        "Après cette date, la créance ne peut plus être réclamée en justice.",
        article,
        COLLECTIVE_PRESCRIPTION_ACTION
        if collective
        else "Agir avant cette date : la signification de l'ordonnance d'injonction de payer "
        "interrompt la prescription ; une relance ou une mise en demeure, non.",
    )


def _mise_en_demeure(facts: AlertFacts, sent: date, as_of: date) -> Alert:
    # C. civ. 1344; N days from receipt, waited out, so extended (CPC 642, LAW.md §4, §8)
    due = notice_deadline(
        sent=sent,
        days=facts.mise_en_demeure_days,
        received=facts.mise_en_demeure_received,
        holidays=facts.holidays,
        served=facts.mise_en_demeure_served,
    )
    estimate = " (estimation)" if due.estimated else ""
    if as_of <= due.deadline:
        return _alert(
            "mise_en_demeure",
            due.deadline,
            as_of,
            "info",
            f"Délai de la mise en demeure jusqu'au {fr_date(due.deadline)}{estimate}",
            "Le débiteur peut encore payer dans le délai qui lui a été laissé.",
            "C. civ. 1344 ; CPC 642",
            "Attendre l'expiration du délai"
            + (" et enregistrer l'avis de réception. " if due.estimated else ". ")
            + due.reason,
        )
    return _alert(
        "mise_en_demeure",
        due.deadline,
        as_of,
        "warning",
        f"Délai de la mise en demeure expiré le {fr_date(due.deadline)}{estimate}",
        "Le débiteur n'a pas payé dans le délai : la voie judiciaire est ouverte. " + due.reason,
        "C. civ. 1344 ; CPC 642",
        (
            "Enregistrer l'avis de réception (ou la première présentation du pli) pour confirmer "
            "la date, puis déposer la requête en injonction de payer."
            if due.estimated
            else "Vérifier le dossier et déposer la requête en injonction de payer."
        ),
    )


def _service(schedule: InjonctionSchedule, as_of: date) -> Alert:
    # CPC 1411: the creditor's own deadline, shown unextended; void only after the day
    # CPC 642 extends it to (LAW.md §8)
    target = schedule.service_deadline
    last = schedule.service_last_day or target
    day, severity = _own_deadline(target, last, as_of, 30, 60)
    title = (
        "Ordonnance non avenue : non signifiée à temps"
        if severity == "expired"
        else f"Faire signifier l'ordonnance {_when(target, last, as_of)}"
    )
    return _alert(
        "injonction_service",
        day,
        as_of,
        severity,
        title,
        "Non signifiée dans ce délai, l'ordonnance est non avenue (CPC 1411).",
        "CPC 1411",
        "Confier l'ordonnance à un commissaire de justice pour signification.",
    )


def _after_service(facts: AlertFacts, schedule: InjonctionSchedule, as_of: date) -> list[Alert]:
    # CPC 1416, 1422, 643, 644 and old 1423: opposition, enforceability, formule exécutoire
    if schedule.enforceable_from is None:
        return [
            _alert(
                "injonction_service",
                schedule.service_last_day or schedule.service_deadline,
                as_of,
                "expired",
                "Ordonnance non avenue : signifiée hors délai",
                schedule.explanation[-1],
                "CPC 1411",
                "Présenter une nouvelle requête.",
            )
        ]
    if facts.opposition_filed:
        return [
            _alert(
                "injonction_opposition",
                schedule.opposition_deadline or schedule.enforceable_from,
                as_of,
                "urgent",
                "Opposition formée par le débiteur",
                "L'affaire sera jugée au fond ; avocat obligatoire au-delà de 10 000 €.",
                "CPC 1417, 1418",
                "Au tribunal judiciaire, constituer avocat dans les 15 "
                "jours de l'avis du greffe (CPC 1418), sous peine de caducité.",
            )
        ]
    alerts = [_enforceability(schedule, as_of)]
    target = schedule.formule_executoire_deadline
    if target is not None:
        alerts.append(_formule(target, schedule.formule_last_day or target, as_of))
    return alerts


NOT_TO_PERSON_ALERT = (
    " Signification non faite à personne : aucun délai d'opposition n'est fixé ; le débiteur "
    "pourra former opposition dans le mois suivant le premier acte signifié à personne ou la "
    "première mesure rendant ses biens indisponibles (CPC 1416 al. 2)."
)


def _majoration(schedule: InjonctionSchedule) -> str:
    # CMF L313-3 (LAW.md §2.3): information only, the décompte does not apply it
    day = schedule.majoration_from
    if day is None:
        return ""
    return (
        f" Taux de l'intérêt légal majoré de cinq points à compter du {fr_date(day)} "
        "(CMF L313-3), à titre d'information : le décompte ne l'applique pas."
    )


def _enforceability(schedule: InjonctionSchedule, as_of: date) -> Alert:
    day, opposition = schedule.enforceable_from, schedule.opposition_deadline
    assert day is not None
    majoration = _majoration(schedule)
    if opposition is None:  # CPC 1416 al. 2: no fixed opposition date; 1422: enforcement date
        started = as_of >= day
        return _alert(
            "injonction_execution",
            day,
            as_of,
            "info",
            f"Exécution possible {'depuis' if started else 'à partir'} du {fr_date(day)}",
            ("Aucune opposition enregistrée." if started else "Sans opposition notifiée.")
            + NOT_TO_PERSON_ALERT
            + majoration,
            "CPC 1416 al. 2, 1422",
            "Vérifier l'absence d'opposition auprès du greffe avant toute exécution forcée."
            if started
            else "Attendre cette date.",
        )
    if as_of < day:
        return _alert(
            "injonction_opposition",
            opposition,
            as_of,
            "info",
            f"Délai d'opposition jusqu'au {fr_date(opposition)}",
            f"Sans opposition, exécution possible à partir du {fr_date(day)}." + majoration,
            "CPC 1416, 1422, 643, 644",
            "Attendre la fin du délai.",
        )
    return _alert(
        "injonction_execution",
        day,
        as_of,
        "info",
        f"Exécution possible depuis le {fr_date(day)}",
        "Aucune opposition enregistrée." + majoration,
        "CPC 1422",
        "Vérifier l'absence d'opposition auprès du greffe et confier l'exécution forcée "
        "à un commissaire de justice.",
    )


def _formule(target: date, last: date, as_of: date) -> Alert:
    # Old CPC 1423: the creditor's own deadline, shown unextended; lost after the 642 day
    day, severity = _own_deadline(target, last, as_of, 15, 30)
    return _alert(
        "injonction_formule",
        day,
        as_of,
        severity,
        f"Demander la formule exécutoire {_when(target, last, as_of)}",
        "Sans demande dans ce délai, l'ordonnance est non avenue (ancien CPC 1423).",
        "ancien CPC 1423",
        "Demander au greffe l'apposition de la formule exécutoire.",
    )


def declaration_months(creditor: str, court: str) -> tuple[int, str]:
    """C. com. R622-24 al. 2-3: 2 months from BODACC, + 2 when the creditor does not live in
    the territory of the opening court (LAW.md §7); with the sentence saying why."""
    if not territory.outside_court_territory(creditor, court):
        return DECLARATION_MONTHS, ""
    return DECLARATION_MONTHS + DECLARATION_EXTRA_MONTHS, (
        f" Délai porté à 4 mois : le créancier demeure hors du territoire du tribunal qui a "
        f"ouvert la procédure ({territory.name(creditor)}, tribunal en "
        f"{territory.name(court)}) (C. com. R622-24 al. 3)."
    )


def _declaration(facts: AlertFacts, as_of: date) -> Alert:
    # C. com. L622-24, R622-24: 2 months (+2 outside the court's territory) from BODACC;
    # the creditor's own deadline
    months, extra = declaration_months(facts.creditor_territory, facts.court_territory)
    published = facts.bodacc_published
    anchor = published or facts.collective_opened
    assert anchor is not None
    due = procedural_deadline(anchor, months=months, holidays=facts.holidays, extend=False)
    last = next_working_day(due.deadline, facts.holidays)  # CPC 642: lost only after it
    day, severity = _own_deadline(due.deadline, last, as_of, 0, 0)
    # The creditor's own deadline, and a claim not declared in time is lost to the
    # proceedings (L622-26): always urgent until it passes.
    severity = "expired" if severity == "expired" else "urgent"
    estimate = "" if published else " (estimation : date de publication au BODACC à renseigner)"
    return _alert(
        "declaration_creance",
        day,
        as_of,
        severity,
        f"Déclarer la créance {_when(due.deadline, last, as_of)}{estimate}",
        "Non déclarée à temps, la créance est inopposable à la procédure, sauf relevé "
        "de forclusion dans les 6 mois (C. com. L622-26)." + extra,
        "C. com. L622-24, R622-24",
        "Générer la déclaration de créance et l'adresser au mandataire "
        "judiciaire ou au liquidateur.",
    )


def _instalments(facts: AlertFacts, as_of: date) -> list[Alert]:
    # The payment plan binds both parties (C. civ. 1103): flag missed and next instalments
    unpaid = sorted((i for i in facts.instalments if not i.paid), key=lambda i: i.due_date)
    alerts = [
        _alert(
            "echeance_impayee",
            i.due_date,
            as_of,
            "warning",
            f"Échéance impayée du {fr_date(i.due_date)} ({format_eur(i.amount)})",
            "Le plan de paiement n'est pas respecté.",
            "C. civ. 1103",
            "Relancer le débiteur ; reprendre le recouvrement si le plan prévoit sa déchéance.",
        )
        for i in unpaid
        if i.due_date < as_of
    ]
    upcoming = [i for i in unpaid if i.due_date >= as_of]
    if upcoming:
        nxt = upcoming[0]
        alerts.append(
            _alert(
                "echeance_a_venir",
                nxt.due_date,
                as_of,
                "info",
                f"Prochaine échéance le {fr_date(nxt.due_date)} ({format_eur(nxt.amount)})",
                "Échéance du plan de paiement.",
                "C. civ. 1103",
                "Vérifier la réception du paiement.",
            )
        )
    return alerts


def _promise(facts: AlertFacts, as_of: date) -> list[Alert]:
    # The latest promise speaks for the debtor: open, it pauses the scenario until its date;
    # broken while something is still owed, the creditor may resume (C. civ. 1103).
    promise = latest(facts.promises)
    if promise is None:
        return []
    status = promise_status(promise, facts.promise_payments, today=as_of)
    amount = format_eur(promise.amount)
    if status == "open":
        return [_alert("promesse_en_cours", promise.due_date, as_of, "info",
                       f"Promesse de paiement de {amount} au plus tard le "
                       f"{fr_date(promise.due_date)}",
                       "Les relances automatiques sont suspendues jusqu'à cette date.",
                       "C. civ. 1103",
                       "Vérifier la réception du paiement à cette date.")]
    if status == "broken" and facts.still_owed:
        return [_alert("promesse_non_tenue", promise.due_date, as_of, "warning",
                       f"Promesse de paiement non tenue ({amount} promis pour le "
                       f"{fr_date(promise.due_date)})",
                       "Le débiteur n'a pas payé ce qu'il avait promis : les relances "
                       "automatiques reprennent.",
                       "C. civ. 1103",
                       "Rappeler le débiteur, puis poursuivre les relances ou envoyer la mise "
                       "en demeure.")]
    return []


def _injonction_alerts(facts: AlertFacts, as_of: date) -> list[Alert]:
    assert facts.ordonnance_date is not None
    schedule = injonction_schedule(
        ordonnance_date=facts.ordonnance_date,
        service_date=facts.service_date,
        service_to_person=facts.service_to_person,
        debtor_location=facts.debtor_location,
        holidays=facts.holidays,
        court_location=facts.court_location,
        same_territory=facts.same_territory,
    )
    if facts.service_date is None:
        return [_service(schedule, as_of)]
    return _after_service(facts, schedule, as_of)


def debtor_alerts(facts: AlertFacts, *, as_of: date) -> tuple[Alert, ...]:
    """Every dated alert of the file, most urgent first."""
    alerts: list[Alert] = []
    # opened (judgment or BODACC), or a claim declared in them (L622-24: only there)
    collective = facts.collective_opened is not None or facts.bodacc_published is not None \
        or facts.claim_declared
    if facts.prescription is not None:
        alerts.append(_prescription(facts.prescription, as_of, collective))
    if collective:
        # C. com. L622-21, L622-7: no service, enforcement, notice or payment any more;
        # only the déclaration de créance is left to do.
        if not facts.claim_declared:
            alerts.append(_declaration(facts, as_of))
    elif facts.ordonnance_date is not None:
        alerts.extend(_injonction_alerts(facts, as_of))
    elif facts.mise_en_demeure_sent is not None:
        alerts.append(_mise_en_demeure(facts, facts.mise_en_demeure_sent, as_of))
    if not collective:
        alerts.extend(_instalments(facts, as_of))
        alerts.extend(_promise(facts, as_of))
    return tuple(sorted(alerts, key=lambda a: (SEVERITY_RANK[a.severity], a.date, a.key)))
