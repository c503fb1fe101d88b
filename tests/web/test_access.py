"""The cast: the owner and a colleague see Lefèvre's files; the outsider gets 404 on all of them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import Session

from app.services.context import Actor
from tests.conftest import Browser, api_token
from tests.factories import make_debtor, make_invoice, make_payment, make_step


@dataclass
class LefevreFile:
    debtor: int
    invoice: int
    payment: int
    step: int


@pytest.fixture
def lefevre(session: Session, owner: Actor) -> LefevreFile:
    debtor = make_debtor(session, owner)
    invoice = make_invoice(session, owner, debtor)
    payment = make_payment(session, owner, debtor, invoice_id=str(invoice.id))
    step = make_step(session, owner, debtor)
    return LefevreFile(debtor.id, invoice.id, payment.id, step.id)  # type: ignore[arg-type]


PAGES = ["/debtors/{debtor}", "/debtors/{debtor}/edit", "/invoices/{invoice}/edit",
         "/payments/{payment}/edit", "/steps/{step}/edit"]
POSTS = ["/debtors/{debtor}", "/debtors/{debtor}/invoices", "/debtors/{debtor}/payments",
         "/debtors/{debtor}/steps", "/invoices/{invoice}", "/payments/{payment}",
         "/steps/{step}"]
API_GETS = ["/api/v1/debtors/{debtor}", "/api/v1/debtors/{debtor}/invoices",
            "/api/v1/invoices/{invoice}", "/api/v1/invoices/{invoice}/payments",
            "/api/v1/payments/{payment}", "/api/v1/debtors/{debtor}/steps",
            "/api/v1/steps/{step}"]
API_DELETES = ["/api/v1/invoices/{invoice}", "/api/v1/payments/{payment}",
               "/api/v1/steps/{step}"]


@pytest.mark.parametrize("url", PAGES)
def test_outsider_gets_404_on_pages(client: Browser, lefevre: LefevreFile, outsider: Actor,
                                    url: str) -> None:
    client.login("paul@roux.test")
    response = client.get(url.format(**vars(lefevre)))
    assert response.status_code == 404
    assert "Durand" not in response.text


@pytest.mark.parametrize("url", POSTS)
def test_outsider_gets_404_on_posts(client: Browser, lefevre: LefevreFile, outsider: Actor,
                                    url: str) -> None:
    client.login("paul@roux.test")
    assert client.submit(url.format(**vars(lefevre)), {"legal_name": "X"}).status_code == 404


@pytest.mark.parametrize("url", API_GETS)
def test_outsider_gets_404_on_the_api(client: Browser, lefevre: LefevreFile, outsider: Actor,
                                      url: str) -> None:
    headers = api_token(client, "paul@roux.test")
    assert client.get(url.format(**vars(lefevre)), headers=headers).status_code == 404


@pytest.mark.parametrize("url", API_DELETES)
def test_outsider_cannot_delete_through_the_api(client: Browser, lefevre: LefevreFile,
                                                outsider: Actor, url: str) -> None:
    headers = api_token(client, "paul@roux.test")
    assert client.delete(url.format(**vars(lefevre)), headers=headers).status_code == 404
    owner_headers = api_token(client, "claire@lefevre.test")
    assert client.get(url.format(**vars(lefevre)), headers=owner_headers).status_code == 200


@pytest.mark.parametrize("url", PAGES)
def test_colleague_reads_and_edits_the_same_files(client: Browser, lefevre: LefevreFile,
                                                  colleague: Actor, url: str) -> None:
    client.login("hugo@lefevre.test")
    assert client.get(url.format(**vars(lefevre))).status_code == 200


def test_outsider_list_does_not_show_other_creditors(client: Browser, lefevre: LefevreFile,
                                                     outsider: Actor) -> None:
    client.login("paul@roux.test")
    assert "Durand" not in client.get("/debtors").text
    headers = api_token(client, "paul@roux.test")
    assert client.get("/api/v1/debtors", headers=headers).json() == []


def test_accountant_switches_between_creditors(client: Browser, session: Session,
                                               owner: Actor, lefevre: LefevreFile) -> None:
    from tests.factories import make_user

    other = make_user(session, "claire@lefevre.test", "Plâtrerie Roux")
    make_debtor(session, other, legal_name="Client de Roux", siren="")
    client.login("claire@lefevre.test")
    page = client.get("/debtors").text
    assert 'id="creditor-switch"' in page
    client.submit("/switch-creditor", {"creditor_id": str(owner.creditor_id)})
    assert "Durand" in client.get("/debtors").text
    client.submit("/switch-creditor", {"creditor_id": str(other.creditor_id)})
    switched = client.get("/debtors").text
    assert "Client de Roux" in switched and "Durand" not in switched


def test_switch_to_a_creditor_you_do_not_belong_to_is_ignored(
        client: Browser, owner: Actor, outsider: Actor, lefevre: LefevreFile) -> None:
    client.login("claire@lefevre.test")
    client.submit("/switch-creditor", {"creditor_id": str(outsider.creditor_id)})
    assert "Durand" in client.get("/debtors").text
