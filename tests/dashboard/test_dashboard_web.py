"""The dashboard page, its exports and GET /api/v1/dashboard on the hand-computed portfolio."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from urllib.parse import quote

from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.models import Debtor
from app.services.context import Actor
from app.services.demo import siren
from tests.conftest import Browser, api_token
from tests.dashboard.portfolio import build
from tests.factories import make_debtor, make_invoice, make_payment
from tests.statements import counted


def test_the_page_shows_the_figures_and_links_each_bucket(owner_client: Browser, session: Session,
                                                          owner: Actor) -> None:
    build(session, owner)
    page = owner_client.get("/dashboard")
    assert page.status_code == 200
    text = page.text
    assert "Tableau de bord" in text and "Méthode par épuisement" in text
    # B-60 paid 21,97 € of penalties first (tests/dashboard/portfolio.py)
    assert 'id="kpi-outstanding">36\u202f421,97\u00a0€' in text
    assert 'id="kpi-overdue">34\u202f421,97\u00a0€' in text
    assert 'id="kpi-dso">232,8 j' in text and 'id="kpi-late">91,0 j' in text
    for code in ("not_due", "1-30", "31-60", "61-90", "91-180", "180+"):
        assert f'href="/debtors?bucket={quote(code)}"' in text  # "180+" was sent as "180 "
    assert text.count("<svg") == 4 and 'role="img"' in text
    assert '<a href="/dashboard">Tableau de bord</a>' in text  # in the navigation


def test_a_wrong_date_is_refused_next_to_the_field(owner_client: Browser) -> None:
    page = owner_client.get("/dashboard?as_of=31/02/2026")
    assert page.status_code == 200
    assert "Date invalide : « 31/02/2026 »" in page.text
    assert 'aria-invalid="true"' in page.text


def test_api_returns_the_figures(client: Browser, session: Session, owner: Actor) -> None:
    build(session, owner)
    headers = api_token(client, "claire@lefevre.test")
    body = client.get("/api/v1/dashboard?as_of=2026-11-22", headers=headers).json()
    assert (body["outstanding"], body["overdue"]) == ("36421.97", "34421.97")
    assert body["aging"][2] == {"bucket": "31-60", "amount": "4021.97", "invoices": 2,
                                "debtors": 1}
    assert [a["bucket"] for a in body["aging"]] == ["not_due", "1-30", "31-60", "61-90",
                                                    "91-180", "180+"]
    assert body["dso_days"] == "232.8"
    assert body["dso_by_month"][-1] == {"month": "2026-11", "dso_days": "232.8"}
    assert body["recovery_rate"] == "2.8"
    assert {s["stage"]: s["debtors"] for s in body["stages"]}["procedure_collective"] == 1
    assert body["top_late_payers"][0]["debtor"] == "Petit SA"
    assert body["forecast"][2]["plans"] == "500.00"
    assert body["at_risk"]["declarations_30_days"]["amount"] == "15000.00"
    bad = client.get("/api/v1/dashboard?as_of=demain", headers=headers)
    assert bad.status_code == 422 and "Date invalide" in bad.text


def test_exports_are_formula_safe(owner_client: Browser, session: Session, owner: Actor) -> None:
    build(session, owner)
    evil = make_debtor(session, owner, legal_name="=HYPERLINK(\"http://x\")", siren="")
    from tests.dashboard.portfolio import invoice

    invoice(session, owner, evil, "X-1", 400, 100)
    response = owner_client.get("/dashboard/export/retards.csv")
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Débiteur", "Jours de retard", "Encours", "Étape"]
    assert rows[1] == ["'=HYPERLINK(\"http://x\")", "400", "100,00", "Amiable — aucune relance"]
    book = load_workbook(io.BytesIO(owner_client.get("/dashboard/export/retards.xlsx").content))
    sheet = book.active
    assert sheet is not None
    assert sheet["A2"].value == "=HYPERLINK(\"http://x\")" and sheet["A2"].data_type == "s"
    assert sheet["C2"].value == 100
    assert owner_client.get("/dashboard/export/nothing.csv").status_code == 404
    assert owner_client.get("/dashboard/export/retards.pdf").status_code == 404


def test_the_creditors_view_has_one_row_per_creditor(owner_client: Browser, session: Session,
                                                     owner: Actor, outsider: Actor) -> None:
    """An accountant working for Lefèvre and Roux sees both, and no other creditor."""
    from app.models import Creditor, User
    from app.services import accounts

    build(session, owner)
    roux = session.get(Creditor, outsider.creditor_id)
    user = session.get(User, owner.user_id)
    assert roux is not None and user is not None
    accounts.add_membership(session, user=user, creditor=roux, role="member")
    session.commit()
    roux_debtor = make_debtor(session, outsider, legal_name="Client de Roux", siren="")
    from tests.dashboard.portfolio import invoice

    invoice(session, outsider, roux_debtor, "R-1", 45, 500)
    page = owner_client.get("/dashboard/creditors")
    assert page.status_code == 200
    assert "<tr><td>Menuiserie Lefèvre</td><td class=\"num\">36\u202f421,97\u00a0€" in page.text
    assert "<tr><td>Plâtrerie Roux</td><td class=\"num\">500,00\u00a0€" in page.text
    assert "Total</td><td class=\"num\">36\u202f921,97\u00a0€" in page.text
    rows = list(csv.reader(io.StringIO(owner_client.get(
        "/dashboard/export/creanciers.csv").content.decode("utf-8-sig")), delimiter=";"))
    assert [r[:2] for r in rows[1:]] == [["Menuiserie Lefèvre", "36421,97"],
                                         ["Plâtrerie Roux", "500,00"]]


def test_a_past_date_says_how_it_was_figured(owner_client: Browser, client: Browser,
                                             session: Session, owner: Actor) -> None:
    """On 10 Oct 2026 (tests/dashboard/test_past_and_risk.py works it out): Moreau's invoices
    were not issued yet and Martin's 1 000 € not paid yet: 36 400 − 2 000 + 1 000."""
    build(session, owner)
    page = owner_client.get("/dashboard?as_of=2026-10-10")
    assert 'id="past-notes"' in page.text and "datés au plus tard de ce jour" in page.text
    assert 'id="kpi-outstanding">35\u202f400,00\u00a0€' in page.text
    assert 'id="past-notes"' not in owner_client.get("/dashboard").text
    headers = api_token(client, "claire@lefevre.test")
    body = client.get("/api/v1/dashboard?as_of=2026-10-10", headers=headers).json()
    assert body["past"] is True and len(body["notes"]) == 3
    assert (body["outstanding"], body["as_of"]) == ("35400.00", "2026-10-10")
    assert {s["stage"]: s["debtors"] for s in body["stages"] if s["debtors"]} == {
        "amiable": 3, "procedure_collective": 1}
    today = client.get("/api/v1/dashboard", headers=headers).json()
    assert today["past"] is False and today["notes"] == []
    assert today["forecast"][0]["promises"] == "0.00"
    assert today["at_risk"]["declarations_30_days"]["nearest"] == [
        {"debtor_id": today["top_late_payers"][0]["debtor_id"], "debtor": "Petit SA",
         "date": "2026-12-08", "amount": "15000.00", "invoices": []}]


def test_api_figures_kept_at_the_revision_read_with_the_bearer(
        client: Browser, session: Session, owner: Actor, engine: Engine) -> None:
    """Asked again while nothing changed, the API sends the kept figures after one statement
    (the bearer, with its creditor's revision); a change moves the revision: new figures."""
    build(session, owner)
    headers = api_token(client, "claire@lefevre.test")
    first = client.get("/api/v1/dashboard", headers=headers).json()
    with counted(client, engine) as statements:
        again = client.get("/api/v1/dashboard", headers=headers).json()
    assert again == first and len(statements) == 1, statements
    make_debtor(session, owner, legal_name="Nouveau client", siren="")
    make_invoice(session, owner, session.exec(select(Debtor).where(
        Debtor.legal_name == "Nouveau client")).one(), number="N-1", amount_ht="1000.00",
        amount_tva="200.00", amount_ttc="1200.00")
    after = client.get("/api/v1/dashboard", headers=headers).json()
    assert Decimal(after["outstanding"]) == Decimal(first["outstanding"]) + Decimal("1200.00")


def test_the_dso_counts_back_the_outstanding_shown(owner_client: Browser, client: Browser,
                                                    session: Session, owner: Actor) -> None:
    # X pays 1 500 € for its 1 200 € (a trop-perçu), Y owes 1 000 €: both invoiced on 1 Nov.
    # The dashboard shows 1 000 € outstanding: 1 000 of November's 2 200 € of sales over its
    # 22 days to as_of = 10,0 days. It said 7,0 (counted on 2 200 − 1 500 = 700 €).
    x = make_debtor(session, owner, legal_name="X SARL")
    y = make_debtor(session, owner, legal_name="Y SARL", siren=siren("12345678"))
    make_invoice(session, owner, x, number="X1", issue_date="2026-11-01", due_date="2026-11-10")
    make_invoice(session, owner, y, number="Y1", issue_date="2026-11-01", due_date="2026-11-10",
                 amount_ht="800.00", amount_tva="200.00", amount_ttc="1000.00")
    make_payment(session, owner, x, date="2026-11-05", amount="1500.00", excess="trop_percu")
    body = client.get("/api/v1/dashboard",
                      headers=api_token(client, "claire@lefevre.test")).json()
    assert (body["outstanding"], body["dso_days"]) == ("1000.00", "10.0")
