""""page 1 / 3" prints on one line, whatever the length of the creditor's footer beside it.

Seen (papers review): with a creditor named "L'Atelier d'Ébénisterie Rousseau & Fils —
Menuiserie générale du Maine-et-Loire", the running footer took two lines and squeezed the
page-number box: every page of the mise en demeure, the requête and the déclaration ended with
"page 1 /" and, on the line below, "4" — a cut line on a paper sent to a debtor or a judge.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace

from app.documents.letters import render_letter
from tests.documents.test_wording import inputs

LONG_NAME = ("L'Atelier d'Ébénisterie Rousseau & Fils — Menuiserie générale du "
             "Maine-et-Loire")
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>')


def page_number_lines(pdf: bytes) -> list[list[str]]:
    """Per page, the words on the line of "page" and right of it (poppler's word boxes)."""
    html = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    found = []
    for page in re.findall(r"<page .*?</page>", html, re.S):
        placed = [(float(x), float(y), w) for x, y, w in WORD.findall(page)]
        x0, y0 = next((x, y) for x, y, w in reversed(placed) if w == "page")
        found.append([w for x, y, w in placed if abs(y - y0) < 1 and x >= x0])
    return found


def test_the_page_number_is_not_cut_by_a_long_footer(session, owner):
    _, letter = inputs(session, owner)
    letter = replace(letter, creditor=replace(letter.creditor, name=LONG_NAME))
    rendered = render_letter(letter)
    assert rendered.pages > 1
    lines = page_number_lines(rendered.data)
    assert lines == [["page", str(n), "/", str(rendered.pages)]
                     for n in range(1, rendered.pages + 1)]
