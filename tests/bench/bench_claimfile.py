"""Benchmark: the 200-exhibit / ~2,000-page claim file against `qpdf --empty --pages`.

    /work/venv/bin/python tests/bench/bench_claimfile.py [--runs 3] [--keep DIR]

Builds a synthetic corpus (text exhibits: one WeasyPrint 10-page PDF cloned with a different
heading each; scanned exhibits: pages made of generated greyscale JPEGs; a few photos), then
times, in alternating runs:
- qpdf concatenating the same exhibit files, no stamps (photos as their img2pdf PDF), as
  specified, and again with --remove-unreferenced-resources=no (a plain copy: the floor);
- `build_claim_file` in a fresh subprocess that imports the app first (like the worker),
  stamps, bookmarks, draws the bordereau and links it; the child reports its wall time and its
  own peak RSS (ru_maxrss).
Prints the absolute figures and the two ratios against the targets of DESIGN.md:
wall time ≤ 1.3× qpdf, peak RSS ≤ 2× the output's size.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TEXT_EXHIBITS, SCAN_EXHIBITS, PHOTO_EXHIBITS = 130, 60, 10
SCAN_PAGES = 11
SCAN_PIXELS = (1654, 2339)  # A4 at 200 dpi
MB = 1024 * 1024
# qpdf's --pages parses every page's content when pages share resources, to drop unused ones
NO_RESOURCE_CHECK = "--remove-unreferenced-resources=no"


def _text_base(folder: Path) -> Path:
    """A 10-page letter-like PDF with embedded fonts, rendered once with WeasyPrint."""
    from weasyprint import HTML

    paragraph = ("Conformément à nos conditions générales de vente, les pénalités de retard "
                 "sont exigibles de plein droit au taux indiqué sur la facture. ") * 6
    sections = "".join(f"<h2>Article {n}</h2><p>{paragraph}</p><p>{paragraph}</p>"
                       for n in range(1, 31))
    html = ("<html><head><style>@page { size: A4; margin: 2cm } body { font: 10pt sans-serif }"
            "h2 { font-size: 12pt }</style></head><body><h1>Contrat</h1>" + sections +
            "</body></html>")
    path = folder / "base-text.pdf"
    HTML(string=html).write_pdf(path)
    return path


def _clone(base: Path, target: Path, label: str, pages: int = 10) -> None:
    import pikepdf

    with pikepdf.open(base) as pdf:
        del pdf.pages[pages:]
        font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                  BaseFont=pikepdf.Name.Helvetica)
        first = pdf.pages[0]
        first.obj.Resources.Font.BenchF = font
        first.contents_add(pdf.make_stream(
            f"BT /BenchF 9 Tf 400 820 Td ({label}) Tj ET".encode()))
        pdf.docinfo.Title = label
        pdf.save(target)


def _jpegs(count: int) -> list[bytes]:
    from PIL import Image, ImageDraw

    made = []
    for n in range(count):
        image = Image.effect_noise(SCAN_PIXELS, 18 + n).convert("L")
        image = image.point(lambda v: 200 + v // 5)
        draw = ImageDraw.Draw(image)
        for line in range(60):
            draw.rectangle((150, 200 + line * 33, 150 + (line * 97 + n * 31) % 1300 + 100,
                            214 + line * 33), fill=40)
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=75, dpi=(200, 200))
        made.append(buffer.getvalue())
    return made


def make_corpus(folder: Path) -> dict[str, object]:
    import img2pdf

    folder.mkdir(parents=True, exist_ok=True)
    base = _text_base(folder)
    jpegs = _jpegs(24)
    exhibits, qpdf_inputs = [], []
    for n in range(1, TEXT_EXHIBITS + SCAN_EXHIBITS + PHOTO_EXHIBITS + 1):
        if n <= TEXT_EXHIBITS:
            path = folder / f"text-{n:03d}.pdf"
            _clone(base, path, f"Exhibit {n}")
            exhibits.append((n, path, "application/pdf"))
            qpdf_inputs.append(path)
        elif n <= TEXT_EXHIBITS + SCAN_EXHIBITS:
            path = folder / f"scan-{n:03d}.pdf"
            pages = [jpegs[(n + k) % len(jpegs)] for k in range(SCAN_PAGES)]
            path.write_bytes(img2pdf.convert(pages, nodate=True))
            exhibits.append((n, path, "application/pdf"))
            qpdf_inputs.append(path)
        else:
            path = folder / f"photo-{n:03d}.jpg"
            path.write_bytes(jpegs[n % len(jpegs)])
            converted = folder / f"photo-{n:03d}.pdf"
            converted.write_bytes(img2pdf.convert(path.read_bytes(), nodate=True))
            exhibits.append((n, path, "image/jpeg"))
            qpdf_inputs.append(converted)
    cover = folder / "front.pdf"
    _clone(base, cover, "Couverture, résumé, chronologie, décompte", pages=5)
    return {"exhibits": [(n, str(p), t) for n, p, t in exhibits], "front": str(cover),
            "qpdf_inputs": [str(p) for p in qpdf_inputs]}


def child(spec_path: str) -> None:
    """Runs in a fresh interpreter: import, then time one build; print figures as JSON."""
    from app.documents.claimfile import (
        ClaimFileInfo,
        Exhibit,
        FrontPart,
        build_claim_file,
    )

    spec = json.loads(Path(spec_path).read_text())
    exhibits = [Exhibit(n, f"Pièce de démonstration n° {n}", "other", date(2026, 3, 1),
                        Path(path), media_type, Path(path).name, sha256="ab" * 32)
                for n, path, media_type in spec["exhibits"]]
    info = ClaimFileInfo("Dossier de créance — Banc d'essai", 1, "Contentieux",
                         date(2026, 11, 22))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    start = time.perf_counter()
    result = build_claim_file([FrontPart("Présentation", Path(spec["front"]))], exhibits,
                              Path(spec["output"]), info)
    elapsed = time.perf_counter() - start
    print(json.dumps({"seconds": elapsed, "pages": result.total_pages,
                      "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                      "rss_after_imports": rss_before}))


def run_ours(spec: dict[str, object], folder: Path, output: Path) -> dict[str, float]:
    spec_path = folder / "spec.json"
    spec_path.write_text(json.dumps({**spec, "output": str(output)}))
    done = subprocess.run([sys.executable, __file__, "--child", str(spec_path)], check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_qpdf(inputs: list[str], output: Path, *options: str) -> dict[str, float]:
    start = time.perf_counter()
    command = ["qpdf", *options, "--empty", "--pages", *inputs, "--", str(output)]
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 3):  # 3: succeeded with warnings
        raise SystemExit("qpdf failed")
    return {"seconds": elapsed, "rss": usage.ru_maxrss * 1024}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="corpus folder, reused when present")
    parser.add_argument("--child")
    parser.add_argument("--corpus", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    if args.corpus:
        (args.corpus / "corpus.json").write_text(json.dumps(make_corpus(args.corpus)))
        return
    with tempfile.TemporaryDirectory(prefix="bench-claimfile-") as scratch:
        folder = args.keep or Path(scratch)
        spec_file = folder / "corpus.json"
        start = time.perf_counter()
        if not spec_file.exists():
            # in a child: a child's ru_maxrss starts from its parent's RSS at fork time
            subprocess.run([sys.executable, __file__, "--corpus", str(folder)], check=True)
        spec = json.loads(spec_file.read_text())
        print(f"corpus: {len(spec['exhibits'])} exhibits, "
              f"{sum(Path(p).stat().st_size for p in spec['qpdf_inputs']) / MB:.0f} MB "
              f"(made in {time.perf_counter() - start:.1f} s)")
        report(spec, folder, args.runs)


def report(spec: dict[str, object], folder: Path, runs: int) -> None:
    ours_out, qpdf_out = folder / "claimfile.pdf", folder / "qpdf.pdf"
    run_qpdf(spec["qpdf_inputs"], qpdf_out)  # warm the page cache
    qpdf_runs, copy_runs, our_runs = [], [], []
    for _ in range(runs):
        qpdf_runs.append(run_qpdf(spec["qpdf_inputs"], qpdf_out))
        our_runs.append(run_ours(spec, folder, ours_out))
        copy_runs.append(run_qpdf(spec["qpdf_inputs"], qpdf_out, NO_RESOURCE_CHECK))
    qpdf_s = statistics.median(r["seconds"] for r in qpdf_runs)
    copy_s = statistics.median(r["seconds"] for r in copy_runs)
    ours_s = statistics.median(r["seconds"] for r in our_runs)
    rss = max(r["rss"] for r in our_runs)
    size = ours_out.stat().st_size
    print(f"qpdf --empty --pages: {qpdf_s:.2f} s, {qpdf_out.stat().st_size / MB:.0f} MB out, "
          f"peak RSS {max(r['rss'] for r in qpdf_runs) / MB:.0f} MB")
    print(f"claim file: {ours_s:.2f} s, {our_runs[0]['pages']} pages, {size / MB:.0f} MB out, "
          f"peak RSS {rss / MB:.0f} MB ({our_runs[0]['rss_after_imports'] / MB:.0f} MB after "
          "imports)")
    print(f"qpdf {NO_RESOURCE_CHECK}: {copy_s:.2f} s (plain copy, no per-page "
          "content parsing: the stricter floor)")
    print(f"runs (s): qpdf {[round(r['seconds'], 2) for r in qpdf_runs]}, "
          f"claim file {[round(r['seconds'], 2) for r in our_runs]}, "
          f"qpdf plain copy {[round(r['seconds'], 2) for r in copy_runs]}")
    print(f"RATIO wall time claim file / qpdf = {ours_s / qpdf_s:.2f} (target ≤ 1.30)")
    print(f"(ratio against the plain copy: {ours_s / copy_s:.2f})")
    print(f"RATIO peak RSS / output size = {rss / size:.2f} (target ≤ 2.00)")


if __name__ == "__main__":
    main()
