"""A missing or unusable file stops the build, names the culprit and leaves nothing behind."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from app.documents.claimfile import ClaimFileError, FrontPart, build_claim_file


def test_missing_exhibit_is_named_and_nothing_is_written(front, exhibits, info, out: Path):
    exhibits[2] = replace(exhibits[2], path=exhibits[2].path.with_name("gone.jpg"))

    with pytest.raises(ClaimFileError) as caught:
        build_claim_file(front, exhibits, out / "dossier.pdf", info)

    assert caught.value.number == 3
    assert caught.value.message == ("Pièce n° 3 « Photo du chantier livré » : "
                                    "le fichier est introuvable.")
    assert list(out.iterdir()) == []


def test_previous_file_stays_intact_when_a_new_build_fails(front, exhibits, info, out: Path):
    build_claim_file(front, exhibits, out / "dossier.pdf", info)
    before = (out / "dossier.pdf").read_bytes()
    exhibits[0] = replace(exhibits[0], path=out / "nowhere.pdf")

    with pytest.raises(ClaimFileError):
        build_claim_file(front, exhibits, out / "dossier.pdf", info)

    assert (out / "dossier.pdf").read_bytes() == before
    assert [p.name for p in out.iterdir()] == ["dossier.pdf"]


def test_missing_front_part_is_named(front, exhibits, info, out: Path, samples: Path):
    front[1] = FrontPart("Résumé", samples / "absent.pdf")

    with pytest.raises(ClaimFileError, match="« Résumé » : le fichier est introuvable"):
        build_claim_file(front, exhibits, out / "dossier.pdf", info)
    assert list(out.iterdir()) == []


def test_unsupported_format_is_named(exhibits, info, out: Path, samples: Path):
    sheet = samples / "tableau.xlsx"
    sheet.write_bytes(b"PK\x03\x04")
    exhibits[1] = replace(exhibits[1], path=sheet, media_type="application/vnd.ms-excel",
                          original_name="tableau.xlsx")

    with pytest.raises(ClaimFileError, match="Pièce n° 2 .* format non pris en charge"):
        build_claim_file([], exhibits, out / "dossier.pdf", info)
