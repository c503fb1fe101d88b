""""Relances du jour" in Chromium: preview, untick, send, progress, then the new pièce and
step on the debtor page. A server of its own (demo data, a real SMTP server on 127.0.0.1),
so that what it sends touches no other browser test."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from aiosmtpd.controller import Controller

from app import db
from app.cli import DEMO_EMAIL, DEMO_PASSWORD
from app.config import Settings
from app.main import create_app
from app.services import demo
from tests.browser.conftest import LiveServer, _free_port
from tests.conftest import TODAY
from tests.reminders.conftest import Recorder

SHOTS = os.environ.get("CONTENTIEUX_SCREENSHOTS", "")  # a folder: keep the screenshots there


@pytest.fixture
def smtp_server() -> Iterator[tuple[Recorder, int]]:
    recorder, port = Recorder(), _free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    yield recorder, port
    controller.stop()


@pytest.fixture
def reminders_server(tmp_path: Path, smtp_server: tuple[Recorder, int]) -> Iterator[LiveServer]:
    settings = Settings(data_dir=tmp_path / "data", today=TODAY,
                        smtp_url=f"smtp://127.0.0.1:{smtp_server[1]}",
                        smtp_from="relances@menuiserie-lefevre.fr")
    settings.ensure_dirs()
    engine = db.make_engine(settings.db_url)
    db.migrate(engine)
    with db.session_scope(engine) as session:
        demo.seed(session, email=DEMO_EMAIL, password=DEMO_PASSWORD, today=TODAY)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, engine=engine, migrate=False),
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the live server did not start"
        time.sleep(0.05)
    yield LiveServer(f"http://127.0.0.1:{port}", settings)
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_day_page_preview_untick_send_and_proof(browser, reminders_server: LiveServer,  # type: ignore[no-untyped-def]
                                                smtp_server: tuple[Recorder, int]) -> None:
    context = browser.new_context(base_url=reminders_server.url, locale="fr-FR",
                                  viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto("/login")
    page.fill("input[name=email]", DEMO_EMAIL)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/debtors")
    page.click("nav.mainnav >> text=Relances du jour")
    page.wait_for_url("**/reminders")
    planned = page.locator("#reminders-planned tbody tr")
    assert planned.count() == 3
    assert "Boulangerie Martin" in planned.nth(0).inner_text()
    skipped = page.locator("#reminders-skipped").inner_text()
    assert "procédure collective (liquidation)" in skipped
    assert "phase contentieuse : mise en demeure envoyée le 23/10/2026" in skipped
    _shot(page, "reminders-preview")
    # Durand BTP's mise en demeure is held for today; the rest goes.
    page.locator("#reminders-planned tr", has_text="Durand BTP").locator("input[type=checkbox]").uncheck()
    page.click("#reminders-send")
    page.wait_for_selector("#reminders-progress progress")
    page.wait_for_selector("#reminders-results", timeout=60_000)
    assert "Envoi terminé 2 / 2" in page.locator("#reminders-progress label").inner_text()
    results = page.locator("#reminders-results").inner_text()
    assert "Boulangerie Martin" in results and "Envoyé" in results
    assert "Durand BTP" not in results
    _shot(page, "reminders-sent")
    assert [m.recipients for m in smtp_server[0].messages] == [["contact@boulangerie-martin.fr"]]
    page.click("#reminders-results >> text=Boulangerie Martin")
    page.wait_for_url("**/debtors/*")
    body = page.inner_text("main")
    assert "Copie de relance" in body
    assert "Relance 1 envoyée par e-mail à contact@boulangerie-martin.fr" in body
    _shot(page, "reminders-debtor")
    page.goto("/reminders")
    assert "Durand BTP" in page.locator("#reminders-planned").inner_text()  # still due
    assert "Boulangerie Martin" not in page.locator("#reminders-planned").inner_text()
    context.close()
