"""E-mails from public mail parsers' test suites (tests/samples/mail-corpora/, see
tests/samples/SOURCES.md), uploaded as a user would: each is accepted as an e-mail, the list and
the preview show its sender, subject and attachments as mail clients show them, its text is the
text its sender wrote, and the claim file's page of it says the same."""

from __future__ import annotations

from html import unescape
from pathlib import Path

from sqlmodel import Session

from app.documents.claimfile.mail import read_email
from app.models import Debtor
from tests.conftest import Browser
from tests.evidence.conftest import SAMPLES, rows, sample, upload

CORPORA = "mail-corpora/"


def uploaded(client: Browser, session: Session, debtor: Debtor, name: str) -> int:
    response = upload(client, debtor, (name, sample(CORPORA + name)))
    assert response.status_code == 200, response.text
    text = unescape(response.text)
    assert f"« {name} » enregistré" in text, text[text.find("refusé") - 200:][:600]
    [row] = [r for r in rows(session, debtor) if r.original_name == name]
    assert row.media_type == "message/rfc822"
    return row.id  # type: ignore[return-value]


def preview(client: Browser, evidence_id: int) -> str:
    response = client.get(f"/evidence/{evidence_id}/preview")
    assert response.status_code == 200
    return unescape(response.text)


def meta(session: Session, debtor: Debtor, name: str) -> dict:
    [row] = [r for r in rows(session, debtor) if r.original_name == name]
    return row.meta["email"]


# --- 1. a bounce whose To is an empty group followed by a comment ---------------------------

def test_a_bounce_to_an_empty_group_with_a_comment_is_accepted(owner_client: Browser,
                                                               session: Session,
                                                               durand: Debtor) -> None:
    # "To: unlisted-recipients:; (no To-header on input)", as sendmail writes it: refused as
    # "cet e-mail est mal formé et ne peut pas être lu" (Python's parser raises on the group)
    name = "mimekit-delivery-status.eml"
    evidence_id = uploaded(owner_client, session, durand, name)

    facts = meta(session, durand, name)
    assert facts["from"] == "The Post Office <postmaster@mm1.sprynet.com>"
    assert facts["subject"] == "email delivery error"
    assert facts["to"] == []
    page = preview(owner_client, evidence_id)
    assert "err.nosuchuser: newsletter-request@imusic.com" in page


# --- 2. a header line that lost its folding ends the headers too early ----------------------

def test_an_unfolded_header_line_does_not_end_the_headers(owner_client: Browser,
                                                          session: Session,
                                                          durand: Debtor) -> None:
    # Exchange's x-microsoft-exchange-diagnostics header, its second line not indented: the
    # headers stopped there, the MIME structure was lost and 2 pages of raw headers and MIME
    # boundaries were printed in place of the message, "Test headers"
    name = "mimekit-issue358.eml"
    evidence_id = uploaded(owner_client, session, durand, name)

    page = preview(owner_client, evidence_id)
    assert "Test headers" in page
    assert "x-ms-exchange-antispam" not in page and "NextPart_000_0031" not in page
    body = read_email(SAMPLES / CORPORA / name).body
    assert body.strip() == "Test headers"


def test_a_header_name_with_a_space_does_not_end_the_headers() -> None:
    # tests/samples/real/letters: an X- header whose name holds spaces, after the Content-Type
    # and Content-Transfer-Encoding: the rest of the headers were read as base64 body, printed
    # "]'+Š›~éÜ¶*'ÿï" where the Korean, Thai and Chinese pangrams are
    korean = SAMPLES / "real/letters/korean_plaintext_euc-kr_over_base64.eml"
    japanese = SAMPLES / "real/letters/japanese_plaintext_iso-2022-jp_over_7bit.eml"

    assert read_email(korean).body.startswith("키스의 고유조건은 입술끼리 만나야 하고")
    assert read_email(japanese).body.startswith("色は匂えど")  # "X-Script/function/…" first


# --- 3. RFC 2231 file names ------------------------------------------------------------------

def test_an_rfc2231_name_whose_bytes_its_charset_refuses_is_no_python_tuple(
        owner_client: Browser, session: Session, durand: Debtor) -> None:
    # name*=iso-2022-jp'ja'01%20Quien%20Te%20Dij%8aat.%20Pitbull.mp3 (a Windows-1252 "Š" under
    # an iso-2022-jp label): listed and printed as
    # "('iso-2022-jp', 'ja', '01 Quien Te Dij\x8aat. Pitbull.mp3')"
    name = "mail-gem-attachment_with_encoded_name.eml"
    evidence_id = uploaded(owner_client, session, durand, name)

    [listed] = meta(session, durand, name)["attachments"]
    page = preview(owner_client, evidence_id)
    printed = [a.filename for a in read_email(SAMPLES / CORPORA / name).attachments]
    for shown in (listed["filename"], printed[0]):  # the stray byte read as mail clients
        # guess it (Windows-1252 "Š") or replaced; never Python's tuple
        assert shown.startswith("01 Quien Te Dij") and shown.endswith("at. Pitbull.mp3")
        assert "'" not in shown and not any("\x80" <= c <= "\x9f" for c in shown)
    assert "('iso-2022-jp'" not in page


def test_an_encoded_word_file_name_without_quotes_is_read(owner_client: Browser,
                                                          session: Session,
                                                          durand: Debtor) -> None:
    # filename==?utf-8?B?VGhpcyBpcyBhIHRlc3QucGRm?= (no quotes, as some mailers write it):
    # listed as "piece-jointe-1"; quoted, the same name is read ("This is a test.pdf")
    name = "mail-gem-attachment_with_base64_encoded_name.eml"
    evidence_id = uploaded(owner_client, session, durand, name)

    [listed] = meta(session, durand, name)["attachments"]
    assert listed["filename"] == "This is a test.pdf"
    assert "This is a test.pdf" in preview(owner_client, evidence_id)


# --- 4. a message that is a single attached file ---------------------------------------------

def test_a_message_that_is_one_attached_file_lists_it(owner_client: Browser,
                                                      session: Session,
                                                      durand: Debtor) -> None:
    # Content-Disposition: attachment; filename=blah.gz on the message itself (not multipart),
    # as scanners' "scan to e-mail" send a PDF: "Pièces jointes (0)", and the claim file's page
    # says "(aucun texte)" with no word of the file
    name = "mail-gem-attachment_only_email.eml"
    evidence_id = uploaded(owner_client, session, durand, name)

    assert [a["filename"] for a in meta(session, durand, name)["attachments"]] == ["blah.gz"]
    assert "Pièces jointes (1)" in preview(owner_client, evidence_id)
    printed = read_email(SAMPLES / CORPORA / name).attachments
    assert [(a.filename, a.index) for a in printed] == [("blah.gz", 0)]


def test_an_outlook_read_receipt_that_is_one_winmail_dat_lists_it(owner_client: Browser,
                                                                  session: Session,
                                                                  durand: Debtor) -> None:
    # Outlook's "Read: invitation" receipt: the whole message is application/ms-tnef
    # (winmail.dat), not multipart; listed nowhere, "(aucun texte)" printed alone
    name = "mail-mime-parser-m4006.eml"
    evidence_id = uploaded(owner_client, session, durand, name)

    assert [a["filename"] for a in meta(session, durand, name)["attachments"]] == \
        ["winmail.dat"]
    assert "winmail.dat" in preview(owner_client, evidence_id)
    printed = read_email(SAMPLES / CORPORA / name).attachments
    assert [a.filename for a in printed] == ["winmail.dat"]


# --- 5. a byte-order mark before the headers -------------------------------------------------

def test_an_email_saved_with_a_utf8_byte_order_mark_is_an_email(owner_client: Browser,
                                                                session: Session,
                                                                durand: Debtor) -> None:
    # EF BB BF then "From: <abusedesk@example.com>" (as .NET and Notepad save text): refused as
    # "son contenu est un fichier texte"
    name = "mimekit-feedback-report.eml"
    uploaded(owner_client, session, durand, name)

    facts = meta(session, durand, name)
    assert facts["from"] == "abusedesk@example.com" and facts["subject"] == "FW: Earn money"


def test_the_samples_are_those_of_sources_md() -> None:
    listed = (SAMPLES / "SOURCES.md").read_text(encoding="utf-8")
    for path in sorted((SAMPLES / CORPORA).iterdir()):
        assert f"`{CORPORA}{path.name}`" in listed
        assert path.stat().st_size < 200 * 1024
    assert Path(SAMPLES / CORPORA).is_dir()
