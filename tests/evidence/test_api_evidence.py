"""The evidence JSON API: upload (201 with the facts), the same refusals as 4xx with the
French reason, list, download and withdraw; other creditors get 404."""

from __future__ import annotations

import os

import pytest
from sqlmodel import Session

from app.models import Debtor
from app.services.context import Actor
from app.storage import FileStore
from tests.conftest import Browser, api_token
from tests.evidence.conftest import LIMIT_MB, rows, sample, stored_files


@pytest.fixture
def auth(client: Browser, owner: Actor) -> dict[str, str]:
    return api_token(client, "claire@lefevre.test")


def post(client: Browser, debtor: Debtor, auth: dict[str, str], name: str, content: bytes,
         **fields: str):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/debtors/{debtor.id}/evidence", headers=auth, data=fields,
                       files={"file": (name, content)})


def test_upload_answers_201_with_hash_type_pages_and_links(
        client: Browser, auth: dict[str, str], session: Session, store: FileStore,
        durand: Debtor) -> None:
    response = post(client, durand, auth, "devis.pdf", sample("text_quote_signed.pdf"),
                    kind="signed_quote", title="Devis D-2025-014", document_date="2025-01-05",
                    invoices="F-2025-001, F-2025-002")
    assert response.status_code == 201, response.text
    body = response.json()
    (row,) = rows(session, durand)
    assert body["id"] == row.id and body["number"] == 1
    assert body["sha256"] == row.sha256 and store.read(row.sha256) == sample("text_quote_signed.pdf")
    assert (body["media_type"], body["pages"], body["kind"]) == ("application/pdf", 1, "signed_quote")
    assert (body["title"], body["document_date"]) == ("Devis D-2025-014", "2025-01-05")
    assert body["invoices"] == ["F-2025-001", "F-2025-002"]
    assert response.headers["location"] == f"/api/v1/evidence/{row.id}"


@pytest.mark.parametrize(("name", "status", "reason"), [
    ("html_page.pdf", 415, "son contenu est une page web (HTML)"),
    ("random_bytes.pdf", 415, "un fichier d'un type inconnu"),
    ("encrypted_needs_password.pdf", 422, "protégé par un mot de passe"),
    ("truncated_tail.pdf", 422, "endommagé ou incomplet"),
    ("zero_bytes.pdf", 422, "vide (0 octet)"),
])
def test_refusals_answer_4xx_with_the_french_reason_and_store_nothing(
        client: Browser, auth: dict[str, str], session: Session, store: FileStore,
        durand: Debtor, name: str, status: int, reason: str) -> None:
    response = post(client, durand, auth, name, sample(name))
    assert response.status_code == status
    assert response.json()["detail"].startswith(f"« {name} » refusé : ")
    assert reason in response.json()["detail"]
    assert rows(session, durand) == [] and stored_files(store) == []
    assert store.temp_files() == []


def test_over_the_limit_answers_413(client: Browser, auth: dict[str, str], session: Session,
                                    store: FileStore, durand: Debtor) -> None:
    response = post(client, durand, auth, "big.pdf",
                    b"%PDF-1.7\n" + os.urandom(LIMIT_MB * 1024 * 1024 + 1))
    assert response.status_code == 413
    assert "dépasse la taille maximale de 1 Mo" in response.json()["detail"]
    assert stored_files(store) == [] and store.temp_files() == []


def test_the_same_file_twice_answers_409(client: Browser, auth: dict[str, str],
                                         durand: Debtor) -> None:
    assert post(client, durand, auth, "a.png", sample("screenshot.png")).status_code == 201
    again = post(client, durand, auth, "b.png", sample("screenshot.png"))
    assert again.status_code == 409
    assert again.json()["detail"] == "« b.png » refusé : déjà présent : pièce n° 1 (« a.png »)."


def test_unknown_invoices_and_kinds_answer_422_per_field(
        client: Browser, auth: dict[str, str], session: Session, store: FileStore,
        durand: Debtor) -> None:
    response = post(client, durand, auth, "a.png", sample("screenshot.png"),
                    kind="photo", invoices="F-404")
    assert response.status_code == 422
    detail = {tuple(d["loc"]): d["msg"] for d in response.json()["detail"]}
    assert detail == {("body", "kind"): "Choix invalide.",
                      ("body", "invoices"): "Facture inconnue pour ce débiteur : F-404."}
    assert stored_files(store) == [] and store.temp_files() == []


def test_list_download_and_withdraw(client: Browser, auth: dict[str, str],
                                    durand: Debtor) -> None:
    first = post(client, durand, auth, "a.png", sample("screenshot.png")).json()
    post(client, durand, auth, "b.eml", sample("email_with_pdf_attachment.eml"))
    listed = client.get(f"/api/v1/debtors/{durand.id}/evidence", headers=auth).json()
    assert [(e["number"], e["original_name"], e["kind"]) for e in listed] == \
        [(1, "b.eml", "email"), (2, "a.png", "other")]  # the bordereau's ordre d'usage
    assert listed[0]["meta"]["email"]["subject"] == "Relance facture F-2025-001"
    download = client.get(f"/api/v1/evidence/{first['id']}/download", headers=auth)
    assert download.content == sample("screenshot.png")
    assert download.headers["content-type"] == "image/png"
    assert download.headers["x-content-type-options"] == "nosniff"
    no_reason = client.post(f"/api/v1/evidence/{first['id']}/withdraw", headers=auth, json={})
    assert no_reason.status_code == 422
    done = client.post(f"/api/v1/evidence/{first['id']}/withdraw", headers=auth,
                       json={"reason": "Mauvais débiteur"})
    assert done.status_code == 200 and done.json()["withdrawn_reason"] == "Mauvais débiteur"
    listed = client.get(f"/api/v1/debtors/{durand.id}/evidence", headers=auth).json()
    assert [(e["number"], e["original_name"]) for e in listed] == [(1, "b.eml")]
    assert client.get(f"/api/v1/evidence/{listed[0]['id']}", headers=auth).json()["number"] == 1
    everything = client.get(f"/api/v1/debtors/{durand.id}/evidence?include_withdrawn=true",
                            headers=auth).json()
    assert len(everything) == 2


def test_another_creditor_gets_404(client: Browser, auth: dict[str, str], durand: Debtor,
                                   outsider: Actor, store: FileStore) -> None:
    first = post(client, durand, auth, "a.png", sample("screenshot.png")).json()
    other = api_token(client, "paul@roux.test")
    assert client.get(f"/api/v1/evidence/{first['id']}/download", headers=other).status_code == 404
    assert client.get(f"/api/v1/debtors/{durand.id}/evidence", headers=other).status_code == 404
    assert post(client, durand, other, "c.jpg",
                sample("photo_exif_rotated_90.jpg")).status_code == 404
    assert store.temp_files() == []


def test_without_a_token_the_api_answers_401(client: Browser, durand: Debtor) -> None:
    response = client.post(f"/api/v1/debtors/{durand.id}/evidence",
                           files={"file": ("a.png", sample("screenshot.png"))})
    assert response.status_code == 401
