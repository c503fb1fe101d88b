"""Control characters in a text field are refused where a person types them, with a French
message next to the field, on the pages and in the API alike, and nothing is saved; in
imported data they are removed (issue 14, item 8)."""

from __future__ import annotations

import io

import pytest
from sqlmodel import Session, select

from app.config import Settings
from app.models import Creditor, Debtor, Invoice, Step
from app.parsing import FormReader
from app.services import evidence, imports
from app.services.context import Actor
from app.storage import FileStore
from tests.conftest import Browser, api_token
from tests.factories import make_debtor
from tests.imports.builders import Fec

HOSTILE = ["Durand\x00BTP", "Durand\x1b[31mBTP", "Durand\x0cBTP", "Durand\x7fBTP",
           "Durand\x85BTP", "Durand\x08BTP"]
MESSAGE = "Caractère de contrôle invisible"


@pytest.mark.parametrize("value", HOSTILE)
def test_the_shared_reader_refuses_a_control_character(value: str) -> None:
    reader = FormReader({"legal_name": value})
    reader.text("legal_name", required=True)
    assert reader.errors["legal_name"].startswith(MESSAGE)


@pytest.mark.parametrize("value", ["Ligne 1\nLigne 2", "Ligne 1\r\nLigne 2", "A\tB",
                                   "Crêperie Kérouac", "Žluťoučký kůň", "株式会社"])
def test_line_breaks_tabs_and_every_script_are_kept(value: str) -> None:
    reader = FormReader({"notes": value})
    assert reader.text("notes", max_length=1000) == value
    assert reader.errors == {}


def test_the_debtor_form_refuses_it_next_to_the_field(owner_client: Browser,
                                                      session: Session) -> None:
    response = owner_client.submit("/debtors", {"kind": "company", "legal_name": HOSTILE[0],
                                                "country": "FR"})
    assert response.status_code == 422
    assert MESSAGE in response.text and "U+0000" in response.text
    assert session.exec(select(Debtor)).all() == []


def test_the_creditor_form_refuses_an_escape_in_the_street(owner_client: Browser,
                                                           session: Session,
                                                           owner: Actor) -> None:
    response = owner_client.submit("/creditor", {"legal_name": "Menuiserie Lefèvre",
                                                 "street": "1 rue\x0c} body{x", "country": "FR"})
    assert response.status_code == 422
    assert MESSAGE in response.text
    session.expire_all()
    creditor = session.get(Creditor, owner.creditor_id)
    assert creditor is not None and "\x0c" not in creditor.street


def test_the_api_refuses_it_with_the_field_named(owner_client: Browser, session: Session) -> None:
    headers = api_token(owner_client, "claire@lefevre.test")
    response = owner_client.post("/api/v1/debtors", headers=headers,
                                 json={"legal_name": "Durand\x00BTP"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["loc"] == ["body", "legal_name"]
    assert detail[0]["msg"].startswith(MESSAGE)
    assert session.exec(select(Debtor)).all() == []


def test_a_step_note_with_a_control_character_is_refused_by_the_api(
        owner_client: Browser, session: Session, owner: Actor) -> None:
    debtor = make_debtor(session, owner)
    headers = api_token(owner_client, "claire@lefevre.test")
    response = owner_client.post(f"/api/v1/debtors/{debtor.id}/steps", headers=headers,
                                 json={"kind": "reminder", "date": "2026-03-01", "level": "1",
                                       "notes": "Relance\x00 envoyée"})
    assert response.status_code == 422, response.text
    assert session.exec(select(Step)).all() == []


def test_imported_names_and_labels_lose_their_control_characters(
        session: Session, settings: Settings, owner: Actor) -> None:
    settings.ensure_dirs()
    fec = Fec().sale("20260810", "CDURAND", "DURAND\x07 BTP\x0b", "F-2026-071\x1b", "1200.00")
    batch = imports.upload(session, owner, settings, io.BytesIO(fec.build()),
                           "812345678FEC20261231.txt", "fec")
    imports.apply(session, owner, settings, batch)
    debtor = session.exec(select(Debtor)).one()
    assert debtor.legal_name == "DURAND BTP"
    assert [i.number for i in session.exec(select(Invoice))] == ["F-2026-071"]
    csv = ("N° facture;Client;Date;Montant TTC\r\n"
           "F-9\x01;Garage\x1f Central;15/09/2026;100,00\r\n").encode()
    batch = imports.upload(session, owner, settings, io.BytesIO(csv), "liste.csv", "csv")
    imports.apply(session, owner, settings, batch)
    names = sorted(d.legal_name for d in session.exec(select(Debtor)))
    assert names == ["DURAND BTP", "Garage Central"]


def test_an_email_subject_loses_its_control_characters_in_the_exhibit_title(
        session: Session, settings: Settings, owner: Actor) -> None:
    settings.ensure_dirs()
    debtor = make_debtor(session, owner)
    eml = (b"From: M. Durand <durand@example.test>\r\nTo: claire@lefevre.test\r\n"
           b"Subject: =?utf-8?q?R=C3=A9ponse=07_=C3=A0_la_relance=1B?=\r\n"
           b"Date: Tue, 04 Mar 2025 10:00:00 +0100\r\n\r\nBonjour.\r\n")
    stored = evidence.add_bytes(session, owner, FileStore(settings.files_dir), debtor, eml,
                                "reponse.eml", 10_000_000, {})
    assert stored.title == "Réponse à la relance"
