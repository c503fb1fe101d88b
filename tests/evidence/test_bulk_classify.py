"""Several pièces classified and linked to invoices at once; a bad choice saves nothing."""

from __future__ import annotations

import re

from sqlmodel import Session

from app.models import Debtor
from app.services import evidence as exhibits
from app.services import invoices as invoice_service
from tests.conftest import Browser
from tests.evidence.conftest import rows, sample, upload

HX = {"HX-Request": "true"}


def test_two_pieces_get_one_kind_and_the_same_invoices(owner_client: Browser, session: Session,
                                                       durand: Debtor) -> None:
    for name in ("screenshot.png", "photo_exif_rotated_90.jpg"):
        assert upload(owner_client, durand, (name, sample(name))).status_code == 200
    pieces = rows(session, durand)
    invoices = {i.number: i.id for i in invoice_service.of_debtor(session, durand)}
    page = owner_client.get(f"/debtors/{durand.id}").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = owner_client.post(f"/debtors/{durand.id}/evidence/bulk", headers=HX, data={
        "csrf_token": token, "selected": [str(p.id) for p in pieces], "kind": "delivery_note",
        "invoices": [str(invoices["F-2025-001"]), str(invoices["F-2025-002"])]})
    assert response.status_code == 200, response.text
    assert re.search(r'<section hx-swap-oob="true"[^>]*id="readiness"', response.text)
    session.expire_all()
    links = exhibits.linked_invoices(session, [p.id for p in pieces])  # type: ignore[misc]
    for piece in rows(session, durand):
        assert piece.kind == "delivery_note"
        assert sorted(i.number for i in links[piece.id]) == ["F-2025-001", "F-2025-002"]  # type: ignore[index]


def test_nothing_chosen_saves_nothing_and_says_why(owner_client: Browser, session: Session,
                                                   durand: Debtor) -> None:
    assert upload(owner_client, durand, ("screenshot.png", sample("screenshot.png"))).status_code == 200
    page = owner_client.get(f"/debtors/{durand.id}").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = owner_client.post(f"/debtors/{durand.id}/evidence/bulk", headers=HX,
                                 data={"csrf_token": token, "kind": "contract"})
    assert response.status_code == 422
    assert "Cochez au moins une pièce de la liste." in response.text
    assert [p.kind for p in rows(session, durand)] == ["other"]
