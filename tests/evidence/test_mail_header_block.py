"""The header block of an e-mail read up to its blank line (app/evidence/mail.py
`cleaned_headers`): a malformed line inside it no longer ends the headers."""

from __future__ import annotations

from app.evidence.mail import cleaned_headers, parse_bytes


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
