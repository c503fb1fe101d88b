"""The ZIP export: the PDF, the originals under their numbers, a manifest whose hashes match."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from app.documents.claimfile import ClaimFileError, build_claim_file, build_package


@pytest.fixture
def built(front, exhibits, info, out: Path) -> tuple[Path, ...]:
    return build_claim_file(front, exhibits, out / "Dossier-Durand-BTP.pdf", info).volumes


def test_zip_holds_the_pdf_and_each_original_under_its_number(built, exhibits, info, out):
    result = build_package(built, exhibits, out / "dossier.zip", info)

    with zipfile.ZipFile(result.path) as archive:
        assert archive.namelist() == [
            "Dossier-Durand-BTP.pdf",
            "pieces/Piece-01-devis-signe-du-12-mars-2026.pdf",
            "pieces/Piece-02-bon-de-livraison.pdf",
            "pieces/Piece-03-photo-du-chantier-livre.jpg",
            "pieces/Piece-04-facture-f-2026-014.pdf",
            "manifest.json", "manifest.csv",
        ]
        assert archive.read("pieces/Piece-03-photo-du-chantier-livre.jpg") == \
            exhibits[2].path.read_bytes()
        assert archive.read("Dossier-Durand-BTP.pdf") == built[0].read_bytes()


def test_manifest_hashes_match_the_stored_files(built, exhibits, info, out):
    result = build_package(built, exhibits, out / "dossier.zip", info)

    with zipfile.ZipFile(result.path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig")),
                                   delimiter=";"))
    assert manifest["version"] == 2 and manifest["date"] == "2026-11-22"
    for entry, row, exhibit in zip(manifest["exhibits"], rows, exhibits, strict=True):
        digest = hashlib.sha256(exhibit.path.read_bytes()).hexdigest()
        assert entry["sha256"] == row["sha256"] == digest
        assert entry["size"] == int(row["size"]) == exhibit.path.stat().st_size
        assert (entry["number"], entry["title"], entry["original_name"], entry["media_type"]) == (
            exhibit.number, exhibit.title, exhibit.original_name, exhibit.media_type)
        assert row["date"] == exhibit.date.isoformat()
    assert manifest["exhibits"][0]["kind_label"] == "Devis signé"
    assert manifest["documents"][0]["sha256"] == hashlib.sha256(built[0].read_bytes()).hexdigest()


def test_same_input_gives_the_same_zip(built, exhibits, info, out):
    first = build_package(built, exhibits, out / "a.zip", info)
    second = build_package(built, exhibits, out / "b.zip", info)

    assert first.path.read_bytes() == second.path.read_bytes()
    assert first.sha256 == hashlib.sha256(first.path.read_bytes()).hexdigest()
    with zipfile.ZipFile(first.path) as archive:
        assert {entry.date_time for entry in archive.infolist()} == {(2026, 11, 22, 0, 0, 0)}


def test_altered_stored_file_is_refused_by_name(built, exhibits, info, out):
    exhibits[1] = replace(exhibits[1], sha256="0" * 64)

    with pytest.raises(ClaimFileError, match="Pièce n° 2 « Bon de livraison » : .*altéré"):
        build_package(built, exhibits, out / "dossier.zip", info)
    assert not (out / "dossier.zip").exists()
    assert not [p for p in out.iterdir() if p.suffix == ".part"]
