"""FEC and spreadsheet files built in the tests: readable entries, any separator and encoding.

A sale is three lines (411 customer debit, 706 sales credit, 44571 VAT credit); a receipt is
two (512 bank debit, 411 customer credit); a credit note reverses a sale. Amounts in euros.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from app.imports.fec import FEC_COLUMNS

VAT_RATE = Decimal("0.20")


def fr(amount: Decimal | str | int) -> str:
    return f"{Decimal(amount):.2f}".replace(".", ",") if Decimal(amount) else "0,00"


@dataclass
class Fec:
    """Entries written one line per FEC row; `build()` gives the file's bytes."""

    rows: list[list[str]] = field(default_factory=list)
    number: int = 0

    def line(self, journal: str, day: str, account: str, piece: str, label: str,
             debit: Decimal | str = "0", credit: Decimal | str = "0", aux: str = "",
             aux_name: str = "", letter: str = "", piece_day: str = "") -> None:
        self.rows.append([
            journal, {"VT": "Ventes", "BQ": "Banque"}.get(journal, journal), str(self.number),
            day, account, {"411": "Clients", "706": "Prestations", "445": "TVA collectée",
                           "512": "Banque"}.get(account[:3], "Compte"),
            aux, aux_name, piece, piece_day or day, label, fr(debit), fr(credit), letter,
            day if letter else "", day, "", "EUR"])

    def sale(self, day: str, aux: str, name: str, piece: str, ttc: str, letter: str = ""
             ) -> Fec:
        self.number += 1
        total = Decimal(ttc)
        vat = (total - total / (1 + VAT_RATE)).quantize(Decimal("0.01"))
        self.line("VT", day, "411000", piece, f"Facture {piece}", debit=total, aux=aux,
                  aux_name=name, letter=letter)
        self.line("VT", day, "706000", piece, f"Facture {piece}", credit=total - vat)
        self.line("VT", day, "445710", piece, f"Facture {piece}", credit=vat)
        return self

    def credit_note(self, day: str, aux: str, name: str, piece: str, ttc: str,
                    letter: str = "") -> Fec:
        self.number += 1
        total = Decimal(ttc)
        vat = (total - total / (1 + VAT_RATE)).quantize(Decimal("0.01"))
        self.line("VT", day, "411000", piece, f"Avoir {piece}", credit=total, aux=aux,
                  aux_name=name, letter=letter)
        self.line("VT", day, "706000", piece, f"Avoir {piece}", debit=total - vat)
        self.line("VT", day, "445710", piece, f"Avoir {piece}", debit=vat)
        return self

    def receipt(self, day: str, aux: str, name: str, piece: str, amount: str,
                letter: str = "") -> Fec:
        self.number += 1
        self.line("BQ", day, "512000", piece, f"Virement {name}", debit=amount)
        self.line("BQ", day, "411000", piece, f"Virement {name}", credit=amount, aux=aux,
                  aux_name=name, letter=letter)
        return self

    def text(self, separator: str = "\t") -> str:
        lines = [separator.join(FEC_COLUMNS)] + [separator.join(row) for row in self.rows]
        return "\r\n".join(lines) + "\r\n"

    def build(self, separator: str = "\t", encoding: str = "utf-8") -> bytes:
        return self.text(separator).encode(encoding)


def ledger() -> Fec:
    """The story of Menuiserie Lefèvre's customers at the end of 2026.

    - Durand BTP: F-2026-071 (10 080 €) partly paid by VIR-8812 (2 000 €, partial lettrage
      "AA"); F-2026-084 (3 780 €) unlettered, open in full.
    - Hôtel du Port: F-2026-032 (15 120 €) fully lettered with VIR-9001 ("AB"): settled.
    - Boulangerie Martin: F-2026-118 (2 940 €) and a credit note AV-2026-004 (240 €) lettered
      with it ("AC"): 2 700 € left; a payment CHQ-5521 (500 €) with no lettrage.
    - Crêperie Kérouac (accents, for the encodings): F-2026-120 (600 €) open.
    """
    return (Fec()
            .sale("20260810", "CDURAND", "DURAND BTP", "F-2026-071", "10080.00", letter="AA")
            .sale("20260904", "CDURAND", "DURAND BTP", "F-2026-084", "3780.00")
            .sale("20260623", "CHOTEL", "Hôtel du Port", "F-2026-032", "15120.00",
                  letter="AB")
            .sale("20261013", "CMARTIN", "Boulangerie Martin", "F-2026-118", "2940.00",
                  letter="AC")
            .sale("20261015", "CKEROUAC", "Crêperie Kérouac", "F-2026-120", "600.00")
            .receipt("20261023", "CDURAND", "DURAND BTP", "VIR-8812", "2000.00", letter="AA")
            .receipt("20260801", "CHOTEL", "Hôtel du Port", "VIR-9001", "15120.00",
                     letter="AB")
            .credit_note("20261020", "CMARTIN", "Boulangerie Martin", "AV-2026-004", "240.00",
                         letter="AC")
            .receipt("20261101", "CMARTIN", "Boulangerie Martin", "CHQ-5521", "500.00"))
