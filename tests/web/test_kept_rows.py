"""List rows kept for their values: after a change, only the changed row is rendered again,
and every row shows what the database holds now."""

from __future__ import annotations

import re
from collections import namedtuple
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

from fastapi import FastAPI
from sqlmodel import Session

from app.formatting import eur
from app.services.context import Actor
from app.web.kept_rows import KeptRows
from app.web.routes import alerts as alerts_routes
from app.web.routes import debtors as debtor_routes
from app.web.templating import templates
from tests.conftest import TODAY, Browser
from tests.factories import make_debtor, make_invoice, make_payment


def row_of(page: str, name: str) -> str:
    rows = [row for row in re.findall(r"<tr>.*?</tr>", page, re.S) if name in row]
    assert len(rows) == 1, (name, rows)
    return rows[0]


def test_a_change_renders_only_the_changed_row_again(owner_client: Browser, owner: Actor,
                                                     session: Session) -> None:
    names = ("Atelier Bois", "Béton Plus", "Charpentes Roux")
    debtors = [make_debtor(session, owner, legal_name=name, siren="") for name in names]
    for debtor in debtors:
        make_invoice(session, owner, debtor, number=f"F-{debtor.id}")
    kept = debtor_routes.LIST_ROWS
    kept.clear()  # kept by the process: rows of other tests' databases may share values
    first = unescape(owner_client.get("/debtors").text)
    before = kept.computed
    make_payment(session, owner, debtors[1], amount="200.00")
    after = unescape(owner_client.get("/debtors").text)
    assert kept.computed - before == 1  # Béton Plus's row; the two others as they were
    assert eur(Decimal("1048.42")) in row_of(after, "Béton Plus")  # 48,42 € to penalties
    assert eur(Decimal("1200.00")) in row_of(first, "Béton Plus")
    for name in ("Atelier Bois", "Charpentes Roux"):
        assert row_of(after, name) == row_of(first, name)


def test_the_days_late_move_with_the_day(owner_client: Browser, owner: Actor, app: FastAPI,
                                         session: Session) -> None:
    debtor = make_debtor(session, owner, legal_name="Atelier Bois", siren="")
    make_invoice(session, owner, debtor, number="F-1", issue_date="2026-09-01",
                 due_date="2026-10-01")
    late = (TODAY - date(2026, 10, 1)).days
    row = row_of(unescape(owner_client.get("/debtors").text), "Atelier Bois")
    assert f'<td class="num days-late">{late}<br>' in row
    app.state.clock = lambda: TODAY + timedelta(days=1)
    row = row_of(unescape(owner_client.get("/debtors").text), "Atelier Bois")
    assert f'<td class="num days-late">{late + 1}<br>' in row


def test_an_alert_row_follows_its_debtors_new_name(owner_client: Browser, owner: Actor,
                                                   session: Session) -> None:
    debtor = make_debtor(session, owner, legal_name="Atelier Bois", siren="")
    make_invoice(session, owner, debtor, number="F-1", issue_date="2025-01-10",
                 due_date="2025-02-09")
    assert "Atelier Bois" in unescape(owner_client.get("/alerts").text)
    owner_client.submit(f"/debtors/{debtor.id}", {
        "kind": "company", "legal_name": "Atelier Bois & Fils", "country": "FR",
        "street": "1 rue Neuve", "postal_code": "49000", "city": "Angers", "is_merchant": "1"},
        follow_redirects=False)
    page = unescape(owner_client.get("/alerts").text)
    assert "Atelier Bois & Fils" in page
    assert alerts_routes.ROWS.computed >= 1


def test_rows_are_bounded_least_recently_used_out_first() -> None:
    rows = KeptRows("debtors/_list_row.html", tuple, constants={"stages": {}}, max_entries=2)
    # The template reads the columns by name, as on a database row.
    Row = namedtuple("Row", "id legal_name proceedings_kind kind city siren stage "
                     "oldest_due_date next_action next_action_date invoice_count outstanding")
    made = [Row(i, f"Client {i}", "", "company", "", "", "amiable", None, "", None, 1,
                Decimal("10.00")) for i in range(3)]
    html = rows.render(templates.env, made, today=TODAY)
    assert [f"Client {i}" in h for i, h in enumerate(html)] == [True] * 3
    assert len(rows) == 2 and rows.computed == 3
    rows.render(templates.env, made[2:], today=TODAY)
    assert rows.computed == 3  # the newest two were kept


def test_the_number_of_debtors_follows_a_new_one_at_once(owner_client: Browser, app: FastAPI,
                                                         owner: Actor, colleague: Actor,
                                                         session: Session) -> None:
    for name in ("Atelier Bois", "Béton Plus"):
        make_debtor(session, owner, legal_name=name, siren="")
    assert '<span id="debtor-total">2 débiteurs</span>' in owner_client.get("/debtors").text
    debtor = make_debtor(session, owner, legal_name="Charpentes Roux", siren="")
    assert '<span id="debtor-total">3 débiteurs</span>' in owner_client.get("/debtors").text
    make_invoice(session, owner, debtor, number="F-9")  # a change to a file: still three
    assert '<span id="debtor-total">3 débiteurs</span>' in owner_client.get("/debtors").text
    with Browser(app) as hugo:
        hugo.login("hugo@lefevre.test")
        hugo.submit("/debtors", {"kind": "company", "legal_name": "Dupont SARL", "country": "FR",
                                 "street": "2 rue Haute", "postal_code": "49000",
                                 "city": "Angers", "is_merchant": "1"}, follow_redirects=False)
    assert '<span id="debtor-total">4 débiteurs</span>' in owner_client.get("/debtors").text

