"""The FEC reader's fast path reads a file exactly as the careful path does.

The files mix what real exports hold: decimal commas and points, empty Debit / Credit cells,
accents, CP1252 / Latin-1 / UTF-8 with BOM, tab and `|` separators, and broken lines (short
lines, unreadable amounts and dates, an invoice without its number, control characters) that
send single lines to the careful path in the middle of plain ones. Small blocks put entries
across block boundaries.
"""

from __future__ import annotations

import gc
import random
from pathlib import Path

import pytest

from app.imports import fec, fec_entry
from app.imports.lettrage import Ledger
from app.imports.report import ImportReport
from tests.imports.builders import Fec, ledger

NAMES = ["DURAND BTP", "Hôtel du Port", "Crêperie Kérouac", "L’Œuf de Bœuf", "Boulangerie"]


def varied(seed: int, separator: str) -> str:
    """A ledger of sales, receipts and credit notes, then some of its lines made odd."""
    rng = random.Random(seed)
    book = Fec()
    for number in range(300):
        name = rng.choice(NAMES)
        day = f"2026{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        letter = rng.choice(["", "", f"L{number % 40}"])
        amount = f"{rng.randint(1, 900_000) / 100:.2f}"
        kind = rng.random()
        if kind < 0.6:
            book.sale(day, f"C{name[:3].upper()}", name, f"F-{number}", amount, letter=letter)
        elif kind < 0.9:
            book.receipt(day, f"C{name[:3].upper()}", name, f"VIR-{number}", amount, letter)
        else:
            book.credit_note(day, f"C{name[:3].upper()}", name, f"AV-{number}", amount, letter)
    header, *lines = book.text(separator).split("\r\n")
    lines = [line for line in lines if line]
    for index in rng.sample(range(len(lines)), 60):
        cells = lines[index].split(separator)
        odd = rng.randrange(10)
        if odd == 0:
            cells = cells[:9]  # short line
        elif odd == 1:
            cells[11] = cells[11].replace(",", ".")  # decimal point
        elif odd == 2:
            cells[11] = "" if cells[11] == "0,00" else cells[11]  # empty side
            cells[12] = "" if cells[12] == "0,00" else cells[12]
        elif odd == 3:
            cells[11] = "12,5" if cells[11] != "0,00" else "-3,00"  # careful-path amounts
        elif odd == 4:
            cells[9] = "20260231"  # 31 February
        elif odd == 5:
            cells[8] = ""  # no PieceRef
        elif odd == 6:
            cells[7] = cells[7] + "\x07"  # a control character, removed
        elif odd == 7:
            cells[9] = "15/03/2026"  # tolerated date
        elif odd == 8:
            cells[6] = f" {cells[6]} "  # spaces around the account
        else:
            cells[11] = "1 234,56"  # a thousands space
        lines[index] = separator.join(cells)
    return "\r\n".join([header, *lines, "", "   "]) + "\r\n"


def read(path: Path, **options: object) -> tuple[list[fec.CustomerLine], ImportReport]:
    fmt = fec.sniff(path)
    report = ImportReport(kind="fec")
    lines = list(fec.customer_lines(path, fmt, report, **options))  # type: ignore[arg-type]
    return lines, report


@pytest.mark.parametrize("separator", ["\t", "|"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
@pytest.mark.parametrize("seed", [1, 2])
def test_fast_and_careful_paths_read_a_varied_fec_alike(tmp_path, separator, encoding, seed):
    text = varied(seed, separator)
    if encoding == "latin-1":
        text = text.replace("’", "'").replace("Œ", "OE").replace("œ", "oe")
    path = tmp_path / "812345678FEC20261231.txt"
    path.write_bytes(text.encode(encoding))
    careful, careful_report = read(path, fast=False)
    assert careful_report.refused_count >= 3 and len(careful) > 250  # a varied file indeed
    for block_chars in (fec.BLOCK_CHARS, 4096, 300, 1):
        fast, fast_report = read(path, block_chars=block_chars)
        assert fast == careful
        assert fast_report == careful_report
    customers = {c.name: c for c in Ledger().add_all(careful).customers()}
    assert "Crêperie Kérouac" in customers  # accents read in every encoding


def test_the_fast_path_reads_plain_lines_without_the_careful_path(tmp_path, monkeypatch):
    path = tmp_path / "812345678FEC20261231.txt"
    path.write_bytes(ledger().build(encoding="utf-8-sig"))
    calls: list[int] = []
    careful = fec_entry.Entry.read_lines

    def counted(self, lines, first):  # type: ignore[no-untyped-def]
        calls.append(len(lines))
        return careful(self, lines, first)

    monkeypatch.setattr(fec_entry.Entry, "read_lines", counted)
    fast, _ = read(path)
    # a customer line with a date not met yet goes the careful way, which reads and keeps it
    dates = {line.piece_date for line in fast}
    assert calls == [1] * len(dates) and len(fast) == 9
    calls.clear()
    body = ledger().text().split("\r\n", 1)[1]
    path.write_text(ledger().text() + body.replace("\t600,00\t", "\t6OO,00\t"), encoding="utf-8")
    read(path)
    assert calls == [1] * (len(dates) + 1)  # the second time, only the broken line


def test_an_undecodable_line_is_named_by_its_own_number(tmp_path):
    lines = ledger().text().split("\r\n")
    content = "\r\n".join(lines[:17]).encode() + b"\r\n" + lines[17].encode() + b"\xff\r\n"
    path = tmp_path / "812345678FEC20261231.txt"
    path.write_bytes(content + "\r\n".join(lines[18:]).encode())
    fmt = fec.FecFormat("utf-8", "\t", fec.sniff(path).columns, 18)
    with pytest.raises(fec.FileRefused) as refused:
        list(fec.customer_lines(path, fmt, ImportReport(kind="fec")))
    assert refused.value.message.startswith("Ligne 18 : caractères illisibles en UTF-8")


def test_the_collector_is_back_once_the_customers_are_handed_over(tmp_path):
    path = tmp_path / "812345678FEC20261231.txt"
    path.write_bytes(ledger().build())
    lines, _ = read(path)
    assert gc.isenabled()
    customers = Ledger().add_all(lines).customers()
    next(customers)
    assert not gc.isenabled()  # paused while they are handed over
    customers.close()
    assert gc.isenabled()
    assert len(list(Ledger().add_all(lines).customers())) == 4 and gc.isenabled()
