"""Sample exhibits made on the fly: text PDFs (one with text at its very edge), a rotated page,
photos with and without EXIF rotation, a PNG with transparency, an e-mail with attachments,
PDFs with an owner password or a user password, a damaged PDF."""

from __future__ import annotations

import io
from datetime import date
from email.message import EmailMessage
from pathlib import Path
from types import SimpleNamespace

import pikepdf
import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from app.documents.claimfile import ClaimFileInfo, Exhibit, FrontPart

A4 = (595.276, 841.89)
INFO = ClaimFileInfo("Dossier de créance — Menuiserie Lefèvre c/ Durand BTP", 2,
                     "Menuiserie Lefèvre", date(2026, 11, 22))


def text_pdf(path: Path, pages: int, label: str, *, size: tuple[float, float] = A4,
             rotate: int = 0) -> Path:
    """Pages with a title near the top and a line of text 4 pt above the bottom edge."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica))
    for n in range(1, pages + 1):
        width, height = size
        content = (f"BT /F1 20 Tf 72 {height - 100} Td ({label} page {n}) Tj ET "
                   f"BT /F1 9 Tf 72 4 Td (Edge line {n}) Tj ET").encode()
        page = pdf.add_blank_page(page_size=size)
        page.obj.Contents = pdf.make_stream(content)
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        if rotate:
            page.obj.Rotate = rotate
    pdf.save(path, deterministic_id=True)
    return path


def jpeg(path: Path, size: tuple[int, int], orientation: int | None = None,
         dpi: int = 72) -> Path:
    image = Image.new("RGB", size, (200, 225, 200))
    ImageDraw.Draw(image).rectangle((0, 0, size[0] - 1, size[1] - 1), outline=(200, 0, 0),
                                    width=12)
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    image.save(path, "JPEG", exif=exif.tobytes(), dpi=(dpi, dpi), quality=90)
    return path


def png_with_alpha(path: Path) -> Path:
    image = Image.new("RGBA", (300, 200), (0, 0, 255, 0))
    ImageDraw.Draw(image).ellipse((20, 20, 280, 180), fill=(0, 0, 255, 200))
    image.save(path, "PNG")
    return path


def email_file(path: Path, attachment: Path) -> Path:
    message = EmailMessage()
    message["From"] = "Claire Lefèvre <claire@lefevre.test>"
    message["To"] = "compta@durand-btp.test"
    message["Subject"] = "Relance facture F-2026-014"
    message["Date"] = "Mon, 02 Mar 2026 10:00:00 +0100"
    message.set_content("Bonjour,\n\nLa facture F-2026-014 de 1 337,71 € reste impayée.\n\n"
                        "Cordialement,\nClaire Lefèvre")
    message.add_attachment(attachment.read_bytes(), maintype="application", subtype="pdf",
                           filename="facture-F-2026-014.pdf")
    message.add_attachment(b"PK\x03\x04", maintype="application", subtype="zip",
                           filename="photos.zip")
    path.write_bytes(bytes(message))
    return path


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    folder.mkdir()
    return folder


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def front(samples: Path) -> list[FrontPart]:
    return [FrontPart("Page de garde", text_pdf(samples / "cover.pdf", 1, "Garde")),
            FrontPart("Résumé", text_pdf(samples / "summary.pdf", 2, "Resume")),
            FrontPart("Décompte", text_pdf(samples / "decompte.pdf", 1, "Decompte"))]


@pytest.fixture
def exhibits(samples: Path) -> list[Exhibit]:
    """Three PDFs and a photo: 3 + 2 + 1 + 1 pages."""
    return [
        Exhibit(1, "Devis signé du 12 mars 2026", "signed_quote", date(2026, 3, 12),
                text_pdf(samples / "devis.pdf", 3, "Devis"), "application/pdf", "devis.pdf"),
        Exhibit(2, "Bon de livraison", "delivery_note", date(2026, 4, 2),
                text_pdf(samples / "bl.pdf", 2, "Livraison", rotate=90), "application/pdf",
                "BL 0042.pdf"),
        Exhibit(3, "Photo du chantier livré", "other", date(2026, 4, 3),
                jpeg(samples / "photo.jpg", (800, 600)), "image/jpeg", "IMG_2041.JPG"),
        Exhibit(4, "Facture F-2026-014", "invoice", date(2026, 4, 5),
                text_pdf(samples / "facture.pdf", 1, "Facture"), "application/pdf",
                "F-2026-014.pdf"),
    ]


@pytest.fixture
def info() -> ClaimFileInfo:
    return INFO


def scanned_pdf(path: Path, pages: int, pixels: tuple[int, int]) -> Path:
    """Pages made of one JPEG each, drawn over the whole A4 page (a scanner's output)."""
    buffer = io.BytesIO()
    Image.new("L", pixels, 235).save(buffer, "JPEG", quality=80)
    pdf = pikepdf.new()
    for _ in range(pages):
        image = pikepdf.Stream(pdf, buffer.getvalue(), Type=pikepdf.Name.XObject,
                               Subtype=pikepdf.Name.Image, Width=pixels[0], Height=pixels[1],
                               ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=8,
                               Filter=pikepdf.Name.DCTDecode)
        page = pdf.add_blank_page(page_size=A4)
        page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
        page.obj.Contents = pdf.make_stream(f"q {A4[0]} 0 0 {A4[1]} 0 0 cm /Im0 Do Q".encode())
    pdf.save(path, deterministic_id=True)
    return path


@pytest.fixture
def make() -> SimpleNamespace:
    """The sample makers, for tests that need a file of their own."""
    return SimpleNamespace(text_pdf=text_pdf, jpeg=jpeg, png_with_alpha=png_with_alpha,
                           email_file=email_file, scanned_pdf=scanned_pdf, pages=pdf_pages)
