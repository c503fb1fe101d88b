"""E-mails that broke the claim file in the attacker review (tests/samples/hostile-mail, see
tests/samples/SOURCES.md) print what their senders wrote: bodies under the charset labels mail
clients know, HTML-only bodies however they start, a forwarded message within the e-mail's
pages; a long e-mail is laid out in time and printed up to a cap, with a note."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from app.documents.claimfile import Exhibit, build_claim_file, mail
from app.documents.claimfile.trial import trial
from app.services.evidence_preview import mail_preview
from tests.documents.claimfile.words import pages as word_pages

HOSTILE = Path(__file__).resolve().parents[2] / "samples" / "hostile-mail"


def pdftotext(path: Path) -> list[str]:
    """The text of each page, every run of spaces made one space."""
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


def built(out: Path, info, name: str) -> tuple[list[str], int]:  # type: ignore[no-untyped-def]
    """The claim file of that one e-mail: the text of its pages, and how many they are."""
    exhibit = Exhibit(1, "E-mail", "email", None, HOSTILE / name, "message/rfc822", name)
    placed = build_claim_file([], [exhibit], out / "dossier.pdf", info).placements[0]
    texts = pdftotext(out / "dossier.pdf")[placed.page_index:placed.page_index + placed.pages]
    return texts, placed.pages


@pytest.mark.parametrize(("name", "text"), [
    ("thai-874.eml", "เรียนท่าน ใบแจ้งหนี้เลขที่ 42 ยังไม่ได้ชำระ"),  # windows-874 (Outlook)
    ("hebrew-8i.eml", "שלום, חשבונית מספר 42 טרם שולמה"),  # iso-8859-8-i
    ("maccyr.eml", "Здравствуйте, счёт 42 не оплачен"),  # x-mac-cyrillic
    ("unknown-charset.eml", "café ÿþ"),  # x-unknown, not UTF-8: what a French mailer shows
])
def test_a_charset_label_is_read_as_mail_clients_read_it_and_the_preview_agrees(name, text):
    message = mail.read_email(HOSTILE / name)

    assert message.body == text
    assert mail_preview(HOSTILE / name).text == text  # and the search reads the same


def test_a_hebrew_email_labelled_iso_8859_8_i_prints_in_hebrew(out, info):
    texts, _pages = built(out, info, "hebrew-8i.eml")

    assert "חשבונית" in texts[0]  # pdftotext gives it in logical order


def test_an_html_body_starting_with_an_xml_declaration_prints_its_text(out, info):
    texts, pages = built(out, info, "xhtml-decl.eml")

    assert pages == 1
    assert "Bonjour, la facture 42 reste impayée." in texts[0]
    assert "xml" not in texts[0] and "DTD" not in texts[0]


def test_an_html_body_of_only_a_comment_prints_as_a_message_without_text(out, info):
    texts, pages = built(out, info, "html-comment.eml")

    assert pages == 1
    assert "(message sans texte)" in texts[0] and "rien" not in texts[0]


def test_a_forwarded_message_prints_within_the_email_and_its_attachment_follows(out, info):
    texts, pages = built(out, info, "nested.eml")

    assert pages == 2  # the e-mail with the forwarded one, then the forwarded one's PDF
    page = texts[0]
    # (pdftotext joins a line ending with "-" to the next one)
    assert re.search("Transfert -+ Message transféré -+ ?De : x@y.fr À : z@w.fr Objet : inner "
                     "Inner body", page)
    assert "inner.pdf (1 Ko) — reproduite à la suite" in page
    assert "message.eml" not in page and "non reproduite" not in page


def test_a_long_email_is_printed_up_to_the_cap_with_a_note_on_the_rest():
    fit = trial(HOSTILE / "long300k.eml", "message/rfc822", "long300k.eml")
    assert fit.pages <= 25  # 57 before the cap

    message = mail.read_email(HOSTILE / "long300k.eml")
    assert len(message.body) <= mail.MAX_PRINTED and message.left_out > 150_000
    assert message.body.endswith("courriels.")  # cut at a line end


def test_a_one_megabyte_email_takes_the_pages_of_the_cap_and_says_so(out, info):
    texts, pages = built(out, info, "long1m.eml")

    assert pages <= 25  # 205 pages and 56 s before
    left_out = mail.read_email(HOSTILE / "long1m.eml").left_out
    assert left_out > 850_000
    count = f"{left_out:,}".replace(",", " ")
    assert f"Texte abrégé à l'impression : les {count} derniers caractères ne sont pas " \
           "reproduits ici ; l'e-mail complet est le fichier d'origine (.eml), conservé avec " \
           "la pièce dans l'archive ZIP." in texts[-1].replace("\u202f", " ")


def test_a_line_without_a_space_prints_every_character(tmp_path):
    message = mail.read_email(HOSTILE / "oneline300k.eml")
    section = mail.render_email(message, tmp_path / "mail.pdf")

    printed = "".join(pdftotext(tmp_path / "mail.pdf"))
    assert sum(len(run) for run in re.findall("A+", printed)) == 100_000  # the cap; 81 before
    assert section.pages > 30
    assert "\u200b" not in printed  # the break opportunities are invisible, copied as nothing


def test_cutting_the_body_into_blocks_changes_nothing_on_the_page(tmp_path, monkeypatch):
    lines = []
    for n in range(150):  # three pages, blank lines of one to three at block ends
        lines += [f"Ligne{n} " + "texte " * (n % 7)] + [""] * (n % 4)
    message = mail.ReadEmail((("De", "a@b.fr"),), "\n".join(lines))

    def words(block: int) -> list[tuple[int, str, float, float]]:
        monkeypatch.setattr(mail, "BLOCK", block)
        target = tmp_path / f"block-{block}.pdf"
        mail.render_email(message, target)
        return [(n, word.text, round(word.x0, 1), round(word.y0, 1))
                for n, page in enumerate(word_pages(target)) for word in page.words]

    whole = words(1_000_000)
    assert len(mail.blocks(message.body)) == 1
    cut = words(30)
    assert len(mail.blocks(message.body)) > 50
    assert cut == whole


def test_headers_in_an_unknown_charset_or_raw_8_bit_bytes_print_as_written(out, info):
    """Python's parser gives U+FFFD for an encoded word in a charset it does not know and for
    raw 8-bit bytes: such a header is read again like a body (unknown label guessed, 8-bit
    bytes as UTF-8, else guessed), in the recorded facts, the preview and the claim file."""
    from app.evidence.mail import inspect_mail

    facts = inspect_mail(HOSTILE / "raw-8bit-headers.eml", "relance.eml")
    assert facts.sender == "Dupont, René <rene@dupont.fr>"
    assert facts.to == ["Élise Martin <elise@martin.fr>", "Café du Port <port@cafe.fr>"]
    assert facts.subject == "Relance facture impayée F-2026-032"
    assert inspect_mail(HOSTILE / "unknown-charset.eml", "cafe.eml").subject == "café"
    shown = dict(mail_preview(HOSTILE / "raw-8bit-headers.eml").headers)
    assert shown["Objet"] == "Relance facture impayée F-2026-032"
    assert shown["De"] == "Dupont, René <rene@dupont.fr>"
    texts, _pages = built(out, info, "raw-8bit-headers.eml")
    assert "Objet Relance facture impayée F-2026-032" in texts[0]
    assert "Élise Martin" in texts[0] and "\ufffd" not in texts[0]
