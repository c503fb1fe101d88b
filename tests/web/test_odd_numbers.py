"""Ids and indices sent in forms and URLs: "²" (which str.isdigit() takes and int() refuses)
and 5,000 digits (past int()'s limit) name nothing; never a 500."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.parsing import form_id
from tests.conftest import Browser
from tests.factories import make_debtor

ODD = ["²", "9" * 5000, "١٢", "-1", " 7 ", ""]


@pytest.mark.parametrize(("text", "value"), [("²", None), ("9" * 5000, None), ("١٢", None),
                                             ("-1", None), ("", None), (" 7 ", 7),
                                             ("123456789", 123456789), ("1234567890", None)])
def test_form_ids(text: str, value: int | None) -> None:
    assert form_id(text) == value


@pytest.mark.parametrize("odd", ODD)
def test_no_page_fails_on_an_odd_number(owner_client: Browser, session: Session, owner,
                                        odd: str) -> None:
    debtor = make_debtor(session, owner)
    d = f"/debtors/{debtor.id}"
    posts = [(f"{d}/evidence/bulk", {"selected": odd}), (f"{d}/evidence/accept", {"selected": odd}),
             (f"{d}/claim-file/order", {"evidence_id": odd, "move": "up"}),
             (f"{d}/promises/{odd or 0}", {}), (f"{d}/holds/{odd or 0}/lift", {}),
             ("/account/sessions/revoke", {"session_id": odd}),
             ("/creditor/members/remove", {"membership_id": odd})]
    for url, data in posts:
        answer = owner_client.submit(url, data, headers={"HX-Request": "true"})
        assert answer.status_code < 500, (url, answer.status_code)
    for url in (f"/reminders?run={odd}", f"/reminders/progress?ids={odd}",
                f"/claim-files/1/volume-{odd}"):
        assert owner_client.get(url).status_code < 500, url
