"""How many SQL statements each page sends, rendered after a change and kept: an upper bound
per page, so that a new section's query in a loop (one per row) shows here, not in production.

Counted with a SQLAlchemy event listener on the engine; the counts include signing in (one
statement: the session with its user, memberships and creditor) and bringing maintained alerts
up to date. Never timed: the benchmark (tests/bench/bench_load.py) measures speed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.models import ClaimFileJob, DocumentJob, PaymentPromise, ReminderHold
from app.services.context import Actor
from tests.conftest import TEST_DB_URL, Browser
from tests.factories import make_debtor, make_invoice, make_payment, make_step
from tests.statements import counted, engines, listening

# Rendered: after a change (a new revision), the whole page; the bound does not grow with the
# number of debtors, invoices, payments or steps.
# A list sorted on a date reads the dated debtors, then the undated (services/debtors.py).
# Lists and the alerts ask once whether a debtor's alerts are stale (one statement); the
# number of all the debtors is kept at the creditor's shared revision (a change to a file
# leaves it as it is), that of the debtors at one stage with the stage totals; the
# alerts' head takes its totals from the kept stage totals and its count from the counts by
# severity.
# The debtor page: 15, plus its promises (in the file), the creditor's reminder scenarios and
# the debtor's "stop relance" holds (issue 17), and the document being rendered (issue 16);
# its revision, read with who is signed in before the kept page is looked up; both rate
# tables in one statement; the debtor with its creditor; its pièces read once for the law's
# facts, the evidence and the claim-file sections; the creditor's courts, scenarios, courts
# named by town and the rate tables kept at its shared revision (a change to a file leaves
# them as they are); the rows a file seldom has (promises, holds, builds, letters being
# rendered) read only when the debtor's own statement says it has some.
# The debtor page (the law's facts) reads the creditor's row: signing in reads plain values,
# not the ORM row it used to find loaded; the calendar feed's token, which the alerts link to,
# comes with signing in.
RENDERED = {"/debtors?sort=amount": 3, "/debtors?stage=amiable&sort=next": 5,
            "/alerts": 5, "DEBTOR": 8}
# Signing in (the session with its user, memberships, creditor), then the kept page; for a
# debtor's page, its revision in the same statement (app/revisions.py).
KEPT = {"DEBTOR": 1}


def a_portfolio(session: Session, owner: Actor, debtors: int, prefix: str) -> int:
    """`debtors` debtors with three invoices, two payments and a step each: the first's id."""
    first = 0
    for n in range(debtors):
        debtor = make_debtor(session, owner, legal_name=f"Client {prefix}{n:02d}", siren="")
        first = first or debtor.id  # type: ignore[assignment]
        for k in range(3):
            make_invoice(session, owner, debtor, number=f"F-{prefix}{n}-{k}", issue_date="2025-01-10",
                         due_date="2025-02-09")
        make_payment(session, owner, debtor, amount="100.00", date="2025-05-01")
        make_payment(session, owner, debtor, amount="50.00", date="2025-06-01",
                     reference="VIR 2")
        make_step(session, owner, debtor)
    return first


def pages(first: int) -> dict[str, str]:
    return {url: url.replace("DEBTOR", f"/debtors/{first}") for url in RENDERED}


def test_each_page_sends_a_bounded_number_of_statements(
        owner_client: Browser, engine: Engine, owner: Actor, session: Session) -> None:
    for size in (2, 6):  # the same bounds whatever the number of rows
        first = a_portfolio(session, owner, size, prefix=str(size))
        for name, url in pages(first).items():
            owner_client.get(url)  # what a change left to bring up to date (alerts), done
            with counted(owner_client, engine) as statements:
                response = owner_client.get(f"{url}{'&' if '?' in url else '?'}render={size}")
            assert response.status_code == 200
            assert response.headers["X-Page-Cache"] == "miss"
            assert len(statements) <= RENDERED[name], (url, "\n".join(s[:70] for s in statements))
            with counted(owner_client, engine) as statements:
                response = owner_client.get(url)
            assert response.headers["X-Page-Cache"] == "hit"
            assert len(statements) <= KEPT.get(name, 1), (url, statements)


@pytest.mark.skipif(not TEST_DB_URL, reason="a server's transactions: runs in the PostgreSQL run "
                    "(CONTENTIEUX_TEST_DATABASE_URL)")
def test_a_kept_page_reads_outside_any_transaction_on_a_server(
        owner_client: Browser, engine: Engine, owner: Actor, session: Session) -> None:
    """On PostgreSQL a kept page's reads (who is signed in, a debtor's revision) run in
    autocommit: no BEGIN and ROLLBACK round trips around them (app/web/deps.py read_first)."""
    first = a_portfolio(session, owner, 1, prefix="k")
    autocommit: list[bool] = []

    def note(conn, _cursor, _statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        autocommit.append(conn.connection.dbapi_connection.autocommit)

    for url in ("/debtors?sort=amount", f"/debtors/{first}", "/alerts", "/dashboard"):
        owner_client.get(url)
        autocommit.clear()
        with listening(engines(owner_client, engine), note):
            response = owner_client.get(url)
        assert response.headers["X-Page-Cache"] == "hit"
        assert autocommit and all(autocommit), (url, autocommit)


def test_the_rows_a_file_seldom_has_are_read_only_when_it_has_some(
        owner_client: Browser, engine: Engine, owner: Actor, session: Session) -> None:
    """Promises, "stop relance", claim-file builds and letters being rendered: the debtor's
    page asks whether the file has any with the debtor itself (services/debtors.py SELDOM), and
    reads only those it has, which then show."""
    debtor = make_debtor(session, owner, legal_name="Hôtel du Port", siren="")
    make_invoice(session, owner, debtor, issue_date="2026-06-01", due_date="2026-07-01")
    url = f"/debtors/{debtor.id}"
    tables = ("paymentpromise", "reminderhold", "claimfilejob", "documentjob")

    def read_tables(n: int) -> tuple[set[str], str]:
        with counted(owner_client, engine) as statements:
            response = owner_client.get(f"{url}?render={n}")
        assert response.status_code == 200
        return {t for t in tables for s in statements  # a read of its rows, not EXISTS
                if s.lstrip().startswith(f"SELECT {t}.")}, unescape(response.text)

    owner_client.get(url)  # what the change left to bring up to date (alerts), done
    assert read_tables(0)[0] == set()
    session.add_all([
        PaymentPromise(creditor_id=owner.creditor_id, debtor_id=debtor.id,  # type: ignore[arg-type]
                       made_on=date(2026, 11, 20), due_date=date(2026, 11, 28),
                       amount=Decimal("1800.00")),
        ReminderHold(creditor_id=owner.creditor_id, debtor_id=debtor.id,  # type: ignore[arg-type]
                     reason="rendez-vous prévu", until=date(2026, 12, 1)),
        ClaimFileJob(creditor_id=owner.creditor_id, debtor_id=debtor.id, status="running",  # type: ignore[arg-type]
                     progress=40),
        DocumentJob(creditor_id=owner.creditor_id, debtor_id=debtor.id,  # type: ignore[arg-type]
                    kind="relance_1", status="running", options={"kind": "relance_1"})])
    session.commit()
    owner_client.get(url)
    read, page = read_tables(1)
    assert read == set(tables)
    assert "1 800,00 € au plus tard le 28/11/2026" in page  # the promise
    assert "rendez-vous prévu" in page  # the hold
    assert "Génération en cours" in page  # the letter
    assert "40 %" in page or 'value="40"' in page  # the claim file's build
