"""The steps after an ordonnance d'injonction de payer, by the regime of its date (LAW.md §5).

Service within 6 months (3 months for ordonnances from 1 September 2026), else void (CPC 1411);
opposition within 1 month of service to the person (1416), +1 month overseas, +2 abroad (643);
then enforceability: formule exécutoire requested within a month (old 1423), enforceable once the
opposition period ends (1422, 2022 version), or enforceable 2 months after service (1422,
décret 2026-96). The creditor's own deadline (service) is an unextended target; the periods
the creditor waits out are extended to the next working day (CPC 642, LAW.md §8 tool rule).
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from app.law.calendar import Deadline, add_months, fr_date, procedural_deadline

Regime = Literal["pre-2022", "2022", "2026"]
Location = Literal["metropole", "overseas", "abroad"]

REFORM_2022 = date(2022, 3, 1)  # décret 2021-1322: formule exécutoire issued with the ordonnance
REFORM_2026 = date(2026, 9, 1)  # décret 2026-96: 3-month service, enforceable after 2 months
SERVICE_MONTHS: dict[Regime, int] = {"pre-2022": 6, "2022": 6, "2026": 3}  # CPC 1411
OPPOSITION_MONTHS = 1  # CPC 1416
DISTANCE_MONTHS: dict[Location, int] = {"metropole": 0, "overseas": 1, "abroad": 2}  # CPC 643
ENFORCEMENT_MONTHS_2026 = 2  # CPC 1422 (décret 2026-96)
FORMULE_MONTHS = 1  # old CPC 1423: request the formule exécutoire within 1 month
_REGIME_TEXT: dict[Regime, str] = {
    "pre-2022": "régime antérieur au 1er mars 2022 (formule exécutoire à demander)",
    "2022": "régime du 1er mars 2022 (formule exécutoire délivrée avec l'ordonnance)",
    "2026": "régime du décret 2026-96 (ordonnances rendues à compter du 1er septembre 2026)",
}
NOT_TO_PERSON = (
    "La signification n'a pas été faite à personne : le délai d'opposition ne court qu'à compter "
    "du premier acte signifié à personne ou de la première mesure d'exécution rendant les biens "
    "indisponibles (CPC 1416 al. 2). Les dates ci-dessous sont théoriques."
)


@dataclass(frozen=True)
class InjonctionSchedule:
    regime: Regime
    service_deadline: date
    opposition_deadline: date | None
    enforceable_from: date | None
    explanation: tuple[str, ...]
    formule_executoire_deadline: date | None = None


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


def _opposition(
    service: date, location: Location, holidays: Container[date]
) -> tuple[Deadline, str]:
    # CPC 1416, 643: waited out by the creditor, so extended to a working day (642)
    extra = DISTANCE_MONTHS[location]
    due = procedural_deadline(
        service, months=OPPOSITION_MONTHS + extra, holidays=holidays, extend=True
    )
    where = "outre-mer" if location == "overseas" else "à l'étranger"
    distance = f", augmenté de {extra} mois pour un débiteur demeurant {where} (CPC 643)"
    text = (
        f"Le débiteur peut former opposition jusqu'au {fr_date(due.deadline)} inclus : 1 mois "
        f"après la signification (CPC 1416){distance if extra else ''}. " + due.reason
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
) -> InjonctionSchedule:
    """Dated steps after the ordonnance, with the French sentences explaining each one."""
    regime = regime_for(ordonnance_date)
    service, service_text = _service(regime, ordonnance_date, holidays)
    lines = [f"Ordonnance du {fr_date(ordonnance_date)} : {_REGIME_TEXT[regime]}.", service_text]
    empty = InjonctionSchedule(regime, service.deadline, None, None, ())
    if service_date is None:
        return _with(empty, lines)
    if service_date < ordonnance_date:
        raise ValueError("la signification ne peut précéder l'ordonnance")
    if service_date > service.deadline:
        lines.append(
            f"Signifiée le {fr_date(service_date)}, après le {fr_date(service.deadline)} : "
            "l'ordonnance est non avenue (CPC 1411) ; il faut présenter une nouvelle requête."
        )
        return _with(empty, lines)
    opposition, opposition_text = _opposition(service_date, debtor_location, holidays)
    lines += [f"Signifiée le {fr_date(service_date)}.", opposition_text]
    if not service_to_person:
        lines.append(NOT_TO_PERSON)
    return _after_opposition(empty, regime, service_date, opposition, holidays, lines)


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
    schedule = InjonctionSchedule(
        regime, empty.service_deadline, opposition.deadline, enforceable, (), formule
    )
    return _with(schedule, lines)


def _with(schedule: InjonctionSchedule, lines: list[str]) -> InjonctionSchedule:
    return replace(schedule, explanation=tuple(lines))
