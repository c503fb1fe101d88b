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

import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.evidence import ocr  # noqa: E402
from tests.evidence.ocr_set import SAMPLES, labels, predicted_precision, run_sample, score  # noqa: E402

TARGETS = {"kind": 0.90, "invoices": 0.95, "date": 0.90}
T = TypeVar("T")


class Clock:
    """Wall time, and CPU time of this process and its children (OCRmyPDF, Tesseract): the
    CPU time barely moves when other work shares the machine, the wall time does. (A plain
    class: tests/test_bench_scripts.py loads this file outside sys.modules.)"""

    def __init__(self) -> None:
        self.wall = 0.0
        self.cpu = 0.0

    def timed(self, work: Callable[[], T]) -> T:
        wall, cpu = time.perf_counter(), _cpu()
        result = work()
        self.wall += time.perf_counter() - wall
        self.cpu += _cpu() - cpu
        return result


def _cpu() -> float:
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                          resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def ocrmypdf_alone(name: str) -> None:
    """OCRmyPDF alone on the file (a JPEG given to it directly), same options."""
    with tempfile.TemporaryDirectory() as workdir:
        subprocess.run(ocr.command(SAMPLES / name, Path(workdir) / "out.pdf"), check=True,
                       capture_output=True)


def main() -> None:
    if not ocr.available():
        sys.exit("OCRmyPDF and Tesseract are needed: apt-get install ocrmypdf tesseract-ocr-fra")
    every = labels()
    names = sorted(every)[: int(sys.argv[1])] if len(sys.argv) > 1 else sorted(every)
    outcomes, ours, alone = [], Clock(), Clock()
    for name in names:  # each file read both ways in turn: both see the same machine load
        clock = Clock()
        outcome = clock.timed(lambda name=name: run_sample(name, every[name]))
        outcomes.append(outcome)
        if outcome.source == "ocr":  # text PDFs are read without OCR: nothing to compare
            ours.wall, ours.cpu = ours.wall + clock.wall, ours.cpu + clock.cpu
            alone.timed(lambda name=name: ocrmypdf_alone(name))
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
    pages = sum(o.pages for o in scanned)
    print(f"\nthroughput over all {len(outcomes)} files, of which {len(scanned)} scans and photos "
          f"OCR'd ({pages} pages; text PDFs are read without OCR), ocrmypdf alone on those:")
    for label, clock in (("app reading", ours), ("ocrmypdf alone", alone)):
        print(f"{label:<15} {pages / clock.wall * 60:6.1f} pages/min wall ({clock.wall:6.1f} s), "
              f"{pages / clock.cpu * 60:6.1f} pages per CPU-minute ({clock.cpu:6.1f} s)")
    print(f"ratio (app / ocrmypdf alone, throughput): wall {alone.wall / ours.wall:.2f}, "
          f"CPU {alone.cpu / ours.cpu:.2f}")


if __name__ == "__main__":
    main()
