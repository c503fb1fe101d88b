"""Creating, editing, listing and reading debtor files through the pages."""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import AuditEvent, Debtor
from app.services.context import Actor
from tests.conftest import Browser
from tests.factories import DURAND_SIREN, make_debtor, make_invoice


def test_create_debtor_redirects_to_its_page(owner_client: Browser, session: Session) -> None:
    response = owner_client.submit("/debtors", {"kind": "company", "legal_name": "Durand BTP",
                                                "siren": DURAND_SIREN, "city": "Angers"},
                                   follow_redirects=False)
    assert response.status_code == 303
    debtor = session.exec(select(Debtor)).one()
    assert response.headers["location"] == f"/debtors/{debtor.id}?ok=created"
    page = owner_client.get(response.headers["location"])
    assert "Durand BTP" in page.text


def test_invalid_siren_is_refused_next_to_the_field(owner_client: Browser,
                                                     session: Session) -> None:
    response = owner_client.submit("/debtors", {"kind": "company", "legal_name": "Mauvais",
                                                "siren": "123456789"})
    assert response.status_code == 422
    assert 'id="e-siren"' in response.text
    assert "SIREN invalide" in response.text
    assert 'value="Mauvais"' in response.text  # what was typed is kept
    assert session.exec(select(Debtor)).all() == []


def test_missing_name_is_required(owner_client: Browser) -> None:
    response = owner_client.submit("/debtors", {"kind": "company", "legal_name": ""})
    assert response.status_code == 422
    assert "Le nom est obligatoire." in response.text


def test_edit_debtor_records_the_change_in_history(owner_client: Browser, owner: Actor,
                                                   session: Session) -> None:
    debtor = make_debtor(session, owner)
    form = {k: ("" if v is None else str(v)) for k, v in debtor.model_dump().items()}
    form.update({"city": "Cholet", "is_merchant": "1"})
    response = owner_client.submit(f"/debtors/{debtor.id}", form, follow_redirects=False)
    assert response.status_code == 303
    page = owner_client.get(f"/debtors/{debtor.id}")
    assert "Cholet" in page.text
    assert "Fiche modifiée : ville" in page.text
    event = session.exec(select(AuditEvent)
                         .where(AuditEvent.action == "update")).one()
    assert event.changes == {"city": ["Angers", "Cholet"]}


def test_list_sorts_by_outstanding_and_searches(owner_client: Browser, owner: Actor,
                                                session: Session) -> None:
    small = make_debtor(session, owner, legal_name="Petit Client", siren="")
    big = make_debtor(session, owner, legal_name="Gros Client", siren="")
    make_invoice(session, owner, small, number="F-1", amount_ht="100.00", amount_tva="20.00",
                 amount_ttc="120.00")
    make_invoice(session, owner, big, number="F-2", amount_ht="1000.00", amount_tva="200.00",
                 amount_ttc="1200.00")
    text = owner_client.get("/debtors?sort=amount").text
    assert text.index("Gros Client") < text.index("Petit Client")
    assert "1\u202f200,00\u00a0€" in text
    found = owner_client.get("/debtors?q=petit").text
    assert "Petit Client" in found and "Gros Client" not in found


def test_search_fragment_for_htmx(owner_client: Browser, owner: Actor, session: Session) -> None:
    make_debtor(session, owner)
    response = owner_client.get("/debtors?q=durand", headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<section id="debtor-table">')
    assert "<html" not in response.text
    assert response.headers["vary"] == "HX-Request"


def test_oldest_due_sort(owner_client: Browser, owner: Actor, session: Session) -> None:
    late = make_debtor(session, owner, legal_name="Ancien", siren="")
    recent = make_debtor(session, owner, legal_name="Récent", siren="")
    make_invoice(session, owner, recent, number="F-R", issue_date="2026-05-01",
                 due_date="2026-06-01")
    make_invoice(session, owner, late, number="F-A", issue_date="2025-01-01",
                 due_date="2025-02-01")
    text = owner_client.get("/debtors?sort=oldest").text
    assert text.index("Ancien") < text.index("Récent")
    assert "01/02/2025" in text


def test_unknown_debtor_is_a_french_404(owner_client: Browser) -> None:
    response = owner_client.get("/debtors/9999")
    assert response.status_code == 404
    assert "Page introuvable" in response.text
    assert "Traceback" not in response.text


def test_debtor_page_shows_siren(owner_client: Browser, owner: Actor, session: Session) -> None:
    debtor = make_debtor(session, owner)
    assert f"SIREN {DURAND_SIREN}" in owner_client.get(f"/debtors/{debtor.id}").text
