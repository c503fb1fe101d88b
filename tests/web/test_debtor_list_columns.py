"""The debtors list: stage, days overdue and next action, each filterable and sortable
(issue 15), on the hand-computed portfolio of tests/dashboard/portfolio.py (22 Nov 2026)."""

from __future__ import annotations

import html
import re

from sqlmodel import Session

from app.services.context import Actor
from tests.conftest import Browser
from tests.dashboard.portfolio import build
from tests.web.test_reminder_settings import default_form


def names(html: str) -> list[str]:
    return re.findall(r'<a href="/debtors/\d+">([^<]+)</a>', html)


def rows(html: str) -> dict[str, tuple[str, str, str]]:
    """debtor → (stage, days late, next action)"""
    found = re.findall(r'<a href="/debtors/\d+">([^<]+)</a>.*?<td class="stage">([^<]*)</td>\s*'
                       r'<td class="num days-late">([^<]*).*?<td class="next-action">([^<]*)',
                       html, re.S)
    return {name: (stage, days, action) for name, stage, days, action in found}


def test_each_debtor_shows_its_stage_days_late_and_next_action(
        owner_client: Browser, session: Session, owner: Actor) -> None:
    build(session, owner)
    shown = rows(html.unescape(owner_client.get("/debtors").text))
    # The amiable track follows the reminder scenario (J+3, J+15 by e-mail, J+30 by letter,
    # J+45 mise en demeure), sent or prepared by the day's run: relance 3 came on 22 Nov (J+30).
    assert shown["Durand BTP"] == ("Amiable — relance 2", "31",
                                   "Relance 3 par courrier (scénario) : l'imprimer et la poster")
    # 91 days late with no reminder: the scenario is past J+45 and prepares a mise en demeure.
    assert shown["Bernard Frères"] == ("Amiable — aucune relance", "91",
                                       "Mise en demeure (scénario) : la vérifier et l'envoyer")
    # The mise en demeure of 20 Oct gave 8 days: expired, the judicial route is open.
    assert shown["Martin SARL"] == ("Mise en demeure", "61",
                                    "Déposer la requête en injonction de payer")
    # Liquidation: the déclaration de créance is due 8 Dec 2026 (urgent, ≤ 15 days).
    assert shown["Petit SA"] == ("Procédure collective", "181",
                                 "Déclarer la créance au mandataire (échéance le 08/12/2026)")
    # Due today, not late. Its prévenance (an e-mail, sent up to the due date) is due, but it
    # has no e-mail address: the scenario sends nothing, the nearest deadline shows.
    assert shown["Moreau SAS"] == ("Amiable — aucune relance", "—",
                                   "Agir avant la prescription (échéance le 23/10/2031)")


def test_filters_on_stage_bucket_and_next_action(owner_client: Browser, session: Session,
                                                 owner: Actor) -> None:
    build(session, owner)
    assert names(owner_client.get("/debtors?stage=amiable").text) == ["Bernard Frères",
                                                                      "Moreau SAS"]
    assert names(owner_client.get("/debtors?bucket=61-90").text) == ["Martin SARL"]
    assert names(owner_client.get("/debtors?bucket=31-60").text) == ["Durand BTP"]
    assert names(owner_client.get("/debtors?bucket=1-30").text) == []
    assert names(owner_client.get("/debtors?bucket=not_due").text) == ["Moreau SAS"]
    assert names(owner_client.get("/debtors?action=declaration_creance").text) == ["Petit SA"]
    # On another date the same oldest invoices fall in other buckets.
    assert names(owner_client.get("/debtors?bucket=1-30&as_of=2026-11-01").text) == [
        "Durand BTP"]


def test_sorts_on_stage_days_late_and_next_action(owner_client: Browser, session: Session,
                                                  owner: Actor) -> None:
    build(session, owner)
    assert names(owner_client.get("/debtors?sort=stage").text) == [
        "Petit SA", "Martin SARL", "Durand BTP", "Bernard Frères", "Moreau SAS"]
    assert names(owner_client.get("/debtors?sort=oldest").text) == [
        "Petit SA", "Bernard Frères", "Martin SARL", "Durand BTP", "Moreau SAS"]
    by_next = names(owner_client.get("/debtors?sort=next").text)
    assert by_next[0] == "Martin SARL"  # its mise en demeure deadline, 28 Oct 2026


def test_a_new_step_moves_the_debtor_to_its_stage_in_the_list(
        owner_client: Browser, session: Session, owner: Actor) -> None:
    ids = build(session, owner)
    assert rows(owner_client.get("/debtors").text)["Bernard Frères"][0] == \
        "Amiable — aucune relance"
    response = owner_client.submit(f"/debtors/{ids['C']}/steps", {
        "kind": "mise_en_demeure", "date": "2026-11-20", "channel": "lrar",
        "deadline_days": "8"}, follow_redirects=False)
    assert response.status_code in (200, 303), response.text
    stage, _, action = rows(owner_client.get("/debtors").text)["Bernard Frères"]
    assert (stage, action) == ("Mise en demeure",
                               "Attendre la fin du délai de la mise en demeure")
    board = owner_client.get("/dashboard").text
    assert '<a href="/debtors?stage=mise_en_demeure">Mise en demeure</a></td>' \
        '<td class="num" data-value="16421.97">' in board  # Martin 6 021,97 + Bernard 10 400


def test_the_next_action_follows_the_reminder_scenario_as_the_file_changes(
        owner_client: Browser, session: Session, owner: Actor) -> None:
    ids = build(session, owner)

    def durand() -> tuple[str, str]:
        page = html.unescape(owner_client.get("/debtors").text)
        found = re.search(r'>Durand BTP</a>.*?<td class="next-action">([^<]*)<br>'
                          r'<small class="muted">([^<]*)</small>', page, re.S)
        assert found, page
        shown = found.group(1), found.group(2)
        # the debtor's page says the same
        own = html.unescape(owner_client.get(f"/debtors/{ids['A']}").text)
        box = re.search(r'class="alert sev-info next-letter">.*?<time[^>]*>([^<]*)</time>.*?'
                        r'<strong>([^<]*)</strong>', own, re.S)
        assert box and (box.group(2), box.group(1)) == shown, own
        return shown

    assert durand() == ("Relance 3 par courrier (scénario) : l'imprimer et la poster",
                        "22/11/2026")
    # Relance 3 posted today: the scenario's mise en demeure comes at J+45 of A-31 (22 Oct).
    response = owner_client.submit(f"/debtors/{ids['A']}/steps", {
        "kind": "reminder", "level": "3", "date": "2026-11-22", "channel": "letter"},
        follow_redirects=False)
    assert response.status_code in (200, 303), response.text
    assert durand() == ("Mise en demeure (scénario) : la vérifier et l'envoyer", "06/12/2026")
    # "Stop relance" on the debtor: the scenario sends nothing, the next step is by hand.
    response = owner_client.submit(f"/debtors/{ids['A']}/holds", {
        "reason": "Litige sur la livraison", "invoice_id": "", "until": ""},
        follow_redirects=False)
    assert response.status_code in (200, 303), response.text
    assert durand() == ("Envoyer la mise en demeure", "22/11/2026")
    # The filter "Envoyer la mise en demeure" finds it, and Bernard Frères, whose scenario
    # prepares one (91 days late, past J+45).
    assert names(owner_client.get("/debtors?action=relance_3").text) == ["Bernard Frères",
                                                                         "Durand BTP"]


def test_a_change_to_the_scenario_or_the_minimum_moves_the_next_action_at_once(
        owner_client: Browser, session: Session, owner: Actor) -> None:
    """A scenario's steps, or the creditor's minimum amount, change no debtor's file: the job
    they defer (services/reminders/followers.py) stores the next actions again, and the list
    and the debtor's page, kept until then, show them."""
    ids = build(session, owner)
    queue = owner_client.app.state.queue

    def durand() -> tuple[str, str]:
        page = html.unescape(owner_client.get("/debtors").text)
        found = re.search(r'>Durand BTP</a>.*?<td class="next-action">([^<]*)<br>'
                          r'<small class="muted">([^<]*)</small>', page, re.S)
        assert found, page
        own = html.unescape(owner_client.get(f"/debtors/{ids['A']}").text)
        assert f"<strong>{found.group(1)}</strong>" in own  # the page's "Prochain envoi"
        return found.group(1), found.group(2)

    letter = "Relance 3 par courrier (scénario) : l'imprimer et la poster"
    assert durand() == (letter, "22/11/2026")  # J+30 of A-31 (due 22 Oct)
    # Relance 3 moved from J+30 to J+40: due on 1 Dec for A-31.
    sid, data = default_form(session, owner, **{"steps.3.offset_days": "40"})
    assert data["steps.3.template"] == "relance_3", data
    response = owner_client.submit(f"/settings/relances/scenarios/{sid}", data,
                                   follow_redirects=False)
    assert response.status_code == 303, response.text
    queue.drain()
    assert durand() == (letter, "01/12/2026")
    # A minimum above what Durand owes (3 000 €): the scenario reminds it no more, the next
    # relance is one to send by hand, today.
    response = owner_client.submit("/settings/relances/expediteur", {
        "sender_name": "", "sender_email": "", "reply_to": "",
        "reminder_min_amount": "5 000,00"}, follow_redirects=False)
    assert response.status_code == 303, response.text
    queue.drain()
    assert durand() == ("Envoyer la relance n° 3", "22/11/2026")
