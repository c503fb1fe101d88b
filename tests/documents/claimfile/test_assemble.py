"""The assembled claim file: pages, bookmarks, stamps, bordereau links, metadata, same bytes."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pikepdf
from pypdf import PdfReader

from app.documents.claimfile import build_claim_file
from tests.pdfs import outline


def test_page_count_is_the_sum_of_the_parts(front, exhibits, info, out: Path):
    result = build_claim_file(front, exhibits, out / "dossier.pdf", info)

    # front 1 + 2 + 1, bordereau 1, exhibits 3 + 2 + 1 + 1
    assert len(PdfReader(out / "dossier.pdf").pages) == 12 == result.total_pages
    assert result.volumes == (out / "dossier.pdf",)
    assert result.bordereau_pages == (5, 5)


def test_exhibits_start_where_the_page_map_says(front, exhibits, info, out: Path):
    result = build_claim_file(front, exhibits, out / "dossier.pdf", info)

    assert [(p.number, p.first_page, p.last_page) for p in result.placements] == [
        (1, 6, 8), (2, 9, 10), (3, 11, 11), (4, 12, 12)]
    assert result.placement(3).page_index == 10


def test_outline_has_each_part_and_each_exhibit(front, exhibits, info, out: Path):
    build_claim_file(front, exhibits, out / "dossier.pdf", info)

    assert outline(PdfReader(out / "dossier.pdf")) == [
        (0, "Page de garde", 1), (0, "Résumé", 2), (0, "Décompte", 4),
        (0, "Bordereau des pièces", 5), (0, "Pièces", 6),
        (1, "Pièce n° 1 — Devis signé du 12 mars 2026", 6),
        (1, "Pièce n° 2 — Bon de livraison", 9),
        (1, "Pièce n° 3 — Photo du chantier livré", 11),
        (1, "Pièce n° 4 — Facture F-2026-014", 12),
    ]


def test_every_exhibit_page_is_stamped_and_every_page_numbered(front, exhibits, info, out,
                                                               make):
    build_claim_file(front, exhibits, out / "dossier.pdf", info)
    pages = make.pages(out / "dossier.pdf")

    for n, text in enumerate(pages, start=1):
        assert text.rstrip().endswith(f"{n} / 12"), text
    expected = {6: "Pièce n° 1 — p. 1/3", 7: "Pièce n° 1 — p. 2/3", 8: "Pièce n° 1 — p. 3/3",
                9: "Pièce n° 2 — p. 1/2", 10: "Pièce n° 2 — p. 2/2", 11: "Pièce n° 3 — p. 1/1",
                12: "Pièce n° 4 — p. 1/1"}
    for n, stamp in expected.items():
        assert stamp in pages[n - 1]
    assert not any("Pièce n°" in text for text in pages[:4])


def test_bordereau_lists_each_exhibit_and_links_to_its_first_page(front, exhibits, info, out,
                                                                 make):
    build_claim_file(front, exhibits, out / "dossier.pdf", info)
    reader = PdfReader(out / "dossier.pdf")
    text = " ".join(make.pages(out / "dossier.pdf")[4].split())

    assert "Bordereau des pièces communiquées" in text
    assert "1 Devis signé du 12 mars 2026 Devis signé 12/03/2026 3 6" in text
    assert "4 Facture F-2026-014 Facture 05/04/2026 1 12" in text
    links = [a.get_object() for a in reader.pages[4]["/Annots"]]
    targets = [reader.get_page_number(link["/Dest"][0].get_object()) + 1 for link in links]
    assert targets == [6, 9, 11, 12]
    tops = [float(link["/Rect"][3]) for link in links]
    assert tops == sorted(tops, reverse=True)  # one per line, top to bottom


def test_the_bordereau_has_the_creditor_s_foot_as_the_front_has(front, exhibits, info, out,
                                                                make):
    # Seen: every front page ends with the creditor's identity, the bordereau did not
    from dataclasses import replace

    foot = ("Menuiserie Lefèvre, SARL, SIREN 732 829 320, RCS Angers — 12 rue des Artisans, "
            "49100 ANGERS")
    build_claim_file(front, exhibits, out / "dossier.pdf", replace(info, footer=foot))
    text = " ".join(make.pages(out / "dossier.pdf")[4].split())
    assert "Bordereau des pièces communiquées" in text and foot in text


def test_bordereau_line_rectangles_cover_their_own_text(front, exhibits, info, out: Path):
    build_claim_file(front, exhibits, out / "dossier.pdf", info)
    reader = PdfReader(out / "dossier.pdf")
    rects = [[float(v) for v in a.get_object()["/Rect"]] for a in reader.pages[4]["/Annots"]]
    numbers: dict[float, str] = {}

    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        if re.fullmatch(r"\d", text.strip()) and tm[4] < 80:
            numbers[tm[5]] = text.strip()

    reader.pages[4].extract_text(visitor_text=visit)
    for (_, y0, _, y1), expected in zip(rects, "1234", strict=True):
        inside = [n for y, n in numbers.items() if y0 < y < y1]
        assert inside == [expected]


def test_metadata_names_the_file_and_its_version(front, exhibits, info, out: Path):
    build_claim_file(front, exhibits, out / "dossier.pdf", info)
    meta = PdfReader(out / "dossier.pdf").metadata

    assert meta.title == "Dossier de créance — Menuiserie Lefèvre c/ Durand BTP — version 2"
    assert meta.author == "Menuiserie Lefèvre"
    assert meta["/CreationDate"] == "D:20261122000000Z"


def test_same_input_gives_the_same_bytes(front, exhibits, info, out: Path):
    build_claim_file(front, exhibits, out / "a.pdf", info)
    build_claim_file(front, exhibits, out / "b.pdf", info)

    assert (out / "a.pdf").read_bytes() == (out / "b.pdf").read_bytes()


def test_pages_without_a_margin_are_shrunk_so_no_text_sits_under_the_stamp(
        front, exhibits, info, out: Path):
    build_claim_file(front, exhibits, out / "dossier.pdf", info)
    reader = PdfReader(out / "dossier.pdf")
    lowest: dict[str, float] = {}

    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        if text.startswith("Edge line"):
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            lowest[text] = min(lowest.get(text, 1e9), y)

    reader.pages[5].extract_text(visitor_text=visit)  # exhibit 1, page 1: text at y = 4 pt
    assert lowest["Edge line 1"] > 20  # the 20 pt strip is free for the stamp
    with pikepdf.open(out / "dossier.pdf") as pdf:
        first = pdf.pages[5].obj.Contents[0].read_bytes()
    assert re.match(rb"q 0\.97\d* 0 0 0\.97\d* ", first)


def test_progress_is_reported_up_to_the_total(front, exhibits, info, out: Path):
    seen: list[tuple[int, int]] = []
    build_claim_file(front, exhibits, out / "dossier.pdf", info,
                     progress=lambda done, total: seen.append((done, total)))

    done = [d for d, _ in seen]
    assert done == sorted(done) and len(set(t for _, t in seen)) == 1
    assert seen[-1][0] == seen[-1][1]
    assert len(seen) > len(exhibits)


def test_file_id_comes_from_the_inputs_and_the_file_stays_valid(front, exhibits, info, out):
    build_claim_file(front, exhibits, out / "a.pdf", info)
    build_claim_file(front, exhibits, out / "b.pdf", replace(info, version=3))

    ids = [PdfReader(out / name).trailer["/ID"] for name in ("a.pdf", "b.pdf")]
    assert ids[0][0] != ids[1][0]
    assert all(bytes(value.original_bytes).hex() != "31415926535897932384626433832795"
               for value in ids[0])
    with pikepdf.open(out / "a.pdf") as pdf:
        assert pdf.check_pdf_syntax() == []
