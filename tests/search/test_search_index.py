"""The pièces' full-text index: what it finds, kept up to date by the database itself, on
SQLite (FTS5) and on PostgreSQL (French tsvector), one creditor's pièces only."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from app.errors import ValidationFailed
from app.models import EvidenceInvoice, EvidenceText
from app.services import search
from app.services.context import Actor
from tests.factories import make_debtor
from tests.search.conftest import DELIVERY, piece


def ids(session: Session, actor: Actor, query: str, debtor_id: int | None = None) -> list[int]:
    return [h.evidence_id for h in search.search(session, actor, search.checked(query),
                                                 debtor_id)]


def test_a_delivery_note_is_found_by_its_number_words_and_date(session, owner, delivery) -> None:
    for query in ("BL-2026-77", "bl 2026 77", "fenêtres", "FENETRES", "12/03/2026",
                  "livraison F-2026-140", "facture", "factures"):
        assert ids(session, owner, query) == [delivery.id], query
    assert ids(session, owner, "BL-2026-78") == []
    assert ids(session, owner, "devis signé introuvable") == []


def test_accents_do_not_matter(session, owner, durand) -> None:
    found = piece(session, owner, durand, "Date d'échéance dépassée : relance.")
    for query in ("échéance", "echeance", "ECHEANCE", "depassee"):
        assert ids(session, owner, query) == [found.id], query


@pytest.mark.parametrize("query", ["facturé", "facture"])
def test_facture_and_facture_find_each_other(session, owner, durand, query) -> None:
    invoiced = piece(session, owner, durand, "Travaux facturé le 3 mars.", original_name="a.pdf")
    invoice = piece(session, owner, durand, "Voir la facture jointe.", original_name="b.pdf")
    assert sorted(ids(session, owner, query)) == sorted([invoiced.id, invoice.id])


def test_title_kind_date_and_invoice_numbers_are_searched(session, owner, durand, f140) -> None:
    found = piece(session, owner, durand, "", title="Devis Lefèvre menuiseries",
                  kind="signed_quote", document_date=date(2026, 2, 5), invoices=(f140,))
    for query in ("Lefèvre", "devis signé", "05/02/2026", "2026-02-05", "5 février 2026",
                  "F-2026-140"):
        assert ids(session, owner, query) == [found.id], query


def test_the_index_follows_every_write(session, owner, durand, f140, delivery) -> None:
    text = session.get(EvidenceText, delivery.id)
    text.text = "Procès-verbal de réception sans réserve"
    session.add(text)
    session.commit()
    assert ids(session, owner, "BL-2026-77") == []
    assert ids(session, owner, "réserve") == [delivery.id]
    session.add(EvidenceInvoice(evidence_id=delivery.id, invoice_id=f140.id))
    session.commit()
    assert ids(session, owner, "F-2026-140") == [delivery.id]
    f140.number = "F-2026-141"
    session.add(f140)
    session.commit()
    assert ids(session, owner, "F-2026-141") == [delivery.id]
    link = session.exec(select(EvidenceInvoice)).one()
    session.delete(link)
    session.commit()
    assert ids(session, owner, "F-2026-141") == []
    delivery.title = "PV de réception chantier Angers"
    session.add(delivery)
    session.commit()
    assert ids(session, owner, "chantier") == [delivery.id]


def test_a_withdrawn_piece_is_not_found(session, owner, delivery) -> None:
    delivery.withdrawn_at = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    delivery.withdrawn_reason = "doublon"
    session.add(delivery)
    session.commit()
    assert ids(session, owner, "BL-2026-77") == []


def test_another_creditors_pieces_never_appear(session, owner, outsider, delivery) -> None:
    theirs = make_debtor(session, outsider)
    other = piece(session, outsider, theirs, DELIVERY + " autre créancier")
    assert ids(session, owner, "BL-2026-77") == [delivery.id]
    assert ids(session, outsider, "BL-2026-77") == [other.id]
    assert ids(session, outsider, "BL-2026-77", debtor_id=delivery.debtor_id) == []


def test_within_one_debtor(session, owner, durand, delivery) -> None:
    other = make_debtor(session, owner, legal_name="Martin SARL", siren="")
    elsewhere = piece(session, owner, other, DELIVERY + " copie")
    assert sorted(ids(session, owner, "BL-2026-77")) == sorted([delivery.id, elsewhere.id])
    assert ids(session, owner, "BL-2026-77", debtor_id=durand.id) == [delivery.id]
    assert ids(session, owner, "BL-2026-77", debtor_id=other.id) == [elsewhere.id]


@pytest.mark.parametrize("query", [
    '"', '"BL-2026-77', "BL-2026-77)", "(facture", "fac*", "*", "NEAR(facture livraison)",
    "facture OR", "AND", "NOT facture", "-facture", "title:facture", "facture^2", "{x}",
    "'; DROP TABLE evidence; --", "a & b | !c", "bl:* & 77", "\\", "':*", "é*'"])
def test_query_syntax_is_never_an_error(session, owner, delivery, query) -> None:
    terms = search.parse(query)
    if terms:
        search.search(session, owner, terms)  # no exception: the words are only words
    assert ids(session, owner, "BL-2026-77") == [delivery.id]


def test_operators_are_searched_as_words(session, owner, durand) -> None:
    found = piece(session, owner, durand, "Relance NEAR the OR AND NOT words")
    assert ids(session, owner, "NEAR") == [found.id]
    assert ids(session, owner, "or and not") == [found.id]


@pytest.mark.parametrize(("query", "message"), [
    ("", "Saisissez au moins un mot à chercher."),
    ("   ", "Saisissez au moins un mot à chercher."),
    ("x" * 201, "Recherche trop longue : 200 caractères au plus (201 saisis)."),
    ("*** ()", "Saisissez des lettres ou des chiffres à chercher."),
])
def test_bad_queries_are_refused_in_french(query, message) -> None:
    with pytest.raises(ValidationFailed) as refused:
        search.checked(query)
    assert refused.value.errors == {"q": message}


def test_the_snippet_is_escaped_and_marks_the_words_found(session, owner, durand) -> None:
    piece(session, owner, durand, "<script>alert(1)</script> facture <b>impayée</b> <i")
    [hit] = search.search(session, owner, search.checked("impayée"))
    assert "<" not in re.sub("</?mark>", "", hit.snippet)  # PostgreSQL shows no < at all
    assert "<mark>impayée</mark>" in hit.snippet


def test_the_index_is_built_for_pieces_already_there(session, owner, delivery, engine) -> None:
    with engine.begin() as connection:
        search.uninstall(connection)
        search.install(connection)
    assert ids(session, owner, "BL-2026-77") == [delivery.id]


def test_a_long_text_is_indexed(session, owner, durand) -> None:
    words = " ".join(f"mot{n}" for n in range(40_000))  # 348,890 characters
    found = piece(session, owner, durand, words)
    assert ids(session, owner, "mot39999") == [found.id]


def test_moving_a_piece_leaves_the_index_alone(session, owner, delivery, engine) -> None:
    table = "evidence_fts" if engine.dialect.name == "sqlite" else "evidencesearch"
    key = "rowid" if engine.dialect.name == "sqlite" else "evidence_id"
    session.execute(text(f"DELETE FROM {table} WHERE {key} = :i"), {"i": delivery.id})
    delivery.position = 7  # what reordering the bordereau writes
    session.add(delivery)
    session.commit()
    assert ids(session, owner, "BL-2026-77") == []  # not rewritten: the trigger skipped it
    delivery.kind = "delivery_note"
    session.add(delivery)
    session.commit()
    assert ids(session, owner, "BL-2026-77") == [delivery.id]


def test_words_of_a_script_written_without_spaces_are_found(session, owner, durand) -> None:
    # the tokenizers take a whole run of Chinese, Japanese or Thai for one word: "請求書"
    # found nothing in "請求書のお知らせ" (the review of 2 December 2026)
    japanese = piece(session, owner, durand, "株式会社山田より：請求書のお知らせ。お支払い期限は"
                     "12月31日です。", original_name="mail-jp.eml")
    thai = piece(session, owner, durand, "เรียนท่าน ใบแจ้งหนี้เลขที่ 42 ยังไม่ได้ชำระ",
                 original_name="mail-th.eml")
    assert ids(session, owner, "請求書") == [japanese.id]
    assert ids(session, owner, "お支払い 12月31日") == [japanese.id]
    assert ids(session, owner, "ใบแจ้งหนี้") == [thai.id]
    assert ids(session, owner, "請求書 ใบแจ้งหนี้") == []  # every term, as for any query
    assert ids(session, owner, "請求書", debtor_id=durand.id + 1) == []
    [hit] = search.search(session, owner, search.checked("請求書"))
    assert "<mark>請求書</mark>のお知らせ" in hit.snippet


def test_a_script_without_spaces_finds_only_the_creditors_own(session, owner, outsider,
                                                              durand) -> None:
    other = make_debtor(session, outsider, legal_name="Client de Roux", siren="")
    piece(session, outsider, other, "請求書のお知らせ")
    mine = piece(session, owner, durand, "請求書の再送", original_name="mine.eml")
    assert ids(session, owner, "請求書") == [mine.id]
