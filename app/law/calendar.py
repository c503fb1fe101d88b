"""Procedural calendar: month/day arithmetic, public holidays and deadlines (CPC 640-642).

Nothing here knows today's date. Public holidays come from the `holidays` package through
`holiday_calendar()` (LAW.md §8 tool rule: France plus the department's subdivision, the
department taken from the postcode with its overseas rule), and are passed to the rules as a
plain `Container[date]`, so tests can inject any calendar. A `HolidayCalendar` also knows which
days are local holidays and the library's version, which an extension resting on a local day
names.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from importlib.metadata import version

import holidays as holidays_lib

WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

# Department → `holidays.France` subdivision: Alsace-Moselle adds Good Friday and 26 December
# (C. trav. L3134-13); overseas departments add their abolition-of-slavery day (L3133-1).
_SUBDIVISIONS = {
    "57": "57",
    "67": "6AE",
    "68": "6AE",
    "971": "971",
    "972": "972",
    "973": "973",
    "974": "974",
    "976": "976",
    "975": "PM",
    "977": "BL",
    "978": "MF",
    "984": "TF",
    "986": "WF",
    "987": "PF",
    "988": "NC",
}
OVERSEAS_DEPARTMENTS = frozenset({"971", "972", "973", "974", "975", "976", "977", "978"})
# Overseas collectivities with "98…" postcodes (Monaco's 980 is abroad)
PACIFIC_COLLECTIVITIES = frozenset({"984", "986", "987", "988"})
# Saint-Barthélemy and Saint-Martin share Guadeloupe's 971 postcodes (INSEE codes 977, 978)
_COLLECTIVITY_POSTCODES = {"97133": "977", "97150": "978"}
HOLIDAYS_SOURCE = f"bibliothèque holidays {version('holidays')}"
ALSACE_MOSELLE = frozenset({"57", "67", "68"})


def fr_date(day: date) -> str:
    """date(2025, 2, 10) → '10/02/2025'."""
    return day.strftime("%d/%m/%Y")


def add_months(start: date, months: int) -> date:
    """Same day number `months` later, or that month's last day (CPC 641)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, monthrange(year, month)[1]))


def add_years(start: date, years: int) -> date:
    """Same day number `years` later; 29 February → 28 February (CPC 641)."""
    return add_months(start, 12 * years)


def add_days(start: date, days: int) -> date:
    """Day periods: the triggering day is not counted (CPC 641 al. 1)."""
    return start + timedelta(days=days)


def is_working_day(day: date, holidays: Container[date]) -> bool:
    """Not a Saturday, a Sunday or a public holiday (CPC 642)."""
    return day.weekday() < 5 and day not in holidays


def next_working_day(day: date, holidays: Container[date]) -> date:
    """Move a deadline off a weekend or public holiday (CPC 642)."""
    while not is_working_day(day, holidays):
        day += timedelta(days=1)
    return day


def normalise_department(department: str | None) -> str | None:
    """' 057 ' → '57', '2a' → '2A', '' → None."""
    if department is None or not department.strip():
        return None
    code = department.strip().upper()
    return code[1:] if code.isdigit() and len(code) == 3 and code[0] == "0" else code


def department_from_postcode(postcode: str | None) -> str | None:
    """French postcode → department: '57000' → '57', '97110' → '971', '20090' → '2A'.

    Overseas (LAW.md §8): the first three digits, never the first two ('97…', '98…');
    Saint-Barthélemy (97133) and Saint-Martin (97150) are 977 and 978."""
    code = (postcode or "").replace(" ", "")
    if len(code) != 5 or not (code.isascii() and code.isdigit()):
        return None
    if code in _COLLECTIVITY_POSTCODES:
        return _COLLECTIVITY_POSTCODES[code]
    if code.startswith("97") or code.startswith("98"):
        return code[:3]
    if code.startswith("20"):  # Corsica: 200xx-201xx Corse-du-Sud, else Haute-Corse
        return "2A" if code[2] in "01" else "2B"
    return code[:2]


class HolidayCalendar(frozenset[date]):
    """Public holidays as a set of dates, knowing its local days (name) and its source."""

    local: dict[date, str]
    place: str

    def __new__(cls, days: Iterable[date], local: dict[date, str], place: str) -> HolidayCalendar:
        calendar = super().__new__(cls, days)
        calendar.local, calendar.place = local, place
        return calendar

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (HolidayCalendar, (set(self), self.local, self.place))


def holiday_calendar(department: str | None, years: Iterable[int]) -> HolidayCalendar:
    """French public holidays (C. trav. L3133-1) plus the department's local ones."""
    code = normalise_department(department) or ""
    subdiv, years = _SUBDIVISIONS.get(code), list(years)
    calendar = holidays_lib.country_holidays("FR", subdiv=subdiv, years=years, language="fr")
    if subdiv is None:
        return HolidayCalendar(calendar.keys(), {}, "")
    national = holidays_lib.country_holidays("FR", years=years)
    local = {day: name for day, name in calendar.items() if day not in national}
    return HolidayCalendar(calendar.keys(), local, code)


def _local_days(start: date, end: date, holidays: Container[date]) -> str:
    """LAW.md §8: an extension resting on a local day names it and the library's version."""
    local: dict[date, str] = getattr(holidays, "local", {})
    days = [day for day in local if start <= day < end and day.weekday() < 5]
    if not days:
        return ""
    listed = ", ".join(f"{fr_date(day)} ({local[day]})" for day in sorted(days))
    plural = "s" if len(days) > 1 else ""
    return (
        f" Jour{plural} férié{plural} local{'aux' if plural else ''} "
        f"({getattr(holidays, 'place', '')}) : {listed}, selon le calendrier de la "
        f"{HOLIDAYS_SOURCE} (C. trav. L3133-1, L3134-13)."
    )


@dataclass(frozen=True)
class Deadline:
    nominal: date
    deadline: date
    extended: bool
    reason: str


def _period_text(months: int, days: int) -> str:
    parts = [f"{months} mois"] if months else []
    if days:
        parts.append(f"{days} jour{'s' if days > 1 else ''}")
    return " et ".join(parts) or "0 jour"


def procedural_deadline(
    start: date,
    *,
    months: int = 0,
    days: int = 0,
    holidays: Container[date],
    extend: bool = True,
) -> Deadline:
    """Last day of a period of months then days from `start` (CPC 640-641), moved (642) or not.

    `extend=True` for periods the creditor waits out; `extend=False` for the creditor's own
    deadlines, shown unextended with the possible extension mentioned (LAW.md §8 tool rule).
    """
    nominal = add_days(add_months(start, months), days)
    moved = next_working_day(nominal, holidays)
    reason = (
        f"Délai de {_period_text(months, days)} à compter du {fr_date(start)} : "
        f"expire le {WEEKDAYS_FR[nominal.weekday()]} {fr_date(nominal)} (CPC 640-641)."
    )
    if moved == nominal:
        return Deadline(nominal, nominal, False, reason)
    if extend:
        reason += (
            f" Ce jour n'étant pas ouvré, le délai est prorogé au "
            f"{WEEKDAYS_FR[moved.weekday()]} {fr_date(moved)} (CPC 642)."
        ) + _local_days(nominal, moved, holidays)
        return Deadline(nominal, moved, True, reason)
    reason += (
        f" Ce jour n'étant pas ouvré, une prorogation au {fr_date(moved)} est possible "
        f"(CPC 642), mais visez le {fr_date(nominal)}."
    ) + _local_days(nominal, moved, holidays)
    return Deadline(nominal, nominal, False, reason)
