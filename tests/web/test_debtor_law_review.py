"""The debtor page, alerts and checklist follow the 30 November 2026 review (issue 13)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import unescape
from importlib.metadata import version

import pytest
from sqlmodel import Session

from app.models import Creditor
from app.services import law_facts
from app.services.context import Actor
from app.services.decompte import debtor_decompte
from app.services.file_view import file_view
from tests.conftest import TODAY, Browser, api_token
from tests.factories import make_debtor, make_invoice, make_requete_court, make_step


def _page(client: Browser, debtor_id: int) -> str:
    return unescape(client.get(f"/debtors/{debtor_id}").text)


def _creditor(session: Session, actor: Actor, **values: object) -> Creditor:
    creditor = session.get(Creditor, actor.creditor_id)
    assert creditor is not None
    for name, value in values.items():
        setattr(creditor, name, value)
    session.add(creditor)
    session.commit()
    return creditor


def test_overseas_debtor_s_notice_deadline_skips_its_local_holiday(
        owner_client: Browser, owner: Actor, session: Session) -> None:
    # Pointe-à-Pitre (97110 → 971, not "97"): AR signed 19/05/2026 + 8 days = Wednesday
    # 27/05/2026, Guadeloupe's abolition day → Thursday 28/05/2026 (CPC 642).
    debtor = make_debtor(session, owner, postal_code="97110", city="Pointe-à-Pitre")
    make_invoice(session, owner, debtor, issue_date="2026-03-01", due_date="2026-03-31")
    make_step(session, owner, debtor, kind="mise_en_demeure", date="2026-05-15",
              channel="lrar", level="", deadline_days="8")
    make_step(session, owner, debtor, kind="ar_signed", date="2026-05-19", channel="lrar",
              level="")
    text = _page(owner_client, debtor.id)  # type: ignore[arg-type]
    assert "Délai de la mise en demeure expiré le 28/05/2026" in text
    assert "(estimation)" not in text
    assert "27/05/2026 (Abolition de l'esclavage)" in text
    assert f"bibliothèque holidays {version('holidays')}" in text
    facts = law_facts.file_facts(law_facts.load(session, debtor), TODAY)
    assert facts.mise_en_demeure.deadline == date(2026, 5, 28)


def test_ordonnance_not_served_to_the_person_shows_no_opposition_date(
        owner_client: Browser, owner: Actor, session: Session) -> None:
    # Served 01/10/2026 not to the person: no opposition deadline (CPC 1416 al. 2);
    # enforceable 2 months after service: 01/12/2026 → 02/12/2026 (CPC 1422, décret 2026-96)
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor, issue_date="2026-03-01", due_date="2026-03-31")
    make_step(session, owner, debtor, kind="ordonnance", date="2026-09-15", level="",
              channel="")
    make_step(session, owner, debtor, kind="signification", date="2026-10-01", level="",
              channel="commissaire", to_person="0")
    text = _page(owner_client, debtor.id)  # type: ignore[arg-type]
    assert "Exécution possible à partir du 02/12/2026" in text
    assert "Délai d'opposition jusqu'au" not in text
    assert "aucun délai d'opposition n'est fixé" in text


def test_a_service_not_ticked_to_the_person_fixes_no_opposition_deadline(
        owner_client: Browser, owner: Actor, session: Session) -> None:
    """The step form as a browser sends it, "Signifiée à personne" unticked (no field), and the
    API with `"to_person": false`: both say "pas à personne", and no opposition deadline is
    given (CPC 1416 al. 2); enforceable 2 months after service all the same (1422)."""
    by_form = make_debtor(session, owner)
    by_api = make_debtor(session, owner, legal_name="Garage Central", siren="")
    for number, debtor in enumerate((by_form, by_api)):
        make_invoice(session, owner, debtor, number=f"F-{number}", issue_date="2026-03-01",
                     due_date="2026-03-31")
        make_step(session, owner, debtor, kind="ordonnance", date="2026-09-15", level="",
                  channel="")
    posted = owner_client.submit(f"/debtors/{by_form.id}/steps", {
        "kind": "signification", "date": "2026-10-01", "channel": "commissaire", "level": "",
        "reference": "", "deadline_days": "", "end_date": "", "amount": "", "notes": ""})
    assert posted.status_code in (200, 303), posted.text
    headers = api_token(owner_client, "claire@lefevre.test")
    made = owner_client.post(f"/api/v1/debtors/{by_api.id}/steps", headers=headers, json={
        "kind": "signification", "date": "2026-10-01", "channel": "commissaire",
        "to_person": False})
    assert made.status_code == 201, made.text
    assert made.json()["to_person"] is False
    for debtor in (by_form, by_api):
        text = _page(owner_client, debtor.id)  # type: ignore[arg-type]
        assert "pas à personne" in text
        assert "Délai d'opposition jusqu'au" not in text
        assert "aucun délai d'opposition n'est fixé" in text
        assert "Exécution possible à partir du 02/12/2026" in text
        # the route follows: enforce the ordonnance, not a requête again (LAW.md §5)
        assert "Ordonnance rendue le 15/09/2026, signifiée le 01/10/2026" in text


@pytest.mark.parametrize(
    ("debtor_postcode", "court_postcode", "title"),
    [
        # Saint-Pierre (974) before Saint-Denis de La Réunion: no extension (CPC 644);
        # 01/10/2026 + 1 month = Sunday 01/11 → Monday 02/11/2026
        ("97410", "97400", "Délai d'opposition jusqu'au 02/11/2026"),
        # the same debtor before a court in Lyon: + 1 month (CPC 643) → 01/12/2026
        ("97410", "69003", "Délai d'opposition jusqu'au 01/12/2026"),
        # a debtor in Angers before the court of Saint-Denis: + 1 month (CPC 644) → 01/12
        ("49000", "97400", "Délai d'opposition jusqu'au 01/12/2026"),
        # no requête generated: the debtor's own court (CPC 1406) → no extension
        ("97410", None, "Délai d'opposition jusqu'au 02/11/2026"),
    ],
)
def test_distance_extension_follows_the_court_s_own_address(
        owner_client: Browser, owner: Actor, session: Session, debtor_postcode: str,
        court_postcode: str | None, title: str) -> None:
    debtor = make_debtor(session, owner, postal_code=debtor_postcode, city="Ville")
    make_invoice(session, owner, debtor, issue_date="2026-03-01", due_date="2026-03-31")
    if court_postcode:
        make_requete_court(session, owner, debtor, date(2026, 8, 1), kind="tribunal_judiciaire",
                           name="Tribunal judiciaire", postal_code=court_postcode, city="Ville")
    make_step(session, owner, debtor, kind="ordonnance", date="2026-09-15", level="",
              channel="")
    make_step(session, owner, debtor, kind="signification", date="2026-10-01", level="",
              channel="commissaire", to_person="1")
    assert title in _page(owner_client, debtor.id)  # type: ignore[arg-type]


def test_creditor_in_noumea_has_four_months_to_declare(
        owner_client: Browser, owner: Actor, session: Session) -> None:
    # Creditor in Nouméa (98800 → 988), opening court in Angers: BODACC 01/10/2026 + 2 + 2
    # months = 01/02/2027 (C. com. R622-24 al. 3; the creditor's own deadline, unextended)
    _creditor(session, owner, postal_code="98800", city="Nouméa")
    debtor = make_debtor(session, owner, proceedings_kind="liquidation",
                         proceedings_judgment_date="2026-09-20",
                         proceedings_bodacc_date="2026-10-01")
    make_invoice(session, owner, debtor, issue_date="2026-03-01", due_date="2026-03-31")
    text = _page(owner_client, debtor.id)  # type: ignore[arg-type]
    assert "Déclarer la créance avant le 01/02/2027" in text
    assert "Nouvelle-Calédonie" in text


@pytest.mark.parametrize(("carrier", "invoice_flag"), [(True, ""), (False, "1")])
def test_carriage_of_goods_older_than_a_year_blocks(
        session: Session, owner: Actor, carrier: bool, invoice_flag: str) -> None:
    # Delivered 01/10/2025 + 1 year = last day 01/10/2026 < 22/11/2026 (C. com. L133-6):
    # blocking, prescribed since 02/10/2026
    _creditor(session, owner, goods_carrier=carrier)
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor, issue_date="2025-10-01", delivery_date="2025-10-01",
                 due_date="2025-10-31", goods_transport=invoice_flag)
    view = file_view(session, debtor, TODAY)
    item = next(i for i in view.checklist if i.key == "goods_transport")
    assert item.status == "bloquant"
    assert "prescrite depuis le 02/10/2026" in item.detail
    prescription = next(a for a in view.alerts if a.key == "prescription")
    assert (prescription.severity, prescription.article) == ("expired", "C. com. L133-6")


def test_notice_by_due_date_setting_runs_a_consumer_s_interest(
        session: Session, owner: Actor) -> None:
    # Consumer, no letter: 1 200 € due 09/02/2025; on 30/09/2025 with the 1344 clause:
    # 10/02–30/06 = 141 days × 3.71 % = 17.20; 01/07–30/09 = 92 days × 2.76 % = 8.35 → 25.55
    debtor = make_debtor(session, owner, kind="consumer", legal_name="M. Julien Moreau",
                         siren="")
    make_invoice(session, owner, debtor)
    assert debtor_decompte(session, debtor, date(2025, 9, 30)).interest == Decimal("0")
    _creditor(session, owner, notice_by_due_date=True)
    result = debtor_decompte(session, debtor, date(2025, 9, 30))
    assert result.interest == Decimal("25.55")
    assert any("seule échéance" in w for w in result.warnings)


def test_profile_saves_the_law_settings(owner_client: Browser, owner: Actor,
                                        session: Session) -> None:
    profile = {"legal_name": "Menuiserie Lefèvre", "country": "FR", "payment_term_days": "30"}
    page = unescape(owner_client.get("/creditor").text)
    assert "Mise en demeure par la seule échéance (CGV)" in page
    assert "Transporteur / commissionnaire de transport" in page
    owner_client.submit("/creditor", {**profile, "notice_by_due_date": "1",
                                      "goods_carrier": "1"})
    creditor = session.get(Creditor, owner.creditor_id)
    session.refresh(creditor)
    assert creditor is not None and creditor.notice_by_due_date and creditor.goods_carrier
    owner_client.submit("/creditor", profile)
    session.refresh(creditor)
    assert not creditor.notice_by_due_date and not creditor.goods_carrier
