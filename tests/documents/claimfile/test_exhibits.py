"""Exhibits turned into pages: photos (EXIF rotation, transparency), e-mails, protected PDFs."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from pypdf import PdfReader

from app.documents.claimfile import BuildOptions, ClaimFileError, Exhibit, build_claim_file


def _shown_size(path: Path, index: int) -> tuple[float, float]:
    page = PdfReader(path).pages[index]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    return (height, width) if page.rotation % 180 else (width, height)


def _photo(number: int, path: Path, media_type: str = "image/jpeg") -> Exhibit:
    return Exhibit(number, f"Photo {number}", "other", date(2026, 4, 3), path, media_type,
                   path.name)


def test_jpeg_rotated_by_exif_6_gives_a_portrait_page_and_keeps_its_bytes(
        samples, out, info, make):
    upright = make.jpeg(samples / "plain.jpg", (800, 600))
    turned = make.jpeg(samples / "turned.jpg", (800, 600), orientation=6)

    build_claim_file([], [_photo(1, upright), _photo(2, turned)], out / "d.pdf", info)

    width, height = _shown_size(out / "d.pdf", 1)
    assert width > height  # stored landscape, no EXIF rotation: a landscape page
    width, height = _shown_size(out / "d.pdf", 2)
    assert height > width  # stored landscape, shown turned a quarter: a portrait page
    with pikepdf.open(out / "d.pdf") as pdf:
        image = next(iter(pdf.pages[2].obj.Resources.XObject.values()))
        assert image.read_raw_bytes() == turned.read_bytes()  # lossless: the JPEG as is
    assert "Pièce n° 2 — p. 1/1" in make.pages(out / "d.pdf")[2]


@pytest.mark.parametrize("mode", ["RGBA", "LA", "P"])
def test_png_with_transparency_becomes_a_page(samples, out, info, make, mode):
    source = make.png_with_alpha(samples / "logo.png")
    with Image.open(source) as image:
        converted = image.convert(mode) if mode != "P" else image.convert("RGBA").convert(
            "P", palette=Image.Palette.ADAPTIVE)
        if mode == "P":
            converted.info["transparency"] = 0
        converted.save(samples / f"logo-{mode}.png")

    build_claim_file([], [_photo(1, samples / f"logo-{mode}.png", "image/png")],
                     out / "d.pdf", info)

    assert "Pièce n° 1 — p. 1/1" in make.pages(out / "d.pdf")[1]


def test_email_is_rendered_then_followed_by_its_pdf_attachment(samples, out, info, make):
    invoice = make.text_pdf(samples / "f.pdf", 1, "Facture F-2026-014")
    mail = make.email_file(samples / "relance.eml", invoice)
    exhibit = Exhibit(5, "Relance par e-mail du 2 mars 2026", "email", date(2026, 3, 2), mail,
                      "message/rfc822", "relance.eml")

    build_claim_file([], [exhibit], out / "d.pdf", info)
    pages = [" ".join(text.split()) for text in make.pages(out / "d.pdf")]

    assert len(pages) == 3  # bordereau, e-mail, attachment
    for expected in ("De Claire Lefèvre <claire@lefevre.test>", "À compta@durand-btp.test",
                     "Objet Relance facture F-2026-014", "1 337,71 € reste impayée",
                     "Date 2 mars 2026 à 10:00 (UTC+01:00)",
                     "facture-F-2026-014.pdf", "reproduite à la suite", "photos.zip",
                     "non reproduite", "Pièce n° 5 — p. 1/2"):
        assert expected in pages[1], expected
    assert "Facture F-2026-014 page 1" in pages[2] and "Pièce n° 5 — p. 2/2" in pages[2]
    outline = PdfReader(out / "d.pdf").outline
    exhibit_mark, children = outline[-1]  # under "Pièces": the exhibit, then its attachment
    assert exhibit_mark.title == "Pièce n° 5 — Relance par e-mail du 2 mars 2026"
    assert [child.title for child in children] == ["Pièce jointe : facture-F-2026-014.pdf"]


def test_pdf_with_only_an_owner_password_is_included_decrypted(samples, out, info, make):
    plain = make.text_pdf(samples / "plain.pdf", 2, "Contrat")
    locked = samples / "locked.pdf"
    with pikepdf.open(plain) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="secret", user=""))
    exhibit = Exhibit(1, "Contrat", "contract", None, locked, "application/pdf")

    build_claim_file([], [exhibit], out / "d.pdf", info)

    assert not PdfReader(out / "d.pdf").is_encrypted
    assert "Contrat page 2" in make.pages(out / "d.pdf")[2]


def test_pdf_needing_a_password_stops_the_build_naming_the_exhibit(samples, out, info, make):
    plain = make.text_pdf(samples / "plain.pdf", 1, "Contrat")
    locked = samples / "locked.pdf"
    with pikepdf.open(plain) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="secret", user="1234"))
    exhibit = Exhibit(7, "Contrat cadre", "contract", None, locked, "application/pdf")

    with pytest.raises(ClaimFileError) as caught:
        build_claim_file([], [exhibit], out / "d.pdf", info)

    assert caught.value.number == 7
    assert caught.value.message.startswith("Pièce n° 7 « Contrat cadre » : le PDF est protégé")
    assert list(out.iterdir()) == []


def test_damaged_pdf_stops_the_build_naming_the_exhibit(samples, out, info):
    broken = samples / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage")
    exhibit = Exhibit(3, "Avis de réception", "ar_signed", None, broken, "application/pdf")

    with pytest.raises(ClaimFileError, match="Pièce n° 3 « Avis de réception »"):
        build_claim_file([], [exhibit], out / "d.pdf", info)
    assert list(out.iterdir()) == []


def test_downsampling_resamples_scans_above_200_dpi_and_leaves_originals(samples, out, info,
                                                                          make):
    scan = make.scanned_pdf(samples / "scan.pdf", 2, (2480, 3508))  # A4 at 300 dpi
    photo = make.jpeg(samples / "photo.jpg", (3000, 2250))
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (scan, photo)}
    exhibits = [Exhibit(1, "AR scanné", "ar_signed", None, scan, "application/pdf"),
                _photo(2, photo)]

    build_claim_file([], exhibits, out / "d.pdf", info, BuildOptions(downsample_dpi=200))

    with pikepdf.open(out / "d.pdf") as pdf:
        scanned = next(iter(pdf.pages[1].obj.Resources.XObject.values()))
        photographed = next(iter(pdf.pages[3].obj.Resources.XObject.values()))
        assert 1640 <= int(scanned.Width) <= 1660  # 8.27 in × 200 dpi
        # shown 7.6 in high on a landscape A4 page (inside its 24 pt border), at 200 dpi
        assert 1510 <= int(photographed.Height) <= 1530
    assert before == {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (scan, photo)}


def test_html_only_email_is_shown_as_text_without_fetching_anything(samples, out, info, make):
    mail = samples / "html.eml"
    mail.write_bytes(
        b"From: Durand BTP <compta@durand-btp.test>\r\nTo: claire@lefevre.test\r\n"
        b"Subject: =?utf-8?q?Re=C2=A0=3A_facture?=\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n"
        b"<html><head><style>p{color:red}</style></head><body><p>Nous reconnaissons "
        b"devoir la somme.</p><img src=\"https://tracker.example/pixel.gif\">"
        b"<script>alert(1)</script><p>Paiement fin mai.</p></body></html>\r\n")
    exhibit = Exhibit(9, "Réponse du débiteur", "acknowledgment", None, mail, "message/rfc822")

    build_claim_file([], [exhibit], out / "d.pdf", info)
    text = " ".join(make.pages(out / "d.pdf")[1].split())

    assert "Nous reconnaissons devoir la somme. Paiement fin mai." in text
    assert "alert" not in text and "color" not in text
    assert "Objet Re : facture" in text


def test_attachment_produced_as_its_own_exhibit_is_not_repeated_after_the_email(
        samples, out, info, make):
    invoice = make.text_pdf(samples / "f.pdf", 1, "Facture F-2026-014")
    mail = make.email_file(samples / "relance.eml", invoice)
    exhibits = [
        Exhibit(5, "Relance par e-mail", "email", None, mail, "message/rfc822",
                attachment_exhibits=(("facture-F-2026-014.pdf", 6),)),
        Exhibit(6, "Facture F-2026-014", "invoice", None, invoice, "application/pdf"),
    ]

    result = build_claim_file([], exhibits, out / "d.pdf", info)
    email_page = " ".join(make.pages(out / "d.pdf")[1].split())

    assert [p.pages for p in result.placements] == [1, 1]
    assert "facture-F-2026-014.pdf (1 Ko) — produite en pièce n° 6" in email_page


def test_unreadable_image_stops_the_build_naming_the_exhibit(samples, out, info):
    fake = samples / "photo.jpg"
    fake.write_bytes(b"\xff\xd8\xff\xe0 not really a JPEG")

    with pytest.raises(ClaimFileError, match="Pièce n° 4 « Photo 4 » : l'image est illisible"):
        build_claim_file([], [_photo(4, fake)], out / "d.pdf", info)
    assert list(out.iterdir()) == []
