"""Reading a FEC: separators, encodings, lettrage, broken lines and files that are not FECs."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from app.imports import fec
from app.imports.items import CREDIT_NOTE, PAYMENT, Customer
from app.imports.lettrage import Ledger
from app.imports.report import FileRefused, ImportReport
from tests.imports.builders import Fec, ledger


def read(path: Path) -> tuple[dict[str, Customer], ImportReport, fec.FecFormat]:
    fmt = fec.sniff(path)
    report = ImportReport(kind="fec")
    customers = Ledger().add_all(fec.customer_lines(path, fmt, report)).customers()
    return {c.name: c for c in customers}, report, fmt


def write(tmp_path: Path, content: bytes | str) -> Path:
    path = tmp_path / "812345678FEC20261231.txt"
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("separator", ["\t", "|"])
@pytest.mark.parametrize(("encoding", "detected"), [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("latin-1", "latin-1")])
def test_fec_is_read_in_both_separators_and_three_encodings(tmp_path, separator, encoding,
                                                            detected):
    customers, report, fmt = read(write(tmp_path, ledger().build(separator, encoding)))
    assert (fmt.separator, fmt.encoding) == (separator, detected)
    assert set(customers) == {"DURAND BTP", "Hôtel du Port", "Boulangerie Martin",
                              "Crêperie Kérouac"}
    assert report.lines_read == 24 and report.lines_used == 9 and report.refused_count == 0


def test_cp1252_is_told_apart_from_latin1_by_its_curly_quotes_and_ligatures(tmp_path):
    content = Fec().sale("20261001", "CBOEUF", "L’Œuf de Bœuf", "F-1", "120.00").build(
        encoding="cp1252")
    customers, _, fmt = read(write(tmp_path, content))
    assert fmt.encoding == "cp1252"
    assert list(customers) == ["L’Œuf de Bœuf"]


def test_partial_lettrage_leaves_the_rest_of_the_invoice_open(tmp_path):
    customers, _, _ = read(write(tmp_path, ledger().build()))
    durand = customers["DURAND BTP"]
    partly = next(i for i in durand.invoices if i.number == "F-2026-071")
    assert not partly.settled and partly.amount_ttc == Decimal("10080.00")
    assert partly.amount_tva == Decimal("1680.00")
    [payment] = durand.credits
    assert (payment.kind, payment.invoice_number, payment.amount) == (
        PAYMENT, "F-2026-071", Decimal("2000.00"))


def test_full_lettrage_settles_the_invoice(tmp_path):
    customers, _, _ = read(write(tmp_path, ledger().build()))
    hotel = customers["Hôtel du Port"]
    assert [i.settled for i in hotel.invoices] == [True]
    assert not hotel.has_open_items


def test_credit_note_is_lettered_and_a_payment_without_lettrage_is_unapplied(tmp_path):
    customers, _, _ = read(write(tmp_path, ledger().build()))
    credits = {c.reference: c for c in customers["Boulangerie Martin"].credits}
    assert credits["AV-2026-004"].kind == CREDIT_NOTE
    assert credits["AV-2026-004"].invoice_number == "F-2026-118"
    assert credits["CHQ-5521"].kind == PAYMENT and credits["CHQ-5521"].invoice_number == ""


def test_broken_lines_are_refused_with_their_number_and_the_rest_is_read(tmp_path):
    text = ledger().text()
    lines = text.split("\r\n")
    lines[1] = "\t".join(lines[1].split("\t")[:12])  # cut short
    lines[4] = lines[4].replace("20260904", "20260931")  # 31 September
    lines[13] = lines[13].replace("600,00", "6OO,00")
    customers, report, _ = read(write(tmp_path, "\r\n".join(lines)))
    reasons = {r.line: r.reason for r in report.refusals}
    assert reasons[2] == "Ligne incomplète : 12 colonnes au lieu de 18."
    assert "20260931" in reasons[5] and "AAAAMMJJ" in reasons[5]
    assert "Montant illisible" in reasons[14]
    assert "Crêperie Kérouac" not in customers or not customers["Crêperie Kérouac"].invoices
    assert "F-2026-084" not in {i.number for i in customers["DURAND BTP"].invoices}


def test_a_file_that_is_not_a_fec_is_refused_with_a_clear_message(tmp_path):
    path = write(tmp_path, "N° facture;Client;Montant\nF-1;Durand;100,00\n")
    with pytest.raises(FileRefused) as refused:
        fec.sniff(path)
    assert "n'est pas un FEC" in refused.value.message
    assert "A47 A-1" in refused.value.message


def test_a_fec_missing_columns_names_them(tmp_path):
    header = "\t".join(c for c in fec.FEC_COLUMNS if c not in ("EcritureLet", "DateLet"))
    with pytest.raises(FileRefused) as refused:
        fec.sniff(write(tmp_path, header + "\n"))
    assert refused.value.message.startswith("FEC incomplet")
    assert "EcritureLet, DateLet" in refused.value.message


def test_a_spreadsheet_given_as_fec_is_refused(tmp_path):
    with pytest.raises(FileRefused) as refused:
        fec.sniff(write(tmp_path, b"PK\x03\x04" + b"\x00" * 100))
    assert "import CSV / Excel" in refused.value.message


def test_montant_and_sens_columns_replace_debit_and_credit(tmp_path):
    text = ledger().text()
    header, *rows = text.strip().split("\r\n")
    names = header.split("\t")
    converted = []
    for row in rows:
        cells = row.split("\t")
        debit, credit = cells[11], cells[12]
        amount, sens = (debit, "D") if debit != "0,00" else (credit, "C")
        converted.append("\t".join(cells[:11] + [amount, sens] + cells[13:]))
    names[11:13] = ["Montant", "Sens"]
    customers, report, _ = read(write(tmp_path, "\n".join(["\t".join(names), *converted])))
    assert report.refused_count == 0
    assert sum(len(c.invoices) for c in customers.values()) == 5


@pytest.mark.parametrize(("text", "cents"), [
    ("1234,56", 123456), ("-1 234,5", -123450), ("0,00", 0), ("", 0), ("1234.56", 123456),
    ("0000000000123,45", 12345), ("999999999,99", 99999999999)])
def test_amounts_with_decimal_comma(text, cents):
    assert fec.parse_cents(text) == cents


@pytest.mark.parametrize("text", ["1,234,5", "12a", "1,234",
                                  # 40 digits: read as cents, then a 500 on the import's page
                                  "1" * 40 + ",00", "1" * 40])
def test_malformed_amounts_are_rejected(text):
    with pytest.raises(ValueError):
        fec.parse_cents(text)
