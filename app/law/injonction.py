"""The steps after an ordonnance d'injonction de payer, by the regime of its date (LAW.md §5).

Service within 6 months (3 months for ordonnances from 1 September 2026), else void (CPC 1411);
opposition within 1 month of service to the person (1416), extended by distance as the court's
seat decides (643 for a court in metropolitan France, 644 for a court overseas); a service not
made to the person fixes no opposition deadline (1416 al. 2); then enforceability: formule
exécutoire requested within a month (old 1423), enforceable once the opposition period ends
(1422, 2022 version), or enforceable 2 months after service (1422, décret 2026-96). The
creditor's own deadlines (service, formule) are shown as unextended targets, but the law's
deadline is the one CPC 642 extends to the next working day: the ordonnance is void only after
it. The periods the creditor waits out are extended (CPC 642, LAW.md §8 tool rule).
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from app.law.calendar import (
    WEEKDAYS_FR,
    Deadline,
    add_months,
    fr_date,
    next_working_day,
    procedural_deadline,
)

Regime = Literal["pre-2022", "2022", "2026"]
Location = Literal["metropole", "overseas", "abroad"]
CourtLocation = Literal["metropole", "overseas"]

REFORM_2022 = date(2022, 3, 1)  # décret 2021-1322: formule exécutoire issued with the ordonnance
REFORM_2026 = date(2026, 9, 1)  # décret 2026-96: 3-month service, enforceable after 2 months
SERVICE_MONTHS: dict[Regime, int] = {"pre-2022": 6, "2022": 6, "2026": 3}  # CPC 1411
OPPOSITION_MONTHS = 1  # CPC 1416
DISTANCE_MONTHS: dict[Location, int] = {"metropole": 0, "overseas": 1, "abroad": 2}  # CPC 643
ENFORCEMENT_MONTHS_2026 = 2  # CPC 1422 (décret 2026-96)
FORMULE_MONTHS = 1  # old CPC 1423: request the formule exécutoire within 1 month
MAJORATION_MONTHS = 2  # CMF L313-3: legal rate + 5 points once enforceable for 2 months
_REGIME_TEXT: dict[Regime, str] = {
    "pre-2022": "régime antérieur au 1er mars 2022 (formule exécutoire à demander)",
    "2022": "régime du 1er mars 2022 (formule exécutoire délivrée avec l'ordonnance)",
    "2026": "régime du décret 2026-96 (ordonnances rendues à compter du 1er septembre 2026)",
}
NOT_TO_PERSON = (
    "La signification n'a pas été faite à personne : aucun délai d'opposition ne peut être fixé. "
    "Le débiteur peut former opposition jusqu'à l'expiration d'un délai d'un mois suivant le "
    "premier acte signifié à personne ou, à défaut, suivant la première mesure d'exécution ayant "
    "pour effet de rendre indisponibles tout ou partie de ses biens (CPC 1416 al. 2)."
)


@dataclass(frozen=True)
class InjonctionSchedule:
    regime: Regime
    service_deadline: date
    opposition_deadline: date | None
    enforceable_from: date | None
    explanation: tuple[str, ...]
    formule_executoire_deadline: date | None = None
    # The targets above extended to the next working day (CPC 642): void only after these
    service_last_day: date | None = None
    formule_last_day: date | None = None
    majoration_from: date | None = None  # CMF L313-3: legal rate + 5 points (shown only)


def regime_for(ordonnance_date: date) -> Regime:
    """The regime follows the date of the ordonnance (LAW.md §5 table)."""
    if ordonnance_date < REFORM_2022:
        return "pre-2022"
    return "2022" if ordonnance_date < REFORM_2026 else "2026"


def _service(regime: Regime, ordonnance: date, holidays: Container[date]) -> tuple[Deadline, str]:
    # CPC 1411: void if not served within 6 (3 since 2026) months; the creditor's own deadline
    months = SERVICE_MONTHS[regime]
    due = procedural_deadline(ordonnance, months=months, holidays=holidays, extend=False)
    text = (
        f"Faire signifier l'ordonnance par commissaire de justice au plus tard le "
        f"{fr_date(due.deadline)} ({months} mois), sinon elle est non avenue (CPC 1411). "
        + due.reason
    )
    return due, text


def _served(service: date, target: date, last: date) -> str:
    # CPC 642: a service after the unextended target but by the extended day is in time
    if service <= target:
        return f"Signifiée le {fr_date(service)}."
    return (
        f"Signifiée le {fr_date(service)}, dans le délai prorogé au "
        f"{WEEKDAYS_FR[last.weekday()]} {fr_date(last)} (CPC 642)."
    )


def _served_late(service: date, last: date) -> str:
    # CPC 1411: void once the period, extended by CPC 642, has run out
    return (
        f"Signifiée le {fr_date(service)}, après le {fr_date(last)}, dernier jour du délai : "
        "l'ordonnance est non avenue (CPC 1411) ; il faut présenter une nouvelle requête."
    )


def distance_extension(
    court: CourtLocation, debtor: Location, same_territory: bool = True
) -> tuple[int, str]:
    """Months added for distance and the sentence saying why (CPC 643, 644).

    `same_territory`: an overseas debtor lives in the court's own collectivity (the usual case,
    the court being the debtor's own, CPC 1406)."""
    if debtor == "abroad":
        article = "CPC 643" if court == "metropole" else "CPC 644"
        return 2, f"augmenté de 2 mois pour un débiteur demeurant à l'étranger ({article})"
    if court == "metropole":
        if debtor == "overseas":
            return 1, (
                "augmenté de 1 mois pour un débiteur demeurant outre-mer devant une juridiction "
                "de métropole (CPC 643)"
            )
        return 0, ""
    if debtor == "overseas" and same_territory:
        return 0, (
            "sans augmentation : le débiteur demeure dans la collectivité où siège la "
            "juridiction (CPC 644)"
        )
    return 1, (
        "augmenté de 1 mois pour un débiteur qui ne demeure pas dans la collectivité "
        "d'outre-mer où siège la juridiction (CPC 644)"
    )


def _opposition(
    service: date, distance: tuple[int, str], holidays: Container[date], to_person: bool
) -> tuple[Deadline, str]:
    # CPC 1416, 643, 644: waited out by the creditor, so extended to a working day (642)
    extra, why = distance
    due = procedural_deadline(
        service, months=OPPOSITION_MONTHS + extra, holidays=holidays, extend=True
    )
    if not to_person:
        return due, NOT_TO_PERSON
    text = (
        f"Le débiteur peut former opposition jusqu'au {fr_date(due.deadline)} inclus : 1 mois "
        f"après la signification (CPC 1416){', ' + why if why else ''}. " + due.reason
    )
    return due, text


def _enforcement_2026(
    service: date, opposition: Deadline, holidays: Container[date]
) -> tuple[date, str]:
    # CPC 1422 (décret 2026-96): enforceable once 2 months after service have run out
    window = procedural_deadline(
        service, months=ENFORCEMENT_MONTHS_2026, holidays=holidays, extend=True
    )
    start = max(window.deadline, opposition.deadline) + timedelta(days=1)
    return start, (
        "Le greffe ne notifie que les oppositions : sans opposition notifiée, l'ordonnance peut "
        f"être exécutée à compter du {fr_date(start)}, à l'expiration du délai de deux mois "
        f"suivant la signification (CPC 1422). " + window.reason
    )


def _enforcement_2022(opposition: Deadline) -> tuple[date, str]:
    # CPC 1422 (2022 version): the ordonnance carries the formule exécutoire
    start = opposition.deadline + timedelta(days=1)
    return start, (
        f"Sans opposition, l'ordonnance revêtue de la formule exécutoire produit les effets d'un "
        f"jugement contradictoire et peut être exécutée à compter du {fr_date(start)} (CPC 1422)."
    )


def _majoration(enforceable: date) -> tuple[date, str]:
    # CMF L313-3 (LAW.md §2.3, display only): + 5 points once enforceable for 2 months
    start = add_months(enforceable, MAJORATION_MONTHS)
    return start, (
        f"Sans opposition, le taux de l'intérêt légal est majoré de cinq points à compter du "
        f"{fr_date(start)}, deux mois après que l'ordonnance est devenue exécutoire "
        "(CMF L313-3) ; le décompte n'applique pas cette majoration."
    )


def _formule_pre_2022(opposition: Deadline) -> tuple[date, date, str]:
    # Old CPC 1423: request the formule within 1 month after the opposition period, else void
    start = opposition.deadline + timedelta(days=1)
    deadline = add_months(opposition.deadline, FORMULE_MONTHS)
    return (
        start,
        deadline,
        (
            f"Demander l'apposition de la formule exécutoire à partir du {fr_date(start)} et "
            f"au plus tard le {fr_date(deadline)}, sinon l'ordonnance est non avenue "
            "(ancien CPC 1423) ; visez cette date même si elle tombe un jour non ouvré "
            "(prorogation possible, CPC 642)."
        ),
    )


def injonction_schedule(
    *,
    ordonnance_date: date,
    service_date: date | None,
    service_to_person: bool,
    debtor_location: Location,
    holidays: Container[date],
    court_location: CourtLocation = "metropole",
    same_territory: bool = True,
) -> InjonctionSchedule:
    """Dated steps after the ordonnance, with the French sentences explaining each one.

    Service not made to the person: no opposition deadline (None), and the enforceability date
    still given, enforcement being suspended only during the period after service (1422)."""
    regime = regime_for(ordonnance_date)
    service, service_text = _service(regime, ordonnance_date, holidays)
    lines = [f"Ordonnance du {fr_date(ordonnance_date)} : {_REGIME_TEXT[regime]}.", service_text]
    last = next_working_day(service.deadline, holidays)
    empty = InjonctionSchedule(regime, service.deadline, None, None, (), service_last_day=last)
    if service_date is None:
        return _with(empty, lines)
    if service_date < ordonnance_date:
        raise ValueError("la signification ne peut précéder l'ordonnance")
    if service_date > last:
        return _with(empty, [*lines, _served_late(service_date, last)])
    distance = distance_extension(court_location, debtor_location, same_territory)
    opposition, opposition_text = _opposition(
        service_date, distance, holidays, service_to_person
    )
    lines += [_served(service_date, service.deadline, last), opposition_text]
    schedule = _after_opposition(empty, regime, service_date, opposition, holidays, lines)
    return schedule if service_to_person else replace(schedule, opposition_deadline=None)


def _after_opposition(
    empty: InjonctionSchedule,
    regime: Regime,
    service_date: date,
    opposition: Deadline,
    holidays: Container[date],
    lines: list[str],
) -> InjonctionSchedule:
    formule = None
    if regime == "2026":
        enforceable, text = _enforcement_2026(service_date, opposition, holidays)
    elif regime == "2022":
        enforceable, text = _enforcement_2022(opposition)
    else:
        enforceable, formule, text = _formule_pre_2022(opposition)
    lines.append(text)
    majoration = None
    if formule is None:  # enforceable on that date (1422); before 2022, once the formule is on
        majoration, majoration_text = _majoration(enforceable)
        lines.append(majoration_text)
    schedule = replace(
        empty,
        opposition_deadline=opposition.deadline,
        enforceable_from=enforceable,
        formule_executoire_deadline=formule,
        formule_last_day=next_working_day(formule, holidays) if formule else None,  # CPC 642
        majoration_from=majoration,
    )
    return _with(schedule, lines)


def _with(schedule: InjonctionSchedule, lines: list[str]) -> InjonctionSchedule:
    return replace(schedule, explanation=tuple(lines))


def claim_brought_on(service: date, ordonnances: Iterable[date], requetes: Iterable[date]) -> date:
    """The day the court was seized of the claim a service brings: the requête of the latest
    ordonnance served, else that ordonnance, else (neither recorded) the service itself."""
    earlier = sorted(day for day in ordonnances if day <= service)
    ordonnance = earlier[-1] if earlier else service
    previous = earlier[-2] if len(earlier) > 1 else date.min  # a requête of an earlier round
    filed = [day for day in requetes if previous < day <= ordonnance]
    return max(filed, default=ordonnance)


def covers(*, issued: date, delivered: date | None, brought: date) -> bool:
    # C. civ. 2241: the service of an ordonnance interrupts for the claim brought only; an
    # invoice issued, or goods delivered, after the requête cannot be in it (prudence: both)
    return issued <= brought and (delivered is None or delivered <= brought)
