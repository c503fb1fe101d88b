"""Generate the labelled OCR test set: scans and photos of French business papers.

Run from the repository root: `python tests/samples/ocr/generate.py` (rewrites the files and
labels.json; seeded, so the same files come out). Each pièce is written as text with Pillow,
then degraded like a scan (grey, noise, skew, JPEG artefacts; some turned a quarter or half
turn, some wrapped in a PDF as a scanner does) or like a phone photo (colour cast, uneven
light, slant, blur). The labels are what the text was generated from: kind, document date,
invoices it concerns (among the debtor's invoice numbers, distractors included) and amounts.
"""

from __future__ import annotations

import io
import json
import random
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import img2pdf
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
FONTS = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
         "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
         "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
         "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
         "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]
CREDITORS = ["Menuiserie Lefèvre SARL", "Plâtrerie Roux", "Électricité Martin & Fils",
             "Transports Giraud", "Imprimerie du Centre"]
DEBTORS = ["Durand BTP SAS", "SCI Les Tilleuls", "Boulangerie Moreau", "Garage Petit",
           "Hôtel de la Gare"]
CITIES = ["Lyon", "Nantes", "Tours", "Rennes", "Dijon", "Angers"]
ITEMS = ["Fenêtre PVC 120x100", "Porte d'entrée chêne", "Pose et réglage", "Plinthes sapin",
         "Câble 3G2,5 (100 m)", "Tableau électrique", "Main-d'œuvre (heures)", "Déplacement"]


def euros(value: Decimal) -> str:
    whole, cents = f"{value:.2f}".split(".")
    groups = f"{int(whole):,}".replace(",", " ")
    return f"{groups},{cents} €"


def written(day: date, rng: random.Random) -> str:
    style = rng.choice(["slash", "slash", "words", "iso"])
    if style == "words":
        return f"{day.day if day.day > 1 else '1er'} {MONTHS[day.month - 1]} {day.year}"
    if style == "iso":
        return day.isoformat()
    return day.strftime("%d/%m/%Y")


def invoice_number(rng: random.Random) -> str:
    year = 2026
    n = rng.randint(12, 480)
    return rng.choice([f"F-{year}-{n}", f"FA{year}-{n:04d}", f"{year}/{n:03d}",
                       f"FAC-{n:05d}", f"F{year}{n:04d}"])


def distractors(number: str, rng: random.Random) -> list[str]:
    """Other invoices of the debtor, some alike (a digit more, a digit less)."""
    others = [invoice_number(rng) for _ in range(3)]
    return others + [number + "1", number[:-1]]


def lines_table(rng: random.Random) -> tuple[list[str], Decimal, list[str]]:
    lines, total, prices = [], Decimal(0), []
    for item in rng.sample(ITEMS, rng.randint(2, 3)):
        quantity = rng.randint(1, 6)
        price = Decimal(rng.randint(4000, 90000)) / 100
        total += quantity * price
        prices.append(f"{price:.2f}")
        lines.append(f"{item:<26} {quantity:>2} x {euros(price)}")
    return lines, total, prices


def head(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(CREDITORS), rng.choice(DEBTORS), rng.choice(CITIES)


def quote(rng: random.Random, day: date) -> tuple[list[str], dict[str, object]]:
    creditor, debtor, city = head(rng)
    issued = day - timedelta(days=rng.randint(3, 20))
    rows, ht, prices = lines_table(rng)
    tva = (ht * Decimal("0.20")).quantize(Decimal("0.01"))
    text = [creditor, f"{rng.randint(2, 90)} rue de la République, {city}", "",
            f"DEVIS N° D-2026-{rng.randint(10, 99)}", f"Date d'émission : {written(issued, rng)}",
            f"Client : {debtor}", "", *rows, "", f"Total HT : {euros(ht)}",
            f"TVA 20 % : {euros(tva)}", f"Total TTC : {euros(ht + tva)}",
            f"Validité de l'offre : {written(issued + timedelta(days=60), rng)}", "",
            "Bon pour accord, le " + written(day, rng), "Signature du client :", "   J. Durand"]
    return text, {"kind": "signed_quote", "invoices": [],
                  "amounts": [*prices, f"{ht:.2f}", f"{tva:.2f}", f"{ht + tva:.2f}"], "candidates": []}


def delivery(rng: random.Random, day: date) -> tuple[list[str], dict[str, object]]:
    creditor, debtor, city = head(rng)
    number = invoice_number(rng)
    text = [creditor, "", f"BON DE LIVRAISON N° BL-2026-{rng.randint(10, 99)}",
            f"Livré le {written(day, rng)} à {debtor}, {city}", f"Facture {number}", "",
            *[f"{item:<30} qté {rng.randint(1, 9)}" for item in rng.sample(ITEMS, 3)], "",
            "Marchandise reçue en bon état.", "Signature du réceptionnaire :"]
    return text, {"kind": "delivery_note", "invoices": [number], "amounts": [],
                  "candidates": [number, *distractors(number, rng)]}


def ar_form(rng: random.Random, day: date) -> tuple[list[str], dict[str, object]]:
    _, debtor, city = head(rng)
    text = ["LA POSTE", "AVIS DE RÉCEPTION", f"Recommandé n° 1A {rng.randint(10**9, 10**10 - 1)}",
            "", f"Destinataire : {debtor}", f"{rng.randint(1, 60)} avenue Jean Jaurès, {city}", "",
            f"Présenté / avisé le : {day.strftime('%d/%m/%Y')}",
            f"Distribué le : {(day + timedelta(days=rng.randint(0, 2))).strftime('%d/%m/%Y')}",
            "Signature du destinataire :", "    M. Petit"]
    return text, {"kind": "ar_signed", "invoices": [], "amounts": [], "candidates": []}


def invoice(rng: random.Random, day: date) -> tuple[list[str], dict[str, object]]:
    creditor, debtor, city = head(rng)
    number = invoice_number(rng)
    rows, ht, prices = lines_table(rng)
    tva = (ht * Decimal("0.20")).quantize(Decimal("0.01"))
    text = [creditor, f"SIRET 812 345 678 000{rng.randint(10, 99)}", "", f"FACTURE N° {number}",
            f"Date de facture : {written(day, rng)}", f"Client : {debtor}, {city}", "", *rows, "",
            f"Total HT : {euros(ht)}", f"TVA 20 % : {euros(tva)}", f"Total TTC : {euros(ht + tva)}",
            f"Échéance : {(day + timedelta(days=30)).strftime('%d/%m/%Y')}",
            "Pénalités de retard : 3 fois le taux d'intérêt légal."]
    return text, {"kind": "invoice", "invoices": [number],
                  "amounts": [*prices, f"{ht:.2f}", f"{tva:.2f}", f"{ht + tva:.2f}"],
                  "candidates": [number, *distractors(number, rng)]}


def letter(rng: random.Random, day: date, formal: bool) -> tuple[list[str], dict[str, object]]:
    creditor, debtor, city = head(rng)
    numbers = [invoice_number(rng) for _ in range(rng.randint(1, 2))]
    amount = Decimal(rng.randint(50000, 900000)) / 100
    billed = day - timedelta(days=rng.randint(40, 90))
    opening = f"{city}, le {written(day, rng)}"
    refs = " et ".join(f"n° {n}" for n in numbers)
    if formal:
        body = [opening, "Lettre recommandée avec demande d'avis de réception", "",
                "Objet : Mise en demeure de payer", "", "Madame, Monsieur,",
                f"Malgré nos relances, la facture {refs} du {billed.strftime('%d/%m/%Y')}",
                f"reste impayée pour un montant de {euros(amount)}.",
                "Nous vous mettons en demeure de régler cette somme sous huit jours."]
    else:
        body = [opening, "", "Objet : Relance — facture impayée", "", "Madame, Monsieur,",
                f"Sauf erreur de notre part, la facture {refs} du {billed.strftime('%d/%m/%Y')}",
                f"d'un montant de {euros(amount)} n'a pas été réglée.",
                f"Merci de procéder au paiement avant le {(day + timedelta(days=15)).strftime('%d/%m/%Y')}."]
    text = [creditor, "", f"{debtor}", f"{city}", "", *body, "", "Le service comptabilité"]
    kind = "mise_en_demeure_copy" if formal else "reminder_copy"
    candidates = numbers + distractors(numbers[0], rng)
    return text, {"kind": kind, "invoices": sorted(numbers), "amounts": [f"{amount:.2f}"],
                  "candidates": candidates}


def render(text: list[str], rng: random.Random) -> Image.Image:
    size = rng.choice([24, 26, 28])
    font = ImageFont.truetype(rng.choice(FONTS), size)
    width = 120 + int(max(font.getlength(line) for line in text))
    height = 120 + int(size * 1.45) * len(text)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    y = 60
    for line in text:
        draw.text((60, y), line, font=font, fill=rng.randint(0, 50))
        y += int(size * 1.45)
    return page


def as_scan(page: Image.Image, rng: random.Random) -> Image.Image:
    page = page.rotate(rng.uniform(-2.5, 2.5), resample=Image.Resampling.BICUBIC, expand=True,
                       fillcolor=255)
    noise = Image.effect_noise(page.size, rng.uniform(12, 28))
    page = Image.blend(page, noise, 0.12).filter(ImageFilter.GaussianBlur(rng.uniform(0.2, 0.6)))
    turn = rng.choice([0, 0, 0, 0, 90, 180, 270])
    return page.rotate(turn, expand=True) if turn else page


def as_photo(page: Image.Image, rng: random.Random) -> Image.Image:
    w, h = page.size
    tint = tuple(rng.randint(200, 245) for _ in range(3))
    colour = Image.merge("RGB", [page.point(lambda v, t=t: v * t // 255) for t in tint])
    light = Image.linear_gradient("L").resize((w, h)).point(lambda v: 255 - v // 5)
    colour = Image.composite(colour, Image.new("RGB", (w, h), (90, 85, 80)), light)
    slant = rng.uniform(-0.06, 0.06)
    colour = colour.transform((w, h), Image.Transform.AFFINE, (1, slant, -slant * h / 2, 0, 1, 0),
                              resample=Image.Resampling.BICUBIC, fillcolor=(70, 65, 60))
    colour = colour.rotate(rng.uniform(-4, 4), resample=Image.Resampling.BICUBIC, expand=True,
                           fillcolor=(70, 65, 60))
    return colour.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 0.9)))


MAKERS = [("quote", quote), ("delivery", delivery), ("ar", ar_form), ("invoice", invoice),
          ("reminder", lambda r, d: letter(r, d, False)), ("med", lambda r, d: letter(r, d, True))]
PER_KIND = 8  # 6 kinds x 8 = 48 pièces


def the_issue_sample() -> tuple[list[str], dict[str, object]]:
    """The issue's own example: a delivery note naming invoice F-2026-140."""
    text = ["Menuiserie Lefèvre SARL", "", "BON DE LIVRAISON N° BL-2026-77",
            "Livré le 12/03/2026 à Durand BTP SAS, Lyon", "Facture F-2026-140", "",
            "Fenêtre PVC 120x100            qté 4", "Pose et réglage                qté 1", "",
            "Marchandise reçue en bon état.", "Signature du réceptionnaire :"]
    return text, {"kind": "delivery_note", "date": "2026-03-12", "invoices": ["F-2026-140"],
                  "amounts": [], "candidates": ["F-2026-140", "F-2026-14", "F-2026-1400"]}


def save(image: Image.Image, name: str, as_pdf: bool, quality: int) -> str:
    jpeg = HERE / f"{name}.jpg"
    image.save(jpeg, "JPEG", quality=quality, dpi=(150, 150))
    if not as_pdf:
        return jpeg.name
    pdf = HERE / f"{name}.pdf"
    pdf.write_bytes(img2pdf.convert(jpeg.read_bytes(), nodate=True,  # same bytes each run
                                 engine=img2pdf.Engine.internal))
    jpeg.unlink()
    return pdf.name


def scan_real_papers() -> None:
    """The real invoices of real/ (kept as they are: a text layer) also printed and scanned
    again, first page only: OCR on real layouts. Their labels are in real/labels.json."""
    for pdf in sorted((HERE / "real").glob("*.pdf")):
        png = subprocess.run(["pdftoppm", "-png", "-gray", "-r", "150", "-f", "1", "-l", "1",
                              str(pdf)], capture_output=True, check=True).stdout
        with Image.open(io.BytesIO(png)) as page:
            scan = as_scan(page.convert("L"), random.Random(pdf.name))
        scan.save(HERE / "real" / f"{pdf.stem}-scan.jpg", "JPEG", quality=50, dpi=(150, 150))


def main() -> None:
    rng = random.Random(19)
    for old in HERE.glob("*.jp*g"):
        old.unlink()
    for old in HERE.glob("*.pdf"):
        old.unlink()
    labels: dict[str, dict[str, object]] = {}
    for prefix, maker in MAKERS:
        for k in range(PER_KIND):
            day = date(2026, 1, 5) + timedelta(days=rng.randint(0, 300))
            text, label = maker(rng, day)
            photo = k % 3 == 2
            page = render(text, rng)
            image = as_photo(page, rng) if photo else as_scan(page, rng)
            name = save(image, f"{prefix}-{k + 1:02d}-{'photo' if photo else 'scan'}",
                        as_pdf=not photo and k % 2 == 1, quality=rng.randint(35, 60))
            labels[name] = {**label, "date": day.isoformat(), "source": "generated"}
    text, label = the_issue_sample()
    name = save(as_scan(render(text, random.Random(77)), random.Random(77)), "issue-bl-2026-77",
                as_pdf=False, quality=50)
    labels[name] = {**label, "source": "generated"}
    scan_real_papers()
    (HERE / "labels.json").write_text(json.dumps(labels, indent=1, ensure_ascii=False) + "\n",
                                      encoding="utf-8")


if __name__ == "__main__":
    main()
