"""Build the sample files of the evidence tests, named for their scenario.

Run `python -m tests.samples.make_samples` from the repository root to rebuild them; the
files are small and kept in the repository so every test and the browser test use the same.
"""

from __future__ import annotations

import io
import random
import re
from email.message import EmailMessage
from pathlib import Path

import img2pdf
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter

from app.services.demo import siren

HERE = Path(__file__).resolve().parent
SELLER_SIREN = siren("81234567")  # the demo creditor's SIREN
DURAND_SIREN = siren("48765432")  # Durand BTP (tests.factories.DURAND_SIREN, demo data)


def text_pdf(title: str, lines: list[str]) -> bytes:
    """A real text PDF rendered by WeasyPrint."""
    from weasyprint import HTML

    body = "".join(f"<p>{line}</p>" for line in lines)
    html = (f"<html><head><meta charset='utf-8'><style>@page {{ size: A4; margin: 2cm }}"
            f"body {{ font-family: 'DejaVu Sans'; font-size: 11pt }}</style></head>"
            f"<body><h1>{title}</h1>{body}</body></html>")
    return bytes(HTML(string=html).write_pdf())


def scanned_pdf() -> bytes:
    """A PDF whose only page is a picture of a signed delivery note (no text layer)."""
    image = Image.new("L", (827, 1169), 250)
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, 767, 160), outline=30, width=4)
    for row in range(12):
        draw.line((80, 220 + row * 60, 740, 220 + row * 60), fill=120, width=2)
    draw.line((500, 1000, 720, 960), fill=20, width=5)  # the signature stroke
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=60)
    return bytes(img2pdf.convert(buffer.getvalue()))


def photo_with_exif_rotation() -> bytes:
    """A 400×300 JPEG (as stored) whose EXIF says: rotate 90° clockwise to view (6)."""
    image = Image.new("RGB", (400, 300), (200, 180, 150))
    ImageDraw.Draw(image).rectangle((20, 20, 120, 80), fill=(40, 40, 160))
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70, exif=exif)
    return buffer.getvalue()


def screenshot_png() -> bytes:
    image = Image.new("RGB", (320, 200), (255, 255, 255))
    ImageDraw.Draw(image).rectangle((10, 10, 310, 40), fill=(31, 78, 140))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def email_with_pdf(pdf: bytes) -> bytes:
    message = EmailMessage()
    message["From"] = "Claire Lefèvre <claire@lefevre.test>"
    message["To"] = "Marc Durand <compta@durand-btp.test>"
    message["Cc"] = "hugo@lefevre.test"
    message["Date"] = "Tue, 03 Mar 2026 10:15:00 +0100"
    message["Subject"] = "Relance facture F-2025-001"
    message["Message-ID"] = "<relance-f2025001@lefevre.test>"
    message.set_content("Bonjour,\n\nSauf erreur, la facture F-2025-001 reste impayée.\n"
                        "Vous la trouverez ci-jointe.\n\nClaire Lefèvre\n")
    message.add_attachment(pdf, maintype="application", subtype="pdf",
                           filename="facture F-2025-001.pdf")
    return bytes(message)


def cii_xml(number: str = "F-2026-042", buyer_siren: str = DURAND_SIREN,
            buyer_name: str = "Durand BTP") -> bytes:
    """A minimal BASIC WL Cross Industry Invoice (valid against the Factur-X XSD)."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
 xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100">
 <rsm:ExchangedDocumentContext>
  <ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:factur-x.eu:1p0:basicwl</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
 </rsm:ExchangedDocumentContext>
 <rsm:ExchangedDocument>
  <ram:ID>{number}</ram:ID><ram:TypeCode>380</ram:TypeCode>
  <ram:IssueDateTime><udt:DateTimeString format="102">20260315</udt:DateTimeString></ram:IssueDateTime>
 </rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>
  <ram:ApplicableHeaderTradeAgreement>
   <ram:SellerTradeParty><ram:Name>Menuiserie Lefèvre</ram:Name>
    <ram:SpecifiedLegalOrganization>
     <ram:ID schemeID="0002">{SELLER_SIREN}</ram:ID></ram:SpecifiedLegalOrganization>
    <ram:PostalTradeAddress><ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>
    <ram:SpecifiedTaxRegistration>
     <ram:ID schemeID="VA">FR32{SELLER_SIREN}</ram:ID></ram:SpecifiedTaxRegistration>
   </ram:SellerTradeParty>
   <ram:BuyerTradeParty><ram:Name>{buyer_name}</ram:Name>
    <ram:SpecifiedLegalOrganization>
     <ram:ID schemeID="0002">{buyer_siren}</ram:ID></ram:SpecifiedLegalOrganization>
   </ram:BuyerTradeParty>
  </ram:ApplicableHeaderTradeAgreement>
  <ram:ApplicableHeaderTradeDelivery/>
  <ram:ApplicableHeaderTradeSettlement>
   <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
   <ram:ApplicableTradeTax><ram:CalculatedAmount>500.00</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode>
    <ram:BasisAmount>2500.00</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>20.00</ram:RateApplicablePercent></ram:ApplicableTradeTax>
   <ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime>
    <udt:DateTimeString format="102">20260414</udt:DateTimeString>
   </ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    <ram:LineTotalAmount>2500.00</ram:LineTotalAmount>
    <ram:TaxBasisTotalAmount>2500.00</ram:TaxBasisTotalAmount>
    <ram:TaxTotalAmount currencyID="EUR">500.00</ram:TaxTotalAmount>
    <ram:GrandTotalAmount>3000.00</ram:GrandTotalAmount>
    <ram:DuePayableAmount>3000.00</ram:DuePayableAmount>
   </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
""".encode()


def facturx_pdf(number: str = "F-2026-042", **buyer: str) -> bytes:
    from facturx import generate_from_binary

    visible = text_pdf(f"Facture {number}", ["Menuiserie Lefèvre — Durand BTP",
                                             "Total TTC : 3 000,00 €"])
    return bytes(generate_from_binary(visible, cii_xml(number, **buyer), check_xsd=True))


def encrypted_pdf(source: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(source)))
    writer.encrypt(user_password=user_password, owner_password="proprietaire",
                   algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def damaged_but_readable(source: bytes) -> bytes:
    """A classic-xref PDF whose `startxref` points nowhere: strict readers fail, pypdf's
    tolerant mode rebuilds the table."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(source)))
    buffer = io.BytesIO()
    writer.write(buffer)
    return re.sub(rb"startxref\n\d+", b"startxref\n123", buffer.getvalue())


def samples() -> dict[str, bytes]:
    quote = text_pdf("Devis n° D-2025-014", ["Menuiserie Lefèvre", "Client : Durand BTP",
                                             "Pose de menuiseries : 1 000,00 € HT",
                                             "Bon pour accord, signé le 5 janvier 2025"])
    invoice = text_pdf("Facture F-2025-001", ["Menuiserie Lefèvre", "Total TTC : 1 200,00 €"])
    rng = random.Random(42)
    return {
        "text_quote_signed.pdf": quote,
        "scanned_delivery_note.pdf": scanned_pdf(),
        "photo_exif_rotated_90.jpg": photo_with_exif_rotation(),
        "screenshot.png": screenshot_png(),
        "email_with_pdf_attachment.eml": email_with_pdf(invoice),
        "facturx_invoice_F-2026-042.pdf": facturx_pdf(),
        "facturx_other_buyer.pdf": facturx_pdf("F-2026-077", buyer_siren=siren("73282932"),
                                               buyer_name="Charpentes Bernard"),
        "encrypted_empty_password.pdf": encrypted_pdf(quote, ""),
        "encrypted_needs_password.pdf": encrypted_pdf(quote, "secret"),
        "damaged_xref_readable.pdf": damaged_but_readable(quote),
        "truncated_tail.pdf": quote[: len(quote) - 400],
        "truncated_half.pdf": quote[:300],
        "random_bytes.pdf": bytes(rng.getrandbits(8) for _ in range(4096)),
        "html_page.pdf": b"<!DOCTYPE html>\n<html><head><title>Facture</title></head>"
                         b"<body><p>Votre facture</p></body></html>\n",
        "zero_bytes.pdf": b"",
    }


def main() -> None:
    for name, data in samples().items():
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
