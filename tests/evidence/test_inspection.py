"""What each kind of file is taken for, from its content: type, pages, facts, suggested kind."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.evidence import Refusal, inspect_file
from app.evidence.images import image_to_pdf
from app.evidence.kinds import suggest_kind
from app.evidence.sniff import looks_like_email
from tests.evidence.conftest import SAMPLES


def inspect(name: str, as_name: str | None = None):  # type: ignore[no-untyped-def]
    return inspect_file(SAMPLES / name, as_name or name)


def refusal(name: str) -> Refusal:
    with pytest.raises(Refusal) as caught:
        inspect(name)
    return caught.value


def test_a_text_pdf_is_a_pdf_with_its_pages_and_its_kind_read_from_the_content() -> None:
    found = inspect("text_quote_signed.pdf", "scan0001.pdf")
    assert (found.media_type, found.pages, found.note) == ("application/pdf", 1, "")
    assert found.kind == "signed_quote"  # "Devis" in the first page's text
    assert found.meta["has_text"] is True


def test_a_scanned_pdf_is_accepted_and_marked_as_having_no_text() -> None:
    found = inspect("scanned_delivery_note.pdf", "BL chantier Angers.pdf")
    assert found.media_type == "application/pdf"
    assert found.meta["scanned"] is True
    assert found.kind == "delivery_note"  # "BL" in the name


def test_a_jpeg_keeps_its_exif_orientation_and_turns_upright_into_a_pdf(tmp_path: Path) -> None:
    found = inspect("photo_exif_rotated_90.jpg")
    assert found.media_type == "image/jpeg"
    assert found.meta["image"] == {"width": 400, "height": 300, "orientation": 6,
                                   "display_width": 300, "display_height": 400}
    page = PdfReader(io.BytesIO(image_to_pdf(SAMPLES / "photo_exif_rotated_90.jpg"))).pages[0]
    width, height = page.mediabox.width, page.mediabox.height
    if page.rotation in (90, 270):
        width, height = height, width
    assert height > width  # the landscape-stored photo is shown in portrait


def test_a_png_is_an_image_with_its_dimensions() -> None:
    found = inspect("screenshot.png")
    assert found.media_type == "image/png"
    assert found.meta["image"]["width"] == 320 and found.meta["image"]["height"] == 200
    assert image_to_pdf(SAMPLES / "screenshot.png").startswith(b"%PDF")


def test_an_eml_gives_sender_recipients_date_subject_and_attachments() -> None:
    found = inspect("email_with_pdf_attachment.eml")
    mail = found.meta["email"]
    assert found.media_type == "message/rfc822" and found.kind == "email"
    assert mail["from"] == "Claire Lefèvre <claire@lefevre.test>"
    assert mail["to"] == ["Marc Durand <compta@durand-btp.test>"]
    assert mail["cc"] == ["hugo@lefevre.test"]
    assert mail["subject"] == "Relance facture F-2025-001" == found.title
    assert found.document_date == date(2026, 3, 3)
    assert [(a["filename"], a["media_type"]) for a in mail["attachments"]] == \
        [("facture F-2025-001.pdf", "application/pdf")]


def test_a_facturx_invoice_gives_number_dates_totals_and_parties() -> None:
    found = inspect("facturx_invoice_F-2026-042.pdf")
    invoice = found.meta["facturx"]
    assert found.kind == "invoice" and found.title == "Facture n° F-2026-042"
    assert found.document_date == date(2026, 3, 15)
    assert (invoice["number"], invoice["issue_date"], invoice["due_date"]) == \
        ("F-2026-042", "2026-03-15", "2026-04-14")
    assert (invoice["total_ht"], invoice["total_tva"], invoice["total_ttc"]) == \
        ("2500.00", "500.00", "3000.00")
    assert invoice["seller"] == {"name": "Menuiserie Lefèvre", "siren": "812345676"}
    assert invoice["buyer"] == {"name": "Durand BTP", "siren": "487654329"}


def test_an_encrypted_pdf_that_opens_without_password_is_accepted() -> None:
    found = inspect("encrypted_empty_password.pdf")
    assert found.pages == 1 and found.meta["pdf_encrypted"] is True


def test_a_pdf_that_needs_a_password_is_refused_asking_for_an_unlocked_copy() -> None:
    refused = refusal("encrypted_needs_password.pdf")
    assert refused.code == "password"
    assert refused.message.startswith("« encrypted_needs_password.pdf » refusé : ")
    assert "mot de passe" in refused.message and "déverrouillée" in refused.message


def test_a_damaged_pdf_that_pypdf_can_still_read_is_accepted_with_a_note() -> None:
    found = inspect("damaged_xref_readable.pdf")
    assert found.pages == 1
    assert found.note.startswith("PDF endommagé : lu en mode tolérant")


@pytest.mark.parametrize("name", ["truncated_tail.pdf", "truncated_half.pdf"])
def test_a_truncated_pdf_is_refused_as_unreadable(name: str) -> None:
    refused = refusal(name)
    assert refused.code == "damaged"
    assert "endommagé ou incomplet" in refused.message


def test_random_bytes_named_pdf_are_refused_whatever_the_name() -> None:
    refused = refusal("random_bytes.pdf")
    assert refused.code == "type"
    assert "son nom se termine par .pdf mais son contenu est un fichier d'un type inconnu" \
        in refused.message


def test_an_html_page_named_pdf_is_refused_as_a_web_page() -> None:
    refused = refusal("html_page.pdf")
    assert refused.code == "type" and "une page web (HTML)" in refused.message


def test_a_zero_byte_file_is_refused_as_empty() -> None:
    refused = refusal("zero_bytes.pdf")
    assert refused.code == "empty" and "vide (0 octet)" in refused.message


def test_a_pdf_named_jpg_is_a_pdf_with_a_note_about_the_name() -> None:
    found = inspect("text_quote_signed.pdf", "photo.jpg")
    assert found.media_type == "application/pdf"
    assert "c'est un fichier PDF" in found.note


def test_plain_text_is_not_taken_for_an_email() -> None:
    assert not looks_like_email(b"Bonjour,\nvoici la facture.\n")
    assert not looks_like_email(b"Note: rappel\n\ntexte")
    assert looks_like_email(b"From: a@b.fr\r\nTo: c@d.fr\r\nSubject: x\r\n\r\nbody")


@pytest.mark.parametrize(("name", "kind"), [
    ("Devis signé D-2025-014.pdf", "signed_quote"),
    ("BON DE COMMANDE 77.pdf", "purchase_order"),
    ("CGV 2025.pdf", "terms_of_sale"),
    ("PV de réception chantier.jpg", "delivery_note"),
    ("facture_F-2025-001.pdf", "invoice"),
    ("Relance n°2.pdf", "reminder_copy"),
    ("mise-en-demeure-15-mars.pdf", "mise_en_demeure_copy"),
    ("preuve de dépôt recommandé.pdf", "posting_proof"),
    ("AR signé.jpg", "ar_signed"),
    ("pli avisé non réclamé.pdf", "ar_unclaimed"),
    ("LRE preuve.pdf", "lre_proof"),
    ("reconnaissance de dette.pdf", "acknowledgment"),
    ("contrat cadre.pdf", "contract"),
    ("IMG_2041.jpg", "other"),
])
def test_the_kind_is_suggested_from_the_name(name: str, kind: str) -> None:
    assert suggest_kind(name, "application/pdf") == kind


def test_a_letter_is_classified_by_its_heading_not_by_the_words_it_mentions() -> None:
    text = "MISE EN DEMEURE\nPar lettre recommandée avec avis de réception\nFacture F-1 impayée"
    assert suggest_kind("scan.pdf", "application/pdf", text) == "mise_en_demeure_copy"
