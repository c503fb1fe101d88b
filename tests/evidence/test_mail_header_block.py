"""The header block of an e-mail read up to its blank line (app/evidence/mail_headers.py
`cleaned_headers`): a malformed line inside it no longer ends the headers."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.evidence.mail import inspect_mail, parse_bytes
from app.evidence.mail_headers import MAX_FIELD_BYTES, cleaned_headers
from app.evidence.refusals import Refusal


def test_a_line_without_a_colon_is_folded_into_the_field_above() -> None:
    data = b"From: a@example.test\r\nX-Long: one\r\ntwo\r\nSubject: Relance\r\n\r\nBonjour\r\n"
    message = parse_bytes(data)
    assert message["subject"] == "Relance" and message["x-long"] == "one two"
    assert message.get_content().strip() == "Bonjour"


def test_a_name_with_spaces_is_dropped_with_its_continuation_lines() -> None:
    data = b"From: a@example.test\nX bad: 1\n more\nSubject : Relance\n\nBonjour\n"
    assert cleaned_headers(data) == b"From: a@example.test\nSubject: Relance\n\nBonjour\n"


def test_the_body_and_an_mbox_separator_are_left_as_they_are() -> None:
    data = b"From a@example.test Mon Jan  1 10:00:00 2024\nFrom: a@example.test\n\nno: header\nx\n"
    assert cleaned_headers(data) == data
    assert cleaned_headers(b"\nonly a body: here\n") == b"\nonly a body: here\n"


def test_a_body_that_follows_the_headers_without_a_blank_line_is_not_folded_into_them() -> None:
    # a blank line further down (between paragraphs) does not make the first paragraph headers
    data = (b"From: a@example.test\nSubject: Relance\nBonjour Monsieur,\nVoici la facture.\n\n"
            b"Cordialement\n")
    message = parse_bytes(data)
    assert message["subject"] == "Relance"
    assert message.get_content().startswith("Bonjour Monsieur,\nVoici la facture.")


def test_a_malformed_line_just_before_the_blank_line_is_the_body_s() -> None:
    # one token, shaped like a lost continuation, but nothing header-like after it
    data = b"From: a@example.test\nSubject: Relance\nF-2024-001\n\nBonjour\n"
    message = parse_bytes(data)
    assert message["subject"] == "Relance"
    assert message.get_content().startswith("F-2024-001")


def test_a_line_of_blanks_ends_the_headers_even_before_a_line_shaped_like_a_field() -> None:
    data = b"From: a@example.test\r\nSubject: Relance\r\n\t \r\nObjet: facture F-1\r\n"
    message = parse_bytes(data)
    assert message["objet"] is None
    assert message.get_content().strip() == "Objet: facture F-1"


def test_a_long_body_after_headers_without_a_blank_line_is_no_long_header(tmp_path: Path) -> None:
    # Python's parser ends the headers at "Bonjour": nothing here is a 64 KB header block
    path = tmp_path / "relance.eml"
    path.write_bytes(b"From: a@example.test\nSubject: Relance\nBonjour Monsieur,\n"
                     + b"Voici la facture.\n" * 5000)  # 90 KB, no blank line
    assert inspect_mail(path, "relance.eml").subject == "Relance"


@pytest.mark.parametrize("start", [b"\xef\xbb\xbf", b"From a@example.test Mon Jan  1 10:00:00 2024\n"],
                         ids=["byte-order-mark", "mbox-line"])
def test_a_long_field_after_a_byte_order_mark_or_an_mbox_line_is_refused(tmp_path: Path,
                                                                        start: bytes) -> None:
    # and no blank line: the headers end where Python's parser ends them, at "Bonjour"
    path = tmp_path / "long.eml"
    subject = b"=?utf-8?q?a?= " * (MAX_FIELD_BYTES // 10)  # 23 KB, on one line
    path.write_bytes(start + b"From: a@example.test\nSubject: " + subject + b"\nBonjour\n")
    with pytest.raises(Refusal):
        inspect_mail(path, "long.eml")
