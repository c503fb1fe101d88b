"""What a pièce's text suggests: its kind, its date, the invoices it concerns, its amounts.

Pure and deterministic (standard library only): the text in, suggestions out, nothing applied;
a person confirms them. The text may come from OCR, so the readers tolerate its usual noise:
O for 0, l for 1, stray spaces and dashes inside numbers, accents lost.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.evidence.kinds import CONTENT_RULES, fold


@dataclass(frozen=True)
class Suggestions:
    kind: str = ""  # an EVIDENCE_KINDS code, "" when the text says nothing clear
    date: date | None = None
    invoices: list[str] = field(default_factory=list)  # the debtor's invoice numbers found
    amounts: list[str] = field(default_factory=list)  # decimal strings, in order of appearance


def suggest(text: str, invoice_numbers: Sequence[str] = ()) -> Suggestions:
    return Suggestions(kind_of(text), date_of(text), invoices_in(text, invoice_numbers),
                       amounts_in(text))


def flat(text: str) -> str:
    """Folded (lower case, no accents) with runs of blanks as one space."""
    return " ".join(fold(text).split())


# ---------------------------------------------------------------- kind

# A letter sent by registered post names its "avis de réception": that is not the AR itself.
_LETTER_AR = re.compile(r"(recommande|lettre|lrar|courrier|envoi)\w*( avec)?( demande d)? ?"
                        r"(d )?avis de reception")
_AR_FORM = re.compile(r"presentee? le|avisee? le|distribuee? le|signature du destinataire|"
                      r"date de presentation|date de distribution")
_SIGNED = re.compile(r"bon pour accord|lu et approuve|signature du client|"
                     r"cachet et signature|accord du client")
# (kind, pattern): the earliest match in the text wins (the heading comes first).
_KIND_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern)) for kind, pattern in (
        ("ar_unclaimed", r"pli avise et non reclame|avise non reclame|non reclame"),
        ("mise_en_demeure_copy", r"mise en demeure|met(tons|tent)? en demeure"),
        ("reminder_copy", r"\brelance\b|\brappel\b|\bsecond avis\b|\bdernier avis\b"),
        ("signed_quote", r"\bdevis\b|bon pour accord"),
        ("delivery_note", r"bon de livraison|\bbl ?n ?o?\b|bordereau de livraison|"
                          r"proces verbal de reception"),
        ("purchase_order", r"bon de commande"),
        ("acknowledgment", r"reconnaissance de dette"),
        ("invoice", r"\bfacture\b|\binvoice\b"),
    ))
_TOTALS = re.compile(r"total (ht|ttc|a payer)|net a payer|montant (ht|ttc)|\btva\b")


def kind_of(text: str) -> str:
    """The kind the text's heading and wording say, or "" when unsure."""
    folded = flat(text)
    if not folded:
        return ""
    letter_free = _LETTER_AR.sub(" ", folded)
    if "avis de reception" in letter_free and _AR_FORM.search(folded):
        unclaimed = re.search(r"non reclame|pli avise", folded)
        return "ar_unclaimed" if unclaimed else "ar_signed"
    best: tuple[int, str] | None = None
    for kind, pattern in _KIND_RULES:
        match = pattern.search(folded)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), kind)
    if best is None:
        return _other_kind(folded)
    kind = best[1]
    if kind == "invoice" and not _TOTALS.search(folded):  # an invoice has totals: else the
        return _weak_kind(folded) or _other_kind(folded) or "invoice"  # "facture" is a reference
    return kind


# Words that point to a kind when no heading was read (OCR may break a heading apart).
_WEAK_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern)) for kind, pattern in (
        ("delivery_note", r"livraison|livre(e|es|s)? le|receptionnaire|"
                          r"marchandises? recues?"),
        ("reminder_copy", r"sauf erreur de notre part|n'a pas ete reglee|restant du"),
    ))


def _weak_kind(folded: str) -> str:
    for kind, pattern in _WEAK_RULES:
        if pattern.search(folded):
            return kind
    return ""


def _other_kind(folded: str) -> str:
    for kind, pattern in CONTENT_RULES:
        if kind in ("contract", "terms_of_sale", "lre_proof", "posting_proof") and \
                re.search(pattern, folded):
            return kind
    return ""


def is_signed_quote(text: str) -> bool:
    """A quote with its acceptance: "bon pour accord", "lu et approuvé", a signature block."""
    return bool(_SIGNED.search(flat(text)))


# ---------------------------------------------------------------- date

MONTHS = {"janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4,
          "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9,
          "sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12,
          "dec": 12}
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2}) ?[/.-] ?(\d{1,2}) ?[/.-] ?(\d{4}|\d{2})(?!\d)")
_WORDS = re.compile(rf"(?<![a-z0-9])(1er|\d{{1,2}}) ({_MONTH_NAMES})\.? (\d{{4}})(?!\d)")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
# What precedes a date says which date it is (window of folded text before it).
_CUES: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"(bon pour accord|lu et approuve|fait a [a-z' -]+)[ ,:]*(le)?[ :]*$"), 6),
    (re.compile(r"(presentee?|distribuee?|avisee?)( ?/ ?avisee?)? le[ :]*$"), 6),
    (re.compile(r"(\ble|, le)[ :]*$"), 4),
    (re.compile(r"\bdate( de (la )?(facture|livraison|emission|signature|l'envoi))?[ :]*$"), 4),
    (re.compile(r"\ben date du[ :]*$"), 3),
    (re.compile(r"\bdu[ :]*$"), 1),
)
_DUE = re.compile(r"(echeance|echue?|avant le|au plus tard|limite|validite|valable|jusqu'au|"
                  r"naissance|delai|sous \d+ jours)[^.\n]{0,20}$")


def dates_in(text: str) -> list[tuple[int, date, int]]:
    """Every valid date in the text: (position, date, score from what precedes it)."""
    folded = plain(text)
    found: list[tuple[int, date, int]] = []
    for pattern, order in ((_NUMERIC, "dmy"), (_WORDS, "dMy"), (_ISO, "ymd")):
        for match in pattern.finditer(folded):
            day = _as_date(match.groups(), order)
            if day is not None:
                found.append((match.start(), day, _score(folded[:match.start()][-40:])))
    return sorted(found)


def _as_date(parts: tuple[str | None, ...], order: str) -> date | None:
    a, b, c = (p or "" for p in parts)
    try:
        if order == "ymd":
            return date(int(a), int(b), int(c))
        day = 1 if a == "1er" else int(a)
        month = MONTHS[b] if order == "dMy" else int(b)
        year = int(c) + (2000 if len(c) == 2 else 0)
        if not 1990 <= year <= 2100:
            return None
        return date(year, month, day)
    except (ValueError, KeyError):
        return None


def _score(before: str) -> int:
    """Points of the first cue (most telling first) found just before a date: a due date
    ("échéance : le …") loses, whatever else precedes it."""
    if _DUE.search(before):
        return -6
    return next((points for pattern, points in _CUES if pattern.search(before)), 0)


def plain(text: str) -> str:
    """Lower case, no accents, runs of blanks as one space; punctuation kept (dates need it)."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(kept.replace("’", "'").split())


def date_of(text: str) -> date | None:
    """The document's date: the best-introduced one ("le", "date", "fait à", "présenté
    le"…), the earliest among equals; never a due date when another date is there."""
    found = dates_in(text)
    if not found:
        return None
    best = max(found, key=lambda item: (item[2], -item[0]))
    return best[1]


# ---------------------------------------------------------------- invoices

_SEPARATORS = r"[\s\-_./\u2010-\u2015]{0,2}"
# Characters OCR confuses, read both ways.
_LOOKALIKES = {"0": "0oOQ", "o": "0oOQ", "1": "1lIi|!", "l": "1lIi|", "i": "1lIi|",
               "5": "5sS", "s": "5sS", "8": "8B", "b": "8B", "2": "2zZ", "z": "2zZ"}


def _number_pattern(number: str) -> re.Pattern[str] | None:
    characters = [c for c in number if c.isalnum()]
    if not characters:
        return None
    parts = []
    for c in characters:
        alike = _LOOKALIKES.get(c.lower(), c.lower() + c.upper())
        parts.append("[" + re.escape("".join(dict.fromkeys(alike + c.lower() + c.upper()))) + "]")
    body = _SEPARATORS.join(parts)
    before = r"(?<![A-Za-z0-9])(?<![A-Za-z0-9][-/._])(?<![0-9][,.])"  # not inside a longer one
    return re.compile(rf"{before}{body}(?![A-Za-z0-9])(?![,.][0-9])")


_INVOICE_CUE = re.compile(r"(fact|fa?ct?ure|n ?[o°]|num|ref)[^\n]{0,20}$", re.IGNORECASE)


def invoices_in(text: str, invoice_numbers: Sequence[str]) -> list[str]:
    """The given invoice numbers found in the text, in their own spelling, sorted. A short
    all-digit number ("140") counts only after "facture", "n°" or "réf.": else it is as
    likely a quantity or a price."""
    found = []
    for number in dict.fromkeys(n for n in invoice_numbers if n):
        pattern = _number_pattern(number)
        if pattern is None:
            continue
        weak = not any(c.isalpha() for c in number) and sum(c.isdigit() for c in number) < 5
        for match in pattern.finditer(text):
            if not weak or _INVOICE_CUE.search(text[max(0, match.start() - 30):match.start()]):
                found.append(number)
                break
    return sorted(found)


# ---------------------------------------------------------------- amounts

_AMOUNT = re.compile(
    r"(?<![\d,.])(\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d+),(\d{2})(?![\d,])(?: ?(?:€|eur|euros?))?"
    r"|(?<![\d,.])(\d{1,3}(?:[ \u00a0\u202f,]\d{3})+|\d+)\.(\d{2}) ?(?:€|eur\b|euros?\b)"
    r"|(?<![\d,.])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+) ?(?:€|eur\b|euros?\b)", re.IGNORECASE)


def amounts_in(text: str) -> list[str]:
    """Sums of money written the French way ("1 234,56 €", "1.234,56", "450 €"), or with a
    decimal point when the currency follows ("29.99 €"), as decimal strings, each once, in
    order of appearance."""
    amounts: list[str] = []
    for match in _AMOUNT.finditer(text):
        whole, cents, point_whole, point_cents, bare = match.groups()
        if point_whole is not None:
            whole, cents = point_whole, point_cents
        digits = re.sub(r"\D", "", whole if whole is not None else bare)
        value = Decimal(f"{int(digits)}.{cents}") if whole is not None else Decimal(int(digits))
        if value <= 0:
            continue
        amounts.append(str(value.quantize(Decimal("0.01"))))
    return list(dict.fromkeys(amounts))
