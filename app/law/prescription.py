"""Prescription of the creditor's action (LAW.md §1, tool rules exactly).

5 years against a business (C. com. L110-4; C. civ. 2224), 2 years against a consumer
(C. conso. L218-2), 1 year from delivery for a carriage-of-goods claim (C. com. L133-6).
Start: delivery/completion if recorded, else the invoice date (prudence); the due-date reading
is shown only as a later alternative. Deadline: same day number N years later (29 Feb → 28 Feb),
never moved to a working day. Interruptions restart a period of the same length (2231);
suspensions keep the remaining time, at least 6 months after their end for mediation (2238)
and instruction (2239), without minimum for impossibility (2234); the 20-year long-stop caps
everything except a deadline produced by a demand in court or an enforcement act (2232 al. 2).
An act after prescription has run interrupts nothing: it may be a renunciation (2250-2251).
A reminder or a mise en demeure never interrupts (Cass. com. 18 May 2022, n° 20-23.204).
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

SuspensionBasis = Literal["mediation", "instruction", "impossibility"]
Claim = Literal["ordinary", "goods_transport"]

LONG_STOP_YEARS = 20  # C. civ. 2232
SUSPENSION_MINIMUM_MONTHS = 6  # C. civ. 2238, 2239: at least 6 months after the end
# C. civ. 2232 al. 2: the long-stop does not cap a demand in court (2241 al. 1) or an
# enforcement or conservatory act (2244)
UNCAPPED = frozenset({"ip_service", "enforcement"})
ACKNOWLEDGING = frozenset({"acknowledgment", "partial_payment"})
TRANSPORT_YEARS = 1  # C. com. L133-6: carriage of goods, 1 year from delivery

YEARS = {"professional": 5, "consumer": 2}  # C. com. L110-4, C. civ. 2224; C. conso. L218-2
_BASIS = {
    "professional": "5 ans (C. com. L110-4 ; C. civ. 2224)",
    "consumer": "2 ans contre un consommateur (C. conso. L218-2)",
    "goods_transport": "1 an à compter de la livraison pour une action née du contrat de "
    "transport de marchandises, y compris le prix du transport (C. com. L133-6)",
}
# basis → (French words, article, 6-month minimum after the end)
_SUSPENSIONS: dict[str, tuple[str, str, bool]] = {
    "mediation": ("médiation, conciliation ou procédure de petites créances", "2238", True),
    "instruction": ("mesure d'instruction ordonnée avant tout procès", "2239", True),
    "impossibility": ("impossibilité d'agir", "2234", False),
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
    basis: SuspensionBasis = "mediation"  # suspensions only: 2238 (default), 2239 or 2234


@dataclass(frozen=True)
class Prescription:
    start: date
    years: int
    deadline: date
    prescribed: bool
    days_left: int  # deadline − as_of; negative once prescribed
    explanation: tuple[str, ...]
    alternative_deadline: date | None  # due-date reading, shown as a later alternative
    claim: Claim = "ordinary"  # goods_transport: 1 year from delivery (C. com. L133-6)

    @property
    def acquired_from(self) -> date:
        """The deadline is the last day to act: prescription is acquired the next day (§1)."""
        return add_days(self.deadline, 1)

    @property
    def article(self) -> str:
        if self.claim == "goods_transport":
            return "C. com. L133-6"
        return "C. conso. L218-2" if self.years == 2 else "C. com. L110-4 ; C. civ. 2224"


@dataclass
class _Clock:
    years: int
    deadline: date
    suspended_since: date | None = None
    suspension_basis: SuspensionBasis = "mediation"
    uncapped_until: date | None = None  # the latest deadline a 2232 al. 2 act produced
    lines: list[str] = field(default_factory=list)


def _interrupt(clock: _Clock, event: PrescriptionEvent) -> None:
    # C. civ. 2231: a new period of the same length starts on the day of the event
    clock.deadline = add_years(event.date, clock.years)
    if event.kind in UNCAPPED:
        clock.uncapped_until = clock.deadline
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
    # C. civ. 2230: remaining time kept; at least 6 months after the end for 2238 and 2239
    words, article, minimum = _SUSPENSIONS[clock.suspension_basis]
    clock.deadline = clock.deadline + (end - since)
    if minimum:
        clock.deadline = max(clock.deadline, add_months(end, SUSPENSION_MINIMUM_MONTHS))
    clock.suspended_since = None
    rest = (
        f"et au moins 6 mois après la fin (C. civ. 2230, {article})"
        if minimum
        else f"sans délai minimal après la fin (C. civ. 2230, {article})"
    )
    clock.lines.append(
        f"Suspension ({words}) du {fr_date(since)} au {fr_date(end)} : le délai restant est "
        f"conservé, {rest} : jusqu'au {fr_date(clock.deadline)}."
    )


def _too_late(clock: _Clock, event: PrescriptionEvent, deadline: date) -> None:
    # After prescription has run there is nothing to interrupt (2240 acts on a running period)
    line = (
        f"L'acte du {fr_date(event.date)} est postérieur à l'acquisition de la prescription "
        f"le {fr_date(add_days(deadline, 1))} : il ne l'interrompt pas."
    )
    if event.kind in ACKNOWLEDGING:
        line += (
            " S'il manifeste sans équivoque la volonté du débiteur de payer, il peut valoir "
            "renonciation à la prescription acquise (C. civ. 2250, 2251 ; Cass. com. 7 juill. "
            "2009, n° 08-13.499), et un nouveau délai de même durée court alors ; à défaut, "
            "le débiteur peut encore opposer la prescription, que le juge ne relève pas "
            "d'office (C. civ. 2247)."
        )
    clock.lines.append(line)


def _effective(clock: _Clock, long_stop: date) -> date:
    # C. civ. 2232: capped at 20 years, except what a 2241 al. 1 or 2244 act produced
    if clock.deadline <= long_stop:
        return clock.deadline
    return max(long_stop, clock.uncapped_until or long_stop)


def _apply(clock: _Clock, event: PrescriptionEvent, long_stop: date) -> None:
    deadline = _effective(clock, long_stop)
    if event.date > deadline and clock.suspended_since is None:
        _too_late(clock, event, deadline)
    elif event.kind == "suspension_start":
        if clock.suspended_since is None:
            clock.suspended_since = event.date
            clock.suspension_basis = event.basis
    elif event.kind == "suspension_end":
        if clock.suspended_since is not None:
            _resume(clock, event.date, clock.suspended_since)
    else:
        _interrupt(clock, event)


def _still_suspended(clock: _Clock, as_of: date) -> None:
    since = clock.suspended_since
    assert since is not None
    words, article, minimum = _SUSPENSIONS[clock.suspension_basis]
    clock.deadline = clock.deadline + (as_of - since)
    if minimum:
        clock.deadline = max(clock.deadline, add_months(as_of, SUSPENSION_MINIMUM_MONTHS))
    clock.lines.append(
        f"Suspension en cours depuis le {fr_date(since)} ({words}) : le délai ne court pas ; "
        f"au plus tôt le {fr_date(clock.deadline)}, à recalculer à la fin de la suspension "
        f"(C. civ. 2230, {article})."
    )


def _cap(clock: _Clock, start: date, long_stop: date) -> None:
    # C. civ. 2232 al. 1 caps; al. 2 exempts 2241 al. 1 (service of the ordonnance) and 2244
    deadline = _effective(clock, long_stop)
    if deadline == clock.deadline:
        if clock.uncapped_until is not None and clock.deadline > long_stop:
            clock.lines.append(
                f"Le délai butoir de 20 ans à compter du {fr_date(start)} "
                f"({fr_date(long_stop)}) ne s'applique pas à une demande en justice ni à un "
                "acte d'exécution forcée (C. civ. 2232 al. 2)."
            )
        return
    clock.deadline = deadline
    if deadline == long_stop:
        clock.lines.append(
            f"Plafonné au délai butoir de 20 ans à compter du {fr_date(start)} : "
            f"{fr_date(long_stop)} (C. civ. 2232 al. 1)."
        )
    else:
        clock.lines.append(
            f"Au-delà du délai butoir de 20 ans ({fr_date(long_stop)}), seul compte le délai "
            f"ouvert par la demande en justice ou l'acte d'exécution, jusqu'au "
            f"{fr_date(deadline)} (C. civ. 2232 al. 1 et 2)."
        )


def _run(
    years: int, start: date, as_of: date, events: Sequence[PrescriptionEvent]
) -> _Clock:
    clock = _Clock(years, add_years(start, years))
    long_stop = add_years(start, LONG_STOP_YEARS)
    for event in sorted(events, key=lambda e: e.date):
        if event.date < start or event.date > as_of:
            when = "antérieur au point de départ" if event.date < start else "futur"
            clock.lines.append(f"Événement du {fr_date(event.date)} ignoré ({when}).")
            continue
        _apply(clock, event, long_stop)
    if clock.suspended_since is not None:
        _still_suspended(clock, as_of)
    _cap(clock, start, long_stop)
    return clock


def _explanation(
    basis: str, start: date, as_of: date, clock: _Clock, alternative: date | None
) -> tuple[str, ...]:
    lines = [
        f"Point de départ retenu : {fr_date(start)} (livraison ou achèvement, à défaut date de "
        "la facture ; C. civ. 2224, Cass. com. 26 févr. 2020, n° 18-25.036).",
        f"Délai de prescription : {_BASIS[basis]}.",
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
    claim: Claim = "ordinary",
) -> Prescription:
    """Deadline to act on the claim (LAW.md §1); `start` = delivery/completion, else invoice.

    `claim="goods_transport"`: 1 year from delivery (C. com. L133-6), whoever the debtor is."""
    transport = claim == "goods_transport"
    basis = "goods_transport" if transport else debtor_kind
    years = TRANSPORT_YEARS if transport else YEARS[debtor_kind]
    clock = _run(years, start, as_of, events)
    alternative = None
    if due_date is not None and due_date > start and not transport:
        later = _run(years, due_date, as_of, events).deadline
        alternative = later if later > clock.deadline else None
    return Prescription(
        start=start,
        years=clock.years,
        deadline=clock.deadline,
        prescribed=as_of > clock.deadline,
        days_left=(clock.deadline - as_of).days,
        explanation=_explanation(basis, start, as_of, clock, alternative),
        alternative_deadline=alternative,
        claim=claim,
    )
