"""The labelled OCR test set (tests/samples/ocr/, labels.json): read a sample the way the app
does (app.services.evidence_text.reading: OCR of scans and photos), suggest from its text, and
score the suggestions against the labels. Shared by the benchmark and the suite's test."""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from app.evidence.suggest import Suggestions, suggest
from app.services.evidence_text.reading import read

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "ocr"
MEDIA = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
         ".pdf": "application/pdf", ".eml": "message/rfc822"}


def labels() -> dict[str, dict[str, Any]]:
    """Generated pièces (labels.json, written by generate.py) and real ones (real/labels.json,
    written by hand)."""
    generated = json.loads((SAMPLES / "labels.json").read_text(encoding="utf-8"))
    real = json.loads((SAMPLES / "real" / "labels.json").read_text(encoding="utf-8"))
    return {**generated, **real}


@dataclass(frozen=True)
class Outcome:
    name: str
    label: dict[str, Any]
    found: Suggestions
    text: str
    source: str  # ocr, or pdf for a text layer read directly
    pages: int


def pages_of(path: Path) -> int:
    return len(PdfReader(path).pages) if path.suffix.lower() == ".pdf" else 1


def run_sample(name: str, label: dict[str, Any]) -> Outcome:
    path = SAMPLES / name
    with tempfile.TemporaryDirectory() as workdir:
        reading = read(path, MEDIA[path.suffix.lower()], pages_of(path), {}, Path(workdir),
                       ocr_on=True)
    return Outcome(name, label, suggest(reading.text, label.get("candidates", [])), reading.text,
                   reading.source, reading.pages)


@dataclass
class Score:
    kinds_right: int = 0
    dates_right: int = 0
    total: int = 0
    invoices_suggested: int = 0
    invoices_right: int = 0
    invoices_expected: int = 0
    amounts_suggested: int = 0
    amounts_right: int = 0
    amounts_expected: int = 0

    def ratio(self, part: int, whole: int) -> float:
        return part / whole if whole else 1.0

    @property
    def kind_accuracy(self) -> float:
        return self.ratio(self.kinds_right, self.total)

    @property
    def date_accuracy(self) -> float:
        return self.ratio(self.dates_right, self.total)

    @property
    def invoice_precision(self) -> float:
        return self.ratio(self.invoices_right, self.invoices_suggested)

    @property
    def invoice_recall(self) -> float:
        return self.ratio(self.invoices_right, self.invoices_expected)

    @property
    def amount_precision(self) -> float:
        return self.ratio(self.amounts_right, self.amounts_suggested)

    @property
    def amount_recall(self) -> float:
        return self.ratio(self.amounts_right, self.amounts_expected)


def score(outcomes: list[Outcome]) -> tuple[Score, dict[str, Counter[str]]]:
    """The overall score, and per true kind: how many, right kind, right date."""
    total = Score()
    per_kind: dict[str, Counter[str]] = {}
    for o in outcomes:
        counts = per_kind.setdefault(o.label["kind"], Counter())
        counts["n"] += 1
        total.total += 1
        if o.found.kind == o.label["kind"]:
            total.kinds_right += 1
            counts["kind"] += 1
        if o.found.date == date.fromisoformat(o.label["date"]):
            total.dates_right += 1
            counts["date"] += 1
        expected, suggested = set(o.label["invoices"]), set(o.found.invoices)
        total.invoices_suggested += len(suggested)
        total.invoices_expected += len(expected)
        total.invoices_right += len(suggested & expected)
        counts["invoices_wrong"] += len(suggested - expected)
        amounts, found = set(o.label["amounts"]), set(o.found.amounts)
        total.amounts_suggested += len(found)
        total.amounts_expected += len(amounts)
        total.amounts_right += len(found & amounts)
    return total, per_kind


def predicted_precision(outcomes: list[Outcome]) -> dict[str, float]:
    """Per suggested kind: the share of the pièces given that kind that truly are of it."""
    given: Counter[str] = Counter(o.found.kind for o in outcomes)
    right: Counter[str] = Counter(o.found.kind for o in outcomes if o.found.kind == o.label["kind"])
    return {kind: right[kind] / n for kind, n in sorted(given.items())}
