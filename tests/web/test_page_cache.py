"""Kept pages: served again only while nothing they show has changed, and only to their session."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from html import unescape

import anyio.to_thread
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.formatting import eur
from app.services.context import Actor
from app.services.decompte import debtor_decompte
from app.web.page_cache import KeptPage, PageCache
from app.web.page_marks import CSRF_MARK, EMAIL_MARK
from tests.conftest import TODAY, Browser
from tests.factories import make_debtor, make_invoice

INVOICE = {"number": "F-2026-010", "issue_date": "2026-09-01", "due_date": "2026-10-01",
           "amount_ht": "1 000,00", "amount_tva": "200,00", "amount_ttc": "1 200,00"}
PAGES = ("/debtors", "/debtors?sort=name", "/alerts")


def served(client: Browser, url: str, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    return response.headers["X-Page-Cache"]


def test_the_second_view_is_kept_and_identical(owner_client: Browser, owner: Actor,
                                               session: Session) -> None:
    debtor = make_debtor(session, owner)
    for url in (*PAGES, f"/debtors/{debtor.id}"):
        first = owner_client.get(url)
        second = owner_client.get(url)
        assert (first.headers["X-Page-Cache"], second.headers["X-Page-Cache"]) == ("miss", "hit")
        assert second.text == first.text
        assert second.headers["content-type"] == first.headers["content-type"]
        assert "content-security-policy" in second.headers


def test_a_change_by_a_colleague_shows_at_once(owner_client: Browser, app: FastAPI,
                                               owner: Actor, colleague: Actor,
                                               session: Session) -> None:
    debtor = make_debtor(session, owner)
    url = f"/debtors/{debtor.id}"
    for page in (url, "/debtors"):
        owner_client.get(page)
        assert served(owner_client, page) == "hit"
    with Browser(app) as other:
        other.login("hugo@lefevre.test")
        assert other.submit(f"{url}/invoices", INVOICE, follow_redirects=False).status_code == 303
    page = owner_client.get(url)
    assert page.headers["X-Page-Cache"] == "miss"
    assert "F-2026-010" in unescape(page.text)
    listing = owner_client.get("/debtors")  # its maintained balance too
    assert listing.headers["X-Page-Cache"] == "miss"
    assert eur(Decimal("1200")) in unescape(listing.text)


def test_another_creditors_change_keeps_the_page(owner_client: Browser, owner: Actor,
                                                 outsider: Actor, session: Session) -> None:
    make_debtor(session, owner)
    owner_client.get("/debtors")
    theirs = make_debtor(session, outsider, legal_name="Client de Roux")
    make_invoice(session, outsider, theirs, number="R-1")
    assert served(owner_client, "/debtors") == "hit"


def test_one_render_serves_the_team_each_with_its_own_token(
        owner_client: Browser, app: FastAPI, owner: Actor, colleague: Actor,
        session: Session) -> None:
    debtor = make_debtor(session, owner)
    for url in (*PAGES, f"/debtors/{debtor.id}", "/dashboard"):
        owner_client.get(url)
        with Browser(app) as other:
            other.login("hugo@lefevre.test")
            page = other.get(url)
            assert page.headers["X-Page-Cache"] == "hit", url  # the owner's render
            assert f'"X-CSRF-Token": "{other.csrf}"' in page.text  # its own token, never another's
            assert owner_client.csrf not in page.text
            assert "hugo@lefevre.test" in page.text and "claire@lefevre.test" not in page.text
            assert int(page.headers["content-length"]) == len(page.content)
        assert f'value="{owner_client.csrf}"' in owner_client.get(url).text


def test_a_member_with_another_role_or_creditor_never_gets_it(
        owner_client: Browser, app: FastAPI, owner: Actor, reader: Actor, outsider: Actor,
        session: Session) -> None:
    make_debtor(session, owner)
    owner_client.get("/debtors")
    for email in ("lea@lefevre.test", "paul@roux.test"):  # read-only; another creditor
        with Browser(app) as other:
            other.login(email)
            page = other.get("/debtors")
            assert page.headers["X-Page-Cache"] == "miss"
            assert f'value="{other.csrf}"' in page.text


def test_a_payment_by_one_shows_at_once_to_another_with_its_own_token(
        owner_client: Browser, app: FastAPI, owner: Actor, colleague: Actor,
        session: Session) -> None:
    """User A records a payment; user B's next view of the page shows the new balance, in
    every place the page shows it, and B's own CSRF token."""
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor, amount_ht="1000.00", amount_tva="200.00",
                 amount_ttc="1200.00")
    url = f"/debtors/{debtor.id}"
    with Browser(app) as hugo:
        hugo.login("hugo@lefevre.test")
        before = unescape(hugo.get(url).text)
        assert served(hugo, url) == "hit"
        assert 'id="headline-outstanding">' + eur(Decimal("1200")) in before
        response = owner_client.submit(f"{url}/payments", {"date": "2026-10-01",
                                                           "amount": "500,00"})
        assert response.status_code in (200, 303)
        page = hugo.get(url)
        text = unescape(page.text)
        assert page.headers["X-Page-Cache"] == "miss"
        session.refresh(debtor)
        principal = debtor_decompte(session, debtor, TODAY).principal  # 700 + penalties paid
        assert principal > Decimal("700")
        assert 'id="headline-outstanding">' + eur(principal) in text
        assert 'id="account-outstanding">' + eur(principal) in text
        assert eur(Decimal("1200")) + "</" not in text.split('id="headline-outstanding">')[1][:40]
        assert f'value="{hugo.csrf}"' in page.text and owner_client.csrf not in page.text


def test_no_mark_ever_reaches_a_page(owner_client: Browser, owner: Actor, outsider: Actor,
                                     session: Session) -> None:
    theirs = make_debtor(session, outsider)
    mine = make_debtor(session, owner)
    for url in ("/debtors", f"/debtors/{mine.id}", f"/debtors/{theirs.id}", "/alerts",
                "/debtors?page=x"):
        for _ in range(2):
            text = owner_client.get(url).text
            assert CSRF_MARK not in text and EMAIL_MARK not in text
            assert "claire@lefevre.test" in text


def test_a_fragment_and_the_full_page_are_kept_apart(owner_client: Browser, owner: Actor,
                                                     session: Session) -> None:
    make_debtor(session, owner)
    full = owner_client.get("/debtors").text
    fragment = owner_client.get("/debtors", headers={"HX-Request": "true"})
    assert fragment.headers["X-Page-Cache"] == "miss"
    assert "<html" in full and "<html" not in fragment.text


def test_a_new_day_renders_again(owner_client: Browser, app: FastAPI, owner: Actor,
                                 session: Session) -> None:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor, issue_date="2025-01-20", due_date="2025-02-19")
    url = f"/debtors/{debtor.id}"
    owner_client.get(url)
    app.state.clock = lambda: TODAY + timedelta(days=1)
    assert served(owner_client, url) == "miss"


def test_a_refusal_is_never_kept(owner_client: Browser, owner: Actor, outsider: Actor,
                                 session: Session) -> None:
    theirs = make_debtor(session, outsider)
    for _ in range(2):
        response = owner_client.get(f"/debtors/{theirs.id}")
        assert response.status_code == 404
        assert "X-Page-Cache" not in response.headers


def test_the_cache_forgets_the_least_recently_used_beyond_its_size() -> None:
    cache = PageCache(max_bytes=250)
    for key in ("a", "b"):
        cache.put(key, KeptPage(b"x" * 100, ()))
    assert cache.get("a") is not None  # "b" is now the least recently used
    cache.put("c", KeptPage(b"x" * 100, ()))
    assert (cache.get("a"), cache.get("b"), cache.get("c")) != (None, None, None)
    assert cache.get("b") is None and len(cache) == 2



def test_pages_render_without_a_thread_hop_on_sqlite(owner_client: Browser, owner: Actor,
                                                    session: Session, engine: Engine,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's reads never wait: a page renders in the event loop, where renders in worker
    threads fought for the GIL at each SQLite call. A server's round trips still go to a
    worker thread: one hop per page, whose transaction ends in it (not in a hop of its own
    after the response)."""
    hops: list[str] = []

    to_thread = anyio.to_thread.run_sync  # every worker-thread hop goes through it

    async def counted(call, *args, **options):  # type: ignore[no-untyped-def]
        hops.append(getattr(call, "func", call).__name__)
        return await to_thread(call, *args, **options)

    debtor = make_debtor(session, owner)
    for url in (*PAGES, f"/debtors/{debtor.id}", "/dashboard"):  # what a change left to do
        owner_client.get(url)
    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    rendered = [served(owner_client, f"{url}{'&' if '?' in url else '?'}again=1")
                for url in (*PAGES, f"/debtors/{debtor.id}", "/dashboard")]
    assert rendered == ["miss"] * len(rendered)
    assert hops == ([] if engine.dialect.name == "sqlite" else ["_rendered"] * len(rendered))
