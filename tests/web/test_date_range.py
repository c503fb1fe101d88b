"""Days a file may hold: 01/01/1990 to 31/12/2100 (app/parsing.py), refused next to the field.

Seen: an invoice due 31/12/9999 was saved, and then the list, the alerts, the dashboards and
the debtor page of the whole creditor answered 500 (months added past year 9999); a payment of
01/01/0001 gave a 500 ("semestre invalide : '1-S1'")."""

from __future__ import annotations

from html import unescape

import pytest
from sqlmodel import Session, select

from app.imports.spreadsheet import RowRefused, _Row
from app.models import Invoice, Payment
from app.parsing import OUT_OF_RANGE, DateOutOfRange, parse_date
from tests.conftest import Browser
from tests.factories import make_debtor, make_invoice

INVOICE = {"number": "F-9999", "issue_date": "01/12/2026", "due_date": "31/12/9999",
           "amount_ht": "100,00", "amount_tva": "20,00", "amount_ttc": "120,00"}


@pytest.mark.parametrize("text", ["31/12/9999", "9999-12-31", "01/01/0001", "31/12/1989",
                                  "01/01/2101"])
def test_a_day_out_of_range_is_refused(text: str) -> None:
    with pytest.raises(DateOutOfRange):
        parse_date(text)


def test_the_first_and_last_days_are_taken() -> None:
    assert (parse_date("01/01/1990").year, parse_date("2100-12-31").year) == (1990, 2100)


@pytest.mark.parametrize(("field", "value"), [("due_date", "31/12/9999"),
                                              ("issue_date", "01/01/0001"),
                                              ("delivery_date", "31/12/9999")])
def test_an_invoice_out_of_range_is_refused_and_every_page_stays_up(
        owner_client: Browser, session: Session, owner, field: str, value: str) -> None:
    debtor = make_debtor(session, owner)
    answer = owner_client.submit(f"/debtors/{debtor.id}/invoices", {**INVOICE, "due_date":
                                 "31/12/2026", field: value})
    assert answer.status_code == 422
    assert OUT_OF_RANGE in unescape(answer.text)
    assert session.exec(select(Invoice)).all() == []
    for page in ("/debtors", "/alerts", "/dashboard", f"/debtors/{debtor.id}"):
        assert owner_client.get(page).status_code == 200, page


def test_a_payment_of_year_one_is_refused(owner_client: Browser, session: Session,
                                          owner) -> None:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor)
    answer = owner_client.submit(f"/debtors/{debtor.id}/payments",
                                 {"date": "01/01/0001", "amount": "100,00"})
    assert answer.status_code == 422 and OUT_OF_RANGE in unescape(answer.text)
    assert session.exec(select(Payment)).all() == []


def test_pages_asked_for_a_day_out_of_range_answer(owner_client: Browser, session: Session,
                                                   owner) -> None:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor)
    dashboard = owner_client.get("/dashboard?as_of=0001-01-01")
    assert dashboard.status_code == 200 and OUT_OF_RANGE in unescape(dashboard.text)
    for as_of in ("0001-01-01", "9999-12-31"):
        assert owner_client.get(f"/debtors/{debtor.id}/decompte?as_of={as_of}").status_code == 200


def test_a_spreadsheet_row_out_of_range_is_refused() -> None:
    with pytest.raises(RowRefused, match="Date du 31/12/9999 hors de la plage admise"):
        row = _Row({"due_date": 0})
        row.load(["31/12/9999"])
        row.date("due_date")
