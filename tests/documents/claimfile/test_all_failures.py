"""A build that meets bad exhibits reports every one of them in one pass, each with its number,
its name and a French reason; an unexpected error names its exhibit too."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from app.documents.claimfile import ClaimFileError, assemble, build_claim_file
from app.documents.claimfile.stamp import Stamper


def test_every_failing_exhibit_is_reported_at_once(front, exhibits, info, out: Path,
                                                   samples: Path):
    broken = samples / "casse.pdf"
    broken.write_bytes(b"%PDF-1.7\n garbage, no xref, no page\n")
    exhibits[0] = replace(exhibits[0], path=samples / "absent.pdf")
    exhibits[1] = replace(exhibits[1], path=broken)
    exhibits[3] = replace(exhibits[3], media_type="application/vnd.ms-excel",
                          original_name="tableau.xlsx")

    with pytest.raises(ClaimFileError) as caught:
        build_claim_file(front, exhibits, out / "dossier.pdf", info)

    lines = caught.value.message.splitlines()
    assert lines[0].startswith("3 pièces ne peuvent pas être mises dans le dossier")
    assert lines[1] == "Pièce n° 1 « Devis signé du 12 mars 2026 » : le fichier est introuvable."
    assert lines[2] == "Pièce n° 2 « Bon de livraison » : le PDF est illisible ou endommagé."
    assert lines[3].startswith("Pièce n° 4 « Facture F-2026-014 » : format non pris en charge")
    assert list(out.iterdir()) == []


def test_unexpected_error_names_its_exhibit_and_others_are_still_checked(
        front, exhibits, info, out: Path, monkeypatch: pytest.MonkeyPatch):
    real = assemble.prepare_exhibit

    def flaky(exhibit, workdir, **kwargs):  # type: ignore[no-untyped-def]
        if exhibit.number in (2, 3):
            raise ZeroDivisionError("float division by zero")
        return real(exhibit, workdir, **kwargs)

    monkeypatch.setattr(assemble, "prepare_exhibit", flaky)
    with pytest.raises(ClaimFileError) as caught:
        build_claim_file(front, exhibits, out / "dossier.pdf", info)

    lines = caught.value.message.splitlines()
    assert lines[1].startswith("Pièce n° 2 « Bon de livraison » : erreur inattendue")
    assert lines[2].startswith("Pièce n° 3 « Photo du chantier livré » : erreur inattendue")


def test_a_page_that_cannot_be_stamped_names_its_exhibit(
        front, exhibits, info, out: Path, monkeypatch: pytest.MonkeyPatch):
    real = Stamper.stamp

    def stamp(self, page, left, right, *, shrink):  # type: ignore[no-untyped-def]
        if left.startswith("Pièce n° 2 "):
            raise ZeroDivisionError("float division by zero")
        return real(self, page, left, right, shrink=shrink)

    monkeypatch.setattr(Stamper, "stamp", stamp)
    with pytest.raises(ClaimFileError) as caught:
        build_claim_file(front, exhibits, out / "dossier.pdf", info)

    assert caught.value.number == 2
    assert caught.value.message.startswith("Pièce n° 2 « Bon de livraison » : erreur inattendue")
    assert list(out.iterdir()) == []
