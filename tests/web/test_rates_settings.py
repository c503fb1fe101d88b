"""An administrator corrects a rate row from the app; the décompte uses it; it is audited."""

from __future__ import annotations

from html import unescape

from sqlmodel import Session, select

from app.models import AuditEvent, User
from app.services.context import Actor
from tests.conftest import Browser, api_token

EXAMPLE = {"as_of": "2026-09-30", "debtor_kind": "professional", "formal_notice_date": None,
           "collective_proceedings_opened": None,
           "invoices": [{"number": "F-1", "amount": "1000.00", "issue_date": "2026-06-01",
                         "due_date": "2026-07-01", "contractual_rate": None}], "payments": []}


def _make_admin(session: Session, actor: Actor) -> None:
    user = session.get(User, actor.user_id)
    assert user is not None
    user.is_admin = True
    session.add(user)
    session.commit()


def test_unverified_semester_is_flagged(owner_client: Browser) -> None:
    text = unescape(owner_client.get("/settings/rates").text)
    assert "2e semestre 2026" in text and "À vérifier" in text


def test_admin_correction_is_used_and_audited(owner_client: Browser, owner: Actor,
                                              session: Session) -> None:
    _make_admin(session, owner)
    response = owner_client.submit("/settings/rates", {
        "table_name": "ecb", "semester": "2026-S2", "ecb_mro": "2,40", "status": "V",
        "source": "Décision BCE du 4 juin 2026"}, follow_redirects=False)
    assert response.status_code == 303
    headers = api_token(owner_client, "claire@lefevre.test")
    body = owner_client.post("/api/v1/calc/decompte", json=EXAMPLE, headers=headers).json()
    assert body["invoices"][0]["periods"][0]["rate"] == "12.40"
    assert not any("BCE" in w and "vérifier" in w for w in body["warnings"])
    event = session.exec(select(AuditEvent).where(AuditEvent.object_type == "rateoverride")).one()
    assert event.user_id == owner.user_id
    assert event.changes["ecb_mro"] == "2.40"


def test_bad_semester_is_refused_next_to_the_field(owner_client: Browser, owner: Actor,
                                                   session: Session) -> None:
    _make_admin(session, owner)
    response = owner_client.submit("/settings/rates", {
        "table_name": "legal", "semester": "2026-S3", "autres_cas": "2,75", "status": "V",
        "source": "x"})
    assert response.status_code == 422
    assert "Semestre invalide" in unescape(response.text)


def test_non_admin_cannot_correct_rates(owner_client: Browser) -> None:
    response = owner_client.submit("/settings/rates", {
        "table_name": "legal", "semester": "2026-S2", "autres_cas": "2,75", "status": "V",
        "source": "x"})
    assert response.status_code == 403
