"""Reading user input (forms and JSON alike) into typed values, with French error messages.

A `FormReader` collects every field error before anything is saved; `check()` raises
`ValidationFailed` with all of them, so the page can show each next to its field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from app.errors import ValidationFailed

CENT = Decimal("0.01")
# C0 controls but tab, line feed and carriage return; DEL; C1 controls. Invisible, they
# break letters, CSV and PDFs, and serve to smuggle text past a reader.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[\s\u00a0\u202f']")
# One address an SMTP server takes as is (RFC 5321 without SMTPUTF8): an ASCII dot-atom, "@",
# a domain name of ASCII labels.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_EMAIL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})+")
MAX_AMOUNT = Decimal("999999999.99")


def control_character_error(value: str) -> str | None:
    """The French reason to refuse `value` if it holds a control character, else None."""
    found = CONTROL_CHARACTERS.search(value)
    if found is None:
        return None
    return (f"Caractère de contrôle invisible (U+{ord(found.group()):04X}) refusé : "
            "retirez-le ou retapez le texte.")


def strip_control_characters(value: str) -> str:
    """Imported data is not refused for them: they are removed."""
    return CONTROL_CHARACTERS.sub("", value)


class AmountTooLarge(ValueError):
    """Digits enough for no invoice: 10^15 € or more (past MAX_AMOUNT in any case)."""


def parse_amount(text: str) -> Decimal:
    """'1 234,56' / '1234.56' / '1 234,56 €' → Decimal('1234.56'); ValueError if not money,
    AmountTooLarge past 10^15 (30 digits made quantize raise outside the `try`: a 500)."""
    cleaned = _SPACES.sub("", str(text)).replace("€", "")
    if "," in cleaned:
        if "." in cleaned:  # 1.234,56
            cleaned = cleaned.replace(".", "")
        cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        raise ValueError(text)
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if value and value.adjusted() >= 15:
        raise AmountTooLarge(text)
    if value != value.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ValueError(text)
    return value.quantize(CENT)


# The days a file's invoices, payments and steps may hold: year 1 or 9999 broke the calendar
# of every page that read them (months added past 9999, a semester named "1-S1"); the
# calculators' API says the same. A pièce or a birth may be older (`first`).
FIRST_DAY, LAST_DAY = date(1990, 1, 1), date(2100, 12, 31)
OLDEST_DAY = date(1900, 1, 1)  # a pièce's date, a creditor's birth
RANGE_TEXT = "du 01/01/1990 au 31/12/2100"
OUT_OF_RANGE = f"Date hors de la plage admise : {RANGE_TEXT}."


class DateOutOfRange(ValueError):
    """A real date, outside `first` … LAST_DAY."""


def in_range(day: date, first: date = FIRST_DAY) -> date:
    if not first <= day <= LAST_DAY:
        raise DateOutOfRange(out_of_range(first))
    return day


def out_of_range(first: date) -> str:
    return f"Date hors de la plage admise : du {first:%d/%m/%Y} au {LAST_DAY:%d/%m/%Y}."


def form_id(value: object) -> int | None:
    """A row id or index sent in a form or a URL: ASCII digits, fewer than 10 (str.isdigit()
    also takes "²", which int() refuses, and int() refuses 5,000 digits); else None."""
    text = str(value).strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def parse_date(text: str, first: date = FIRST_DAY) -> date:
    """ISO (2026-03-15, from date inputs and the API) or French (15/03/2026), within
    `first` … LAST_DAY (else DateOutOfRange)."""
    text = str(text).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a calendar date)
        except ValueError:
            continue
        return in_range(day, first)
    raise ValueError(text)


def email_problem(value: str) -> str:
    """Why `value` is not one e-mail address a reminder can be sent to ("" = it is)."""
    if _EMAIL.fullmatch(value):
        return ""
    if "@" in value and (re.search(r"[\s,;]", value) or value.count("@") > 1):
        return "Une seule adresse e-mail, sans espace, virgule ni point-virgule."
    if not value.isascii() and re.fullmatch(r"[^@]+@[^@]+\.[^@]+", value):
        return "Adresse e-mail inutilisable pour l'envoi : pas d'accent ni de caractère spécial."
    return "Adresse e-mail invalide."


class FormReader:
    """Typed access to submitted fields; errors accumulate in `errors`."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.errors: dict[str, str] = {}

    def _raw(self, name: str) -> str:
        value = self.data.get(name)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "1" if value else ""
        return str(value).strip()

    def has(self, name: str) -> bool:
        return self._raw(name) != ""

    def text(self, name: str, *, required: bool = False, max_length: int = 200,
             label: str = "Ce champ") -> str:
        value = self._raw(name)
        control = control_character_error(value)
        if control:
            self.errors[name] = control
        elif required and not value:
            self.errors[name] = f"{label} est obligatoire."
        elif len(value) > max_length:
            self.errors[name] = f"{max_length} caractères au maximum."
        return value

    def choice(self, name: str, options: Mapping[str, str], *, default: str = "") -> str:
        value = self._raw(name) or default
        if value not in options:
            self.errors[name] = "Choix invalide."
            return default
        return value

    def flag(self, name: str) -> bool:
        return self._raw(name).lower() in {"1", "true", "on", "oui", "yes"}

    def money(self, name: str, *, required: bool = True, allow_negative: bool = False
              ) -> Decimal | None:
        raw = self._raw(name)
        if not raw:
            if required:
                self.errors[name] = "Montant obligatoire."
            return None
        try:
            value = parse_amount(raw)
        except AmountTooLarge:
            self.errors[name] = "Montant trop élevé."
            return None
        except ValueError:
            self.errors[name] = "Montant invalide : écrivez par exemple 1 234,56 (deux décimales au plus)."
            return None
        if value < 0 and not allow_negative:
            self.errors[name] = "Le montant ne peut pas être négatif."
        elif abs(value) > MAX_AMOUNT:
            self.errors[name] = "Montant trop élevé."
        return value

    def rate(self, name: str) -> Decimal | None:
        raw = self._raw(name).replace("%", "")
        if not raw:
            return None
        try:
            value = parse_amount(raw)
        except AmountTooLarge:
            self.errors[name] = "Le taux doit être compris entre 0 et 100 %."
            return None
        except ValueError:
            self.errors[name] = "Taux invalide : écrivez par exemple 12,15."
            return None
        if not Decimal(0) <= value <= Decimal(100):
            self.errors[name] = "Le taux doit être compris entre 0 et 100 %."
        return value

    def date(self, name: str, *, required: bool = True, label: str = "Date",
             first: date = FIRST_DAY) -> date | None:
        raw = self._raw(name)
        if not raw:
            if required:
                self.errors[name] = f"{label} obligatoire."
            return None
        try:
            return parse_date(raw, first)
        except DateOutOfRange:
            self.errors[name] = out_of_range(first)
        except ValueError:
            self.errors[name] = "Date invalide : écrivez JJ/MM/AAAA."
        return None

    def integer(self, name: str, *, required: bool = False, minimum: int = 0,
                maximum: int = 10**9) -> int | None:
        raw = self._raw(name)
        if not raw:
            if required:
                self.errors[name] = "Nombre obligatoire."
            return None
        if not re.fullmatch(r"-?\d+", raw) or not minimum <= int(raw) <= maximum:
            self.errors[name] = f"Nombre entier entre {minimum} et {maximum} attendu."
            return None
        return int(raw)

    def siren(self, name: str) -> str:
        raw = _SPACES.sub("", self._raw(name))
        if not raw:
            return ""
        try:
            return stdnum_siren.validate(raw)
        except StdnumError:
            self.errors[name] = "SIREN invalide : 9 chiffres dont le dernier est une clé de contrôle."
            return raw

    def siret(self, name: str) -> str:
        raw = _SPACES.sub("", self._raw(name))
        if not raw:
            return ""
        try:
            return stdnum_siret.validate(raw)
        except StdnumError:
            self.errors[name] = "SIRET invalide : 14 chiffres, clé de contrôle incorrecte."
            return raw

    def iban(self, name: str) -> str:
        raw = _SPACES.sub("", self._raw(name)).upper()
        if not raw:
            return ""
        try:
            return stdnum_iban.validate(raw)
        except StdnumError:
            self.errors[name] = "IBAN invalide : vérifiez les chiffres et la clé."
            return raw

    def email(self, name: str) -> str:
        value = self.text(name, max_length=254)
        problem = email_problem(value) if value else ""
        if problem:
            self.errors[name] = problem
        return value

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def check(self) -> None:
        if self.errors:
            raise ValidationFailed(dict(self.errors))
