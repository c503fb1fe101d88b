"""Demo exhibits: signed quote, order, delivery report, invoices, e-mails, scanned AR and proof
of posting for "Hôtel du Port" and "Durand BTP", so their claim file is meaningful.

The documents are drawn directly as small PDFs (the claim-file engine's canvas and the PDF
base fonts: milliseconds, no WeasyPrint), the scans made with Pillow (an AR card scanned at
300 dpi and stored sideways with an EXIF orientation, a posting receipt at 200 dpi), the
e-mails built with the standard library. Each is added through the evidence service, so
kinds, pages, hashes and invoice links are what an upload would give.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pikepdf
from PIL import Image, ImageDraw, ImageFont
from sqlmodel import Session, select

from app.config import get_settings
from app.documents.claimfile import fonts
from app.documents.claimfile.canvas import Canvas
from app.documents.claimfile.drawn import PAGE_H, PAGE_W, append_page
from app.formatting import date_fr, eur
from app.models import Creditor, Debtor, Invoice
from app.services import evidence
from app.services.context import Actor
from app.storage import FileStore

FONT = Path(__file__).resolve().parents[2] / "static" / "fonts" / "DejaVuSans.ttf"
LIMIT = 10 * 1024 * 1024
PARIS = ZoneInfo("Europe/Paris")
Row = tuple[str, str]


def demo_store(session: Session) -> FileStore:
    """The file store next to the database being seeded (the CLI's settings, or the folder
    of a test's SQLite file)."""
    settings = get_settings()
    url = session.get_bind().url
    if url.render_as_string(hide_password=False) == settings.db_url or \
            not url.drivername.startswith("sqlite") or not url.database:
        return FileStore(settings.files_dir)
    return FileStore(Path(url.database).parent / "files")


def add_demo_exhibits(session: Session, actor: Actor, today: date) -> None:
    store = demo_store(session)
    creditor = session.get(Creditor, actor.creditor_id)
    assert creditor is not None
    for name, build in (("Hôtel du Port", _hotel), ("Durand BTP", _durand)):
        debtor = session.exec(select(Debtor).where(Debtor.creditor_id == actor.creditor_id,
                                                   Debtor.legal_name == name)).one()
        invoices = list(session.exec(select(Invoice).where(Invoice.debtor_id == debtor.id)
                                     .order_by(Invoice.issue_date)))  # type: ignore[arg-type]
        for content, filename, data in build(creditor, debtor, invoices, today):
            evidence.add_bytes(session, actor, store, debtor, content, filename, LIMIT, data)


def _data(kind: str, title: str, day: date, invoices: Sequence[Invoice]) -> dict[str, object]:
    return {"kind": kind, "title": title, "document_date": day.isoformat(),
            "invoices": [inv.number for inv in invoices]}


def _hotel(creditor: Creditor, debtor: Debtor, invoices: list[Invoice], today: date,
           ) -> list[tuple[bytes, str, dict[str, object]]]:
    invoice = invoices[0]
    delivered = invoice.delivery_date or invoice.issue_date
    quoted = invoice.issue_date - timedelta(days=62)
    rows = [("Dépose des 24 portes de chambres existantes", "1 440,00"),
            ("Fourniture de 24 blocs-portes chêne, acoustiques 39 dB", "8 160,00"),
            ("Pose, réglages, quincaillerie et finitions", "3 000,00")]
    sent = today - timedelta(days=30)
    invoice_pdf = _invoice_pdf(creditor, debtor, invoice, rows)
    return [
        (_quote_pdf(creditor, debtor, "D-2026-011", quoted, rows, invoice), "Devis D-2026-011 signé.pdf",
         _data("signed_quote", "Devis D-2026-011 signé « bon pour accord »", quoted + timedelta(days=6),
               invoices)),
        (_report_pdf(creditor, debtor, delivered), "PV de réception chambres.pdf",
         _data("delivery_note", "Procès-verbal de réception sans réserve", delivered, invoices)),
        (invoice_pdf, f"Facture {invoice.number}.pdf",
         _data("invoice", f"Facture {invoice.number}", invoice.issue_date, invoices)),
        (_exchange(creditor, debtor, invoice, invoice_pdf, today - timedelta(days=90),
                   today - timedelta(days=88)), "Relance et réponse.eml",
         _data("email", "Relance par e-mail et réponse de l'hôtel", today - timedelta(days=88),
               invoices)),
        (_notice_pdf(creditor, debtor, invoice, sent), "Mise en demeure.pdf",
         _data("mise_en_demeure_copy", "Mise en demeure (copie)", sent, invoices)),
        (_scan("posting", sent), "Preuve de dépôt.jpg",
         _data("posting_proof", "Preuve de dépôt du recommandé 1A 123 456 7890 1", sent,
               invoices)),
        (_scan("ar", today - timedelta(days=27)), "AR signé.jpg",
         _data("ar_signed", "Avis de réception signé", today - timedelta(days=27), invoices)),
    ]


def _durand(creditor: Creditor, debtor: Debtor, invoices: list[Invoice], today: date,
            ) -> list[tuple[bytes, str, dict[str, object]]]:
    first, second = invoices
    ordered = first.issue_date - timedelta(days=40)
    rows_first = [("Menuiseries extérieures aluminium, 18 unités", "6 900,00"),
                  ("Pose et calfeutrement", "1 500,00")]
    rows_second = [("Escalier quart tournant en hêtre", "2 450,00"), ("Pose", "700,00")]
    made = [
        (_quote_pdf(creditor, debtor, "BC-DBTP-2026-118", ordered, rows_first + rows_second,
                    None, order=True), "Bon de commande Les Tilleuls.pdf",
         _data("purchase_order", "Bon de commande du chantier Les Tilleuls", ordered, invoices)),
        (_report_pdf(creditor, debtor, first.issue_date - timedelta(days=2)),
         "PV de réception Les Tilleuls.pdf",
         _data("delivery_note", "Procès-verbal de réception", first.issue_date -
               timedelta(days=2), invoices)),
    ]
    for invoice, rows in ((first, rows_first), (second, rows_second)):
        made.append((_invoice_pdf(creditor, debtor, invoice, rows), f"Facture {invoice.number}.pdf",
                     _data("invoice", f"Facture {invoice.number}", invoice.issue_date, [invoice])))
    return made


# ---------------------------------------------------------------- drawn PDFs


def _pdf(pages: Sequence[Canvas]) -> bytes:
    pdf = pikepdf.new()
    font = fonts.EmbeddedFont(pdf)
    for canvas in pages:
        append_page(pdf, canvas.data(font), font.resources)
    font.finish()
    buffer = io.BytesIO()
    pdf.save(buffer, deterministic_id=True)
    return buffer.getvalue()


def _head(canvas: Canvas, creditor: Creditor, debtor: Debtor, title: str, ref: str,
          day: date) -> None:
    canvas.rect(0, PAGE_H - 14, PAGE_W, 14, gray=0.15)
    canvas.text(56, 780, creditor.legal_name.upper(), 15, bold=True)
    canvas.text(56, 764, f"{creditor.legal_form} — {creditor.street}, {creditor.postal_code} "
                         f"{creditor.city}", 8.5, gray=0.3)
    canvas.text(56, 752, f"SIREN {creditor.siren} — RCS {creditor.rcs_city} — "
                         f"{creditor.contact_email}", 8.5, gray=0.3)
    canvas.text(330, 700, debtor.legal_name, 11, bold=True)
    canvas.text(330, 686, debtor.street, 10)
    canvas.text(330, 672, f"{debtor.postal_code} {debtor.city.upper()}", 10)
    canvas.text(56, 620, title, 17, bold=True)
    canvas.text(56, 602, f"N° {ref} du {date_fr(day)}", 10, gray=0.25)


def _lines(canvas: Canvas, rows: Sequence[Row], top: float, total_ht: str) -> float:
    canvas.rect(56, top - 4, PAGE_W - 112, 18, gray=0.9)
    canvas.text(62, top + 1, "Désignation", 9.5, bold=True)
    canvas.text(PAGE_W - 62, top + 1, "Montant HT", 9.5, bold=True, align="right")
    y = top - 22
    for label, amount in rows:
        canvas.text(62, y, label, 10)
        canvas.text(PAGE_W - 62, y, f"{amount} €", 10, align="right")
        canvas.line(56, y - 6, PAGE_W - 56, y - 6, gray=0.8)
        y -= 22
    canvas.text(PAGE_W - 62, y - 6, f"Total HT : {total_ht}", 11, bold=True, align="right")
    return y - 30


def _signature(canvas: Canvas, x: float, y: float, name: str) -> None:
    points = [(0, 0), (8, 14), (15, -4), (24, 16), (33, -2), (44, 12), (52, 2), (70, 8)]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        canvas.line(x + x0, y + y0, x + x1, y + y1, gray=0.1, width=1.1)
    canvas.text(x, y - 16, name, 9, gray=0.3)


def _quote_pdf(creditor: Creditor, debtor: Debtor, ref: str, day: date, rows: Sequence[Row],
               invoice: Invoice | None, order: bool = False) -> bytes:
    canvas = Canvas()
    _head(canvas, creditor, debtor, "BON DE COMMANDE" if order else "DEVIS", ref, day)
    total = eur(invoice.amount_ht) if invoice else "10 550,00 €"
    y = _lines(canvas, rows, 560, total)
    canvas.text(56, y, "TVA 20 %. Paiement à 45 jours fin de mois. Pénalités de retard : taux "
                       "BCE + 10 points ; indemnité forfaitaire", 8.5, gray=0.3)
    canvas.text(56, y - 11, "de 40 € pour frais de recouvrement (C. com. L441-10).", 8.5,
                gray=0.3)
    canvas.text(330, y - 50, "Bon pour accord, le client :", 10, bold=True)
    canvas.text(330, y - 64, f"le {date_fr(day + timedelta(days=6))}", 10)
    _signature(canvas, 340, y - 105, debtor.representative)
    return _pdf([canvas])


def _invoice_pdf(creditor: Creditor, debtor: Debtor, invoice: Invoice,
                 rows: Sequence[Row]) -> bytes:
    canvas = Canvas()
    _head(canvas, creditor, debtor, "FACTURE", invoice.number, invoice.issue_date)
    y = _lines(canvas, rows, 560, eur(invoice.amount_ht))
    canvas.text(PAGE_W - 62, y + 8, f"TVA 20 % : {eur(invoice.amount_tva)}", 10, align="right")
    canvas.text(PAGE_W - 62, y - 10, f"Total TTC : {eur(invoice.amount_ttc)}", 12, bold=True,
                align="right")
    canvas.text(56, y - 50, f"Échéance : {date_fr(invoice.due_date)}. Règlement par virement : "
                            f"{creditor.iban}.", 9.5)
    canvas.text(56, y - 64, "En cas de retard : pénalités au taux BCE + 10 points et indemnité "
                            "forfaitaire de 40 € (C. com. L441-10, D441-5).", 8.5, gray=0.3)
    return _pdf([canvas])


def _report_pdf(creditor: Creditor, debtor: Debtor, day: date) -> bytes:
    canvas = Canvas()
    _head(canvas, creditor, debtor, "PROCÈS-VERBAL DE RÉCEPTION", f"PV-{day:%Y%m%d}", day)
    text = [f"Le {date_fr(day)}, le maître d'ouvrage, {debtor.legal_name}, représenté par "
            f"{debtor.representative},",
            f"a procédé, en présence de {creditor.representative} pour {creditor.legal_name}, "
            "à la réception des travaux.",
            "", "La réception est prononcée SANS RÉSERVE.", "",
            "Fait en deux exemplaires."]
    for n, line in enumerate(text):
        canvas.text(56, 560 - 16 * n, line, 10.5, bold=line.startswith("La réception"))
    canvas.text(56, 420, "Le maître d'ouvrage", 10, bold=True)
    canvas.text(330, 420, "L'entreprise", 10, bold=True)
    _signature(canvas, 64, 380, debtor.representative)
    _signature(canvas, 338, 380, creditor.representative)
    return _pdf([canvas])


def _notice_pdf(creditor: Creditor, debtor: Debtor, invoice: Invoice, day: date) -> bytes:
    canvas = Canvas()
    _head(canvas, creditor, debtor, "MISE EN DEMEURE", "LRAR 1A 123 456 7890 1", day)
    text = ["Madame, Monsieur,", "",
            f"Malgré nos relances, la facture {invoice.number} du {date_fr(invoice.issue_date)}, "
            f"échue le {date_fr(invoice.due_date)},",
            f"d'un montant de {eur(invoice.amount_ttc)} TTC, reste impayée.", "",
            "Nous vous mettons en demeure de nous régler cette somme, majorée des pénalités de "
            "retard et de",
            "l'indemnité forfaitaire de 40 €, dans un délai de 8 jours à réception de la "
            "présente.", "",
            "À défaut, nous saisirons la juridiction compétente sans autre avis.", "",
            "Veuillez agréer, Madame, Monsieur, nos salutations distinguées."]
    for n, line in enumerate(text):
        canvas.text(56, 560 - 15 * n, line, 10.5)
    _signature(canvas, 340, 340, creditor.representative)
    return _pdf([canvas])


# ---------------------------------------------------------------- scans and e-mails


def _scan(kind: str, day: date) -> bytes:
    """A scanned card: the AR at 300 dpi stored sideways (EXIF 6), the receipt at 200 dpi."""
    dpi = 300 if kind == "ar" else 200
    width, height = (1748, 1240) if kind == "ar" else (1100, 1500)
    image = Image.new("RGB", (width, height), (246, 243, 232))
    draw = ImageDraw.Draw(image)
    big, small = ImageFont.truetype(str(FONT), dpi // 5), ImageFont.truetype(str(FONT), dpi // 9)
    draw.rectangle((20, 20, width - 21, height - 21), outline=(60, 60, 60), width=6)
    if kind == "ar":
        lines = [("AVIS DE RÉCEPTION", big), ("Lettre recommandée n° 1A 123 456 7890 1", small),
                 ("Présentée / distribuée le " + date_fr(day), small),
                 ("Destinataire : Hôtel du Port, 1 quai de la Fosse, 44000 Nantes", small),
                 ("Signature du destinataire :", small)]
    else:
        lines = [("LA POSTE — PREUVE DE DÉPÔT", small), ("Recommandé avec AR", small),
                 ("N° 1A 123 456 7890 1", big), (f"Déposé le {date_fr(day)}", small),
                 ("Bureau : Nantes Commerce", small), ("Montant : 7,86 €", small)]
    y = 80
    for text, font in lines:
        draw.text((80, y), text, fill=(25, 25, 25), font=font)
        y += int(font.size * 1.9)
    if kind == "ar":
        draw.line([(700, y + 40), (760, y - 30), (820, y + 50), (900, y - 20), (1000, y + 30)],
                  fill=(20, 30, 120), width=7)
        image = image.transpose(Image.Transpose.ROTATE_90)  # stored as the scanner laid it
    exif = Image.Exif()
    if kind == "ar":
        exif[0x0112] = 6  # displayed upright by a viewer (and by the claim file)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, dpi=(dpi, dpi), exif=exif.tobytes())
    return buffer.getvalue()


def _exchange(creditor: Creditor, debtor: Debtor, invoice: Invoice, invoice_pdf: bytes,
              asked: date, answered: date) -> bytes:
    """The debtor's answer to the e-mail reminder, quoting it, with the invoice attached."""
    message = EmailMessage()
    message["From"] = f"{debtor.representative} <{debtor.email}>"
    message["To"] = f"{creditor.representative} <{creditor.contact_email}>"
    message["Subject"] = f"RE: Facture {invoice.number} — relance"
    message["Date"] = format_datetime(datetime(answered.year, answered.month, answered.day, 9,
                                               12, tzinfo=PARIS))
    message["Message-ID"] = f"<{answered:%Y%m%d}.relance@{debtor.email.split('@')[-1]}>"
    message.set_content(
        f"Bonjour Madame {creditor.representative.split()[-1]},\n\n"
        f"Nous avons bien reçu votre facture {invoice.number} de {eur(invoice.amount_ttc)}, "
        "que vous trouverez ci-jointe.\nLes travaux nous donnent satisfaction ; le règlement "
        "sera fait d'ici la fin du mois.\n\nCordialement,\n"
        f"{debtor.representative}\n{debtor.legal_name}\n\n"
        f"-----Message d'origine-----\nDe : {creditor.representative} "
        f"<{creditor.contact_email}>\nEnvoyé : {date_fr(asked)}\n"
        f"Objet : Facture {invoice.number} — relance\n\n"
        f"Bonjour,\nSauf erreur de notre part, la facture {invoice.number} échue le "
        f"{date_fr(invoice.due_date)} reste impayée.\nMerci de procéder à son règlement.\n\n"
        f"{creditor.representative}\n{creditor.legal_name}\n")
    message.add_attachment(invoice_pdf, maintype="application", subtype="pdf",
                           filename=f"Facture {invoice.number}.pdf")
    return bytes(message)
