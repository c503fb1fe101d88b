"""A debtor's page is kept at its own revision (app/revisions.py): a change to another debtor's
file leaves it kept; a change to its file, to the creditor's own rows or to a file its page
reads (an invoice number taken elsewhere) shows at once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import unescape

from fastapi import FastAPI
from sqlmodel import Session

from app.formatting import eur
from app.models import Court, Creditor, Debtor, Evidence, RateOverride, ReminderScenario
from app.services import courts
from app.services.context import Actor
from app.services.decompte import debtor_decompte
from app.web import kept_sections
from tests.conftest import TODAY, Browser
from tests.factories import make_debtor, make_invoice, make_payment, make_step

INVOICE = {"number": "F-2026-010", "issue_date": "2026-09-01", "due_date": "2026-10-01",
           "amount_ht": "1 000,00", "amount_tva": "200,00", "amount_ttc": "1 200,00"}


def served(client: Browser, url: str) -> tuple[str, str]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    return response.headers["X-Page-Cache"], unescape(response.text)


def test_a_colleagues_change_to_another_file_leaves_the_page_kept(
        owner_client: Browser, app: FastAPI, owner: Actor, colleague: Actor,
        session: Session) -> None:
    mine, other = make_debtor(session, owner), make_debtor(session, owner, legal_name="Roux SA")
    mine_url, other_url = f"/debtors/{mine.id}", f"/debtors/{other.id}"
    for url in (mine_url, other_url, "/debtors"):
        owner_client.get(url)
    with Browser(app) as hugo:
        hugo.login("hugo@lefevre.test")
        assert hugo.submit(f"{other_url}/invoices", INVOICE,
                           follow_redirects=False).status_code == 303
    status, text = served(owner_client, mine_url)
    assert status == "hit" and "F-2026-010" not in text
    status, text = served(owner_client, other_url)
    assert status == "miss" and "F-2026-010" in text
    assert served(owner_client, "/debtors")[0] == "miss"  # the list shows every file
    assert served(owner_client, mine_url)[0] == "hit"


def test_the_creditors_own_rows_show_on_every_debtor_page(owner_client: Browser,
                                                          owner: Actor,
                                                          session: Session) -> None:
    debtor = make_debtor(session, owner)
    url = f"/debtors/{debtor.id}"
    owner_client.get(url)
    session.add(Court(creditor_id=owner.creditor_id, kind="tj",  # type: ignore[arg-type]
                      name="Tribunal judiciaire de Saumur", street="1 place Bilange",
                      postal_code="49400", city="Saumur"))
    session.commit()
    status, text = served(owner_client, url)
    assert status == "miss" and "Tribunal judiciaire de Saumur" in text
    creditor = session.get(Creditor, owner.creditor_id)
    assert creditor is not None
    creditor.legal_name = "Menuiserie Lefèvre et Fils"
    session.add(creditor)
    session.commit()
    status, text = served(owner_client, url)
    assert status == "miss" and "Menuiserie Lefèvre et Fils" in text


def test_the_creditors_lists_on_a_debtor_page_follow_its_settings_not_its_files(
        owner_client: Browser, owner: Actor, session: Session) -> None:
    """The courts and the reminder scenarios the page offers are kept at the creditor's shared
    revision (app/services/creditor_lists.py): a change to a file renders the page around
    them; a court or a scenario added, renamed or removed shows at once."""
    debtor = make_debtor(session, owner)
    url = f"/debtors/{debtor.id}"
    court = Court(creditor_id=owner.creditor_id, kind="tj",  # type: ignore[arg-type]
                  name="Tribunal judiciaire de Saumur", city="Saumur")
    scenario = ReminderScenario(creditor_id=owner.creditor_id, name="Clients fidèles")  # type: ignore[arg-type]
    session.add_all([court, scenario])
    session.commit()
    assert "Tribunal judiciaire de Saumur (Saumur)" in served(owner_client, url)[1]
    make_invoice(session, owner, debtor)  # a change to the file: rendered, lists kept
    status, text = served(owner_client, url)
    assert status == "miss" and "F-2025-001" in text
    assert "Tribunal judiciaire de Saumur (Saumur)" in text and "Clients fidèles" in text
    court.name, scenario.name = "Tribunal judiciaire d'Angers", "Clients pressés"
    session.add_all([court, scenario])
    session.commit()
    status, text = served(owner_client, url)
    assert status == "miss" and "Tribunal judiciaire d'Angers (Saumur)" in text
    assert "Clients pressés" in text and "Clients fidèles" not in text
    session.delete(court)
    session.commit()
    assert "Tribunal judiciaire d'Angers" not in served(owner_client, url)[1]


def test_the_court_named_for_a_town_and_the_rates_follow_their_changes_at_once(
        owner_client: Browser, owner: Actor, session: Session) -> None:
    """The court named for each town and the rate tables are kept with the creditor's lists
    (app/services/creditor_lists.py): naming another court for the debtor's town, or a rate
    correction (which moves every creditor's shared revision), shows on the next render."""
    debtor = make_debtor(session, owner, city="Saumur", postal_code="49400")
    make_invoice(session, owner, debtor, issue_date="2026-06-01", due_date="2026-07-01")
    url = f"/debtors/{debtor.id}"
    first = courts.add(session, owner, {"court_kind": "tribunal_commerce",
                                        "court_name": "Tribunal de commerce de Saumur",
                                        "court_city": "Saumur"}, debtor=debtor)
    status, text = served(owner_client, url)
    assert status == "miss" and "Proposée : Tribunal de commerce de Saumur" in text
    make_step(session, owner, debtor, kind="reminder", level="1", date="2026-11-02")
    status, text = served(owner_client, url)  # a change to the file: the lists kept
    assert status == "miss" and "Proposée : Tribunal de commerce de Saumur" in text
    second = courts.add(session, owner, {"court_kind": "tribunal_commerce",
                                         "court_name": "Tribunal de commerce d'Angers",
                                         "court_city": "Angers"}, debtor=debtor)
    status, text = served(owner_client, url)
    assert status == "miss" and "Proposée : Tribunal de commerce d'Angers" in text
    assert second.id != first.id
    before = debtor_decompte(session, debtor, TODAY)
    assert f"{eur(before.total)}" in text
    session.add(RateOverride(table_name="ecb", semester="2026-S2", start=date(2026, 7, 1),
                             ecb_mro=Decimal("9.00"), source="Correction de test"))
    session.commit()
    after = debtor_decompte(session, debtor, TODAY)
    assert after.total > before.total
    status, text = served(owner_client, url)
    assert status == "miss" and "19,00 %" in text and f"{eur(after.total)}" in text


def test_a_page_that_reads_another_files_invoice_follows_that_file(
        owner_client: Browser, owner: Actor, session: Session) -> None:
    """A Factur-X pièce offers to create invoice F-77 while no other debtor has it."""
    debtor = make_debtor(session, owner, legal_name="Hôtel du Port", siren="")
    other = make_debtor(session, owner, legal_name="Roux SA", siren="")
    data = {"number": "F-77", "issue_date": "2026-09-01", "due_date": "2026-10-01",
            "total_ht": "100.00", "total_tva": "20.00", "total_ttc": "120.00",
            "currency": "EUR", "seller": {"name": "Menuiserie Lefèvre", "siren": ""},
            "buyer": {"name": "Hôtel du Port", "siren": ""}}
    session.add(Evidence(creditor_id=owner.creditor_id, debtor_id=debtor.id, sha256="1" * 64,  # type: ignore[arg-type]
                         size=1, media_type="application/pdf", original_name="F-77.pdf",
                         kind="invoice", meta={"facturx": data}))
    session.commit()
    url = f"/debtors/{debtor.id}"
    status, text = served(owner_client, url)
    assert status == "miss" and "Créer la facture F-77" in text
    assert served(owner_client, url)[0] == "hit"
    make_invoice(session, owner, other, number="F-77")
    status, text = served(owner_client, url)
    assert status == "miss"
    assert "la facture n° F-77 existe déjà chez un autre débiteur" in text
    assert "Créer la facture F-77" not in text


def a_file(session: Session, owner: Actor) -> int:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor, number="F-1", issue_date="2025-01-10",
                 due_date="2025-02-09")
    make_invoice(session, owner, debtor, number="F-2", issue_date="2026-09-01",
                 due_date="2026-10-01")
    make_payment(session, owner, debtor, amount="200.00")
    make_step(session, owner, debtor)
    return debtor.id  # type: ignore[return-value]


def test_sections_kept_for_the_same_facts_give_the_same_page(owner_client: Browser,
                                                             owner: Actor,
                                                             session: Session) -> None:
    url = f"/debtors/{a_file(session, owner)}"
    kept_sections.KEPT.clear()
    first = owner_client.get(url)
    computed = kept_sections.KEPT.computed
    again = owner_client.get(f"{url}?from=list")  # another URL: rendered again
    assert again.headers["X-Page-Cache"] == "miss"
    assert kept_sections.KEPT.computed == computed  # around the kept sections
    assert again.text == first.text
    for section in ("account", "decompte", "steps", "alerts", "readiness"):
        assert f'id="{section}"' in again.text


def test_kept_sections_follow_the_role_and_the_file(owner_client: Browser, app: FastAPI,
                                                    owner: Actor, reader: Actor,
                                                    session: Session) -> None:
    url = f"/debtors/{a_file(session, owner)}"
    assert "Enregistrer le paiement" in owner_client.get(url).text
    with Browser(app) as lea:
        lea.login("lea@lefevre.test")
        text = lea.get(url).text
        assert "Enregistrer le paiement" not in text and 'id="account"' in text
    response = owner_client.submit(f"{url}/payments", {"date": "2026-10-01", "amount": "100,00"})
    assert response.status_code in (200, 303)
    text = unescape(owner_client.get(url).text)
    debtor = session.get(Debtor, int(url.rsplit("/", 1)[1]))
    assert debtor is not None
    session.refresh(debtor)
    principal = debtor_decompte(session, debtor, TODAY).principal
    # 2 × 1 200 − 200 − 100, less what of the payments paid the penalties first (1343-1)
    assert principal > Decimal("2100")
    assert 'id="account-outstanding">' + eur(principal) in text


def test_the_other_sections_are_drawn_again_only_when_what_they_read_changed(
        owner_client: Browser, owner: Actor, session: Session) -> None:
    """Reminders, letters, claim file and identity are kept by the value of every name their
    template reads (app/web/kept_sections.py BY_VALUE): a "stop relance" draws the reminders
    again, and they show it; the letters, the claim file and the identity stay as drawn."""
    url = f"/debtors/{a_file(session, owner)}"
    kept_sections.KEPT.clear()
    owner_client.get(url)
    keys = set(kept_sections.KEPT._values)  # noqa: SLF001 (what was drawn)
    assert {key[0] for key in keys} >= set(kept_sections.BY_VALUE)
    response = owner_client.submit(f"{url}/holds", {"reason": "Litige sur la livraison",
                                                    "invoice_id": "", "until": ""},
                                   follow_redirects=False)
    assert response.status_code in (200, 303), response.text
    cache, text = served(owner_client, url)
    assert cache == "miss" and "Litige sur la livraison" in text
    drawn = {key[0] for key in set(kept_sections.KEPT._values) - keys}  # noqa: SLF001
    assert "reminders" in drawn
    assert not drawn & {"documents", "claim_file", "identity"}


def test_a_pièce_added_draws_the_pieces_again(owner_client: Browser, owner: Actor,
                                             session: Session) -> None:
    url = f"/debtors/{a_file(session, owner)}"
    owner_client.get(url)
    session.add(Evidence(creditor_id=owner.creditor_id, debtor_id=int(url.rsplit("/", 1)[1]),
                         sha256="1" * 64, size=1, media_type="application/pdf",
                         original_name="bon-de-livraison.pdf", kind="delivery_note",
                         title="Bon de livraison signé"))
    session.commit()
    assert "Bon de livraison signé" in served(owner_client, f"{url}?again=1")[1]


def test_a_section_that_reads_something_with_no_key_is_drawn_in_place() -> None:
    from app.web.templating import templates
    from app.web.value_keys import UNKEYABLE

    identity = kept_sections.BY_VALUE["identity"]
    context = {"debtor": None, "can_write": True, "csrf_token": "x"}
    assert kept_sections.inputs_key(templates.env, identity, context) is not UNKEYABLE
    context["can_write"] = object()  # no key: never kept, so never kept stale
    assert kept_sections.inputs_key(templates.env, identity, context) is UNKEYABLE
