"""CSV and .xlsx exports: sniffed separator and encoding, guessed columns, refused rows."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlmodel import select

from app.imports.columns import check_mapping, guess_mapping
from app.imports.csv import open_table
from app.imports.report import FileRefused
from app.models import Debtor, Invoice, Payment
from app.services import imports
from app.services.decompte import debtor_decompte
from app.services.demo import siren
from tests.factories import make_debtor

DURAND = siren("48765432")
BALANCE_AGEE = f"""Balance âgée clients au 31/10/2026;;;;;;
;;;;;;
N° facture;Client;SIREN;Date;Échéance;Montant TTC;Reste dû
F-2026-071;Durand BTP SAS;{DURAND};10/08/2026;09/09/2026;10 080,00;8 080,00
F-2026-084;Durand BTP SAS;{DURAND};04/09/2026;;3 780,00;3 780,00
F-2026-090;Garage Central;;2026-09-15;15/10/2026;1 250,50;1 250,50
F-2026-091;Garage Central;;31/02/2026;;100,00;100,00
F-2026-092;Garage Central;;15/09/2026;;cent euros;100,00
;Garage Central;;15/09/2026;;90,00;90,00
AV-2026-005;Garage Central;;20/09/2026;;-50,50;-50,50
"""


def csv_bytes(encoding: str = "latin-1") -> bytes:
    return BALANCE_AGEE.replace("\n", "\r\n").encode(encoding)


def test_csv_with_semicolons_and_decimal_commas_is_sniffed(tmp_path):
    path = tmp_path / "balance.csv"
    path.write_bytes(csv_bytes())
    table = open_table(path, "balance.csv")
    assert (table.separator, table.encoding, table.header_line) == (";", "latin-1", 3)
    assert table.headers[1] == "Client"
    assert len(table.preview()) == 7


def test_columns_are_guessed_from_the_usual_headers():
    headers = ["N° facture", "Client", "SIREN", "Date", "Échéance", "Montant TTC", "Reste dû"]
    assert guess_mapping(headers) == {
        "number": "N° facture", "debtor_name": "Client", "siren": "SIREN",
        "issue_date": "Date", "due_date": "Échéance", "amount_ttc": "Montant TTC",
        "balance": "Reste dû"}


def test_an_incomplete_mapping_is_refused_in_french():
    with pytest.raises(FileRefused) as refused:
        check_mapping({"number": "N° facture"}, ["N° facture", "Client"])
    assert refused.value.errors["mapping"].startswith("Associez une colonne à le client")


def test_csv_import_matches_by_siren_records_paid_part_and_refuses_bad_rows(session, owner,
                                                                            settings, upload):
    existing = make_debtor(session, owner, legal_name="Entreprise Durand", siren=DURAND)
    batch = upload(owner, csv_bytes(), "balance-agee.csv", "csv")
    assert batch.kind == "csv" and batch.options["mapping"]["balance"] == "Reste dû"
    report = imports.apply(session, owner, settings, batch)
    reasons = {r.line: r.reason for r in report.refusals}
    assert reasons == {
        7: "Date « 31/02/2026 » invalide : JJ/MM/AAAA attendu.",
        8: "Montant « cent euros » invalide : écrivez par exemple 1 234,56.",
        9: "N° de facture manquant.",
    }
    assert (report.debtors.created, report.debtors.updated) == (1, 1)
    assert report.invoices.created == 3 and report.credit_notes.created == 1
    durand = session.get(Debtor, existing.id)
    assert durand.outstanding == Decimal("11860.00")
    # the paid part has no date: dated on the due date, it paid no penalty, and the letters
    # claim the export's "Reste dû" as principal (dated on the export's day, it had paid
    # penalties first, C. civ. 1343-1: a principal above the accounts')
    assert debtor_decompte(session, durand, date(2026, 12, 2)).principal == Decimal("11860.00")
    invoices = {i.number: i for i in session.exec(select(Invoice))}
    assert invoices["F-2026-071"].due_date == date(2026, 9, 9)  # from the file
    assert invoices["F-2026-084"].due_date == date(2026, 10, 4)  # proposed: + 30 days
    assert invoices["F-2026-090"].amount_ttc == Decimal("1250.50")
    garage = session.exec(select(Debtor).where(Debtor.legal_name == "Garage Central")).one()
    assert garage.outstanding == Decimal("1200.00")  # 1 250,50 - credit note 50,50


def test_csv_reimport_records_only_the_new_payment(session, owner, settings, upload):
    imports.apply(session, owner, settings, upload(owner, csv_bytes(), "balance.csv", "csv"))
    later = BALANCE_AGEE.replace("10 080,00;8 080,00", "10 080,00;6 080,00")
    report = imports.apply(session, owner, settings,
                           upload(owner, later.encode("utf-8"), "balance.csv", "csv"))
    assert report.invoices.created == 0 and report.payments.created == 1
    paid = session.exec(select(Payment).where(Payment.amount == Decimal("2000.00"))).all()
    assert len(paid) == 2  # 2 000 recorded by the first import, 2 000 more by the second


def test_mapping_is_remembered_for_the_next_file_of_the_same_source(session, owner, settings,
                                                                   upload):
    content = "Réf;Société;Émise le;TTC\nF-1;Durand;01/10/2026;120,00\n".encode()
    batch = upload(owner, content, "export.csv", "csv", source="Sage")
    imports.configure(session, owner, settings, batch, mapping={
        "number": "Réf", "debtor_name": "Société", "issue_date": "Émise le",
        "amount_ttc": "TTC"})
    imports.check(session, owner, settings, batch)
    again = upload(owner, content, "export-2.csv", "csv", source="Sage")
    assert again.options["mapping"]["number"] == "Réf"


def test_xlsx_made_with_openpyxl_is_imported(session, owner, settings, upload):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Liste des factures impayées"])
    sheet.append(["N° facture", "Client", "Date facture", "Échéance", "Montant TTC"])
    sheet.append(["F-2026-200", "Hôtel du Port", datetime(2026, 9, 1), datetime(2026, 10, 1),
                  1800.4])
    sheet.append([2026201, "Hôtel du Port", datetime(2026, 9, 8), None, 600])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = upload(owner, buffer.getvalue(), "factures.xlsx", "csv")
    assert batch.kind == "xlsx"
    report = imports.apply(session, owner, settings, batch)
    assert report.refused_count == 0 and report.invoices.created == 2
    invoices = {i.number: i for i in session.exec(select(Invoice))}
    assert invoices["F-2026-200"].amount_ttc == Decimal("1800.40")
    assert invoices["2026201"].due_date == date(2026, 10, 8)


def test_ledger_shaped_csv_goes_through_lettrage(session, owner, settings, upload):
    content = ("Compte;Client;Date;Pièce;Libellé;Débit;Crédit;Lettrage\n"
               "CDUR;Durand BTP;01/09/2026;F-1;Facture F-1;1200,00;;A\n"
               "CDUR;Durand BTP;15/09/2026;VIR-1;Virement;;200,00;A\n"
               "CDUR;Durand BTP;20/09/2026;F-2;Facture F-2;300,00;;\n").encode("cp1252")
    batch = upload(owner, content, "grand-livre.csv", "csv")
    assert batch.options["mapping"]["debit"] == "Débit"
    imports.apply(session, owner, settings, batch)
    debtor = session.exec(select(Debtor)).one()
    assert debtor.outstanding == Decimal("1300.00")
    payment = session.exec(select(Payment)).one()
    assert payment.reference == "VIR-1" and payment.invoice_id is not None


def test_an_old_excel_file_is_refused(session, owner, upload):
    with pytest.raises(FileRefused) as refused:
        upload(owner, b"\xd0\xcf\x11\xe0" + b"\x00" * 64, "vieux.xls", "csv")
    assert ".xlsx" in refused.value.message
