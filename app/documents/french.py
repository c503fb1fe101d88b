"""French typography for generated documents: no-break spaces, guillemets, amounts in words.

Imprimerie nationale usage: a no-break space before ":" and inside « », a narrow no-break space
before ";", "!" and "?"; amounts never break between digits or before "€".
"""

from __future__ import annotations

import html
import re
from decimal import ROUND_HALF_UP, Decimal

from num2words import num2words

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space
CENT = Decimal("0.01")

# Each rule turns a typed space into the right no-break space; none adds a space that was not
# typed ("Yahoo!", "«Étoile»" in a name print as entered).
_BEFORE_COLON = re.compile(r"[ \u00a0\u202f]+:(?=\s|$|<)")
_BEFORE_HIGH = re.compile(r"(?<=\S)[ \u00a0\u202f]+([;!?])(?=\s|$|<|»)")
_OPEN_QUOTE = re.compile(r"«[ \u00a0\u202f]+")
_CLOSE_QUOTE = re.compile(r"[ \u00a0\u202f]+»")
_WORD = re.compile(r"\w+")
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
# Never break "40 €", "12,15 %", "n° F-1", "8 jours", "30 septembre 2025" across lines.
_KEEP_TOGETHER = re.compile(
    rf"(?<=\d) (?=€|%|jours\b|ans\b|mois\b|{_MONTHS})|(?<=n°) |(?<=[a-zé]) (?=(?:19|20)\d\d\b)"
)


def typeset(text: str) -> str:
    """Put the French no-break spaces in running text (idempotent)."""
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _BEFORE_HIGH.sub(lambda m: NNBSP + m.group(1), text)
    text = _OPEN_QUOTE.sub("«" + NBSP, text)
    text = _CLOSE_QUOTE.sub(NBSP + "»", text)
    return _KEEP_TOGETHER.sub(NBSP, text)


def typeset_html(document: str) -> str:
    """Apply `typeset` to the text of the <body> only (never to tags, CSS or attributes)."""
    head, marker, body = document.partition("<body")
    if not marker:
        return document
    parts = _TAG_OR_TEXT.split(body)
    # Even indexes are text between tags; the first one is the rest of the <body …> tag itself.
    fixed = [part if index % 2 or index == 0 else _typeset_text(part)
             for index, part in enumerate(parts)]
    return head + marker + "".join(fixed)


def _typeset_text(escaped: str) -> str:
    """Typeset the text an HTML fragment shows, not its source: "&amp;" stays one character
    (its ";" takes no space), then escape it again."""
    return html.escape(typeset(html.unescape(escaped)), quote=False)


def function_fr(title: str) -> str:
    """A function inside a sentence: "Gérante" → "gérante", "Directeur Général" → "directeur
    général"; a word in capitals (an acronym: "PDG") or with a capital inside stays as typed."""
    return _WORD.sub(lambda m: m.group(0).lower() if m.group(0)[1:].islower() else m.group(0),
                     title)


def _euros(units: int) -> str:
    if units == 0:
        return "zéro euro"
    words = num2words(units, lang="fr")
    if units == 1:
        return "un euro"
    # "un million d'euros", "deux milliards d'euros": de before a noun of quantity
    if words.endswith(("million", "millions", "milliard", "milliards")):
        return f"{words} d'euros"
    return f"{words} euros"


def amount_in_words(amount: Decimal) -> str:
    """Decimal('1337.71') → 'mille trois cent trente-sept euros et soixante et onze centimes'."""
    cents_total = int((amount.quantize(CENT, rounding=ROUND_HALF_UP) * 100).to_integral_value())
    if cents_total < 0:
        raise ValueError("montant négatif")
    units, cents = divmod(cents_total, 100)
    text = _euros(units)
    if cents:
        text += f" et {num2words(cents, lang='fr')} centime{'s' if cents > 1 else ''}"
    return text
