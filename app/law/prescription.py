"""Prescription of the creditor's action (LAW.md §1, tool rules exactly).

5 years against a business (C. com. L110-4; C. civ. 2224), 2 years against a consumer
(C. conso. L218-2). Start: delivery/completion if recorded, else the invoice date (prudence);
the due-date reading is shown only as a later alternative. Deadline: same day number N years
later (29 Feb → 28 Feb), never moved to a working day. Interruptions restart a period of the
same length (2231); suspensions keep the remaining time, at least 6 months after their end
(2230, 2238); everything is capped by the 20-year long-stop (2232). A reminder or a mise en
demeure never interrupts (Cass. com. 18 May 2022, n° 20-23.204).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from app.law.calendar import add_days, add_months, add_years, fr_date
from app.law.interest import DebtorKind

EventKind = Literal[
    "acknowledgment",
    "partial_payment",
    "ip_service",
    "enforcement",
    "claim_declaration",
    "suspension_start",
    "suspension_end",
]

LONG_STOP_YEARS = 20  # C. civ. 2232
SUSPENSION_MINIMUM_MONTHS = 6  # C. civ. 2238: at least 6 months after the end

YEARS = {"professional": 5, "consumer": 2}  # C. com. L110-4, C. civ. 2224; C. conso. L218-2
_BASIS = {
    "professional": "5 ans (C. com. L110-4 ; C. civ. 2224)",
    "consumer": "2 ans contre un consommateur (C. conso. L218-2)",
}
_INTERRUPTIONS = {
    "acknowledgment": "Reconnaissance de dette (C. civ. 2240)",
    "partial_payment": "Paiement partiel, qui vaut reconnaissance (C. civ. 2240)",
    "ip_service": "Signification de l'ordonnance d'injonction de payer (C. civ. 2241)",
    "enforcement": "Acte d'exécution forcée ou mesure conservatoire (C. civ. 2244)",
    "claim_declaration": "Déclaration de créance (C. com. L622-25-1)",
}
_LASTING = {
    "ip_service": "l'effet interruptif dure jusqu'à l'extinction de l'instance (C. civ. 2242) ; "
    "une ordonnance non frappée d'opposition s'exécute ensuite pendant 10 ans (CPCE L111-4).",
    "claim_declaration": "l'effet interruptif dure jusqu'à la clôture de la procédure "
    "collective (C. com. L622-25-1) ; la date affichée est un minimum.",
}
NO_INTERRUPTION_NOTE = (
    "Une relance ou une mise en demeure, même par lettre recommandée, n'interrompt pas la "
    "prescription (Cass. com. 18 mai 2022, n° 20-23.204)."
)


@dataclass(frozen=True)
class PrescriptionEvent:
    kind: EventKind
    date: date


@dataclass(frozen=True)
class Prescription:
    start: date
    years: int
    deadline: date
    prescribed: bool
    days_left: int  # deadline − as_of; negative once prescribed
    explanation: tuple[str, ...]
    alternative_deadline: date | None  # due-date reading, shown as a later alternative


@dataclass
class _Clock:
    years: int
    deadline: date
    suspended_since: date | None = None
    lines: list[str] = field(default_factory=list)


def _interrupt(clock: _Clock, event: PrescriptionEvent) -> None:
    # C. civ. 2231: a new period of the same length starts on the day of the event
    clock.deadline = add_years(event.date, clock.years)
    if clock.suspended_since is not None:
        clock.suspended_since = event.date
    line = (
        f"{_INTERRUPTIONS[event.kind]} le {fr_date(event.date)} : nouveau délai de "
        f"{clock.years} ans (C. civ. 2231), jusqu'au {fr_date(clock.deadline)}."
    )
    if event.kind in _LASTING:
        line += " " + _LASTING[event.kind][0].upper() + _LASTING[event.kind][1:]
    clock.lines.append(line)


def _resume(clock: _Clock, end: date, since: date) -> None:
    # C. civ. 2230, 2238: remaining time kept, and at least 6 months after the end
    kept = clock.deadline + (end - since)
    clock.deadline = max(kept, add_months(end, SUSPENSION_MINIMUM_MONTHS))
    clock.suspended_since = None
    clock.lines.append(
        f"Suspension du {fr_date(since)} au {fr_date(end)} : le délai restant est conservé, "
        f"et au moins 6 mois après la fin (C. civ. 2230, 2238) : jusqu'au "
        f"{fr_date(clock.deadline)}."
    )


def _apply(clock: _Clock, event: PrescriptionEvent) -> None:
    if event.date > clock.deadline and clock.suspended_since is None:
        clock.lines.append(
            f"L'acte du {fr_date(event.date)} est postérieur à l'acquisition de la prescription "
            f"le {fr_date(clock.deadline)} : il ne l'interrompt pas."
        )
    elif event.kind == "suspension_start":
        if clock.suspended_since is None:
            clock.suspended_since = event.date
    elif event.kind == "suspension_end":
        if clock.suspended_since is not None:
            _resume(clock, event.date, clock.suspended_since)
    else:
        _interrupt(clock, event)


def _still_suspended(clock: _Clock, as_of: date) -> None:
    since = clock.suspended_since
    assert since is not None
    clock.deadline = max(
        clock.deadline + (as_of - since), add_months(as_of, SUSPENSION_MINIMUM_MONTHS)
    )
    clock.lines.append(
        f"Suspension en cours depuis le {fr_date(since)} : le délai ne court pas ; au plus tôt "
        f"le {fr_date(clock.deadline)}, à recalculer à la fin de la suspension (C. civ. 2230)."
    )


def _run(
    debtor_kind: DebtorKind, start: date, as_of: date, events: Sequence[PrescriptionEvent]
) -> _Clock:
    clock = _Clock(YEARS[debtor_kind], add_years(start, YEARS[debtor_kind]))
    for event in sorted(events, key=lambda e: e.date):
        if event.date < start or event.date > as_of:
            when = "antérieur au point de départ" if event.date < start else "futur"
            clock.lines.append(f"Événement du {fr_date(event.date)} ignoré ({when}).")
            continue
        _apply(clock, event)
    if clock.suspended_since is not None:
        _still_suspended(clock, as_of)
    long_stop = add_years(start, LONG_STOP_YEARS)
    if clock.deadline > long_stop:  # C. civ. 2232
        clock.deadline = long_stop
        clock.lines.append(
            f"Plafonné au délai butoir de 20 ans à compter du {fr_date(start)} : "
            f"{fr_date(long_stop)} (C. civ. 2232)."
        )
    return clock


def _explanation(
    debtor_kind: DebtorKind, start: date, as_of: date, clock: _Clock, alternative: date | None
) -> tuple[str, ...]:
    lines = [
        f"Point de départ retenu : {fr_date(start)} (livraison ou achèvement, à défaut date de "
        "la facture ; C. civ. 2224, Cass. com. 26 févr. 2020, n° 18-25.036).",
        f"Délai de prescription : {_BASIS[debtor_kind]}.",
        *clock.lines,
        f"Dernier jour pour agir : {fr_date(clock.deadline)} (non reporté au jour ouvré suivant).",
        NO_INTERRUPTION_NOTE,
    ]
    if as_of > clock.deadline:
        lines.append(
            f"Prescription acquise depuis le {fr_date(add_days(clock.deadline, 1))}, sauf "
            "interruption ou suspension non enregistrée : le débiteur peut l'opposer "
            "(C. civ. 2219, 2247 ; CPC 122)."
        )
    if alternative is not None:
        lines.append(
            f"Lecture alternative à partir de l'échéance (Cass. com. 5 déc. 2018) : "
            f"{fr_date(alternative)} ; non retenue, par prudence."
        )
    return tuple(lines)


def prescription(
    *,
    debtor_kind: DebtorKind,
    start: date,
    as_of: date,
    events: Sequence[PrescriptionEvent] = (),
    due_date: date | None = None,
) -> Prescription:
    """Deadline to act on the claim (LAW.md §1); `start` = delivery/completion, else invoice."""
    clock = _run(debtor_kind, start, as_of, events)
    alternative = None
    if due_date is not None and due_date > start:
        later = _run(debtor_kind, due_date, as_of, events).deadline
        alternative = later if later > clock.deadline else None
    return Prescription(
        start=start,
        years=clock.years,
        deadline=clock.deadline,
        prescribed=as_of > clock.deadline,
        days_left=(clock.deadline - as_of).days,
        explanation=_explanation(debtor_kind, start, as_of, clock, alternative),
        alternative_deadline=alternative,
    )
