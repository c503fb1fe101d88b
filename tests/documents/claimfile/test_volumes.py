"""Volumes of at most N MB: continuous page numbers and bookmarks, a volume map in the bordereau."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from pypdf import PdfReader

from app.documents.claimfile import BuildOptions, ClaimFileError, Exhibit, build_claim_file

LIMIT = 400_000


def _noisy_scan(path: Path, pages: int) -> Path:
    """About 90 KB a page of incompressible scan."""
    pdf = pikepdf.new()
    for n in range(pages):
        buffer = io.BytesIO()
        Image.effect_noise((420, 594), 60 + n).convert("L").save(buffer, "JPEG", quality=90)
        image = pikepdf.Stream(pdf, buffer.getvalue(), Type=pikepdf.Name.XObject,
                               Subtype=pikepdf.Name.Image, Width=420, Height=594,
                               ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=8,
                               Filter=pikepdf.Name.DCTDecode)
        page = pdf.add_blank_page(page_size=(595.276, 841.89))
        page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
        page.obj.Contents = pdf.make_stream(b"q 595.276 0 0 841.89 0 0 cm /Im0 Do Q")
    pdf.save(path, deterministic_id=True)
    return path


@pytest.fixture
def heavy(samples: Path) -> list[Exhibit]:
    return [Exhibit(n, f"Scan {n}", "other", date(2026, 1, n), _noisy_scan(
        samples / f"scan{n}.pdf", 2), "application/pdf") for n in range(1, 9)]


def _numbers(path: Path) -> list[str]:
    return [(page.extract_text() or "").split()[-3:] for page in PdfReader(path).pages]


def test_volumes_stay_under_the_limit_and_number_pages_continuously(front, heavy, info, out):
    result = build_claim_file(front, heavy, out / "dossier.pdf", info,
                              BuildOptions(max_volume_bytes=LIMIT))

    count = len(result.volumes)
    assert count >= 3
    assert [p.name for p in result.volumes] == [f"dossier-tome-{k}.pdf"
                                                for k in range(1, count + 1)]
    assert all(p.stat().st_size <= LIMIT for p in result.volumes)
    assert not (out / "dossier.pdf").exists()
    numbers = [n for path in result.volumes for n in _numbers(path)]
    total = result.total_pages
    assert numbers == [[str(k), "/", str(total)] for k in range(1, total + 1)]
    # 4 front + 1 bordereau + 16 exhibit pages + one cover per volume
    assert total == 21 + count


def test_each_volume_opens_on_its_cover_and_bookmarks_its_exhibits(front, heavy, info, out):
    result = build_claim_file(front, heavy, out / "dossier.pdf", info,
                              BuildOptions(max_volume_bytes=LIMIT))
    count = len(result.volumes)

    for k, path in enumerate(result.volumes, start=1):
        reader = PdfReader(path)
        held = [p for p in result.placements if p.volume == k]
        assert f"Tome {k}/{count}" in reader.pages[0].extract_text()
        outline = reader.outline
        assert outline[0].title == f"Tome {k}/{count}"
        assert [item.title for item in outline[-1]] == [f"Pièce n° {p.number} — Scan {p.number}"
                                                        for p in held]
        assert reader.metadata.title.endswith(f"— version 2 — tome {k}/{count}")
        first_page = held[0].first_page - held[0].page_index
        assert reader.page_labels[0] == str(first_page)  # the viewer shows bundle numbers
        for p in held:
            assert f"Pièce n° {p.number} — p. 1/2" in reader.pages[p.page_index].extract_text()


def test_bordereau_in_volume_1_says_which_volume_holds_each_exhibit(front, heavy, info, out):
    result = build_claim_file(front, heavy, out / "dossier.pdf", info,
                              BuildOptions(max_volume_bytes=LIMIT))
    reader = PdfReader(result.volumes[0])
    bordereau = reader.pages[result.bordereau_pages[0] - 1]
    text = " ".join((bordereau.extract_text() or "").split())

    assert "Tome" in text
    for p in result.placements:
        assert f"Scan {p.number} Autre 0{p.number}/01/2026 2 {p.volume} {p.first_page}" in text
    linked = [reader.get_page_number(a.get_object()["/Dest"][0].get_object())
              for a in bordereau.get("/Annots", [])]
    in_volume_1 = [p.page_index for p in result.placements if p.volume == 1]
    assert linked == in_volume_1


def test_exhibit_larger_than_a_volume_is_refused_by_name(front, heavy, info, out):
    with pytest.raises(ClaimFileError) as caught:
        build_claim_file(front, heavy, out / "dossier.pdf", info,
                         BuildOptions(max_volume_bytes=150_000))

    assert caught.value.number == 1
    assert "plus que la taille maximale d'un tome" in caught.value.message
    assert list(out.iterdir()) == []
