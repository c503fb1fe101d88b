"""What a person typed in the search box, made into safe search terms.

Whatever is typed (quotes, parentheses, `*`, `NEAR`, `OR`, `-`, SQL) becomes plain words:
runs of letters and digits. A chunk written without spaces ("BL-2026-77", "12/03/2026")
stays one phrase, its words in that order. Nothing typed is ever handed to the database's
query syntax: each engine builds its query from these words alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from app.errors import ValidationFailed

MAX_QUERY = 200  # characters
MAX_TERMS = 12
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Term:
    """One phrase: its words, in order (one word most of the time)."""

    words: tuple[str, ...]

    @property
    def prefix(self) -> bool:
        """A single word of 4 letters or more also finds its longer forms (facture → factures):
        the embedded index has no French stemmer."""
        return len(self.words) == 1 and self.words[0].isalpha() and len(self.words[0]) >= 4

    @property
    def stem(self) -> str:
        """The prefix searched: the word, its plural mark dropped (factures → facture*)."""
        word = self.words[0]
        return word[:-1] if len(word) >= 5 and word[-1] in "sx" else word


def parse(query: str) -> list[Term]:
    """The phrases of `query`, at most MAX_TERMS; [] when nothing searchable was typed."""
    text = unicodedata.normalize("NFC", query)
    terms: list[Term] = []
    for chunk in text.split():
        words = tuple(w.lower() for w in _WORD.findall(chunk))
        if words and Term(words) not in terms:
            terms.append(Term(words))
    return terms[:MAX_TERMS]


def checked(query: str | None) -> list[Term]:
    """The terms of a query typed by a person, or a French message saying what is wrong."""
    query = (query or "").strip()
    if not query:
        raise ValidationFailed({"q": "Saisissez au moins un mot à chercher."})
    if len(query) > MAX_QUERY:
        raise ValidationFailed(
            {"q": f"Recherche trop longue : {MAX_QUERY} caractères au plus ({len(query)} saisis)."})
    terms = parse(query)
    if not terms:
        raise ValidationFailed({"q": "Saisissez des lettres ou des chiffres à chercher."})
    return terms


def fold(word: str) -> str:
    """The word without its accents (échéance → echeance)."""
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
