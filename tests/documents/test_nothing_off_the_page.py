"""Long names, streets, invoice numbers and amounts wrap inside the page, and the dispatch
mention never covers the sender's block.

Seen (attack review): a debtor name with no space, a 300-character street, a 60-character
invoice number and 999 999 999 € ran off the right edge of the mise en demeure; a long
creditor name ran under "Lettre recommandée avec accusé de réception"."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from decimal import Decimal

from app.documents.letters import render_letter
from tests.documents.test_wording import inputs

POINTS_PER_MM = 72 / 25.4


def words(pdf: bytes, last_page: int = 0,
          ) -> list[tuple[str, float, float, float, float, float]]:
    """(word, xMin, yMin, xMax, yMax, page width) of every word, from poppler's pdftotext
    (up to `last_page` when given)."""
    pages = ["-l", str(last_page)] if last_page else []
    html = subprocess.run(["pdftotext", "-bbox", *pages, "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()
    found = []
    for page in re.finditer(r'<page width="([\d.]+)".*?</page>', html, re.S):
        width = float(page.group(1))
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                             r'yMax="([\d.]+)">([^<]*)</word>', page.group(0)):
            found.append((m.group(5), *map(float, m.groups()[:4]), width))
    return found


def test_a_letter_of_outsized_values_stays_within_the_page(session, owner):
    _, letter = inputs(session, owner)
    debtor = replace(letter.debtor, name="SOCIETE" + "X" * 110,
                     street="Zone d'activité " + "Grand-Rue-" * 28)
    creditor = replace(letter.creditor, name=("Société Coopérative Ouvrière de Production de "
                                              "Menuiserie, Charpente, Couverture et Zinguerie "
                                              "du Grand-Ouest et des Pays de la Loire Réunis"))
    row = replace(letter.decompte.invoices[0], number="F-" + "2026" * 15,
                  amount=Decimal("999999999.00"), principal=Decimal("999999999.00"))
    decompte = replace(letter.decompte, invoices=(row, *letter.decompte.invoices[1:]),
                       principal=Decimal("999999999.00"), total=Decimal("999999999.00"))
    pdf = render_letter(replace(letter, debtor=debtor, creditor=creditor, decompte=decompte,
                                channel="lrar")).data
    placed = words(pdf)
    assert placed
    margin = 5 * POINTS_PER_MM
    off = [w for w in placed if w[3] > w[5] - margin]
    assert off == [], off
    sender = [w for w in placed if w[0] == "Réunis"]
    dispatch = [w for w in placed if w[0] == "recommandée"]
    assert sender and dispatch and dispatch[0][2] > sender[0][4]  # below the sender's name
