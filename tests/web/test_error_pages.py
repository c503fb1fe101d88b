"""Errors a user may meet: French pages, no stack trace, a 500 that says what to do."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.services import debtor_page
from app.services.context import Actor
from tests.conftest import Browser
from tests.factories import make_debtor


def test_unexpected_error_shows_a_helpful_500(app, owner: Actor, session: Session,  # type: ignore[no-untyped-def]
                                              monkeypatch: pytest.MonkeyPatch,
                                              caplog: pytest.LogCaptureFixture) -> None:
    debtor = make_debtor(session, owner)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr("app.web.routes.debtors.debtor_page", broken)
    with Browser(app, raise_server_exceptions=False) as client:
        client.login("claire@lefevre.test")
        response = client.get(f"/debtors/{debtor.id}")
    assert response.status_code == 500
    assert "Une erreur inattendue s'est produite" in response.text.replace("&#39;", "'")
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text
    assert debtor_page.debtor_page is not broken


def test_api_404_is_json(client: TestClient, owner: Actor) -> None:
    from tests.conftest import api_token

    headers = api_token(client, "claire@lefevre.test")
    response = client.get("/api/v1/debtors/424242", headers=headers)
    assert response.status_code == 404
    assert response.json() == {"detail": "Débiteur introuvable."}


def test_unknown_url_is_a_french_404(owner_client: Browser) -> None:
    response = owner_client.get("/nowhere")
    assert response.status_code == 404
    assert "Page introuvable" in response.text


def test_non_numeric_id_is_not_a_crash(owner_client: Browser) -> None:
    response = owner_client.get("/debtors/abc")
    assert response.status_code == 404
    assert "Page introuvable" in response.text
