"""The creditor-wide dashboard, its API twin and the calendar feed."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta
from html import unescape

import pytest
from icalendar import Calendar
from sqlmodel import Session

from app.models import Creditor
from app.services import alerts
from app.services.context import Actor
from tests.conftest import TODAY, Browser, api_token
from tests.factories import make_debtor, make_invoice, make_payment, make_step


@pytest.fixture
def files(session: Session, owner: Actor, outsider: Actor) -> None:
    notice = make_debtor(session, owner, legal_name="Hôtel du Port", siren="")
    make_invoice(session, owner, notice, number="F-1", issue_date="2026-06-01",
                 due_date="2026-07-01")
    make_step(session, owner, notice, kind="mise_en_demeure", date="2026-11-02", level="",
              channel="lrar")
    consumer = make_debtor(session, owner, kind="consumer", legal_name="M. Moreau", siren="")
    make_invoice(session, owner, consumer, number="F-2", issue_date="2025-01-20",
                 delivery_date="2025-01-20", due_date="2025-02-19")
    theirs = make_debtor(session, outsider, legal_name="Client de Roux", siren="")
    make_invoice(session, outsider, theirs, number="R-1")


def test_dashboard_lists_every_debtors_alerts_by_date(owner_client: Browser,
                                                      files: None) -> None:
    text = unescape(owner_client.get("/alerts").text)
    # no AR recorded: 02/11/2026 + 3 days of post + 8 days = 13/11/2026, an estimate (LAW.md §4)
    notice = text.index("Délai de la mise en demeure expiré le 13/11/2026 (estimation)")
    prescription = text.index("Prescription le 20/01/2027")
    assert notice < prescription  # sorted by date
    assert "Client de Roux" not in text
    assert "encours total" in text


def test_the_head_counts_the_debtors_with_a_balance_and_their_total(
        owner_client: Browser, files: None, session: Session, owner: Actor) -> None:
    settled = make_debtor(session, owner, legal_name="Soldé SARL", siren="")
    make_invoice(session, owner, settled, number="S-1", amount_ht="100.00", amount_tva="20.00",
                 amount_ttc="120.00")
    make_payment(session, owner, settled, amount="120.00", date="2025-02-01")  # in time
    text = unescape(owner_client.get("/alerts").text)
    # Hôtel du Port and M. Moreau owe 1 200,00 € each; Soldé SARL owes nothing; Roux is not ours.
    head = re.search(r"· (\d+) débiteurs? avec un encours · encours total <strong>([^<]+)</strong>",
                     text)
    assert head is not None, text[:2000]
    assert head.group(1) == "2"
    assert head.group(2).replace("\u202f", " ").replace("\xa0", " ") == "2 400,00 €"


def test_dashboard_filters_by_severity_with_htmx(owner_client: Browser, files: None) -> None:
    response = owner_client.get("/alerts?severity=act_now", headers={"HX-Request": "true"})
    text = unescape(response.text)
    assert text.lstrip().startswith('<section id="alert-table">')
    assert "Prescription le 20/01/2027" in text
    assert "Délai de la mise en demeure" not in text


def test_dashboard_follows_a_new_step(owner_client: Browser, owner: Actor, session: Session,
                                      files: None) -> None:
    debtor = make_debtor(session, owner, legal_name="Nouveau", siren="")
    make_invoice(session, owner, debtor, number="F-3", issue_date="2026-06-01",
                 due_date="2026-07-01")
    make_step(session, owner, debtor, kind="mise_en_demeure", date="2026-11-20", level="",
              channel="lrar", deadline_days="15")
    # no AR yet: 20/11/2026 + 3 days of post = 23/11, + 15 days = 08/12/2026, a Tuesday
    # (LAW.md §4 estimate; CPC 641).
    assert "Délai de la mise en demeure jusqu'au 08/12/2026 (estimation)" in unescape(
        owner_client.get("/alerts").text)


def test_api_alerts_returns_the_same(client: Browser, owner: Actor, files: None) -> None:
    headers = api_token(client, "claire@lefevre.test")
    body = client.get("/api/v1/alerts", headers=headers).json()
    assert body["as_of"] == "2026-11-22"
    keys = [(a["debtor"], a["key"], a["date"], a["days_left"]) for a in body["alerts"]]
    assert ("Hôtel du Port", "mise_en_demeure", "2026-11-13", -9) in keys
    assert ("M. Moreau", "prescription", "2027-01-20", 59) in keys
    assert [a["date"] for a in body["alerts"]] == sorted(a["date"] for a in body["alerts"])
    urgent = client.get("/api/v1/alerts?severity=act_now", headers=headers).json()["alerts"]
    assert {(a["severity"], a["severity_label"]) for a in urgent} == {
        ("act_now", "À faire maintenant")}
    # Prescription 20/01/2027 (59 days): filed by 21/11/2026 to be obtained and served in time.
    assert "obtenue et signifiée avant le 20/01/2027" in urgent[0]["action"]
    notice = next(a for a in body["alerts"] if a["key"] == "mise_en_demeure")
    assert notice["severity_label"] == "Délai expiré : vous pouvez agir"


def test_counters_agree_with_the_labels(owner_client: Browser, files: None) -> None:
    page = unescape(owner_client.get("/alerts").text)
    table = page[page.index('<section id="alert-table">'):]
    shown: dict[str, int] = {}
    for label in re.findall(r'<td><span class="badge sev-\w+">([^<]+)</span></td>', table):
        shown[label] = shown.get(label, 0) + 1
    counters = {label.strip(): int(n) for label, n in re.findall(
        r'<a class="counter[^"]*" href="[^"]*">([^<]+)<strong>(\d+)</strong>', page)}
    assert counters["Délai expiré : vous pouvez agir"] == shown["Délai expiré : vous pouvez agir"] == 1
    assert {label: n for label, n in counters.items() if n} == shown


def test_calendar_feed_behind_a_secret_token(owner_client: Browser, session: Session,
                                             owner: Actor, files: None) -> None:
    page = owner_client.get("/alerts").text
    creditor = session.get(Creditor, owner.creditor_id)
    assert creditor is not None
    link = f"http://testserver/calendar/{creditor.calendar_token}.ics"  # as url_for gives it
    assert f'href="{link}"' in page
    assert f'href="{link}"' in owner_client.get("/creditor/members").text
    owner_client.cookies.clear()  # a calendar app has no session
    response = owner_client.get(link)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    summaries = {str(e["SUMMARY"]) for e in events}
    assert "M. Moreau — Prescription le 20/01/2027 (59 jours)" in summaries
    assert not any("Client de Roux" in s for s in summaries)
    assert owner_client.get("/calendar/wrong-token-wrong-token-xx.ics").status_code == 404


def test_dashboard_pages_fifty_alerts_at_a_time(owner_client: Browser, owner: Actor,
                                                 session: Session) -> None:
    for n in range(55):
        debtor = make_debtor(session, owner, legal_name=f"Client {n:02d}", siren="")
        make_invoice(session, owner, debtor, number=f"F-{n:02d}", issue_date="2026-06-01",
                     due_date="2026-07-01")
    first = unescape(owner_client.get("/alerts").text)
    assert "55 échéances — page 1 / 2" in first
    assert first.count('class="sev-row-') == 50
    second = unescape(owner_client.get("/alerts?page=2").text)
    assert second.count('class="sev-row-') == 5
    headers = api_token(owner_client, "claire@lefevre.test")
    assert len(owner_client.get("/api/v1/alerts", headers=headers).json()["alerts"]) == 55


def test_calendar_events_carry_a_reminder_and_validate_with_two_parsers(
        owner_client: Browser, session: Session, owner: Actor, files: None) -> None:
    import vobject

    owner_client.get("/alerts")
    creditor = session.get(Creditor, owner.creditor_id)
    assert creditor is not None
    body = owner_client.get(f"/calendar/{creditor.calendar_token}.ics").content
    events = Calendar.from_ical(body).walk("VEVENT")
    assert events and all(len(e.walk("VALARM")) == 1 for e in events)
    prescription = next(e for e in events if "Prescription" in str(e["SUMMARY"]))
    [alarm] = prescription.walk("VALARM")
    # Prescription 20/01/2027; lead 60 days + a week → 09:00 on 14/11/2026 (67 days before).
    assert alarm["TRIGGER"].dt == timedelta(days=-67, hours=9)
    assert str(alarm["ACTION"]) == "DISPLAY"
    parsed = vobject.readOne(body.decode())  # an independent parser of RFC 5545
    parsed.validate()
    assert len(parsed.vevent_list) == len(events)
    for event in parsed.vevent_list:
        assert event.valarm.trigger.value <= timedelta(hours=9)
        assert event.valarm.action.value == "DISPLAY"


def test_each_filter_and_their_combinations_agree_with_the_whole_list(
        session: Session, owner: Actor, files: None) -> None:
    """The dashboard's statements are built once per set of filters, their values bound at
    each run: each set gives what filtering every alert of the creditor gives."""
    everything = alerts.dashboard(session, owner, TODAY, page_size=None).rows
    assert len(everything) >= 3 and {r.debtor.legal_name for r in everything} == {
        "Hôtel du Port", "M. Moreau"}
    severities = {r.entry.severity for r in everything}
    keys = {r.entry.key for r in everything}
    for severity, key, query in itertools.product(("", *severities), ("", *keys),
                                                  ("", "moreau", "HÔTEL", "nobody")):
        board = alerts.dashboard(session, owner, TODAY, severity=severity, key=key,
                                 query=query, page_size=2)
        matching = [r for r in everything if (not severity or r.entry.severity == severity)
                    and (not key or r.entry.key == key)
                    and query.lower() in r.debtor.legal_name.lower()]
        assert board.total == len(matching), (severity, key, query)
        assert board.rows == matching[:2], (severity, key, query)
        last = alerts.dashboard(session, owner, TODAY, severity=severity, key=key,
                                query=query, page=board.pages, page_size=2)
        assert last.rows == matching[2 * (board.pages - 1):], (severity, key, query)
