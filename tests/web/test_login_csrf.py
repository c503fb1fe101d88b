"""Login CSRF: a form posted from another site must not sign the browser into an account
(the attacker's, whose pages the victim would then fill with their own files)."""

from __future__ import annotations

from html import unescape

import pytest

from tests.conftest import PASSWORD, Browser

FORM = {"email": "claire@lefevre.test", "password": PASSWORD, "next": "/"}


@pytest.mark.parametrize("headers", [{"Origin": "https://evil.test"},
                                     {"Sec-Fetch-Site": "cross-site"},
                                     {"Sec-Fetch-Site": "same-site", "Origin": "https://a.test"},
                                     {"Origin": "null"}])
def test_a_login_posted_from_another_site_is_refused(client: Browser, owner,
                                                     headers: dict[str, str]) -> None:
    answer = client.post("/login", data=FORM, headers=headers, follow_redirects=False)
    assert answer.status_code == 403
    assert "Connexion refusée : le formulaire envoyé ne vient pas de Contentieux" in \
        unescape(answer.text)
    assert "contentieux_session" not in answer.headers.get("set-cookie", "")


@pytest.mark.parametrize("headers", [{}, {"Sec-Fetch-Site": "same-origin"},
                                     {"Sec-Fetch-Site": "none"},
                                     {"Origin": "http://testserver"}])
def test_a_login_from_this_site_signs_in(client: Browser, owner,
                                         headers: dict[str, str]) -> None:
    answer = client.post("/login", data=FORM, headers=headers, follow_redirects=False)
    assert answer.status_code == 303
    assert "contentieux_session=" in answer.headers["set-cookie"]
