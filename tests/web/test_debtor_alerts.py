"""Journey 3: the debtor page shows its dated alerts, checklist, route and décompte."""

from __future__ import annotations

from html import unescape

from sqlmodel import Session

from app.services.context import Actor
from tests.conftest import Browser
from tests.factories import make_debtor, make_invoice, make_payment, make_step


def _page(client: Browser, debtor_id: int) -> str:
    return unescape(client.get(f"/debtors/{debtor_id}").text)


def test_mise_en_demeure_deadline_passed_is_shown(owner_client: Browser, owner: Actor,
                                                  session: Session) -> None:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor, issue_date="2026-06-01", due_date="2026-07-01")
    # Sent 02/11/2026, no AR recorded: estimate 02/11 + 3 days of post = 05/11, + 8 days =
    # 13/11/2026, a Friday (LAW.md §4; CPC 641): expired on 22/11/2026.
    make_step(session, owner, debtor, kind="mise_en_demeure", date="2026-11-02",
              channel="lrar", level="", deadline_days="8")
    text = _page(owner_client, debtor.id)  # type: ignore[arg-type]
    assert "Délai de la mise en demeure expiré le 13/11/2026 (estimation)" in text
    assert "il y a 9 j" in text
    assert "déposer la requête en injonction de payer" in text


def test_consumer_near_prescription_is_urgent(owner_client: Browser, owner: Actor,
                                              session: Session) -> None:
    debtor = make_debtor(session, owner, kind="consumer", legal_name="M. Julien Moreau",
                         siren="")
    # Delivered 20/01/2025: consumer, 2 years (C. conso. L218-2) → 20/01/2027, 59 days left.
    make_invoice(session, owner, debtor, issue_date="2025-01-20", delivery_date="2025-01-20",
                 due_date="2025-02-19")
    text = _page(owner_client, debtor.id)  # type: ignore[arg-type]
    assert "Prescription le 20/01/2027 (59 jours)" in text
    assert "J−59" in text
    assert 'class="alert sev-urgent" data-key="prescription"' in owner_client.get(
        f"/debtors/{debtor.id}").text


def test_partial_payment_interrupts_prescription(owner_client: Browser, owner: Actor,
                                                 session: Session) -> None:
    debtor = make_debtor(session, owner, kind="consumer", legal_name="Mme Roy", siren="")
    invoice = make_invoice(session, owner, debtor, issue_date="2025-01-20",
                           delivery_date="2025-01-20", due_date="2025-02-19")
    # A partial payment on 10/03/2025 acknowledges the debt (C. civ. 2240): new 2 years.
    make_payment(session, owner, debtor, date="2025-03-10", amount="100.00",
                 invoice_id=str(invoice.id))
    assert "Prescription le 10/03/2027" in _page(owner_client, debtor.id)  # type: ignore[arg-type]


def test_reminder_does_not_interrupt_prescription(owner_client: Browser, owner: Actor,
                                                  session: Session) -> None:
    debtor = make_debtor(session, owner, kind="consumer", legal_name="M. Petit", siren="")
    make_invoice(session, owner, debtor, issue_date="2025-01-20", delivery_date="2025-01-20",
                 due_date="2025-02-19")
    make_step(session, owner, debtor, kind="mise_en_demeure", date="2025-06-01",
              channel="lrar", level="")
    assert "Prescription le 20/01/2027" in _page(owner_client, debtor.id)  # type: ignore[arg-type]


def test_ordonnance_and_service_give_opposition_and_enforcement(
        owner_client: Browser, owner: Actor, session: Session) -> None:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor, issue_date="2026-03-01", due_date="2026-04-01")
    make_step(session, owner, debtor, kind="ordonnance", date="2026-09-15", level="",
              channel="")
    make_step(session, owner, debtor, kind="signification", date="2026-10-01", level="",
              channel="commissaire", to_person="1")
    text = _page(owner_client, debtor.id)  # type: ignore[arg-type]
    # Served 01/10/2026: opposition until 01/11 (Sunday, All Saints) → Monday 02/11 (CPC 642).
    # 2026 regime: 2 months after service end 01/12/2026, enforceable the day after (CPC 1422).
    assert "02/11/2026" in text
    assert "Délai d'opposition jusqu'au 02/11/2026" in text
    assert "exécution possible à partir du 02/12/2026" in text


def test_liquidation_asks_for_a_claim_declaration(owner_client: Browser, owner: Actor,
                                                  session: Session) -> None:
    debtor = make_debtor(session, owner, proceedings_kind="liquidation",
                         proceedings_judgment_date="2026-11-02",
                         proceedings_bodacc_date="2026-11-10")
    make_invoice(session, owner, debtor, issue_date="2026-08-01", due_date="2026-09-01")
    text = _page(owner_client, debtor.id)  # type: ignore[arg-type]
    # BODACC 10/11/2026 + 2 months = 10/01/2027 (C. com. R622-24), creditor's own deadline.
    assert "Déclarer la créance avant le 10/01/2027" in text
    assert "Déclaration de créance" in text


def test_checklist_blocks_without_signed_document(owner_client: Browser, owner: Actor,
                                                  session: Session) -> None:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor, number="F-2026-777", issue_date="2026-06-01",
                 due_date="2026-07-01")
    text = _page(owner_client, debtor.id)  # type: ignore[arg-type]
    assert "Créance certaine" in text and "F-2026-777" in text
    assert "Bloquant" in text
    assert "CPC 1405" in text
    assert "Président du tribunal de commerce dont relève Angers" in text


def test_decompte_on_the_page_matches_the_worked_example(owner_client: Browser, owner: Actor,
                                                         session: Session) -> None:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor)  # 1 200,00 € TTC due 09/02/2025
    response = owner_client.get(f"/debtors/{debtor.id}/decompte?as_of=2025-09-30",
                                headers={"HX-Request": "true"})
    text = unescape(response.text)
    assert text.lstrip().startswith('<section class="card" id="decompte">')
    assert "Décompte au 30/09/2025" in text
    for figure in ("60,96", "36,75", "40,00", "1\u202f337,71"):
        assert figure in text
    assert "13,15\u00a0%" in text and "12,15\u00a0%" in text


def test_creditor_terms_rate_applies_when_the_invoice_has_none(
        owner_client: Browser, owner: Actor, session: Session) -> None:
    from app.models import Creditor

    creditor = session.get(Creditor, owner.creditor_id)
    assert creditor is not None
    creditor.default_penalty_rate = __import__("decimal").Decimal("15.00")
    session.add(creditor)
    session.commit()
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor)
    text = unescape(owner_client.get(f"/debtors/{debtor.id}/decompte?as_of=2025-09-30").text)
    assert "15,00\u00a0%" in text
