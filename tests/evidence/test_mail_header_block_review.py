"""Review of `cleaned_headers` (app/evidence/mail_headers.py): reading the header block up to the
first *empty* line must not eat the body of a message whose headers end otherwise, nor
build a field larger than the 16 KB per field `oversized_header` lets through."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.evidence.mail import inspect_mail, parse_bytes
from app.evidence.mail_headers import MAX_FIELD_BYTES
from app.evidence.refusals import Refusal


def test_a_message_without_a_blank_line_keeps_its_body() -> None:
    # Python's parser (and mail clients) end the headers at the first line that is no field:
    # the body is "Bonjour…". cleaned_headers finds no empty line, takes the whole message as
    # its header block and folds every body line into Subject: the body is lost.
    data = (b"From: a@example.test\nTo: b@example.test\nSubject: Relance\n"
            b"Bonjour Monsieur,\nVoici la facture impayee.\n")
    message = parse_bytes(data)
    assert message["subject"] == "Relance"
    assert "Voici la facture impayee." in message.get_content()


def test_a_whitespace_only_separator_keeps_the_first_paragraph() -> None:
    # " \n" as the separator (seen in exports): Python reads it as the headers' last
    # continuation line, then the body. Here the first paragraph's line has a colon in it,
    # so `_header_lines` takes it for a malformed field and drops it.
    data = (b"From: a@example.test\nSubject: Relance\n \n"
            b"Bonjour, nous vous rappelons : la facture F-1 est impayee.\n\nCordialement\n")
    body = parse_bytes(data).get_content()
    assert "la facture F-1 est impayee" in body


def test_a_field_folded_from_many_short_lines_is_bounded_like_one_long_line(
        tmp_path: Path) -> None:
    # oversized_header splits fields at every line end not followed by a blank, so 200 lines
    # of 300 bytes each pass its 16 KB per-field check; cleaned_headers then folds them into
    # one 60 KB Subject of encoded words, which Python's header parser reads in memory
    # quadratic in its length (+85 MB measured for this one file, 16 KB was the bound).
    words = b"=?utf-8?q?a=C3=A9?= " * 15
    data = (b"From: a@example.test\nSubject: x\n" + b"\n".join([words] * 200)
            + b"\n\nBonjour\n")
    path = tmp_path / "long.eml"
    path.write_bytes(data)
    assert max(map(len, data.split(b"\n"))) < MAX_FIELD_BYTES  # each line alone is fine
    with pytest.raises(Refusal):  # as one 60 KB line is ("un de ses en-têtes dépasse 16 Ko")
        inspect_mail(path, "long.eml")
