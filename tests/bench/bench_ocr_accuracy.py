"""Benchmark: how right the suggestions read from OCR'd pièces are, and how fast OCR runs.

Over the labelled set in tests/samples/ocr/ (labels.json: generated scans and photos of
quotes, delivery notes, AR forms, invoices, reminders and mises en demeure), each pièce is
read as the app reads it (app/services/evidence_text/reading.py: img2pdf for photos, OCRmyPDF
with Tesseract fra+eng, pdftotext) and the suggestions are scored against the labels:

- kind: share right, overall and per kind; precision per suggested kind;
- date: share right; invoice links: precision (and recall); amounts: precision (and recall).

Targets (issue 19): kind ≥ 90 % right, invoice links ≥ 95 % precision, dates ≥ 90 %.
Then throughput in pages per minute: the app's reading against `ocrmypdf` run alone (same
options, one process) on the same files. Run from the repository root:

    /work/venv/bin/python tests/bench/bench_ocr_accuracy.py [how_many_files]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.evidence import ocr  # noqa: E402
from tests.evidence.ocr_set import SAMPLES, labels, predicted_precision, run_sample, score  # noqa: E402

TARGETS = {"kind": 0.90, "invoices": 0.95, "date": 0.90}


def ocrmypdf_alone(names: list[str]) -> float:
    """Seconds OCRmyPDF alone takes over the files (images given to it directly)."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as workdir:
        for name in names:
            command = ocr.command(SAMPLES / name, Path(workdir) / "out.pdf")  # JPEGs at 150 dpi
            subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    if not ocr.available():
        sys.exit("OCRmyPDF and Tesseract are needed: apt-get install ocrmypdf tesseract-ocr-fra")
    every = labels()
    names = sorted(every)[: int(sys.argv[1])] if len(sys.argv) > 1 else sorted(every)
    outcomes, ours = [], 0.0
    for name in names:
        started = time.perf_counter()
        outcomes.append(run_sample(name, every[name]))
        if outcomes[-1].source == "ocr":
            ours += time.perf_counter() - started
    total, per_kind = score(outcomes)
    print(f"{len(outcomes)} pièces ({sum(o.label['source'] != 'generated' for o in outcomes)} "
          "real)\n")
    print(f"{'kind':<22} {'n':>3} {'kind right':>11} {'date right':>11} {'wrong links':>12}")
    for kind, counts in sorted(per_kind.items()):
        print(f"{kind:<22} {counts['n']:>3} {counts['kind'] / counts['n']:>10.0%} "
              f"{counts['date'] / counts['n']:>10.0%} {counts['invoices_wrong']:>12}")
    print("\nprecision per suggested kind: " + ", ".join(
        f"{k or '(none)'} {v:.0%}" for k, v in predicted_precision(outcomes).items()))
    print(f"\nkind right      {total.kind_accuracy:6.1%}  (target ≥ {TARGETS['kind']:.0%})")
    print(f"date right      {total.date_accuracy:6.1%}  (target ≥ {TARGETS['date']:.0%})")
    print(f"invoice links   precision {total.invoice_precision:6.1%} (target ≥ "
          f"{TARGETS['invoices']:.0%}), recall {total.invoice_recall:6.1%}")
    print(f"amounts         precision {total.amount_precision:6.1%}, recall "
          f"{total.amount_recall:6.1%}")
    for o in outcomes:
        if o.found.kind != o.label["kind"] or str(o.found.date) != o.label["date"]:
            print(f"  miss {o.name}: kind {o.found.kind or '-'} (label {o.label['kind']}), "
                  f"date {o.found.date} (label {o.label['date']})")
    scanned = [o for o in outcomes if o.source == "ocr"]
    alone = ocrmypdf_alone([o.name for o in scanned])
    pages = sum(o.pages for o in scanned)
    print(f"\nthroughput over the {len(scanned)} scans and photos ({pages} pages; text PDFs are "
          f"read without OCR):\napp reading {pages / ours * 60:5.1f} pages/min ({ours:.1f} s), "
          f"ocrmypdf alone {pages / alone * 60:5.1f} pages/min ({alone:.1f} s): "
          f"ratio {alone / ours:.2f}")


if __name__ == "__main__":
    main()
